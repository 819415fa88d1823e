import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { adminToken, api, cliKey, JWT_GRANT, otherKey, postToken, signHs256, signRs256, startTestPlatform, b64 } from './helpers.ts';
import { insertApp, sessionMinutes, verifyJwtAssertion } from '../../tools/local-platform/oauth/oauth.ts';
import { generateSelfSigned } from '../../tools/local-platform/devhub/cliApp.ts';
import { profileId } from '../../tools/local-platform/devhub/orgs.ts';
import { getOrg, insertRecord, tx } from '../../tools/data/store.ts';
import { clearSimulationChanges, writeSimulationChanges } from '../../tools/local-platform/process/simulation.ts';

/** Every rule of the JWT bearer grant, each with Salesforce's exact error (docs/salesforce-rules.md#token-errors). */
let p: Awaited<ReturnType<typeof startTestPlatform>>;
const secs = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.cleanup();
});

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: p.cliApp.clientId, sub: p.adminUsername, aud: p.url, exp: secs() + 180, ...extra };
}

async function grant(assertion: string) {
  return postToken(p.url, { grant_type: JWT_GRANT, assertion });
}

function expectError(r: { status: number; body: Record<string, unknown> }, error: string, description: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body).toEqual({ error, error_description: description });
}

function addUser(username: string, profile: string, active = true): string {
  return tx(p.db, () =>
    insertRecord(
      p.db,
      p.devHub.id,
      'User',
      { Username: username, LastName: 'Test', Email: username, IsActive: active, ProfileId: profileId(p.db, p.devHub.id, profile)! },
      { trusted: true },
    ),
  );
}

describe('JWT bearer grant: accepted assertions', () => {
  it('issues a Bearer token for a valid RS256 assertion (aud = the org URL), usable on the REST API', async () => {
    const r = await grant(signRs256({ alg: 'RS256' }, claims(), cliKey(p)));
    expect(r.status).toBe(200);
    expect(r.body.token_type).toBe('Bearer');
    expect(r.body.instance_url).toBe(p.url);
    expect(r.body.id).toBe(
      `${p.url}/id/${p.devHub.id}/${(await api(p.url, r.body.access_token as string, '/services/oauth2/userinfo')).body.user_id}`,
    );
    expect(r.body).not.toHaveProperty('refresh_token');
    const q = await api(
      p.url,
      r.body.access_token as string,
      `/services/data/v66.0/query?q=${encodeURIComponent('SELECT Username FROM User')}`,
    );
    expect(q.status).toBe(200);
    expect(q.body.records.map((x: { Username: string }) => x.Username)).toContain(p.adminUsername);
  });

  it('accepts https://login.salesforce.com and https://test.salesforce.com as audience', async () => {
    for (const aud of ['https://login.salesforce.com', 'https://test.salesforce.com']) {
      expect((await grant(signRs256({ alg: 'RS256' }, claims({ aud }), cliKey(p)))).status).toBe(200);
    }
  });

  it("tolerates the sf CLI's millisecond exp (Date.now() + 300) and a string exp", async () => {
    expect((await grant(signRs256({ alg: 'RS256' }, claims({ exp: Date.now() + 300 }), cliKey(p)))).status).toBe(200);
    expect((await grant(signRs256({ alg: 'RS256' }, claims({ exp: String(secs() + 60) }), cliKey(p)))).status).toBe(200);
  });

  it('uses prn over sub when both are present', async () => {
    expect((await grant(signRs256({ alg: 'RS256' }, claims({ sub: 'nobody@nowhere.test', prn: p.adminUsername }), cliKey(p)))).status).toBe(
      200,
    );
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ sub: p.adminUsername, prn: 'nobody@nowhere.test' }), cliKey(p))),
      'invalid_grant',
      "user hasn't approved this consumer",
    );
  });
});

