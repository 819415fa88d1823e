/** The front door's rules without a browser: redirect paths, single-use tokens, sessions bound to an org. */
import { describe, expect, it } from 'vitest';
import { DatabaseSync } from '../../../tools/core/sqlite.ts';
import { HOME_PATH, safeStartPath } from '../../../tools/local-platform/lightning/frontDoor.ts';
import {
  createBrowserSession,
  findBrowserSession,
  issueFrontDoorToken,
  readCookie,
  redeemFrontDoorToken,
  sessionCookieName,
} from '../../../tools/local-platform/lightning/uiSessions.ts';

const ORG = '00D000000000001AAA';
const OTHER = '00D000000000002AAA';
const USER = '005000000000001AAA';
const INSTANCE = 'http://127.0.0.1:6101';

describe('safeStartPath', () => {
  it.each([
    [undefined, HOME_PATH],
    ['lightning/n/Org_B_Accounts', '/lightning/n/Org_B_Accounts'],
    ['/lightning/n/Org_B_Accounts?x=1', '/lightning/n/Org_B_Accounts?x=1'],
    [`${INSTANCE}/lightning/page/home`, '/lightning/page/home'],
  ])('keeps %s on the org as %s', (raw, path) => expect(safeStartPath(raw, INSTANCE)).toBe(path));

  it.each(['https://evil.example/x', '//evil.example/x', '/\\evil.example', 'http://127.0.0.1:6102/other-org', 'http://[bad'])(
    'refuses %s',
    (raw) => expect(safeStartPath(raw, INSTANCE)).toBeUndefined(),
  );

  // What a browser makes of them (WHATWG URL): tabs and newlines dropped, "\\" read as "/", dot segments resolved.
  it.each([
    '/\t/evil.example/',
    '/\n/evil.example/',
    ' //evil.example',
    '\\\\evil.example',
    '/.//evil.example/',
    '/%2e//evil.example',
    '/a/..//evil.example',
    'java\tscript:alert(1)',
    'data:text/html,x',
  ])('refuses %j, which a browser resolves to another host or scheme', (raw) => expect(safeStartPath(raw, INSTANCE)).toBeUndefined());

  it("returns the parser's serialization: no CR, LF or quote reaches a Location header", () => {
    expect(safeStartPath('/x\r\nSet-Cookie: a=b', INSTANCE)).toBe('/xSet-Cookie:%20a=b');
    expect(safeStartPath('/lightning/n/X?a="<>', INSTANCE)).toBe('/lightning/n/X?a=%22%3C%3E');
  });
});

describe('front-door tokens and browser sessions', () => {
  const db = new DatabaseSync(':memory:');

  it('a token opens once, then is refused as used', () => {
    const otp = issueFrontDoorToken(db, ORG, USER, '/lightning/n/X');
    expect(redeemFrontDoorToken(db, OTHER, otp)).toEqual({ refused: 'unknown' });
    expect(redeemFrontDoorToken(db, ORG, otp)).toEqual({ userId: USER, startUrl: '/lightning/n/X' });
    expect(redeemFrontDoorToken(db, ORG, otp)).toEqual({ refused: 'used' });
    expect(redeemFrontDoorToken(db, ORG, 'made-up')).toEqual({ refused: 'unknown' });
  });

  it('an expired token is refused, and nothing stores the raw token', () => {
    const otp = issueFrontDoorToken(db, ORG, USER, '/');
    expect(JSON.stringify(db.prepare('SELECT * FROM ui_sessions').all())).not.toContain(otp);
    db.prepare("UPDATE ui_sessions SET expires_at = ? WHERE kind = 'frontdoor' AND used_at IS NULL").run(Date.now() - 1);
    expect(redeemFrontDoorToken(db, ORG, otp)).toEqual({ refused: 'expired' });
  });

  it('a session belongs to its org and ends with its timeout', () => {
    const { sid, session } = createBrowserSession(db, ORG, USER, 120);
    expect(findBrowserSession(db, ORG, sid)).toEqual(session);
    expect(findBrowserSession(db, OTHER, sid)).toBeUndefined();
    expect(readCookie(`a=1; ${sessionCookieName(ORG)}=${encodeURIComponent(sid)}; b=2`, sessionCookieName(ORG))).toBe(sid);
    expect(sessionCookieName(ORG)).not.toBe(sessionCookieName(OTHER));
    db.prepare("UPDATE ui_sessions SET expires_at = ? WHERE kind = 'browser'").run(Date.now() - 1);
    expect(findBrowserSession(db, ORG, sid)).toBeUndefined();
  });
});
