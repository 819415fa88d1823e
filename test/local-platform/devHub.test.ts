import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_GRANT, adminToken, api, cliKey, postToken, signRs256, startTestPlatform } from './helpers.ts';
import { getOrg } from '../../tools/data/store.ts';
import { isValidId, to18 } from '../../tools/data/ids.ts';
import { resetDailySignups } from '../../tools/local-platform/devhub/devhub.ts';
import { clearSimulationChanges, writeSimulationChanges } from '../../tools/local-platform/process/simulation.ts';

/** Dev Hub signup over the REST API (what the sf CLI does), the auth-code and refresh-token grants, limits, teardown. */
let p: Awaited<ReturnType<typeof startTestPlatform>>;
let token: string;
const V = '/services/data/v66.0';
const CALLBACK = 'http://localhost:1717/OauthRedirect';
/** A sign-up body as sfdx-core sends it: the hub's CLI app named in both required app fields. */
const signup = (fields: Record<string, unknown>) =>
  JSON.stringify({ ConnectedAppConsumerKey: p.cliApp.clientId, ConnectedAppCallbackUrl: CALLBACK, ...fields });

beforeAll(async () => {
  p = await startTestPlatform({ limits: { maxActive: 1, maxDaily: 5 } });
  token = await adminToken(p);
});
afterAll(async () => {
  await p?.cleanup();
});

