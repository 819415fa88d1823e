/**
 * System.Continuation on the Apex runtime and an @AuraEnabled(continuation=true) action as Lightning
 * runs it (tools/apex/lib/continuation.ts, tools/apex/auraContinuation.ts), on in-memory orgs whose
 * callouts are answered by a handler that records when each request started and ended.
 */
import { describe, expect, it } from 'vitest';
import { runAuraAction, runTests } from '../../tools/apex/index.ts';
import type { ApexHost, HttpCallout, HttpCalloutResult } from '../../tools/apex/host.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { run } from './helpers.ts';

const CONTROLLER = `public with sharing class Multi {
  @AuraEnabled(continuation=true)
  public static Object start(List<String> urls) {
    Continuation con = new Continuation(30);
    con.continuationMethod = 'done';
    for (String u : urls) { HttpRequest r = new HttpRequest(); r.setMethod('GET'); r.setEndpoint(u); con.addHttpRequest(r); }
    con.state = new Map<String, Object>{ 'urls' => urls };
    return con;
  }
  @AuraEnabled
  public static List<String> done(List<String> labels, Object state) {
    List<String> out = new List<String>();
    Map<String, Object> s = (Map<String, Object>) state;
    for (String l : labels) { HttpResponse res = Continuation.getResponse(l); out.add(l + ' ' + res.getStatusCode() + ' ' + res.getBody()); }
    out.add(String.valueOf(((List<Object>) s.get('urls')).size()) + ' ' + Limits.getCallouts());
    return out;
  }
  @AuraEnabled(continuation=true)
  public static Object withDml() {
    insert new Account(Name = 'before continuation');
    Continuation con = new Continuation(10);
    con.continuationMethod = 'done';
    return con;
  }
  @AuraEnabled
  public static Object notAnnotated() { Continuation con = new Continuation(10); con.continuationMethod = 'done'; return con; }
  @AuraEnabled(continuation=true cacheable=true)
  public static Object cached() { Continuation con = new Continuation(10); con.continuationMethod = 'done'; return con; }
  @AuraEnabled(continuation=true)
  public static Object stateOnly() { Continuation con = new Continuation(10); con.continuationMethod = 'byState'; con.state = 'kept'; return con; }
  @AuraEnabled
  public static String byState(Object state) { return 'state ' + state; }
  @AuraEnabled(continuation=true)
  public static Object tooLong() { Continuation con = new Continuation(10); con.continuationMethod = 'done'; con.timeout = 121; return con; }
}`;

function slowOrgs(delays: Record<string, number>) {
  const log: { endpoint: string; start: number; end: number }[] = [];
  const handler = async (req: HttpCallout): Promise<HttpCalloutResult> => {
    const start = Date.now();
    const host = new URL(req.endpoint).hostname;
    if (host === 'down.example') throw new TypeError('fetch failed');
    if (host === 'blocked.example')
      throw new Error(`Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = ${req.endpoint}`);
    await new Promise((r) => setTimeout(r, delays[host] ?? 0));
    log.push({ endpoint: req.endpoint, start, end: Date.now() });
    return { statusCode: 200, status: 'OK', headers: {}, body: Buffer.from(`from ${host}`) };
  };
  return { log, host: createMemoryOrg({ classes: [{ name: 'Multi', body: CONTROLLER }], callout: handler }).host };
}

const call = (host: ApexHost, methodName: string, params: Record<string, unknown> = {}, cacheable = false) =>
  runAuraAction(host, { className: 'Multi', methodName, params, cacheable });

