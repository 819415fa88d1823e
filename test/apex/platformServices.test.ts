/**
 * Platform services community Apex leans on, run as Apex test classes on the local runtime:
 * Cache.Session and Cache.CacheBuilder, Request/Quiddity, Crypto.verifyHMAC.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg, type MemoryOrgOptions } from '../../tools/local-platform/apex/memoryOrg.ts';
import { run } from './helpers.ts';

async function apexTests(classes: Record<string, string>, opts: MemoryOrgOptions = {}) {
  const host = createMemoryOrg({ ...opts, classes: Object.entries(classes).map(([name, body]) => ({ name, body })) }).host;
  const r = await runTests(host);
  return Object.fromEntries(
    r.tests.map((t) => [`${t.className}.${t.methodName}`, t.outcome === 'Pass' ? 'Pass' : `${t.outcome}: ${t.message}`]),
  );
}

describe('Cache.Session', () => {
  const classes = {
    Loader: `public class Loader implements Cache.CacheBuilder {
      public static Integer loads = 0;
      public Object doLoad(String key) { loads++; return 'loaded ' + key; }
    }`,
    SessionCacheTest: `@IsTest private class SessionCacheTest {
      @IsTest static void putGetRemove() {
        Cache.SessionPartition p = Cache.Session.getPartition('local.Main');
        p.put('greeting', 'hi');
        Assert.isTrue(p.contains('greeting'));
        Assert.areEqual('hi', p.get('greeting'));
        Assert.areEqual('hi', Cache.Session.get('local.Main.greeting'));
        Assert.isTrue(p.remove('greeting'));
        Assert.isNull(p.get('greeting'));
        Assert.isTrue(Cache.Session.isAvailable());
      }
      @IsTest static void cacheBuilderLoadsOnceOnAMiss() {
        Cache.Partition p = Cache.Session.getPartition('local.Main');
        Assert.areEqual('loaded k1', p.get(Loader.class, 'k1'));
        Assert.areEqual('loaded k1', p.get(Loader.class, 'k1'));
        Assert.areEqual(1, Loader.loads);
      }
      @IsTest static void aPartitionWithoutSessionCapacityRefusesPuts() {
        try {
          Cache.Session.getPartition('local.OrgOnly').put('k', 1);
          Assert.fail('expected SessionCacheException');
        } catch (Cache.Session.SessionCacheException e) {
          Assert.isTrue(e.getMessage().contains('k'), e.getMessage());
        }
      }
      @IsTest static void listsKeysPerPartition() {
        Cache.SessionPartition p = Cache.Session.getPartition('local.Main');
        p.put('a', 1);
        p.put('b', 2);
        Assert.areEqual(new Set<String>{ 'a', 'b' }, p.getKeys());
      }
      @IsTest static void keysMustBeAlphanumeric() {
        try {
          Cache.Session.getPartition('local.Main').put('bad-key', 1);
          Assert.fail('expected IllegalArgumentException');
        } catch (IllegalArgumentException e) {
          Assert.areEqual('Key must be alphanumeric: bad-key', e.getMessage());
        }
      }
    }`,
  };

  it('stores, reads and removes per partition, loads through a CacheBuilder, and needs session capacity', async () => {
    expect(await apexTests(classes, { sessionPartitions: { Main: 2, OrgOnly: 0 } })).toEqual({
      'SessionCacheTest.putGetRemove': 'Pass',
      'SessionCacheTest.cacheBuilderLoadsOnceOnAMiss': 'Pass',
      'SessionCacheTest.aPartitionWithoutSessionCapacityRefusesPuts': 'Pass',
      'SessionCacheTest.listsKeysPerPartition': 'Pass',
      'SessionCacheTest.keysMustBeAlphanumeric': 'Pass',
    });
  });

  it('does not carry values from one transaction to the next', async () => {
    const host = createMemoryOrg({ sessionPartitions: { Main: 1 } }).host;
    const first = await run(`Cache.Session.getPartition('local.Main').put('k', 'v'); System.debug(Cache.Session.get('local.Main.k'));`, {
      host,
    });
    const second = await run(`System.debug(Cache.Session.get('local.Main.k'));`, { host });
    expect([first.debug, second.debug]).toEqual([['v'], ['null']]);
  });
});

describe('Cache.Org in tests', () => {
  it('starts each test method with an empty org cache and lists keys per partition', async () => {
    const host = createMemoryOrg({ cachePartitions: { Main: 1 } }).host;
    await host.cachePut('local.Main.left', 'from before', 3600);
    const results = await apexTests(
      {
        OrgCacheTest: `@IsTest private class OrgCacheTest {
          @IsTest static void a() { check(); }
          @IsTest static void b() { check(); }
          static void check() {
            Cache.OrgPartition p = Cache.Org.getPartition('local.Main');
            Assert.isFalse(p.contains('left'));
            Assert.isFalse(p.contains('mine'), 'not seen from the other test method');
            p.put('mine', 'x');
            Assert.areEqual(new Set<String>{ 'mine' }, p.getKeys());
          }
        }`,
      },
      { cachePartitions: { Main: 1 } },
    );
    expect(results).toEqual({ 'OrgCacheTest.a': 'Pass', 'OrgCacheTest.b': 'Pass' });
    const outside = await run(`System.debug(Cache.Org.getPartition('local.Main').getKeys());`, { host });
    expect(outside.debug).toEqual(['{left}']);
  });
});

describe('ConnectApi', () => {
  it("throws Salesforce's UnsupportedOperationException in data-siloed tests", async () => {
    const results = await apexTests({
      ConnectTest: `@IsTest private class ConnectTest {
        @IsTest static void siloed() {
          try {
            ConnectApi.ChatterUsers.getFollowings(null, UserInfo.getUserId());
            Assert.fail('expected UnsupportedOperationException');
          } catch (UnsupportedOperationException e) {
            Assert.areEqual('ConnectApi methods are not supported in data siloed tests. Please use @IsTest(SeeAllData=true).', e.getMessage());
          }
        }
      }`,
    });
    expect(results).toEqual({ 'ConnectTest.siloed': 'Pass' });
  });
});

describe('Request and Quiddity', () => {
  it('names the kind of request: RUNTEST_SYNC in tests, ANONYMOUS in anonymous Apex', async () => {
    const results = await apexTests({
      QuiddityTest: `@IsTest private class QuiddityTest {
        @IsTest static void runsAsSyncTest() {
          Request r = Request.getCurrent();
          Assert.areEqual(Quiddity.RUNTEST_SYNC, r.getQuiddity());
          Assert.areEqual(System.Quiddity.RUNTEST_SYNC, System.Request.getCurrent().getQuiddity());
          Assert.areNotEqual(Quiddity.QUEUEABLE, r.getQuiddity());
          Assert.isTrue(new Set<Quiddity>{ Quiddity.RUNTEST_SYNC, Quiddity.RUNTEST_ASYNC }.contains(r.getQuiddity()));
          Assert.areEqual(r.getRequestId(), Request.getCurrent().getRequestId());
          Assert.areEqual('FUTURE', Quiddity.FUTURE.name());
          Assert.areEqual(Quiddity.REST, Quiddity.valueOf('REST'));
        }
      }`,
    });
    expect(results).toEqual({ 'QuiddityTest.runsAsSyncTest': 'Pass' });
    const anon = await run(
      `System.debug(Request.getCurrent().getQuiddity()); System.debug(Request.getCurrent().getRequestId().length() > 0);`,
    );
    expect(anon.debug).toEqual(['ANONYMOUS', 'true']);
  });
});

describe('Crypto.verifyHMAC', () => {
  it('accepts the MAC generateMac made and refuses one of other data or key', async () => {
    const r = await run(`
      Blob key = Blob.valueOf('secret');
      Blob data = Blob.valueOf('payload');
      Blob mac = Crypto.generateMac('hmacSHA256', data, key);
      System.debug(Crypto.verifyHMAC('hmacSHA256', data, key, mac));
      System.debug(Crypto.verifyHMAC('hmacSHA256', Blob.valueOf('payloaX'), key, mac));
      System.debug(Crypto.verifyHMAC('hmacSHA256', data, Blob.valueOf('other'), mac));
      System.debug(Crypto.verifyHMAC('hmacSHA512', data, key, Crypto.generateMac('hmacSHA512', data, key)));
      System.debug(EncodingUtil.convertToHex(Crypto.generateDigest('SHA512', Blob.valueOf('abc'))).left(16));
      Crypto.verifyHMAC('hmacSHA999', data, key, mac);
    `);
    expect(r.debug).toEqual(['true', 'false', 'false', 'true', 'ddaf35a193617aba']);
    expect(r.exceptionMessage).toBe('System.InvalidParameterValueException: Invalid algorithm: hmacSHA999');
  });
});

describe('ApexClass and Organization rows', () => {
  it("lists the in-memory org's classes as ApexClass records and has its Organization row", async () => {
    const host = createMemoryOrg({ classes: [{ name: 'Foo', body: 'public class Foo {}' }] }).host;
    const r = await run(
      `ApexClass k = [SELECT Name, Body, Status FROM ApexClass WHERE Name = 'Foo']; System.debug(k.Body + ' ' + k.Status);
      Organization o = [SELECT Id, IsSandbox FROM Organization LIMIT 1]; System.debug((o.Id == UserInfo.getOrganizationId()) + ' ' + o.IsSandbox);`,
      { host },
    );
    // the in-memory org is a scratch org as the platform creates one: IsSandbox (docs/salesforce-rules.md, JWT audience)
    expect(r.debug).toEqual(['public class Foo {} Active', 'true true']);
  });
});

describe('Set and Map keys with their own equals/hashCode', () => {
  it('find equal keys through hashCode() then equals(), as Salesforce does', async () => {
    const r = await run(`
      public class Point {
        public Integer x; public Integer y;
        public Point(Integer x, Integer y) { this.x = x; this.y = y; }
        public Boolean equals(Object o) { return o instanceof Point && ((Point) o).x == x && ((Point) o).y == y; }
        public Integer hashCode() { return 31 * x + y; }
      }
      Map<Point, String> names = new Map<Point, String>();
      names.put(new Point(1, 2), 'a');
      names.put(new Point(1, 2), 'b');
      names.put(new Point(2, 1), 'c');
      System.debug(names.size() + ' ' + names.get(new Point(1, 2)) + ' ' + names.containsKey(new Point(2, 1)) + ' ' + names.containsKey(new Point(9, 9)));
      System.debug(names.keySet().contains(new Point(2, 1)));
      System.debug(names.remove(new Point(1, 2)) + ' ' + names.size());
      Set<Point> s = new Set<Point>();
      System.debug(s.add(new Point(3, 3)) + ' ' + s.add(new Point(3, 3)) + ' ' + s.size() + ' ' + s.contains(new Point(3, 3)));
      List<Point> pts = new List<Point>{ new Point(0, 0), new Point(4, 5) };
      System.debug(pts.contains(new Point(4, 5)) + ' ' + pts.indexOf(new Point(4, 5)) + ' ' + pts.indexOf(new Point(5, 4)));
      Assert.areEqual(new Point(7, 7), new Point(7, 7));
      System.assertNotEquals(new Point(7, 7), new Point(7, 8));
    `);
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['2 b true false', 'true', 'b 1', 'true false 1 true', 'true 1 -1']);
  });
});
