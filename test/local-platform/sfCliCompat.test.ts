import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import { cliKey, isolatedSfEnv, JWT_GRANT, jwtLoginArgs, runSfJson, signRs256, startTestPlatform } from './helpers.ts';
import { getOrg } from '../../tools/data/store.ts';
import { runSoql } from '../../tools/data/soql.ts';

/**
 * The real sf CLI (project-local) and jsforce against the local platform, with the CLI's config
 * isolated in a temp HOME. One scratch org goes through its whole life: create, import, query,
 * assign a permission set, delete.
 */
let p: Awaited<ReturnType<typeof startTestPlatform>>;
let work: string;
let env: NodeJS.ProcessEnv;

const sf = (...args: string[]) => runSfJson(args, env, work, 90_000);

beforeAll(async () => {
  p = await startTestPlatform();
  work = mkdtempSync(join(tmpdir(), 'lp-sf-'));
  env = isolatedSfEnv(join(work, 'home'));
  // A tiny SFDX project so `sf project deploy/retrieve start` have something to move.
  writeFileSync(
    join(work, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }),
  );
  const classes = join(work, 'force-app', 'main', 'default', 'classes');
  mkdirSync(classes, { recursive: true });
  writeFileSync(join(classes, 'Hello.cls'), "public with sharing class Hello {\n  public static String hi() {\n    return 'hi';\n  }\n}\n");
  writeFileSync(
    join(classes, 'Hello.cls-meta.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n  <apiVersion>66.0</apiVersion>\n  <status>Active</status>\n</ApexClass>\n',
  );
  writeFileSync(
    join(work, 'def.json'),
    JSON.stringify({ orgName: 'Provider', edition: 'Developer', features: ['API', 'AuthorApex', 'PlatformCache'] }),
  );
  writeFileSync(
    join(work, 'accounts.json'),
    JSON.stringify({
      records: [
        {
          attributes: { type: 'Account', referenceId: 'AcmeRef' },
          Name: 'Acme',
          NumberOfEmployees: 50,
          Contacts: {
            records: [{ attributes: { type: 'Contact', referenceId: 'SmithRef' }, LastName: 'Smith', Email: 'smith@acme.test' }],
          },
        },
        { attributes: { type: 'Account', referenceId: 'GlobexRef' }, Name: 'Globex', NumberOfEmployees: 5 },
      ],
    }),
  );
});

