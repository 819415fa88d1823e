/**
 * Apex runs on worker threads: a runaway transaction in one org (B) leaves every other request
 * answered — the Dev Hub's token endpoint and REST API, and B's own API — while it burns its CPU limit;
 * the limits still end it with Salesforce's LimitException texts. Proven by order, not by timing: all
 * those requests finish while the busy transaction is still running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, cliKey, JWT_GRANT, postToken, signRs256, startTestPlatform } from '../helpers.ts';
import { issueToken } from '../../../tools/local-platform/oauth/tokens.ts';
import { anonymousApexSoap, signUpScratchOrg, until, V } from './world.ts';

let p: Awaited<ReturnType<typeof startTestPlatform>>;
let hubToken: string;
let b: { url: string; token: string };

beforeAll(async () => {
  p = await startTestPlatform({ log: () => {} });
  const adminId = p.records.find(p.devHub.id, 'User', 'Username', p.adminUsername)!['Id'] as string;
  hubToken = issueToken(p.db, 'access', p.devHub.id, adminId, undefined, 3600);
  b = await signUpScratchOrg(p, hubToken, 'B');
}, 120_000);
afterAll(async () => p?.cleanup());

const exceptionOf = (xml: string) => /<exceptionMessage>([^<]*)<\/exceptionMessage>/.exec(xml)?.[1];

describe('a busy Apex transaction in B', () => {
  it('leaves the Dev Hub (token endpoint, REST) and B itself answering, and ends with the CPU LimitException', async () => {
    let busyDone = false;
    const busy = anonymousApexSoap(b.url, b.token, 'Integer i = 0;\nwhile (true) { i++; }').then((r) => {
      busyDone = true;
      return r;
    });
    await until(() => p.apexBusy() === 1);
    const jwt = signRs256(
      { alg: 'RS256' },
      { iss: p.cliApp.clientId, sub: p.adminUsername, aud: p.url, exp: Math.floor(Date.now() / 1000) + 60 },
      cliKey(p),
    );
    const token = await postToken(p.url, { grant_type: JWT_GRANT, assertion: jwt });
    const hubLimits = await api(p.url, hubToken, `${V}/limits`);
    const bQuery = await api(b.url, b.token, `${V}/query?q=${encodeURIComponent('SELECT Id FROM Organization')}`);
    expect(busyDone).toBe(false);
    expect([token.status, hubLimits.status, bQuery.status]).toEqual([200, 200, 200]);
    // Another org's Apex gets a worker of its own (started now if none is idle: slow on a loaded machine, so no ordering claim).
    const otherApex = await anonymousApexSoap(p.url, hubToken, "System.debug('hub still runs Apex');");
    expect(otherApex.text).toContain('<success>true</success>');
    expect(exceptionOf((await busy).text)).toBe('System.LimitException: Apex CPU time limit exceeded');
  }, 240_000);
});

describe('the Apex heap limit', () => {
  it('ends a growing list and a doubling String with System.LimitException: Apex heap size too large, uncatchable', async () => {
    const list = await anonymousApexSoap(
      b.url,
      b.token,
      "String s = 'x'.repeat(10000);\nList<String> l = new List<String>();\nwhile (true) { l.add((s + l.size()).toUpperCase()); }",
    );
    expect(exceptionOf(list.text)).toBe('System.LimitException: Apex heap size too large');
    const doubling = await anonymousApexSoap(
      b.url,
      b.token,
      "String s = 'x';\ntry {\n  while (true) { s = s + s; }\n} catch (Exception e) {\n  System.debug('caught');\n}",
    );
    expect(exceptionOf(doubling.text)).toBe('System.LimitException: Apex heap size too large');
    expect(doubling.text).not.toContain('|USER_DEBUG|');
    const after = await anonymousApexSoap(
      b.url,
      b.token,
      'List<Integer> l = new List<Integer>();\nfor (Integer i = 0; i < 20000; i++) { l.add(i); }\nSystem.assertEquals(20000, l.size());',
    );
    expect(after.text).toContain('<success>true</success>');
  }, 240_000);
});
