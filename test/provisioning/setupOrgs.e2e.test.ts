/**
 * setup:orgs, verify and teardown end to end on the local platform, through the same code path as
 * real orgs: the real command in a child process with its own HOME (sf auth files), platform home and
 * port, and the real sf CLI libraries underneath.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyMaterial } from '../../tools/certs/index.ts';
import { renderConsumerConfig, renderExternalClientApp, writeRendered } from '../../tools/provisioning/render.ts';
import type { SetupState } from '../../tools/provisioning/setupState.ts';
import { isolatedWorld, root, tsx, type Isolated } from './commandHarness.ts';

let world: Isolated;
let base: string;
let env: Record<string, string>;
const cli = (command: string, args: string[] = [], extraEnv: Record<string, string> = {}) => world.cli(command, args, extraEnv);

const statePath = () => join(world.work, 'setup-state.json');
const readState = async () => JSON.parse(await readFile(statePath(), 'utf8')) as SetupState;

/** Forgets `step` and every later one, as if the run had stopped right before it. */
async function interruptBefore(step: string): Promise<void> {
  const state = await readState();
  const order = ['dev-hub', 'orgs', 'certificate', 'provider', 'consumer', 'token'];
  for (const id of order.slice(order.indexOf(step))) delete state.done[id];
  await writeFile(statePath(), JSON.stringify(state));
}

/** Runs code with the sf libraries in a child process with the test's HOME (auth files live there). */
async function inOrgs(script: string): Promise<void> {
  // Inside the project, so the script resolves the project's packages.
  const file = join(root, '.local', `e2e-script-${process.pid}-${Date.now()}.mts`);
  await writeFile(file, script);
  const child = await execa(tsx, [file], { cwd: root, env, reject: false }).finally(() => rm(file, { force: true }));
  if (child.exitCode !== 0) throw new Error(`script failed: ${child.stderr}`);
}

/** The real sf CLI in this world (its HOME holds the orgs' auth files). */
async function sf(args: string[]): Promise<{ status: number; result?: any; message?: string }> {
  const child = await execa(join(root, 'node_modules', '.bin', 'sf'), [...args, '--json'], {
    cwd: root, env: { ...env, SF_DISABLE_AUTOUPDATE: 'true', SF_SKIP_NEW_VERSION_CHECK: 'true' }, reject: false, timeout: 240_000,
  });
  return JSON.parse(child.stdout) as { status: number; result?: any; message?: string };
}

const ops = (body: string) =>
  `import * as ops from ${JSON.stringify(join(root, 'tools', 'provisioning', 'orgOps.ts'))};\n${body}\n`;

beforeAll(async () => {
  world = await isolatedWorld('setup-e2e-');
  ({ base, env } = world);
  await mkdir(join(root, '.local'), { recursive: true });
});

afterAll(async () => world.cleanup());

let first: Record<string, any>;