afterAll(async () => {
  await p?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('sf CLI against the local Dev Hub', () => {
  let scratchOrgId = '';

  it('sf org login jwt logs into the hub with the CLI app key', async () => {
    const r = await sf(...jwtLoginArgs(p, 'hub', { defaultFlag: '--set-default-dev-hub' }));
    expect(r.status, r.raw).toBe(0);
    expect(r.result.orgId).toBe(p.devHub.id);
    expect(r.result.isDevHub).toBe(true);
  });

  it('sf org create scratch creates a local scratch org and logs into it', async () => {
    const r = await sf(
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
    expect(r.status, r.raw).toBe(0);
    scratchOrgId = r.result.authFields.orgId;
    const org = getOrg(p.db, scratchOrgId)!;
    expect(org.kind).toBe('scratch');
    expect(r.result.authFields.instanceUrl).toBe(org.instanceUrl);
    expect(org.instanceUrl).not.toBe(p.url);
    expect(org.features).toEqual(['API', 'AuthorApex', 'PlatformCache']);
    expect(org.settings.platformCache).toEqual({ orgCapacityMb: 3 });
    expect(r.result.scratchOrgInfo.Status).toBe('Active');
  });

  it('sf data import tree and sf data query work in the scratch org', async () => {
    const imp = await sf('data', 'import', 'tree', '--files', join(work, 'accounts.json'), '--target-org', 'so');
    expect(imp.status, imp.raw).toBe(0);
    expect(imp.result.map((x: { refId: string }) => x.refId).sort()).toEqual(['AcmeRef', 'GlobexRef', 'SmithRef']);
    const q2 = await sf(
      'data',
      'query',
      '--query',
      "SELECT Name, Owner.Name FROM Account WHERE NumberOfEmployees > 10 OR Name LIKE 'glob%' ORDER BY Name DESC",
      '--target-org',
      'so',
    );
    expect(q2.status, q2.raw).toBe(0);
    expect(q2.result.records.map((x: { Name: string }) => x.Name)).toEqual(['Globex', 'Acme']);
    expect(q2.result.records[0].Owner.Name).toBe('User User');
  });

  it('sf org assign permset assigns a permission set to the scratch admin', async () => {
    p.records.upsert(scratchOrgId, 'PermissionSet', 'Name', { Name: 'Test_PS', Label: 'Test PS' });
    const r = await sf('org', 'assign', 'permset', '--name', 'Test_PS', '--target-org', 'so');
    expect(r.status, r.raw).toBe(0);
    expect(r.result.successes).toHaveLength(1);
    const n = p.db
      .prepare("SELECT count(*) AS n FROM records WHERE org_id = ? AND sobject = 'PermissionSetAssignment'")
      .get(scratchOrgId) as { n: number };
    expect(n.n).toBe(1);
  });

  it('sf project deploy start and sf project retrieve start move an Apex class through the Metadata API', async () => {
    const dep = await sf('project', 'deploy', 'start', '--target-org', 'so');
    expect(dep.status, dep.raw).toBe(0);
    expect(dep.result.files.map((f: { fullName: string; state: string }) => `${f.fullName}:${f.state}`)).toContain('Hello:Created');
    // `sf data query` is covered above; here the deployed class is looked up in the org directly.
    expect(runSoql(p.db, scratchOrgId, "SELECT Name FROM ApexClass WHERE Name = 'Hello'").totalSize).toBe(1);
    const file = join(work, 'force-app', 'main', 'default', 'classes', 'Hello.cls');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, '// changed locally\n');
    const ret = await sf('project', 'retrieve', 'start', '--metadata', 'ApexClass:Hello', '--target-org', 'so', '--ignore-conflicts');
    expect(ret.status, ret.raw).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('sf org delete scratch deletes the org: data purged, port closed, ScratchOrgInfo Deleted', async () => {
    const url = getOrg(p.db, scratchOrgId)!.instanceUrl;
    const r = await sf('org', 'delete', 'scratch', '--target-org', 'so', '--no-prompt');
    expect(r.status, r.raw).toBe(0);
    expect(getOrg(p.db, scratchOrgId)!.status).toBe('Deleted');
    expect((p.db.prepare('SELECT count(*) AS n FROM records WHERE org_id = ?').get(scratchOrgId) as { n: number }).n).toBe(0);
    const soi = p.db
      .prepare(
        "SELECT json_extract(fields,'$.Status') AS s FROM records WHERE sobject = 'ScratchOrgInfo' AND json_extract(fields,'$.ScratchOrg') = ?",
      )
      .get(scratchOrgId.slice(0, 15)) as { s: string };
    expect(soi.s).toBe('Deleted');
    await expect(fetch(`${url}/services/data`)).rejects.toThrow();
  });
});

describe('jsforce against the local Dev Hub', () => {
  it('OAuth2.requestToken with the JWT grant, then conn.query', async () => {
    const assertion = signRs256(
      { alg: 'RS256' },
      { iss: p.cliApp.clientId, sub: p.adminUsername, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 120 },
      cliKey(p),
    );
    const oauth2 = new OAuth2({ loginUrl: p.url });
    const token = (await oauth2.requestToken({ grant_type: JWT_GRANT, assertion })) as unknown as {
      access_token: string;
      instance_url: string;
    };
    const conn = new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token, version: '66.0' });
    const res = await conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Username = '${p.adminUsername}'`);
    expect(res.totalSize).toBe(1);
    expect(res.records[0].Username).toBe(p.adminUsername);
    const created = await conn.sobject('Account').create({ Name: 'From jsforce' });
    expect(created.success).toBe(true);
  });

  it('surfaces the token error as jsforce does (name = error, message = error_description)', async () => {
    const assertion = signRs256(
      { alg: 'RS256' },
      { iss: p.cliApp.clientId, sub: p.adminUsername, aud: 'https://wrong.example.com', exp: Math.floor(Date.now() / 1000) + 120 },
      cliKey(p),
    );
    const err = await new OAuth2({ loginUrl: p.url }).requestToken({ grant_type: JWT_GRANT, assertion }).catch((e: Error) => e);
    expect((err as Error).name).toBe('invalid_grant');
    expect((err as Error).message).toBe('audience is invalid');
  });
});
