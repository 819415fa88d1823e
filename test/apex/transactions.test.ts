/**
 * SOQL, DML, governor limits, HTTP callouts (real HTTP to a local server), Apex REST dispatch and
 * Apex test runs on the local runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { debugOf, rowsOf, run } from './helpers.ts';
import type { ApexHost, QueryOptions } from '../../tools/apex/host.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { matchUrlMapping, runApexRest, runTests } from '../../tools/apex/index.ts';
import type { ClassDef } from '../../tools/apex/model/classModel.ts';
import { LIMITS } from '../../tools/apex/run/transaction.ts';

let server: Server;
let base: string;
const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 300);
      if (req.url === '/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ access_token: 'TOKEN123', instance_url: 'http://b.local' }));
      }
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Echo': req.headers['x-test'] ?? '' });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('SOQL and DML on the local runtime', () => {
  it('inserts, queries with binds, updates, upserts and deletes', async () => {
    const org = createMemoryOrg().host;
    // what the runtime hands the host's query: the statement's text, its mode and its binds
    const queryLog: { soql: string; options: QueryOptions }[] = [];
    const host: ApexHost = { ...org, query: (soql, options) => (queryLog.push({ soql, options }), org.query(soql, options)) };
    const out = await debugOf(
      `
      List<Account> accs = new List<Account>();
      for (Integer i = 0; i < 5; i++) accs.add(new Account(Name = 'Acc ' + i, NumberOfEmployees = i));
      insert accs;
      System.debug(accs[0].Id != null);
      String prefix = 'Acc%';
      Integer lim = 2;
      List<Account> top = [SELECT Id, Name FROM Account WHERE Name LIKE :prefix AND NumberOfEmployees >= :lim ORDER BY NumberOfEmployees DESC LIMIT :lim];
      System.debug(top.size() + ' ' + top[0].Name);
      Set<Id> ids = new Set<Id>{accs[1].Id, accs[2].Id};
      System.debug([SELECT COUNT() FROM Account WHERE Id IN :ids]);
      Account one = [SELECT Id, Name FROM Account WHERE Name = :accs[3].Name WITH USER_MODE];
      one.Name = 'Renamed';
      update one;
      System.debug([SELECT Name FROM Account WHERE Id = :one.Id].Name);
      Account up = new Account(Name = 'Upserted');
      upsert up;
      delete accs[0];
      System.debug([SELECT COUNT() FROM Account]);
      for (Account a : [SELECT Name FROM Account WHERE Name = 'Upserted']) System.debug('loop ' + a.Name);
      System.debug(Limits.getQueries() + ' ' + Limits.getDmlStatements());
      try { Account none = [SELECT Id FROM Account WHERE Name = 'missing']; } catch (QueryException e) { System.debug(e.getMessage()); }
      try { System.debug([SELECT Id FROM Account LIMIT 1][0].Name); } catch (SObjectException e) { System.debug(e.getMessage()); }
    `,
      { host },
    );
    expect(out).toEqual([
      'true',
      '2 Acc 4',
      '2',
      'Renamed',
      '5',
      'loop Upserted',
      '6 4',
      'List has no rows for assignment to SObject',
      'SObject row was retrieved via SOQL without querying the requested field: Account.Name',
    ]);
    expect(queryLog.find((q) => q.soql.includes('WITH USER_MODE'))?.options.userMode).toBe(true);
    expect(queryLog.find((q) => q.soql.includes('LIKE'))?.options).toMatchObject({ userMode: false, binds: { prefix: 'Acc%' } });
  });

  it('runs dynamic SOQL with binds to locals and Database DML methods', async () => {
    const out = await debugOf(`
      List<Database.SaveResult> rs = Database.insert(new List<Account>{ new Account(Name = 'Dyn'), new Account() }, false);
      System.debug(rs[0].isSuccess() + ' ' + rs[1].isSuccess() + ' ' + rs[1].getErrors()[0].getMessage());
      String wanted = 'Dyn';
      List<Account> found = Database.query('SELECT Id, Name FROM Account WHERE Name = :wanted');
      System.debug(found.size() + ' ' + found[0].Name);
      System.debug(Database.countQuery('SELECT COUNT() FROM Account'));
    `);
    expect(out).toEqual(['true false Required fields are missing: [Name]', '1 Dyn', '1']);
  });

  it('rolls back to a savepoint and keeps the work before it', async () => {
    const org = createMemoryOrg();
    const host = org.host;
    const out = await debugOf(
      `
      insert new Account(Name = 'Before');
      Savepoint sp = Database.setSavepoint();
      insert new Account(Name = 'After');
      System.debug([SELECT COUNT() FROM Account]);
      Database.rollback(sp);
      System.debug([SELECT COUNT() FROM Account]);
      insert new Account(Name = 'Again');
    `,
      { host },
    );
    expect(out).toEqual(['2', '1']);
    expect(
      rowsOf(org, 'Account')
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['Again', 'Before']);
    // nothing left open: the transaction's undo journal is gone
    expect(org.db.prepare('SELECT COUNT(*) AS n FROM apex_tx_journal').get()).toEqual({ n: 0 });
  });

  it('rolls back the transaction when the block fails', async () => {
    const org = createMemoryOrg();
    const host = org.host;
    const r = await run(`insert new Account(Name = 'Temp'); Integer x = 1 / 0;`, { host });
    expect(r.success).toBe(false);
    expect(rowsOf(org, 'Account')).toHaveLength(0);
    await debugOf(`insert new Account(Name = 'Kept');`, { host });
    expect(rowsOf(org, 'Account').map((a) => a.Name)).toEqual(['Kept']);
  });

  it('turns host DML errors into DmlException', async () => {
    const r = await run(`try { insert new Account(); } catch (DmlException e) { System.debug(e.getMessage()); }`);
    expect(r.debug).toEqual([
      'Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]',
    ]);
  });

  it('stops at the governor limits with Salesforce messages', async () => {
    const q = await run(`for (Integer i = 0; i < 101; i++) { List<Account> a = [SELECT Id FROM Account]; }`);
    expect(q.exceptionMessage).toBe('System.LimitException: Too many SOQL queries: 101');
    const d = await run(`for (Integer i = 0; i < 151; i++) { insert new Account(Name = 'x' + i); }`);
    expect(d.exceptionMessage).toBe('System.LimitException: Too many DML statements: 151');
    const caught = await run(
      `try { for (Integer i = 0; i < 101; i++) { Integer c = [SELECT COUNT() FROM Account]; } } catch (Exception e) { System.debug('caught'); }`,
    );
    expect(caught.debug).toEqual([]);
    expect(caught.exceptionMessage).toBe('System.LimitException: Too many SOQL queries: 101');
  });

  describe('the CPU time limit', () => {
    // The mechanism, at a tenth of Salesforce's 10 s so the suite does not idle for 20 s; the real
    // 10 s limit on the running platform is test/local-platform/hostile/isolation.e2e.test.ts.
    const real = LIMITS.cpuMs;
    beforeAll(() => {
      LIMITS.cpuMs = 1_000;
    });
    afterAll(() => {
      LIMITS.cpuMs = real;
    });

    it('stops a runaway loop at the CPU time limit, not before', async () => {
      const started = Date.now();
      const r = await run(`Integer i = 0; while (true) { i++; }`);
      expect(r.exceptionMessage).toBe('System.LimitException: Apex CPU time limit exceeded');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    });

    it('stops a runaway loop with an empty body too (no statement in it to count)', async () => {
      const r = await run(`while (true) {}`);
      expect(r.exceptionMessage).toBe('System.LimitException: Apex CPU time limit exceeded');
    });
  });
});

describe('HTTP callouts on the local runtime', () => {
  it('sends real HTTP through the host and reads the response', async () => {
    const out = await debugOf(
      `
      HttpRequest req = new HttpRequest();
      req.setEndpoint('${base}/echo');
      req.setMethod('POST');
      req.setHeader('X-Test', 'yes');
      req.setHeader('Content-Type', 'application/json');
      req.setBody('{"a":1}');
      req.setTimeout(5000);
      HttpResponse res = new Http().send(req);
      System.debug(res.getStatusCode() + ' ' + res.getHeader('x-echo') + ' ' + res.getBody());
      System.debug(Limits.getCallouts());
    `,
      { remoteSites: [{ url: base }] },
    );
    expect(out).toEqual(['201 yes {"method":"POST","body":"{\\"a\\":1}"}', '1']);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/echo', body: '{"a":1}' });
  });

  it('refuses a callout after uncommitted DML', async () => {
    const r = await run(
      `insert new Account(Name = 'x'); HttpRequest req = new HttpRequest(); req.setEndpoint('${base}/x'); req.setMethod('GET'); new Http().send(req);`,
    );
    expect(r.exceptionMessage).toBe(
      'System.CalloutException: You have uncommitted work pending. Please commit or rollback before calling out',
    );
  });

  it('reports a timed-out callout as CalloutException', async () => {
    const host = createMemoryOrg({
      callout: async (req) => {
        const res = await fetch(req.endpoint, { signal: AbortSignal.timeout(req.timeoutMs) }).catch(() => {
          throw new Error('Read timed out');
        });
        return { statusCode: res.status, status: res.statusText, headers: {}, body: Buffer.from(await res.text()) };
      },
    }).host;
    const r = await run(
      `HttpRequest req = new HttpRequest(); req.setEndpoint('${base}/slow'); req.setMethod('GET'); req.setTimeout(50);
      try { new Http().send(req); } catch (CalloutException e) { System.debug(e.getMessage()); }`,
      { host },
    );
    expect(r.debug).toEqual(['Read timed out']);
  });

  it('exchanges a JWT at a token endpoint with Auth.JWTBearerTokenExchange (real POST)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const out = await debugOf(
      `
      Auth.JWT jwt = new Auth.JWT(); jwt.setIss('ck'); jwt.setSub('u@b'); jwt.setAud('${base}');
      Auth.JWTBearerTokenExchange x = new Auth.JWTBearerTokenExchange('${base}/token', new Auth.JWS(jwt, 'Cert'));
      System.debug(x.getAccessToken());
      System.debug(((Map<String, Object>) JSON.deserializeUntyped(x.getHttpResponse().getBody())).get('instance_url'));
    `,
      { certificates: { Cert: pem }, remoteSites: [{ url: base }] },
    );
    expect(out).toEqual(['TOKEN123', 'http://b.local']);
    const form = new URLSearchParams(seen.at(-1)!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(form.get('assertion')!.split('.')).toHaveLength(3);
  });
});

const REST_CLASS = {
  name: 'Things',
  body: `@RestResource(urlMapping='/things/*')
global with sharing class Things {
  global class Thing { public String name; public Integer size; public String note; }
  @HttpGet
  global static List<Thing> listThings() {
    RestRequest req = RestContext.request;
    Thing t = new Thing(); t.name = req.requestURI.substringAfterLast('/'); t.size = Integer.valueOf(req.params.get('size') ?? '1');
    return new List<Thing>{ t };
  }
  @HttpPost
  global static void create() {
    Map<String, Object> body = (Map<String, Object>) JSON.deserializeUntyped(RestContext.request.requestBody.toString());
    if (body.get('name') == null) {
      RestContext.response.statusCode = 400;
      RestContext.response.responseBody = Blob.valueOf('[{"errorCode":"BAD","message":"name required"}]');
      return;
    }
    RestContext.response.statusCode = 201;
    RestContext.response.addHeader('Location', '/things/' + body.get('name'));
  }
  @HttpDelete
  global static void remove() { Integer x = 1 / 0; }
}`,
};

describe('Apex REST dispatch', () => {
  it('matches url mappings exactly first, then the longest wildcard, case-sensitively', () => {
    const a = { name: 'A' } as ClassDef;
    const b = { name: 'B' } as ClassDef;
    const c = { name: 'C' } as ClassDef;
    const maps = [
      { pattern: '/x/*', cls: a },
      { pattern: '/x/y/*', cls: b },
      { pattern: '/x/y/z', cls: c },
    ];
    expect(matchUrlMapping(maps, '/x/y/z')?.name).toBe('C');
    expect(matchUrlMapping(maps, '/x/y/q')?.name).toBe('B');
    expect(matchUrlMapping(maps, '/x/q')?.name).toBe('A');
    expect(matchUrlMapping(maps, '/X/q')).toBeUndefined();
  });

  it('runs @HttpGet/@HttpPost methods with RestContext and serializes the result without nulls', async () => {
    const host = createMemoryOrg({ classes: [REST_CLASS] }).host;
    const get = await runApexRest(host, { method: 'GET', requestUri: '/things/box', params: { size: '3' }, headers: {}, body: '' });
    expect(get.statusCode).toBe(200);
    expect(JSON.parse(get.body)).toEqual([{ name: 'box', size: 3 }]);
    expect(get.headers['Content-Type']).toMatch(/application\/json/);
    const bad = await runApexRest(host, { method: 'POST', requestUri: '/things', params: {}, headers: {}, body: '{}' });
    expect(bad).toMatchObject({ statusCode: 400, body: '[{"errorCode":"BAD","message":"name required"}]' });
    const ok = await runApexRest(host, { method: 'POST', requestUri: '/things', params: {}, headers: {}, body: '{"name":"n"}' });
    expect(ok).toMatchObject({ statusCode: 201, headers: { Location: '/things/n' } });
  });

  it('answers 404 for unknown URLs, 405 for other verbs and 500 APEX_ERROR for uncaught exceptions', async () => {
    const host = createMemoryOrg({ classes: [REST_CLASS] }).host;
    const nf = await runApexRest(host, { method: 'GET', requestUri: '/nothing', params: {}, headers: {}, body: '' });
    expect(nf.statusCode).toBe(404);
    expect(JSON.parse(nf.body)).toEqual([{ errorCode: 'NOT_FOUND', message: 'Could not find a match for URL' }]);
    const put = await runApexRest(host, { method: 'PUT', requestUri: '/things/a', params: {}, headers: {}, body: '' });
    expect(put.statusCode).toBe(405);
    const err = await runApexRest(host, { method: 'DELETE', requestUri: '/things/a', params: {}, headers: {}, body: '' });
    expect(err.statusCode).toBe(500);
    expect(JSON.parse(err.body)).toEqual([
      { errorCode: 'APEX_ERROR', message: 'System.MathException: Divide by 0\n\nClass.Things.remove: line 22, column 33' },
    ]);
  });
});

describe('Apex tests on the local runtime', () => {
  const classes = [
    {
      name: 'Greeter',
      body: `public with sharing class Greeter {
  public static String greet(String who) {
    if (String.isBlank(who)) {
      return 'Hello, nobody';
    }
    Account a = [SELECT Name FROM Account WHERE Name = :who LIMIT 1];
    return 'Hello, ' + a.Name;
  }
  public static String fetch(String url) {
    HttpRequest req = new HttpRequest(); req.setEndpoint(url); req.setMethod('GET');
    return new Http().send(req).getBody();
  }
}`,
    },
    {
      name: 'GreeterTest',
      body: `@IsTest
private class GreeterTest {
  @TestSetup static void setup() { insert new Account(Name = 'Ada'); }
  private class Mock implements HttpCalloutMock {
    public HttpResponse respond(HttpRequest req) {
      Assert.areEqual('GET', req.getMethod(), 'method');
      HttpResponse r = new HttpResponse(); r.setStatusCode(200); r.setBody('mocked ' + req.getEndpoint()); return r;
    }
  }
  @IsTest static void greetsPositive() {
    Test.startTest();
    System.assertEquals('Hello, Ada', Greeter.greet('Ada'));
    Test.stopTest();
    Assert.isTrue(Test.isRunningTest());
  }
  @IsTest static void dataIsRolledBackPositive() {
    insert new Account(Name = 'Temp');
    Assert.areEqual(2, [SELECT COUNT() FROM Account]);
  }
  @IsTest static void seesOnlySetupDataPositive() {
    Assert.areEqual(1, [SELECT COUNT() FROM Account], 'setup data only');
  }
  @IsTest static void calloutMockPositive() {
    Test.setMock(HttpCalloutMock.class, new Mock());
    Assert.areEqual('mocked https://x.test/a', Greeter.fetch('https://x.test/a'));
  }
  @IsTest static void calloutWithoutMockNegative() {
    Greeter.fetch('https://x.test/a');
  }
  @IsTest static void failingNegative() {
    Assert.areEqual('x', Greeter.greet(''), 'blank names');
  }
}`,
    },
  ];

  it('runs @IsTest methods with @TestSetup, mocks and per-method rollback, and measures coverage', async () => {
    const org = createMemoryOrg({ classes });
    org.seed('Account', [{ Name: 'Org data the tests must not see' }]);
    const r = await runTests(org.host);
    const byName = Object.fromEntries(r.tests.map((t) => [t.methodName, t]));
    expect(byName.greetsPositive.outcome).toBe('Pass');
    expect(byName.dataIsRolledBackPositive.outcome).toBe('Pass');
    expect(byName.seesOnlySetupDataPositive.outcome).toBe('Pass');
    expect(byName.calloutMockPositive.outcome).toBe('Pass');
    expect(byName.calloutWithoutMockNegative).toMatchObject({
      outcome: 'Fail',
      message: 'System.CalloutException: Methods defined as TestMethod do not support Web service callouts',
    });
    expect(byName.failingNegative).toMatchObject({
      outcome: 'Fail',
      message: 'System.AssertException: Assertion Failed: Expected: x, Actual: Hello, nobody: blank names',
      stackTrace: 'Class.GreeterTest.failingNegative: line 31, column 5',
    });
    expect(r).toMatchObject({ testsRan: 6, passing: 4, failing: 2, outcome: 'Failed' });
    expect(r.coverage).toEqual([{ className: 'Greeter', coveredLines: [3, 4, 6, 7, 10, 11], uncoveredLines: [], percent: 100 }]);
    expect(rowsOf(org, 'Account').map((a) => a.Name)).toEqual(['Org data the tests must not see']);
  });

  it('filters by class and method name', async () => {
    const r = await runTests(createMemoryOrg({ classes }).host, { methodNames: ['GreeterTest.greetsPositive'] });
    expect(r.tests.map((t) => t.methodName)).toEqual(['greetsPositive']);
  });
});
