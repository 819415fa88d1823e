/**
 * Sessions that must end: deactivating a user (User.IsActive) or freezing it (UserLogin.IsFrozen) ends
 * its API tokens and browser sessions at once; an "API Only User" never gets a browser session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startWorld, V, type World } from './world.ts';
import { sessionCookieName } from '../../../tools/local-platform/lightning/uiSessions.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => w?.p.cleanup());

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const accounts = `${V}/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`;

/** A browser session for `token`'s user through singleaccess and the front door: its cookie. */
async function browserSession(token: string): Promise<string> {
  const door = await call(w.p.url, token, '/services/oauth2/singleaccess');
  expect(door.status).toBe(200);
  const r = await fetch(door.body.frontdoor_uri, { redirect: 'manual' });
  expect(r.status).toBe(302);
  return (r.headers.get('set-cookie') ?? '').split(';')[0];
}

async function signedIn(cookie: string): Promise<boolean> {
  const r = await fetch(`${w.p.url}/lightning/page/home`, { headers: { Cookie: cookie }, redirect: 'manual' });
  return r.status === 200;
}

async function patch(sobject: string, id: string, fields: Record<string, unknown>) {
  const r = await call(w.p.url, w.adminToken, `${V}/sobjects/${sobject}/${id}`, {
    method: 'PATCH',
    headers: JSON_HEADERS,
    body: JSON.stringify(fields),
  });
  expect(r.status, r.text).toBe(204);
}

async function userLoginOf(userId: string): Promise<string> {
  const r = await call(
    w.p.url,
    w.adminToken,
    `${V}/query?q=${encodeURIComponent(`SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '${userId}'`)}`,
  );
  expect(r.body.records).toHaveLength(1);
  expect(r.body.records[0].IsFrozen).toBe(false);
  return r.body.records[0].Id;
}

describe('deactivating a user', () => {
  it('ends its API access token and its browser session at once; reactivating does not bring them back', async () => {
    const userId = w.userWith('leaver@orgb.hostile', 'Standard User', []);
    const token = w.tokenFor(userId);
    const cookie = await browserSession(token);
    expect((await call(w.p.url, token, accounts)).status).toBe(200);
    expect(await signedIn(cookie)).toBe(true);
    await patch('User', userId, { IsActive: false });
    const after = await call(w.p.url, token, accounts);
    expect(after.status).toBe(401);
    expect(after.body).toEqual([{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    expect(await signedIn(cookie)).toBe(false);
    await patch('User', userId, { IsActive: true });
    expect((await call(w.p.url, token, accounts)).status).toBe(401);
    expect(await signedIn(cookie)).toBe(false);
  });

  it("ends the integration user's token for Apex REST too", async () => {
    const token = w.tokenFor(w.integrationId);
    expect((await call(w.p.url, token, '/services/apexrest/AccountRetriever')).status).toBe(200);
    await patch('User', w.integrationId, { IsActive: false });
    expect((await call(w.p.url, token, '/services/apexrest/AccountRetriever')).status).toBe(401);
    await patch('User', w.integrationId, { IsActive: true });
  });
});

describe('freezing a user (UserLogin.IsFrozen)', () => {
  it('ends its token and browser session and stops new ones; unfreezing lets it sign in again', async () => {
    const userId = w.userWith('frozen@orgb.hostile', 'Standard User', []);
    const token = w.tokenFor(userId);
    const cookie = await browserSession(token);
    const login = await userLoginOf(userId);
    await patch('UserLogin', login, { IsFrozen: true });
    expect((await call(w.p.url, token, accounts)).status).toBe(401);
    expect(await signedIn(cookie)).toBe(false);
    // A token issued while frozen (as a grant would) is no session either.
    expect((await call(w.p.url, w.tokenFor(userId), accounts)).status).toBe(401);
    await patch('UserLogin', login, { IsFrozen: false });
    expect((await call(w.p.url, w.tokenFor(userId), accounts)).status).toBe(200);
  });
});

describe('"API Only User"', () => {
  it('gets no UI session through singleaccess, an old front-door link or an earlier cookie', async () => {
    // A fresh token: the deactivation above ended the world's one.
    const integration = w.tokenFor(w.integrationId);
    const r = await call(w.p.url, integration, '/services/oauth2/singleaccess');
    expect(r.status).toBe(403);
    expect(r.body.error_description).toContain('Access Restricted for API Only Users');
    // A session started before the user became API-only ends with it.
    const userId = w.userWith('turned@orgb.hostile', 'Standard User', []);
    const cookie = await browserSession(w.tokenFor(userId));
    expect(await signedIn(cookie)).toBe(true);
    const door = await call(w.p.url, w.tokenFor(userId), '/services/oauth2/singleaccess');
    const profile = await call(
      w.p.url,
      w.adminToken,
      `${V}/query?q=${encodeURIComponent("SELECT Id FROM Profile WHERE Name = 'Minimum Access - API Only Integrations'")}`,
    );
    await patch('User', userId, { ProfileId: profile.body.records[0].Id });
    expect(await signedIn(cookie)).toBe(false);
    const page = await fetch(door.body.frontdoor_uri, { redirect: 'manual' });
    expect(page.status).toBe(403);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(await page.text()).toContain('Access Restricted for API Only Users');
    // The APIs stay open to it.
    expect((await call(w.p.url, integration, '/services/apexrest/AccountRetriever')).status).toBe(200);
    expect(sessionCookieName(w.org)).toBeTruthy();
  });
});
