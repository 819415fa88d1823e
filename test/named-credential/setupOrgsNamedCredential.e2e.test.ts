/**
 * `setup:orgs --auth named-credential` end to end on the local platform: the real command in a child
 * process with its own HOME, platform home and port; A reaches B through `callout:Org_B`, whose JWT
 * exchange the platform performs. Then the principal access is taken away with the real sf CLI and
 * `verify` must name that cause.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedWorld, type Isolated } from '../provisioning/commandHarness.ts';
import { readServiceConfig } from '../../tools/external-service/config.ts';
import { startExternalService } from '../../tools/external-service/server.ts';
import { readWiring } from '../../tools/provisioning/externalServiceSetup.ts';
import { stopLocalService } from '../../tools/provisioning/externalServiceProcess.ts';

let world: Isolated;
const cli = (command: string, args: string[] = []) => world.cli(command, args);

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

beforeAll(async () => {
  world = await isolatedWorld('nc-e2e-');
});

afterAll(async () => {
  if (world) await stopLocalService(world.work);
  await world?.cleanup();
});

describe('setup:orgs --auth named-credential on the local platform', () => {
  it('ends with a verified callout through callout:Org_B, with no Remote Site Setting rendered for A', async () => {
    const r = await cli('setupOrgs', ['--local', '--auth', 'named-credential']);
    expect(r.exitCode, JSON.stringify(r.json)).toBe(0);
    expect(r.json.result!.verify.ok).toBe(true);
    expect(r.json.result!.verify.legs.map((l: { name: string; ok: boolean }) => `${l.name}:${l.ok}`)).toEqual([
      'token:true',
      'callout:true',
      'data match:true',
    ]);
    expect(r.json.result!.verify.legs[0].detail).toBe('callout:Org_B');
    expect(r.json.result!.verify.accounts.length).toBeGreaterThan(0);

    const consumer = join(world.work, 'rendered', 'consumer');
    expect(await filesUnder(consumer)).toEqual([
      'main/default/customMetadata/Org_B_Connection.Default.md-meta.xml',
      'main/default/externalCredentials/Org_B_JWT.externalCredential-meta.xml',
      'main/default/namedCredentials/Org_B.namedCredential-meta.xml',
      'main/default/permissionsets/Org_B_Named_Credential_Access.permissionset-meta.xml',
    ]);
    expect(await readFile(join(consumer, 'main/default/customMetadata/Org_B_Connection.Default.md-meta.xml'), 'utf8')).toContain(
      '<value xsi:type="xsd:string">Org_B</value>',
    );
    const state = JSON.parse(await readFile(join(world.work, 'setup-state.json'), 'utf8'));
    expect(state.auth).toBe('named-credential');
  }, 240_000);

  // Same world, one more command: Org A now also calls the reference external service with a JWT the
  // platform mints (protocol JWT), and the service verifies it.
  it("setup:orgs --external-service starts the service, deploys A's JWT credential and verifies the call", async () => {
    const r = await cli('setupOrgs', ['--local', '--auth', 'named-credential', '--external-service']);
    expect(r.exitCode, JSON.stringify(r.json)).toBe(0);
    const e = r.json.result!.externalService;
    expect(e).toMatchObject({
      mode: 'local',
      subject: r.json.result!.consumer.username,
      audience: e.url,
      certificateName: 'OrgA_JWT_Signing',
    });
    expect(e.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(e.verified).toMatchObject({ users: 3, callerSubject: r.json.result!.consumer.username });
    expect(await filesUnder(join(world.work, 'rendered', 'external-service'))).toEqual([
      'main/default/externalCredentials/External_Service_JWT.externalCredential-meta.xml',
      'main/default/namedCredentials/External_Service.namedCredential-meta.xml',
      'main/default/permissionsets/External_Service_Access.permissionset-meta.xml',
    ]);
    const log = await readFile(join(world.work, 'external-service', 'service.log'), 'utf8');
    expect(log).toMatch(/"path":"\/users","status":200,"token":"[0-9a-f]{16}","sub":"[^"]+"/);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  }, 240_000);

  it('verify names the cause when the service refuses: a service expecting another audience', async () => {
    const wiring = readWiring(world.work)!;
    await stopLocalService(world.work);
    const port = Number(new URL(wiring.url).port);
    const config = readServiceConfig({
      EXTERNAL_SERVICE_PORT: String(port),
      EXTERNAL_SERVICE_ISSUER: wiring.issuer,
      EXTERNAL_SERVICE_SUBJECTS: wiring.subject,
      EXTERNAL_SERVICE_CERT_FILE: wiring.certificateFile,
      EXTERNAL_SERVICE_AUDIENCE: 'https://another-service.example',
    });
    let impostor;
    for (let i = 0; !impostor; i++) {
      impostor = await startExternalService(config).catch(async (err) => {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 100)); // the stopped service frees its port
        return undefined;
      });
    }
    try {
      const v = await cli('verify');
      expect(v.exitCode).not.toBe(0);
      expect(v.json.message).toContain("wrong audience: aud '" + wiring.url + "', this service accepts 'https://another-service.example'");
      expect(v.json.actions?.join('\n')).toContain('Cause: wrong audience');
    } finally {
      await impostor.close();
    }
  }, 240_000);

  it("verify names the missing principal access once A's user loses the permission set", async () => {
    // Taken away through A's own API, from the test's process (no sf start).
    const state = JSON.parse(await readFile(join(world.work, 'setup-state.json'), 'utf8'));
    const a = await world.connect(state.consumer);
    const q = await a.query<{ Id: string }>(
      "SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Org_B_Named_Credential_Access'",
    );
    expect(q.records).toHaveLength(1);
    expect(await a.sobject('PermissionSetAssignment').destroy(q.records[0]!.Id)).toMatchObject({ success: true });
    const v = await cli('verify');
    expect(v.exitCode).not.toBe(0);
    expect(v.json.message).toContain(
      'The callout couldn\'t access the endpoint. You might not have the required permissions, or the named credential "Org_B" might not exist.',
    );
    expect(v.json.actions?.join('\n')).toContain('principal access');
  }, 240_000);
});