describe('ScratchOrgInfo signup', () => {
  let soi: Record<string, any>;

  it('creates an Active scratch org with its own port, org Id, admin user and auth code', async () => {
    const c = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, {
      method: 'POST',
      body: JSON.stringify({
        Edition: 'developer',
        OrgName: 'Signup',
        Features: 'API;PlatformCache',
        ConnectedAppConsumerKey: p.cliApp.clientId,
        ConnectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect',
        DurationDays: 3,
      }),
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    soi = (await api(p.url, token, `${V}/sobjects/ScratchOrgInfo/${c.body.id}`)).body;
    expect(soi).toMatchObject({ Status: 'Active', Edition: 'Developer', OrgName: 'Signup', Features: 'API;PlatformCache' });
    expect(soi.ScratchOrg).toHaveLength(15);
    expect(isValidId(to18(soi.ScratchOrg))).toBe(true);
    expect(soi.LoginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(soi.LoginUrl).not.toBe(p.url);
    expect(soi.SignupUsername).toMatch(/@example\.com$/);
    const org = getOrg(p.db, soi.ScratchOrg)!;
    expect(org.kind).toBe('scratch');
    expect(org.expiresAt!.slice(0, 10)).toBe(soi.ExpirationDate);
  });

  it('lists the org as an ActiveScratchOrg and counts it against the limits', async () => {
    const q = await api(
      p.url,
      token,
      `${V}/query?q=${encodeURIComponent(`SELECT Id, SignupUsername FROM ActiveScratchOrg WHERE ScratchOrg = '${soi.ScratchOrg}'`)}`,
    );
    expect(q.body.records).toHaveLength(1);
    const l = await api(p.url, token, `${V}/limits`);
    expect(l.body.ActiveScratchOrgs).toEqual({ Max: 1, Remaining: 0 });
    const over = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, { method: 'POST', body: signup({ Edition: 'Developer' }) });
    expect(over.status).toBe(400);
    expect(over.body[0].errorCode).toBe('LIMIT_EXCEEDED');
    const bad = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, { method: 'POST', body: signup({ Edition: 'Galactic' }) });
    expect(bad.body[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  it('trades the auth code once for access and refresh tokens; the refresh token mints new access tokens', async () => {
    const bad = await postToken(soi.LoginUrl, {
      grant_type: 'authorization_code',
      code: soi.AuthCode,
      client_id: 'someone-else',
      redirect_uri: 'http://localhost:1717/OauthRedirect',
    });
    expect(bad.body).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    const r = await postToken(soi.LoginUrl, {
      grant_type: 'authorization_code',
      code: soi.AuthCode,
      client_id: p.cliApp.clientId,
      redirect_uri: 'http://localhost:1717/OauthRedirect',
    });
    expect(r.status).toBe(200);
    expect(r.body.instance_url).toBe(soi.LoginUrl);
    const again = await postToken(soi.LoginUrl, { grant_type: 'authorization_code', code: soi.AuthCode, client_id: p.cliApp.clientId });
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'invalid authorization code' });
    const info = await api(soi.LoginUrl, r.body.access_token as string, '/services/oauth2/userinfo');
    expect(info.body.preferred_username).toBe(soi.SignupUsername);
    const refreshed = await postToken(soi.LoginUrl, {
      grant_type: 'refresh_token',
      refresh_token: r.body.refresh_token as string,
      client_id: p.cliApp.clientId,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(r.body.access_token);
    // A scratch org is not a Dev Hub: ScratchOrgInfo does not exist there (the CLI checks this).
    const notHub = await api(
      soi.LoginUrl,
      refreshed.body.access_token as string,
      `${V}/query?q=${encodeURIComponent('SELECT Id FROM ScratchOrgInfo')}`,
    );
    expect(notHub.body[0].errorCode).toBe('INVALID_TYPE');
    // Tokens of one org are no good at another.
    expect((await api(p.url, refreshed.body.access_token as string, `${V}/limits`)).status).toBe(401);
  });

  it('accepts the Dev Hub CLI app JWT in the scratch org for its admin (replicated app)', async () => {
    const t = await adminToken(p, soi.LoginUrl, soi.SignupUsername);
    expect((await api(soi.LoginUrl, t, `${V}/limits`)).status).toBe(200);
  });

  it('deletes the org through ActiveScratchOrg: port closed, allocation freed', async () => {
    const aso = (
      await api(
        p.url,
        token,
        `${V}/query?q=${encodeURIComponent(`SELECT Id FROM ActiveScratchOrg WHERE SignupUsername = '${soi.SignupUsername}'`)}`,
      )
    ).body.records[0];
    expect((await api(p.url, token, `${V}/sobjects/ActiveScratchOrg/${aso.Id}`, { method: 'DELETE' })).status).toBe(204);
    await expect(fetch(`${soi.LoginUrl}/services/data`)).rejects.toThrow();
    expect((await api(p.url, token, `${V}/limits`)).body.ActiveScratchOrgs.Remaining).toBe(1);
    expect((await api(p.url, token, `${V}/sobjects/ScratchOrgInfo/${soi.Id}`)).body.Status).toBe('Deleted');
  });

  it('expires scratch orgs past their ExpirationDate', async () => {
    const c = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, {
      method: 'POST',
      body: signup({ Edition: 'Developer', DurationDays: 1 }),
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    // Runs after the first org's deletion freed the single allocation.
    const info = (await api(p.url, token, `${V}/sobjects/ScratchOrgInfo/${c.body.id}`)).body;
    expect(await p.expireScratchOrgs()).toBe(0);
    p.db.prepare('UPDATE orgs SET expires_at = ? WHERE substr(id,1,15) = ?').run('2000-01-01T00:00:00.000+0000', info.ScratchOrg);
    expect(await p.expireScratchOrgs()).toBe(1);
    expect(getOrg(p.db, info.ScratchOrg)!.status).toBe('Expired');
    await expect(fetch(`${info.LoginUrl}/services/data`)).rejects.toThrow();
  });

  it("refuses a sign-up past the daily limit with Salesforce's message, until the counter is reset (local-orgs reset-limits)", async () => {
    // Two sign-ups so far today. A limit changed while the platform runs (daemon.ts setSimulation) counts from the next sign-up.
    writeSimulationChanges(p.db, { maxDaily: 2 });
    try {
      const over = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, { method: 'POST', body: signup({ Edition: 'Developer' }) });
      expect(over.status).toBe(400);
      expect(over.body[0]).toMatchObject({
        errorCode: 'LIMIT_EXCEEDED',
        message: 'The signup request failed because this organization has reached its daily scratch org signup limit (2).',
      });
      expect((await api(p.url, token, `${V}/limits`)).body.DailyScratchOrgs).toEqual({ Max: 2, Remaining: 0 });
      resetDailySignups(p.db);
      expect((await api(p.url, token, `${V}/limits`)).body.DailyScratchOrgs).toEqual({ Max: 2, Remaining: 2 });
      const again = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, { method: 'POST', body: signup({ Edition: 'Developer' }) });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
    } finally {
      clearSimulationChanges(p.db);
    }
  });
});

describe('the sign-up app (ConnectedAppConsumerKey, ConnectedAppCallbackUrl)', () => {
  it('refuses a sign-up whose app fields are empty strings (what unset GitHub variables become), naming each', async () => {
    const both = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, {
      method: 'POST',
      body: JSON.stringify({ Edition: 'Developer', ConnectedAppConsumerKey: '', ConnectedAppCallbackUrl: '' }),
    });
    expect(both.status).toBe(400);
    expect(both.body[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [ConnectedAppConsumerKey, ConnectedAppCallbackUrl]',
    });
    const url = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, {
      method: 'POST',
      body: signup({ Edition: 'Developer', ConnectedAppCallbackUrl: '' }),
    });
    expect(url.body[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [ConnectedAppCallbackUrl]',
    });
  });

  describe('a Dev Hub whose CLI app is an External Client App (LOCAL_SF_DEVHUB_APP)', () => {
    let eca: Awaited<ReturnType<typeof startTestPlatform>>;
    let hubToken: string;
    beforeAll(async () => {
      process.env.LOCAL_SF_DEVHUB_APP = 'ExternalClientApplication';
      try {
        eca = await startTestPlatform();
      } finally {
        delete process.env.LOCAL_SF_DEVHUB_APP;
      }
      // An External Client App takes only the org's own URL as audience (FIDELITY.md, OAuth C4).
      const jwt = signRs256(
        { alg: 'RS256' },
        { iss: eca.cliApp.clientId, sub: eca.adminUsername, aud: eca.url, exp: Math.floor(Date.now() / 1000) + 120 },
        cliKey(eca),
      );
      const r = await postToken(eca.url, { grant_type: JWT_GRANT, assertion: jwt });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      hubToken = r.body.access_token as string;
    });
    afterAll(async () => eca?.cleanup());

    it('fails a sign-up with its own app as C-1016: Status Error, no org, no allocation used', async () => {
      const c = await api(eca.url, hubToken, `${V}/sobjects/ScratchOrgInfo`, {
        method: 'POST',
        body: JSON.stringify({ Edition: 'Developer', ConnectedAppConsumerKey: eca.cliApp.clientId, ConnectedAppCallbackUrl: CALLBACK }),
      });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      const info = (await api(eca.url, hubToken, `${V}/sobjects/ScratchOrgInfo/${c.body.id}`)).body;
      expect(info).toMatchObject({ Status: 'Error', ErrorCode: 'C-1016', ScratchOrg: null, AuthCode: null });
      const active = await api(eca.url, hubToken, `${V}/query?q=${encodeURIComponent('SELECT Id FROM ActiveScratchOrg')}`);
      expect(active.body.records).toHaveLength(0);
    });

    it("signs up through Salesforce's built-in PlatformCLI app, whose auth code the new org trades", async () => {
      const c = await api(eca.url, hubToken, `${V}/sobjects/ScratchOrgInfo`, {
        method: 'POST',
        body: JSON.stringify({ Edition: 'Developer', ConnectedAppConsumerKey: 'PlatformCLI', ConnectedAppCallbackUrl: CALLBACK }),
      });
      const info = (await api(eca.url, hubToken, `${V}/sobjects/ScratchOrgInfo/${c.body.id}`)).body;
      expect(info).toMatchObject({ Status: 'Active', ErrorCode: null });
      const r = await postToken(info.LoginUrl, {
        grant_type: 'authorization_code',
        code: info.AuthCode,
        client_id: 'PlatformCLI',
        redirect_uri: CALLBACK,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.refresh_token).toBeTruthy();
    });
  });
});
