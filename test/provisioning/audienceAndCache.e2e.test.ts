/**
 * The first real run's open questions, end to end on the local platform with the real commands and sf CLI:
 * which JWT audience B accepts (discovered under each of the platform's audience policies), an Org A
 * without Platform Cache capacity (configure goes without the partition and verifies), and both orgs' Apex
 * tests where admins and CI run them (`sf apex run test --test-level RunLocalTests`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupState } from '../../tools/provisioning/setupState.ts';
import { isolatedWorld, root, type Isolated } from './commandHarness.ts';

let world: Isolated;
const cli = (command: string, args: string[] = []) => world.cli(command, args);
const statePath = () => join(world.work, 'setup-state.json');
const readState = async () => JSON.parse(await readFile(statePath(), 'utf8')) as SetupState;

/** The real sf CLI in this world (its HOME holds the orgs' auth files). */
async function sf(args: string[]): Promise<{ status: number; result?: any; message?: string }> {
  const child = await execa(join(root, 'node_modules', '.bin', 'sf'), [...args, '--json'], {
    cwd: root,
    env: { ...world.env, SF_SKIP_NEW_VERSION_CHECK: 'true' },
    reject: false,
    timeout: 280_000,
  });
  return JSON.parse(child.stdout) as { status: number; result?: any; message?: string };
}

async function audienceOnA(alias: string): Promise<string | null> {
  const q = await sf([
    'data',
    'query',
    '--query',
    "SELECT Audience__c FROM Org_B_Connection__mdt WHERE DeveloperName = 'Default'",
    '--target-org',
    alias,
  ]);
  return q.result.records[0].Audience__c;
}

/** `sf apex run test … --test-level RunLocalTests`, as the workflow's "Apex tests in both orgs" step runs it. */
async function runLocalTests(alias: string) {
  const run = await sf(['apex', 'run', 'test', '--target-org', alias, '--test-level', 'RunLocalTests', '--wait', '10']);
  const failures = (run.result?.tests ?? [])
    .filter((t: { Outcome: string }) => t.Outcome !== 'Pass')
    .map((t: { FullName: string; Message: string }) => `${t.FullName}: ${t.Message}`);
  return { run, failures };
}

beforeAll(async () => {
  // B takes only test.salesforce.com as audience (restforce#886, simple-salesforce#711), from the first run.
  world = await isolatedWorld('audience-e2e-', { LOCAL_SF_JWT_AUDIENCE: 'login-test' });
});
afterAll(async () => world?.cleanup());

describe('the JWT audience B accepts is discovered, under each policy of the local platform', { timeout: 300_000 }, () => {
  it('login-test: My Domain is refused as an invalid audience, test.salesforce.com is found and recorded in the state and in A', async () => {
    const run = await cli('setupOrgs', []);
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    const state = await readState();
    expect(state.audience).toEqual({
      value: 'https://test.salesforce.com',
      refused: [{ audience: state.provider!.loginUrl, answer: expect.stringContaining('invalid_grant: audience is invalid') }],
    });
    expect(await audienceOnA('orga-consumer')).toBe('https://test.salesforce.com');
    expect(run.json.result!.verify.audience).toBe('https://test.salesforce.com');
  });

  it("verify on a recorded audience B stops taking names each candidate's answer, then a re-run records the new one (my-domain)", async () => {
    await world.simulate({ jwtAudience: 'my-domain' });
    const failed = await cli('verify');
    expect(failed.exitCode).not.toBe(0);
    const state = await readState();
    const actions = failed.json.actions!.join('\n');
    // An External Client App refuses the generic host under this policy (n8n-io/n8n#29016) and takes its My Domain.
    expect(actions).toContain(`aud=https://test.salesforce.com: `);
    expect(actions).toMatch(/aud=https:\/\/test\.salesforce\.com: .*External client app is not installed/);
    expect(actions).toContain(`aud=${state.provider!.loginUrl}: accepted`);

    const before = JSON.parse(await readFile(statePath(), 'utf8')) as SetupState;
    delete before.done.token;
    await writeFile(statePath(), JSON.stringify(before));
    const again = await cli('setupOrgs', []);
    expect(again.json.status, JSON.stringify(again.json)).toBe(0);
    expect((await readState()).audience).toEqual({ value: state.provider!.loginUrl, refused: [] });
    expect(await audienceOnA('orga-consumer')).toBe(state.provider!.loginUrl);
    const verify = await cli('verify');
    expect(verify.json.status, JSON.stringify(verify.json)).toBe(0);
    expect(verify.json.result!.audience).toBe(state.provider!.loginUrl);
    expect(verify.json.result!.tokenCache).toContain('local.OrgBTokens');
  });
});

describe("both orgs' Apex tests pass where admins and CI run them", { timeout: 300_000 }, () => {
  it.each(['orga-consumer', 'orgb-provider'])('sf apex run test --test-level RunLocalTests on %s', async (alias) => {
    const { run, failures } = await runLocalTests(alias);
    expect(failures, JSON.stringify(run).slice(0, 2000)).toEqual([]);
    expect(run.result.summary.outcome).toBe('Passed');
    expect(run.result.summary.testsRan).toBeGreaterThan(0);
  });
});

describe('configure for an Org A without Platform Cache capacity', { timeout: 300_000 }, () => {
  it("deploys A without the token partition, verifies, says so, and A's own tests still pass", async () => {
    // A Developer Edition scratch org without the PlatformCache feature has 0 MB (Apex Developer Guide, "Platform Cache Limits").
    const definition = join(world.base, 'no-cache-def.json');
    const def = JSON.parse(await readFile(join(root, 'config', 'consumer-scratch-def.json'), 'utf8')) as { features: string[] };
    def.features = def.features.filter((f) => f !== 'PlatformCache');
    await writeFile(definition, JSON.stringify(def));
    const created = await sf([
      'org',
      'create',
      'scratch',
      '--definition-file',
      definition,
      '--alias',
      'orga-nocache',
      '--target-dev-hub',
      'local-devhub',
      '--wait',
      '5',
    ]);
    expect(created.status, JSON.stringify(created)).toBe(0);

    const run = await cli('configure', ['--provider-org', 'orgb-provider', '--consumer-org', 'orga-nocache']);
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    expect(run.json.result!.verify.ok).toBe(true);
    expect(run.json.result!.verify.tokenCache).toMatch(/^none/);
    expect(run.json.result!.warnings.join('\n')).toMatch(/token cache: none: orga-nocache has no room for local\.OrgBTokens .*\(0 MB\)/);
    const partitions = await sf(['org', 'list', 'metadata', '--metadata-type', 'PlatformCachePartition', '--target-org', 'orga-nocache']);
    expect(partitions.result ?? []).toEqual([]);

    const { run: tests, failures } = await runLocalTests('orga-nocache');
    expect(failures, JSON.stringify(tests).slice(0, 2000)).toEqual([]);
  });
});