describe('JWT bearer grant: rejected assertions', () => {
  it('rejects alg none', async () => {
    expectError(await grant(`${b64({ alg: 'none' })}.${b64(claims())}.`), 'invalid_grant', 'invalid assertion');
  });
  it('rejects HS256 signed with the public certificate as the secret (key confusion)', async () => {
    const cert = readFileSync(p.cliApp.certPath, 'utf8');
    expectError(await grant(signHs256(claims(), cert)), 'invalid_grant', 'invalid assertion');
  });
  it('rejects a signature from another key, a missing signature and garbage', async () => {
    expectError(await grant(signRs256({ alg: 'RS256' }, claims(), otherKey())), 'invalid_grant', 'invalid assertion');
    const [h, c] = signRs256({ alg: 'RS256' }, claims(), cliKey(p)).split('.');
    expectError(await grant(`${h}.${c}.`), 'invalid_grant', 'invalid assertion');
    expectError(await grant('not-a-jwt'), 'invalid_grant', 'invalid assertion');
  });
  it('rejects an unknown issuer', async () => {
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ iss: '3MVG9unknownConsumerKey' }), cliKey(p))),
      'invalid_client_id',
      'client identifier invalid',
    );
  });
  it('rejects an unknown and an inactive user', async () => {
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ sub: 'ghost@devhub.local' }), cliKey(p))),
      'invalid_grant',
      "user hasn't approved this consumer",
    );
    addUser('inactive@devhub.local', 'System Administrator', false);
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ sub: 'inactive@devhub.local' }), cliKey(p))),
      'invalid_grant',
      "user hasn't approved this consumer",
    );
  });
  it('rejects a wrong audience', async () => {
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ aud: 'https://evil.example.com' }), cliKey(p))),
      'invalid_grant',
      'audience is invalid',
    );
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ aud: 'http://127.0.0.1:1' }), cliKey(p))),
      'invalid_grant',
      'audience is invalid',
    );
  });
  it('rejects an expired assertion, in seconds and in milliseconds', async () => {
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ exp: secs() - 10 }), cliKey(p))),
      'invalid_grant',
      'expired authorization code',
    );
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ exp: Date.now() - 10_000 }), cliKey(p))),
      'invalid_grant',
      'expired authorization code',
    );
  });
  it('rejects a user whose profile and permission sets are not pre-authorized on the app', async () => {
    addUser('standard@devhub.local', 'Standard User');
    expectError(
      await grant(signRs256({ alg: 'RS256' }, claims({ sub: 'standard@devhub.local' }), cliKey(p))),
      'invalid_grant',
      "user hasn't approved this consumer",
    );
  });
  it('accepts a user pre-authorized through a permission set of an admin-approved app, and refuses a self-authorize app', async () => {
    const key = generateSelfSigned('perm-set app');
    insertApp(p.db, p.devHub.id, {
      kind: 'ExternalClientApplication',
      name: 'PsApp',
      consumerKey: '3MVG9PsApp000001',
      certificatePem: key.certificatePem,
      adminApproved: true,
      profiles: [],
      permissionSets: ['Jwt_Users'],
      deployedAt: 0,
    });
    insertApp(p.db, p.devHub.id, {
      kind: 'ConnectedApp',
      name: 'SelfApp',
      consumerKey: '3MVG9SelfApp0001',
      certificatePem: key.certificatePem,
      adminApproved: false,
      profiles: ['System Administrator'],
      permissionSets: [],
      deployedAt: 0,
    });
    const userId = addUser('integration@devhub.local', 'Minimum Access - Salesforce');
    const c = { iss: '3MVG9PsApp000001', sub: 'integration@devhub.local', aud: p.url, exp: secs() + 60 };
    expectError(await grant(signRs256({ alg: 'RS256' }, c, key.privateKeyPem)), 'invalid_grant', "user hasn't approved this consumer");
    tx(p.db, () => {
      const psId = insertRecord(p.db, p.devHub.id, 'PermissionSet', { Name: 'Jwt_Users', Label: 'JWT users' }, { trusted: true });
      insertRecord(p.db, p.devHub.id, 'PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: psId }, { trusted: true });
    });
    expect((await grant(signRs256({ alg: 'RS256' }, c, key.privateKeyPem))).status).toBe(200);
    expectError(
      await grant(signRs256({ alg: 'RS256' }, { ...c, iss: '3MVG9SelfApp0001', sub: p.adminUsername }, key.privateKeyPem)),
      'invalid_grant',
      "user hasn't approved this consumer",
    );
  });
  it('answers invalid_client_id, then "user hasn\'t approved this consumer", while a new app propagates', async () => {
    const key = generateSelfSigned('new app');
    p.settings.propagationSeconds = 2;
    try {
      insertApp(p.db, p.devHub.id, {
        kind: 'ExternalClientApplication',
        name: 'NewApp',
        consumerKey: '3MVG9NewApp00001',
        certificatePem: key.certificatePem,
        adminApproved: true,
        profiles: ['System Administrator'],
        permissionSets: [],
        deployedAt: Date.now(),
      });
      const mint = () =>
        signRs256({ alg: 'RS256' }, { iss: '3MVG9NewApp00001', sub: p.adminUsername, aud: p.url, exp: secs() + 60 }, key.privateKeyPem);
      expectError(await grant(mint()), 'invalid_client_id', 'client identifier invalid');
      await new Promise((r) => setTimeout(r, 1100));
      expectError(await grant(mint()), 'invalid_grant', "user hasn't approved this consumer");
      await new Promise((r) => setTimeout(r, 1000));
      expect((await grant(mint())).status).toBe(200);
    } finally {
      p.settings.propagationSeconds = 0;
    }
  });
  it('answers app_not_found for an External Client App with the login/test host as audience, and (LOCAL_SF_PROPAGATION_ERROR) while it propagates', async () => {
    const key = generateSelfSigned('eca audience');
    insertApp(p.db, p.devHub.id, {
      kind: 'ExternalClientApplication',
      name: 'AudApp',
      consumerKey: '3MVG9AudApp00001',
      certificatePem: key.certificatePem,
      adminApproved: true,
      profiles: ['System Administrator'],
      permissionSets: [],
      deployedAt: 0,
    });
    const mint = (aud: string) =>
      signRs256({ alg: 'RS256' }, { iss: '3MVG9AudApp00001', sub: p.adminUsername, aud, exp: secs() + 60 }, key.privateKeyPem);
    for (const aud of ['https://login.salesforce.com', 'https://test.salesforce.com']) {
      expectError(await grant(mint(aud)), 'app_not_found', 'External client app is not installed in this org');
    }
    expect((await grant(mint(p.url))).status).toBe(200);
    p.settings.propagationSeconds = 2;
    (p.settings as { propagationError?: string }).propagationError = 'app_not_found';
    try {
      insertApp(p.db, p.devHub.id, {
        kind: 'ExternalClientApplication',
        name: 'AudApp',
        consumerKey: '3MVG9AudApp00001',
        certificatePem: key.certificatePem,
        adminApproved: true,
        profiles: ['System Administrator'],
        permissionSets: [],
        deployedAt: Date.now(),
      });
      expectError(await grant(mint(p.url)), 'app_not_found', 'External client app is not installed in this org');
    } finally {
      p.settings.propagationSeconds = 0;
      (p.settings as { propagationError?: string }).propagationError = 'invalid_client_id';
    }
  });
  it('propagates over a number of token requests when told so while running (LOCAL_SF_PROPAGATION_REQUESTS through the meta table)', async () => {
    const key = generateSelfSigned('counted app');
    // What daemon.ts's setSimulation writes for a running platform: read on the next request, no restart.
    writeSimulationChanges(p.db, { propagationRequests: 3, propagationError: 'app_not_found' });
    try {
      insertApp(p.db, p.devHub.id, {
        kind: 'ExternalClientApplication',
        name: 'CountedApp',
        consumerKey: '3MVG9Counted0001',
        certificatePem: key.certificatePem,
        adminApproved: true,
        profiles: ['System Administrator'],
        permissionSets: [],
        deployedAt: Date.now(),
      });
      const mint = () =>
        signRs256({ alg: 'RS256' }, { iss: '3MVG9Counted0001', sub: p.adminUsername, aud: p.url, exp: secs() + 60 }, key.privateKeyPem);
      expectError(await grant(mint()), 'app_not_found', 'External client app is not installed in this org');
      expectError(await grant(mint()), 'app_not_found', 'External client app is not installed in this org');
      expectError(await grant(mint()), 'invalid_grant', "user hasn't approved this consumer");
      expect((await grant(mint())).status).toBe(200);
      // A redeploy of the app starts the count again.
      insertApp(p.db, p.devHub.id, {
        kind: 'ExternalClientApplication',
        name: 'CountedApp',
        consumerKey: '3MVG9Counted0001',
        certificatePem: key.certificatePem,
        adminApproved: true,
        profiles: ['System Administrator'],
        permissionSets: [],
        deployedAt: Date.now() + 1,
      });
      expectError(await grant(mint()), 'app_not_found', 'External client app is not installed in this org');
    } finally {
      clearSimulationChanges(p.db);
    }
    expect(
      (
        await grant(
          signRs256({ alg: 'RS256' }, { iss: '3MVG9Counted0001', sub: p.adminUsername, aud: p.url, exp: secs() + 60 }, key.privateKeyPem),
        )
      ).status,
    ).toBe(200);
  });
  it("follows the audience policy for an admin's deployed app (LOCAL_SF_JWT_AUDIENCE): my-domain by default, or login/test only", () => {
    const key = generateSelfSigned('policy app');
    const app = {
      kind: 'ExternalClientApplication' as const,
      name: 'PolicyApp',
      consumerKey: '3MVG9Policy00001',
      certificatePem: key.certificatePem,
      adminApproved: true,
      profiles: ['System Administrator'],
      permissionSets: [],
      deployedAt: 0,
    };
    // Deployed through metadata (not one of the platform's own CLI apps, which take any audience).
    const metadata = { findOAuthApp: (_db: unknown, _org: string, k: string) => (k === app.consumerKey ? app : undefined) } as never;
    const hub = getOrg(p.db, p.devHub.id)!;
    const scratch = { ...hub, kind: 'scratch' as const };
    const answer = (org: typeof hub, aud: string, jwtAudience?: 'my-domain' | 'login-test') => {
      const r = verifyJwtAssertion(
        p.db,
        org,
        signRs256({ alg: 'RS256' }, { iss: app.consumerKey, sub: p.adminUsername, aud, exp: secs() + 60 }, key.privateKeyPem),
        { propagationSeconds: 0, jwtAudience, metadata },
      );
      return 'error' in r ? `${r.error}: ${r.error_description}` : 'token';
    };
    // my-domain (today's behaviour, the default): an External Client App takes only the org's own URL.
    expect(answer(scratch, p.url)).toBe('token');
    expect(answer(scratch, 'https://test.salesforce.com', 'my-domain')).toBe(
      'app_not_found: External client app is not installed in this org',
    );
    // login-test: only the generic host of the org's kind; the My Domain is an invalid audience.
    expect(answer(scratch, p.url, 'login-test')).toBe('invalid_grant: audience is invalid');
    expect(answer(scratch, 'https://test.salesforce.com', 'login-test')).toBe('token');
    expect(answer(scratch, 'https://login.salesforce.com', 'login-test')).toBe('invalid_grant: audience is invalid');
    expect(answer(hub, 'https://login.salesforce.com', 'login-test')).toBe('token');
    expect(answer(hub, 'https://test.salesforce.com', 'login-test')).toBe('invalid_grant: audience is invalid');
    // The platform's own CLI app is not the admin's: sf keeps logging in under either policy.
    const cli = verifyJwtAssertion(p.db, hub, signRs256({ alg: 'RS256' }, claims(), cliKey(p)), {
      propagationSeconds: 0,
      jwtAudience: 'login-test',
      metadata,
    });
    expect('error' in cli ? cli : 'token').toBe('token');
  });
  it('rejects unsupported grant types and non-form bodies', async () => {
    expectError(
      await postToken(p.url, { grant_type: 'password', username: 'a', password: 'b' }),
      'unsupported_grant_type',
      'grant type not supported',
    );
    const r = await fetch(`${p.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(400);
    expect(Object.keys((await r.json()) as object).sort()).toEqual(['error', 'error_description']);
  });
});

describe('tokens', () => {
  it('serves userinfo and the identity URL, and stops working once revoked', async () => {
    const token = await adminToken(p);
    const info = await api(p.url, token, '/services/oauth2/userinfo');
    expect(info.status).toBe(200);
    expect(info.body.preferred_username).toBe(p.adminUsername);
    expect(info.body.organization_id).toBe(p.devHub.id);
    const id = await api(p.url, token, `/id/${p.devHub.id}/${info.body.user_id}`);
    expect(id.body.username).toBe(p.adminUsername);
    const rev = await fetch(`${p.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token)}`,
    });
    expect(rev.status).toBe(200);
    const after = await api(p.url, token, '/services/data/v66.0/limits');
    expect(after.status).toBe(401);
    expect(after.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
  it('expires tokens with the session timeout (Session Settings, default 2 hours)', async () => {
    const token = await adminToken(p);
    const row = p.db.prepare("SELECT expires_at FROM tokens WHERE kind = 'access' ORDER BY rowid DESC LIMIT 1").get() as {
      expires_at: number;
    };
    expect(Math.round((row.expires_at - Date.now()) / 60_000)).toBe(120);
    expect(sessionMinutes(getOrg(p.db, p.devHub.id)!, undefined, { sessionSettings: { sessionTimeout: 'FifteenMinutes' } })).toBe(15);
    p.db.prepare('UPDATE tokens SET expires_at = ? WHERE expires_at = ?').run(Date.now() - 1, row.expires_at);
    const r = await api(p.url, token, '/services/data/v66.0/limits');
    expect(r.status).toBe(401);
    expect(r.body[0].errorCode).toBe('INVALID_SESSION_ID');
  });
  it('stores only hashes of tokens', async () => {
    const token = await adminToken(p);
    const rows = p.db.prepare('SELECT hash FROM tokens').all() as { hash: string }[];
    expect(rows.some((r) => r.hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
  });
});
