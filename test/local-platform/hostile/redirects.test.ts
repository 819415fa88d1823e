/**
 * Redirects after login as a browser follows them: every `startURL` and `redirect_uri` a hostile link can
 * carry (tabs, newlines, backslashes, "//", schemes, dot segments, encoded forms) ends on a path of the
 * org or is refused; none is a 500, and no single-use login token reaches the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startWorld, type World } from './world.ts';
import { sessionCookieName } from '../../../tools/local-platform/lightning/uiSessions.ts';

let w: World;
const logged: string[] = [];
let origin: string;
let cookie: string;

/** A front-door URL for `token` (what `sf org open` gets), or the refusal. */
async function singleAccess(token: string, redirectUri?: string) {
  const q = redirectUri === undefined ? '' : `?redirect_uri=${encodeURIComponent(redirectUri)}`;
  return call(w.p.url, token, `/services/oauth2/singleaccess${q}`);
}

/** Where a browser goes after this response: its Location as the browser resolves it. */
function landing(r: Response): URL | undefined {
  const location = r.headers.get('location');
  return location === null ? undefined : new URL(location, origin);
}

beforeAll(async () => {
  w = await startWorld({ log: (line) => logged.push(line) });
  origin = new URL(w.p.url).origin;
  const door = await singleAccess(w.adminToken);
  const r = await fetch(door.body.frontdoor_uri, { redirect: 'manual' });
  cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  expect(cookie.startsWith(`${sessionCookieName(w.org)}=`)).toBe(true);
}, 180_000);
afterAll(async () => w?.p.cleanup());

/** Values seen in the probe and their relatives; each must stay on the org or be refused. */
const HOSTILE = [
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  'https://evil.example/',
  '//evil.example/',
  '\\\\evil.example/',
  '/\\evil.example/',
  ' //evil.example/',
  '/.//evil.example/',
  '/%2e//evil.example/',
  '/a/..//evil.example/',
  '///evil.example/',
  'javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/x\r\nSet-Cookie: pwned=1',
  'http://127.0.0.1:1/other-port',
];

describe('the login page and a signed-in browser (GET /?startURL=)', () => {
  it.each(HOSTILE)('keeps %j on the org, never a 500', async (value) => {
    for (const headers of [{ Cookie: cookie }, {}] as Record<string, string>[]) {
      const r = await fetch(`${w.p.url}/?startURL=${encodeURIComponent(value)}`, { headers, redirect: 'manual' });
      expect(r.status, JSON.stringify(headers)).toBeLessThan(500);
      const to = landing(r);
      if (to) expect(to.origin).toBe(origin);
      if (!headers.Cookie) expect(r.status).toBe(200);
      expect(r.headers.get('set-cookie')).toBeNull();
    }
  });

  it('sends a signed-in browser to the path it asked for, and a hostile one home', async () => {
    const go = (v: string) => fetch(`${w.p.url}/?startURL=${encodeURIComponent(v)}`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect((await go('/lightning/n/Some_Tab?x=1')).headers.get('location')).toBe('/lightning/n/Some_Tab?x=1');
    expect((await go('/\t/evil.example/')).headers.get('location')).toBe('/lightning/page/home');
    expect((await go('/.//evil.example/')).headers.get('location')).toBe('/lightning/page/home');
  });
});

describe('singleaccess redirect_uri, then the front door', () => {
  it.each(HOSTILE)('refuses %j or keeps it on the org', async (value) => {
    const r = await singleAccess(w.adminToken, value);
    expect(r.status).toBeLessThan(500);
    if (r.status !== 200) {
      expect(r.body.error).toBe('invalid_request');
      return;
    }
    const door = await fetch(r.body.frontdoor_uri, { redirect: 'manual' });
    expect(door.status).toBe(302);
    expect(landing(door)!.origin).toBe(origin);
  });

  it('never writes a single-use login token to the log, even when the request fails', async () => {
    const tokens: string[] = [];
    for (const value of ['/lightning/page/home', '/x\r\ny', '/\t/evil.example/']) {
      const r = await singleAccess(w.adminToken, value);
      if (r.status !== 200) continue;
      const otp = new URL(r.body.frontdoor_uri).searchParams.get('otp')!;
      tokens.push(otp);
      await fetch(r.body.frontdoor_uri, { redirect: 'manual' });
      // a second use fails: still no token in the log
      await fetch(r.body.frontdoor_uri, { redirect: 'manual' });
    }
    // a front-door URL with a raw CR/LF in startURL, as a hand-made link would carry it
    const r = await singleAccess(w.adminToken);
    const otp = new URL(r.body.frontdoor_uri).searchParams.get('otp')!;
    tokens.push(otp);
    const raw = await fetch(`${w.p.url}/secur/frontdoor.jsp?otp=${otp}&startURL=%0D%0A%2F%2Fevil.example`, { redirect: 'manual' });
    expect(raw.status).toBeLessThan(500);
    expect(tokens.length).toBeGreaterThan(1);
    const log = logged.join('\n');
    expect(log).toContain('/secur/frontdoor.jsp');
    for (const t of tokens) expect(log).not.toContain(t);
    expect(log).not.toContain(w.adminToken);
  });
});