describe('setup:orgs on the local platform', () => {

  it('provisions both orgs from nothing and verifies the callout', async () => {
    const run = await cli('setupOrgs');
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    first = run.json.result!;
    expect(first.devHub).toEqual({ alias: 'local-devhub', local: true });
    expect(first.verify.ok).toBe(true);
    expect(first.verify.legs.map((l: { name: string; ok: boolean }) => [l.name, l.ok])).toEqual([
      ['token', true],
      ['callout', true],
      ['data match', true],
    ]);
    expect(first.verify.accounts).toHaveLength(10);
    expect(Object.keys(first.timings)).toEqual(['dev-hub', 'orgs', 'certificate', 'provider', 'consumer', 'token', 'verify']);
    const state = await readState();
    // What B trusts is what A holds, and the state file carries no secret.
    expect(new X509Certificate(state.certificate!.pem).fingerprint256).toBe(first.certificateFingerprint);
    expect(JSON.stringify(state)).not.toMatch(/PRIVATE KEY|access_token|accessToken/);
  }, 240_000);

  it("gives B's API-only integration user its permission set license (sf data query)", async () => {
    const state = await readState();
    const held = await sf(['data', 'query', '--query', 'SELECT Assignee.Username, Assignee.Profile.Name, PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssign', '--target-org', 'orgb-provider']);
    expect(held.result.records).toEqual([
      expect.objectContaining({
        Assignee: expect.objectContaining({ Username: state.integrationUsername, Profile: expect.objectContaining({ Name: 'Minimum Access - API Only Integrations' }) }),
        PermissionSetLicense: expect.objectContaining({ DeveloperName: 'SalesforceAPIIntegrationPsl' }),
      }),
    ]);
  }, 240_000);

  it("survives an admin's redeploy of force-app/consumer: the certificate is not in it, so A keeps its key", async () => {
    const deployed = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app/consumer', '--target-org', 'orga-consumer']);
    expect(deployed.status, JSON.stringify(deployed)).toBe(0);
    const verify = await cli('verify');
    expect(verify.json.status, JSON.stringify(verify.json)).toBe(0);
    const files = await sf(['data', 'query', '--use-tooling-api', '--query', "SELECT Id FROM Certificate WHERE DeveloperName = 'OrgA_JWT_Signing'", '--target-org', 'orga-consumer']);
    expect(files.result.records).toHaveLength(1);
  }, 300_000);

  it('changes nothing on a second run and verifies again', async () => {
    const run = await cli('setupOrgs');
    expect(run.json.status).toBe(0);
    expect(Object.keys(run.json.result!.timings)).toEqual(['verify']);
    expect(run.json.result!.provider.orgId).toBe(first.provider.orgId);
    expect(run.json.result!.consumerKey).toBe(first.consumerKey);
    expect(run.json.result!.verify.accounts).toEqual(first.verify.accounts); // no second import of sample data
  });

  it.each(['token', 'consumer', 'provider', 'certificate'])('resumes a run interrupted before %s', async (step) => {
    await interruptBefore(step);
    const run = await cli('setupOrgs');
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    const order = ['certificate', 'provider', 'consumer', 'token'];
    expect(Object.keys(run.json.result!.timings)).toEqual([...order.slice(order.indexOf(step)), 'verify']);
    expect(run.json.result!.provider.orgId).toBe(first.provider.orgId);
    expect(run.json.result!.verify.accounts.map((a: { id: string }) => a.id)).toEqual(first.verify.accounts.map((a: { id: string }) => a.id));
  });

  it('rejects a bad flag with the fix and touches nothing', async () => {
    const before = await readFile(statePath(), 'utf8');
    const run = await cli('setupOrgs', ['--app', 'saml']);
    expect(run.exitCode).not.toBe(0);
    expect(run.json.message).toBe('--app must be one of eca, connected-app, not "saml".');
    expect(await readFile(statePath(), 'utf8')).toBe(before);
  });
});

