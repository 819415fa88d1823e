/**
 * The platform's Apex endpoints with the real sf CLI: classes deployed with `sf project deploy start`
 * run through `sf apex run` (SOAP executeAnonymous), `sf apex run test --synchronous` (Tooling
 * runTestsSynchronous) and /services/apexrest (Bearer token of the org's user).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedSfEnv, jwtLoginArgs, runSfJson, startTestPlatform } from '../helpers.ts';
import { issueToken } from '../../../tools/local-platform/oauth/tokens.ts';

let p: Awaited<ReturnType<typeof startTestPlatform>>;
let work: string;
let env: NodeJS.ProcessEnv;
let org: { instanceUrl: string; accessToken: string };

const sf = (...args: string[]) => runSfJson(args, env, work, 120_000);

const META =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n  <apiVersion>65.0</apiVersion>\n  <status>Active</status>\n</ApexClass>\n';
const CLASSES: Record<string, string> = {
  Inventory: `@RestResource(urlMapping='/inventory/*')
global with sharing class Inventory {
  global class Item { public String name; public Integer qty; public String note; }
  @HttpGet
  global static List<Item> doGet() {
    List<Item> out = new List<Item>();
    for (Account a : [SELECT Name, NumberOfEmployees FROM Account WITH USER_MODE ORDER BY Name]) {
      Item i = new Item(); i.name = a.Name; i.qty = a.NumberOfEmployees; out.add(i);
    }
    String only = RestContext.request.params.get('only');
    if (only != null) {
      for (Integer k = out.size() - 1; k >= 0; k--) if (out[k].name != only) out.remove(k);
    }
    return out;
  }
  @HttpPost
  global static String doPost(String name, Integer qty) {
    Account a = new Account(Name = name, NumberOfEmployees = qty);
    insert a;
    RestContext.response.statusCode = 201;
    return a.Id;
  }
  public static Integer total() {
    Integer t = 0;
    for (Account a : [SELECT NumberOfEmployees FROM Account]) t += a.NumberOfEmployees == null ? 0 : a.NumberOfEmployees;
    return t;
  }
}`,
  InventoryTest: `@IsTest
private class InventoryTest {
  @TestSetup static void setup() { insert new List<Account>{ new Account(Name = 'A', NumberOfEmployees = 2), new Account(Name = 'B', NumberOfEmployees = 3) }; }
  @IsTest static void totalPositive() { Assert.areEqual(5, Inventory.total(), 'sum of both'); }
  @IsTest static void totalFailsNegative() { Assert.areEqual(6, Inventory.total(), 'wrong on purpose'); }
}`,
};

beforeAll(async () => {
  p = await startTestPlatform();
  work = mkdtempSync(join(tmpdir(), 'lp-apex-'));
  env = isolatedSfEnv(join(work, 'home'));
  writeFileSync(
    join(work, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '65.0' }),
  );
  const dir = join(work, 'force-app', 'main', 'default', 'classes');
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(CLASSES)) {
    writeFileSync(join(dir, `${name}.cls`), body);
    writeFileSync(join(dir, `${name}.cls-meta.xml`), META);
  }
  writeFileSync(join(work, 'def.json'), JSON.stringify({ orgName: 'Apex', edition: 'Developer', features: ['API', 'AuthorApex'] }));
  const login = await sf(...jwtLoginArgs(p, 'hub', { defaultFlag: '--set-default-dev-hub' }));
  if (login.status !== 0) throw new Error(login.raw);
  const so = await sf(
    'org',
    'create',
    'scratch',
    '--target-dev-hub',
    'hub',
    '--definition-file',
    join(work, 'def.json'),
    '--alias',
    'so',
    '--wait',
    '5',
  );
  if (so.status !== 0) throw new Error(so.raw);
  const dep = await sf('project', 'deploy', 'start', '--target-org', 'so');
  if (dep.status !== 0) throw new Error(dep.raw);
  const disp = await sf('org', 'display', '--target-org', 'so');
  // sf redacts the token in `org display`; a token for the same user comes from the platform's store.
  const user = p.db
    .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'User' AND lower(json_extract(fields,'$.Username')) = lower(?)")
    .get(disp.result.id, disp.result.username) as { id: string };
  org = { instanceUrl: disp.result.instanceUrl, accessToken: issueToken(p.db, 'access', disp.result.id, user.id, undefined, 3600) };
}, 300_000);

afterAll(async () => {
  await p?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Apex on the local platform through the sf CLI', () => {
  it('sf apex run executes anonymous Apex with DML and returns the debug log', async () => {
    writeFileSync(
      join(work, 'seed.apex'),
      "insert new List<Account>{ new Account(Name = 'Bolts', NumberOfEmployees = 7), new Account(Name = 'Nuts', NumberOfEmployees = 3) };\nSystem.debug('total=' + Inventory.total());\n",
    );
    const r = await sf('apex', 'run', '--file', join(work, 'seed.apex'), '--target-org', 'so');
    expect(r.status, r.raw).toBe(0);
    expect(r.result.success).toBe(true);
    expect(r.result.compiled).toBe(true);
    expect(r.result.logs).toMatch(/\|USER_DEBUG\|\[2\]\|DEBUG\|total=10/);
  });

  it('sf apex run reports an uncaught exception and a compile problem', async () => {
    writeFileSync(join(work, 'boom.apex'), 'Integer x = 1;\nx = x / 0;\n');
    const r = await sf('apex', 'run', '--file', join(work, 'boom.apex'), '--target-org', 'so');
    expect(r.status).not.toBe(0);
    expect(r.raw).toContain('System.MathException: Divide by 0');
    writeFileSync(join(work, 'bad.apex'), 'Integer x = ;\n');
    const c = await sf('apex', 'run', '--file', join(work, 'bad.apex'), '--target-org', 'so');
    expect(c.status).not.toBe(0);
    expect(c.raw).toMatch(/Error: Line: 1, Column: \d+|compile/i);
  });

  it('serves @RestResource classes on /services/apexrest with the org user token', async () => {
    const get = await fetch(`${org.instanceUrl}/services/apexrest/inventory/all?only=Bolts`, {
      headers: { Authorization: `Bearer ${org.accessToken}` },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual([{ name: 'Bolts', qty: 7 }]);
    const post = await fetch(`${org.instanceUrl}/services/apexrest/inventory`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Washers', qty: 4 }),
    });
    expect(post.status).toBe(201);
    expect(await post.json()).toMatch(/^001[A-Za-z0-9]{15}$/);
    const nf = await fetch(`${org.instanceUrl}/services/apexrest/nowhere`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'Could not find a match for URL' }]);
    const anon = await fetch(`${org.instanceUrl}/services/apexrest/inventory`);
    expect(anon.status).toBe(401);
  });

  it('answers Tooling executeAnonymous', async () => {
    const r = await fetch(
      `${org.instanceUrl}/services/data/v65.0/tooling/executeAnonymous/?anonymousBody=${encodeURIComponent("System.debug('x');")}`,
      {
        headers: { Authorization: `Bearer ${org.accessToken}` },
      },
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      line: -1,
      column: -1,
      compiled: true,
      success: true,
      compileProblem: null,
      exceptionStackTrace: null,
      exceptionMessage: null,
    });
  });

  it('sf apex run test (asynchronous, --wait) reports results and code coverage', { timeout: 240_000 }, async () => {
    const r = await sf('apex', 'run', 'test', '--class-names', 'InventoryTest', '--wait', '5', '--code-coverage', '--target-org', 'so');
    expect(r.result?.summary, r.raw).toBeDefined();
    expect(r.result.summary).toMatchObject({ outcome: 'Failed', testsRan: 2, passing: 1, failing: 1, orgWideCoverage: '21%' });
    expect(r.result.tests.map((t: { FullName: string; Outcome: string }) => `${t.FullName}:${t.Outcome}`).sort()).toEqual([
      'InventoryTest.totalFailsNegative:Fail',
      'InventoryTest.totalPositive:Pass',
    ]);
    expect(r.result.coverage.coverage.find((c: { name: string }) => c.name === 'Inventory')).toMatchObject({
      coveredPercent: expect.any(Number),
    });
    const runId = r.result.summary.testRunId;
    expect(runId).toMatch(/^707/);
    // `sf apex get test` waits on the Streaming API (/cometd), which the local platform does not serve.
    const one = await sf('apex', 'run', 'test', '--tests', 'InventoryTest.totalPositive', '--wait', '5', '--target-org', 'so');
    expect(one.status, one.raw).toBe(0);
    expect(one.result.summary).toMatchObject({ outcome: 'Passed', testsRan: 1 });
  });

  it('sf apex run test --synchronous runs the deployed tests, which see only their own data', async () => {
    const r = await sf('apex', 'run', 'test', '--class-names', 'InventoryTest', '--synchronous', '--target-org', 'so');
    expect(r.result?.summary, r.raw).toBeDefined();
    expect(r.result.summary).toMatchObject({ outcome: 'Failed', testsRan: 2, passing: 1, failing: 1 });
    const failed = r.result.tests.find((t: { Outcome: string }) => t.Outcome === 'Fail');
    expect(failed.MethodName).toBe('totalFailsNegative');
    expect(failed.Message).toBe('System.AssertException: Assertion Failed: Expected: 6, Actual: 5: wrong on purpose');
  });
});