describe('Continuation in an Aura action', () => {
  it('sends the requests at once and answers with the callback result, read by label in a new transaction', async () => {
    const { host, log } = slowOrgs({ 'a.example': 300, 'b.example': 300, 'c.example': 300 });
    const r = await call(host, 'start', { urls: ['https://a.example/x', 'https://b.example/y', 'https://c.example/z'] });
    expect(r).toEqual({
      ok: true,
      cacheable: false,
      returnValue: ['Continuation-1 200 from a.example', 'Continuation-2 200 from b.example', 'Continuation-3 200 from c.example', '3 0'],
    });
    // All three were in flight together: each started before any ended.
    expect(Math.max(...log.map((l) => l.start))).toBeLessThan(Math.min(...log.map((l) => l.end)));
  });

  it('an org that is down or not allowed gets its error status while the others answer', async () => {
    const { host } = slowOrgs({});
    const r = await call(host, 'start', { urls: ['https://a.example/x', 'https://down.example/y', 'https://blocked.example/z'] });
    expect(r.ok && r.returnValue).toEqual(['Continuation-1 200 from a.example', 'Continuation-2 2001 ', 'Continuation-3 2002 ', '3 0']);
  });

  it('a fourth request fails the action method', async () => {
    const { host } = slowOrgs({});
    const urls = ['a', 'b', 'c', 'd'].map((h) => `https://${h}.example/`);
    expect(await call(host, 'start', { urls })).toMatchObject({
      ok: false,
      error: { exceptionType: 'System.CalloutException', message: 'A Continuation can hold at most 3 requests' },
    });
  });

  it('refuses DML before the Continuation (rolled back), a method without continuation=true, a cacheable chain with a callback that is not, and a timeout over 120 s', async () => {
    const { host } = slowOrgs({});
    expect(await call(host, 'withDml')).toMatchObject({
      ok: false,
      error: { exceptionType: 'System.CalloutException', message: expect.stringContaining('uncommitted work pending') },
    });
    expect(await host.query('SELECT Id FROM Account', { userMode: false, binds: {} })).toEqual([]);
    expect(await call(host, 'notAnnotated')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('@AuraEnabled(continuation=true)') },
    });
    expect(await call(host, 'cached', {}, true)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('must be @AuraEnabled(cacheable=true) too') },
    });
    expect(await call(host, 'tooLong')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('between 1 and 120 seconds') },
    });
  });

  it('a callback taking only the state gets it', async () => {
    const { host } = slowOrgs({});
    expect(await call(host, 'stateOnly')).toEqual({ ok: true, cacheable: false, returnValue: 'state kept' });
  });
});

describe('Continuation in Apex', () => {
  it('labels, getRequests and the constructor timeout limit', async () => {
    const r = await run(`Continuation c = new Continuation(120);
HttpRequest q = new HttpRequest(); q.setEndpoint('https://x.example'); q.setMethod('GET');
System.debug(c.addHttpRequest(q)); System.debug(c.addHttpRequest(q));
System.debug(c.getRequests().keySet()); System.debug(c.timeout);
try { new Continuation(121); } catch (CalloutException e) { System.debug(e.getMessage()); }
System.debug(Continuation.getResponse('Continuation-1'));`);
    expect(r.debug).toEqual([
      'Continuation-1',
      'Continuation-2',
      '{Continuation-1, Continuation-2}',
      '120',
      'Continuation timeout must be between 1 and 120 seconds, not 121',
      'null',
    ]);
  });

  it('Test.setContinuationResponse and Test.invokeContinuationMethod run the callback with the mock', async () => {
    const test = `@isTest private class MultiTest {
  @isTest static void callback() {
    Continuation con = (Continuation) Multi.start(new List<String>{ 'https://a.example/x' });
    Assert.areEqual(1, con.getRequests().size());
    HttpResponse mock = new HttpResponse(); mock.setStatusCode(200); mock.setBody('mocked');
    Test.setContinuationResponse('Continuation-1', mock);
    List<String> result = (List<String>) Test.invokeContinuationMethod(new Multi(), con);
    Assert.areEqual('Continuation-1 200 mocked', result[0]);
  }
}`;
    const host = createMemoryOrg({
      classes: [
        { name: 'Multi', body: CONTROLLER },
        { name: 'MultiTest', body: test },
      ],
    }).host;
    const r = await runTests(host);
    expect(r.tests.map((t) => [t.methodName, t.outcome, t.message])).toEqual([['callback', 'Pass', undefined]]);
  });
});