describe('verify names the cause of each wiring fault', { timeout: 300_000 }, () => {
  const restore = async (step: string) => {
    await interruptBefore(step);
    const run = await cli('setupOrgs');
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
  };
  const failedVerify = async () => {
    const run = await cli('verify');
    expect(run.exitCode).not.toBe(0);
    return `${run.json.message}\n${(run.json.actions ?? []).join('\n')}`;
  };

  it('a certificate B does not trust', async () => {
    const state = await readState();
    const other = await createKeyMaterial({ alias: 'other_cert', cn: 'Someone else' });
    const dir = join(base, 'fault-cert');
    // The app exists: its consumer key stays out of the redeploy (facts C5).
    await writeRendered(dir, renderExternalClientApp({ certificatePem: other.certificatePem, contactEmail: 'a@example.com', permissionSet: 'Account_Retriever_Integration' }));
    await inOrgs(ops(`await ops.deploySource(${JSON.stringify(state.provider!.alias)}, [${JSON.stringify(dir)}]);`));
    const text = await failedVerify();
    expect(text).toContain('invalid assertion');
    expect(text).toMatch(/certificate: A signs with [0-9A-F:]+ but B's External Client App has [0-9A-F:]+/);
    await restore('provider');
  });

  it('a missing remote site', async () => {
    const state = await readState();
    const files = renderConsumerConfig({ loginUrl: state.provider!.loginUrl, instanceUrl: state.provider!.instanceUrl, consumerKey: state.app!.consumerKey, username: state.integrationUsername!, certificateName: state.certificate!.name });
    for (const path of Object.keys(files)) if (path.includes('remoteSite')) files[path] = files[path].replace('<isActive>true</isActive>', '<isActive>false</isActive>');
    const dir = join(base, 'fault-site');
    await writeRendered(dir, files);
    await inOrgs(ops(`await ops.deploySource(${JSON.stringify(state.consumer!.alias)}, [${JSON.stringify(dir)}]);`));
    const text = await failedVerify();
    expect(text).toContain('Unauthorized endpoint');
    expect(text).toContain(`remote sites: A has no active Remote Site Setting for ${new URL(state.provider!.instanceUrl).origin}`);
    await restore('consumer');
  });

  it('a user the app does not pre-authorize', async () => {
    const state = await readState();
    await inOrgs(
      ops(`
import { Org } from '@salesforce/core';
const conn = (await Org.create({ aliasOrUsername: ${JSON.stringify(state.provider!.alias)} })).getConnection();
const rows = await conn.query("SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${state.integrationUsername}' AND PermissionSet.Name = 'Account_Retriever_Integration'");
if (rows.records.length !== 1) throw new Error('expected one assignment, got ' + rows.records.length);
await conn.sobject('PermissionSetAssignment').destroy(rows.records[0].Id);`),
    );
    const text = await failedVerify();
    expect(text).toContain("user hasn't approved this consumer");
    expect(text).toContain(`integration user: ${state.integrationUsername} lacks Account_Retriever_Integration`);
    await restore('provider');
  });

  it('an integration user without its permission set license', async () => {
    const state = await readState();
    await inOrgs(
      ops(`
import { Org } from '@salesforce/core';
const conn = (await Org.create({ aliasOrUsername: ${JSON.stringify(state.provider!.alias)} })).getConnection();
const user = (await conn.query("SELECT Id FROM User WHERE Username = '${state.integrationUsername}'")).records[0];
const psa = await conn.query("SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '" + user.Id + "'");
for (const r of psa.records) await conn.sobject('PermissionSetAssignment').destroy(r.Id);
const psla = await conn.query("SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '" + user.Id + "'");
for (const r of psla.records) await conn.sobject('PermissionSetLicenseAssign').destroy(r.Id);`),
    );
    const text = await failedVerify();
    expect(text).toContain(`integration user: ${state.integrationUsername} (Minimum Access - API Only Integrations) lacks the permission set license SalesforceAPIIntegrationPsl`);
    await restore('provider');
  });

  it('a consumer key B does not know', async () => {
    const state = await readState();
    const files = renderConsumerConfig({ loginUrl: state.provider!.loginUrl, instanceUrl: state.provider!.instanceUrl, consumerKey: '3MVGnotTheRightKey123', username: state.integrationUsername!, certificateName: state.certificate!.name });
    const dir = join(base, 'fault-key');
    await writeRendered(dir, files);
    await inOrgs(ops(`await ops.deploySource(${JSON.stringify(state.consumer!.alias)}, [${JSON.stringify(dir)}]);`));
    const text = await failedVerify();
    expect(text).toContain('client identifier invalid');
    expect(text).toContain('Consumer_Key__c');
    await restore('consumer');
  });

  it('a daily sign-up limit names the reset; then a new app still propagating (app_not_found, then not approved): setup waits and retries until B answers', async () => {
    const restart = async (extra: Record<string, string>) => {
      await execa(tsx, [join(root, 'tools', 'cli', 'localOrgs.ts'), 'stop'], { cwd: root, env, reject: false });
      await execa(tsx, [join(root, 'tools', 'cli', 'localOrgs.ts'), 'start', '--no-login'], { cwd: root, env: { ...env, ...extra } });
    };
    // Two sign-ups a day: this world's first run used them up.
    await restart({ LOCAL_SF_PROPAGATION_SECONDS: '20', LOCAL_SF_PROPAGATION_ERROR: 'app_not_found', LOCAL_SF_DAILY_SCRATCH_ORGS: '2' });
    try {
      await interruptBefore('orgs');
      const limited = await cli('setupOrgs');
      expect(limited.json.name, JSON.stringify(limited.json)).toBe('DailyScratchOrgLimit');
      expect(limited.json.message).toMatch(/reached its daily scratch org signup limit \(2\)/);
      expect(limited.json.actions?.[0]).toContain('npm run local-orgs -- reset-limits');
      const reset = await execa(tsx, [join(root, 'tools', 'cli', 'localOrgs.ts'), 'reset-limits', '--json'], { cwd: root, env });
      expect(JSON.parse(reset.stdout)).toMatchObject({ daily: 0 });
      // New orgs, so B's app is new and answers "External client app is not installed in this org" (app_not_found,
      // facts C4), then user hasn't approved, for 20 s: both are retried as propagation.
      await interruptBefore('orgs');
      // sfdx-core's retries of the new orgs' JWT login, spread over 30 s instead of 300 s.
      const run = await cli('setupOrgs', [], { SFDX_JWT_AUTH_RETRY_TIMEOUT: '30' });
      expect(run.json.status, JSON.stringify(run.json)).toBe(0);
      expect(run.json.result!.verify.ok).toBe(true);
      expect(run.json.result!.provider.orgId).not.toBe(first.provider.orgId);
      expect(run.json.result!.timings.token).toBeGreaterThan(1_500); // it waited for the app
    } finally {
      await restart({});
    }
  }, 480_000);
});

describe('other ways in', { timeout: 300_000 }, () => {
  it('configure wires orgs that already exist and verifies', async () => {
    const run = await cli('configure', ['--provider-org', 'orgb-provider', '--consumer-org', 'orga-consumer']);
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    expect(run.json.result!.verify.ok).toBe(true);
    // The app exists already: its consumer key is found and kept, never replaced.
    expect(run.json.result!.consumerKey).toBe((await readState()).app!.consumerKey);
    expect(Object.keys(run.json.result!.timings)).toEqual(['certificate', 'provider', 'consumer', 'token', 'verify']);
  });

  it('--cert local makes the key here, imports the keystore into A and re-trusts B', async () => {
    const before = await readState();
    const run = await cli('setupOrgs', ['--cert', 'local']);
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    expect(Object.keys(run.json.result!.timings)).toEqual(['certificate', 'provider', 'consumer', 'token', 'verify']);
    const after = await readState();
    expect(after.certificate).toMatchObject({ source: 'local', name: 'orga_jwt_local' });
    expect(after.certificate!.fingerprintSha256).not.toBe(before.certificate!.fingerprintSha256);
    expect(run.json.result!.certificateFingerprint).toBe(after.certificate!.fingerprintSha256);
    // The private key stays in the git-ignored work folder, owner-only.
    const { statSync } = await import('node:fs');
    expect(statSync(join(world.work, 'certs', 'orga_jwt_local.key.pem')).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(run.json)).not.toMatch(/PRIVATE KEY/);
    // And back to a key generated in the org.
    const back = await cli('setupOrgs', ['--cert', 'org']);
    expect(back.json.status, JSON.stringify(back.json)).toBe(0);
    expect((await readState()).certificate!.source).toBe('org');
  });

  it('configure without both orgs names the flags', async () => {
    const run = await cli('configure', ['--provider-org', 'orgb-provider']);
    expect(run.exitCode).not.toBe(0);
    expect(run.json.message).toBe('Both --provider-org and --consumer-org are required.');
  });

  it('--app connected-app renders a Connected App; an org that blocks new ones says so and keeps its app', async () => {
    const before = await readState();
    const run = await cli('setupOrgs', ['--app', 'connected-app']);
    expect(run.exitCode).not.toBe(0);
    expect(run.json.name).toBe('DeployFailed');
    expect(run.json.message).toContain("ConnectedApp OrgA_Account_Reader: Connected apps creation is restricted as of Spring '26");
    // Nothing of the failed deploy was saved: the External Client App still serves A.
    const verify = await cli('verify');
    expect(verify.json.status, JSON.stringify(verify.json)).toBe(0);
    expect(verify.json.result!.accounts.map((a: { id: string }) => a.id)).toHaveLength(10);
    expect((await readState()).provider!.orgId).toBe(before.provider!.orgId);
  });
});

describe('teardown', () => {
  it('deletes both orgs and the rendered files', async () => {
    const run = await cli('teardown');
    expect(run.json.status, JSON.stringify(run.json)).toBe(0);
    expect(run.json.result!.deleted.sort()).toEqual(['orga-consumer', 'orgb-provider']);
    const verify = await cli('verify');
    expect(verify.json.name).toBe('NotSetUp');
  });
});
