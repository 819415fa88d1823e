/**
 * Async Apex (Queueable, @future, Batch) run at Test.stopTest() and after commit, Test.createStub
 * with a System.StubProvider, and user-written Iterables in for-each loops, on the local runtime.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { rowsOf, run } from './helpers.ts';

async function outcomes(classes: Record<string, string>) {
  const host = createMemoryOrg({ classes: Object.entries(classes).map(([name, body]) => ({ name, body })) }).host;
  const r = await runTests(host);
  return Object.fromEntries(r.tests.map((t) => [t.methodName, t.outcome === 'Pass' ? 'Pass' : `${t.message}\n${t.stackTrace}`]));
}

const JOBS = {
  Renamer: `public class Renamer implements Queueable {
    public Id accountId;
    public Renamer(Id accountId) { this.accountId = accountId; }
    public void execute(QueueableContext ctx) {
      Assert.isTrue(System.isQueueable());
      Assert.areEqual(Quiddity.QUEUEABLE, Request.getCurrent().getQuiddity());
      Assert.isNotNull(ctx.getJobId());
      update new Account(Id = accountId, Name = 'Renamed');
    }
  }`,
  Chainer: `public class Chainer implements Queueable {
    public void execute(QueueableContext ctx) { System.enqueueJob(new Chainer()); }
  }`,
  Later: `public class Later {
    public static Integer calls = 0;
    @future public static void mark(Id accountId, String text) {
      Assert.isTrue(System.isFuture());
      update new Account(Id = accountId, Description = text);
    }
  }`,
  Counter: `public class Counter implements Database.Batchable<SObject>, Database.Stateful {
    public Integer chunks = 0;
    public Integer rows = 0;
    public Database.QueryLocator start(Database.BatchableContext bc) {
      return Database.getQueryLocator('SELECT Id, Name FROM Account');
    }
    public void execute(Database.BatchableContext bc, List<SObject> scope) {
      chunks++;
      rows += scope.size();
      for (SObject a : scope) a.put('Description', 'seen');
      update scope;
    }
    public void finish(Database.BatchableContext bc) {
      insert new Account(Name = 'finished ' + chunks + ' ' + rows);
    }
  }`,
  AsyncTest: `@IsTest private class AsyncTest {
    @IsTest static void queueableRunsAtStopTest() {
      Account a = new Account(Name = 'Before');
      insert a;
      Test.startTest();
      Id jobId = System.enqueueJob(new Renamer(a.Id));
      Assert.areEqual('Before', [SELECT Name FROM Account WHERE Id = :a.Id].Name, 'not yet');
      Test.stopTest();
      Assert.areEqual('707', String.valueOf(jobId).left(3));
      Assert.areEqual('Renamed', [SELECT Name FROM Account WHERE Id = :a.Id].Name);
    }
    @IsTest static void testsCannotChainQueueables() {
      Test.startTest();
      System.enqueueJob(new Chainer());
      try {
        Test.stopTest();
        Assert.fail('expected AsyncException');
      } catch (AsyncException e) {
        Assert.areEqual('Maximum stack depth has been reached.', e.getMessage());
      }
    }
    @IsTest static void futureRunsAtStopTest() {
      Account a = new Account(Name = 'F');
      insert a;
      Test.startTest();
      Later.mark(a.Id, 'done later');
      Assert.isNull([SELECT Description FROM Account WHERE Id = :a.Id].Description);
      Test.stopTest();
      Assert.areEqual('done later', [SELECT Description FROM Account WHERE Id = :a.Id].Description);
    }
    @IsTest static void batchRunsEveryChunkThenFinish() {
      List<Account> rows = new List<Account>();
      for (Integer i = 0; i < 5; i++) rows.add(new Account(Name = 'B' + i));
      insert rows;
      Test.startTest();
      Database.executeBatch(new Counter(), 2);
      Test.stopTest();
      Assert.areEqual(5, [SELECT COUNT() FROM Account WHERE Description = 'seen']);
      Assert.areEqual(1, [SELECT COUNT() FROM Account WHERE Name = 'finished 3 5']);
    }
    @IsTest static void notQueueable() {
      Assert.isFalse(System.isQueueable());
      Assert.isFalse(System.isFuture());
      Assert.isFalse(System.isBatch());
    }
  }`,
};

describe('async Apex', () => {
  it('runs Queueable, @future and Batch jobs at Test.stopTest(), refusing chained queueables in tests', async () => {
    expect(await outcomes(JOBS)).toEqual({
      queueableRunsAtStopTest: 'Pass',
      testsCannotChainQueueables: 'Pass',
      futureRunsAtStopTest: 'Pass',
      batchRunsEveryChunkThenFinish: 'Pass',
      notQueueable: 'Pass',
    });
  });

  it('outside tests, runs a job in its own transaction after the enqueuing one commits, and never after a rollback', async () => {
    const org = createMemoryOrg({
      classes: [{ name: 'Renamer', body: JOBS.Renamer.replace(/Assert\.isTrue\(System\.isQueueable\(\)\);/, '') }],
    });
    const host = org.host;
    const ok = await run(`Account a = new Account(Name = 'Before'); insert a; System.enqueueJob(new Renamer(a.Id));`, { host });
    expect(ok.success).toBe(true);
    const failed = await run(
      `Account a = new Account(Name = 'Kept?'); insert a; System.enqueueJob(new Renamer(a.Id)); Integer x = 1 / 0;`,
      { host },
    );
    expect(failed.success).toBe(false);
    const names = rowsOf(org, 'Account').map((r) => r.Name);
    expect(names).toEqual(['Renamed']);
  });
});

describe('Test.createStub', () => {
  it('routes every instance call of a stubbed class or interface to the StubProvider with its signature', async () => {
    expect(
      await outcomes({
        Greeter: `public virtual class Greeter {
          public virtual String greet(String name, Integer times) { return 'real'; }
          public virtual void forget() {}
        }`,
        Shape: `public interface Shape { Decimal area(); }`,
        Recorder: `@IsTest public class Recorder implements System.StubProvider {
          public List<String> calls = new List<String>();
          public Object handleMethodCall(Object stubbed, String method, Type returnType, List<Type> paramTypes, List<String> paramNames, List<Object> args) {
            calls.add(method + ':' + returnType + ':' + paramTypes + ':' + paramNames + ':' + args);
            if (method == 'area') return 2.5;
            return returnType == String.class ? 'stubbed' : null;
          }
        }`,
        StubTest: `@IsTest private class StubTest {
          @IsTest static void stubsAClass() {
            Recorder rec = new Recorder();
            Greeter g = (Greeter) Test.createStub(Greeter.class, rec);
            Assert.isTrue(g instanceof Greeter);
            Assert.areEqual('stubbed', g.greet('Ann', 2));
            g.forget();
            Assert.areEqual(new List<String>{ 'greet:String:(String, Integer):(name, times):(Ann, 2)', 'forget:void:():():()' }, rec.calls);
          }
          @IsTest static void stubsAnInterface() {
            Shape s = (Shape) Test.createStub(Shape.class, new Recorder());
            Assert.areEqual(2.5, s.area());
          }
        }`,
      }),
    ).toEqual({ stubsAClass: 'Pass', stubsAnInterface: 'Pass' });
  });
});

describe('for-each over a user Iterable', () => {
  it('calls iterator(), hasNext() and next(), with break and return', async () => {
    const r = await run(`
      public class Countdown implements Iterable<Integer> {
        Integer from;
        public Countdown(Integer from) { this.from = from; }
        public Iterator<Integer> iterator() { return new Steps(from); }
      }
      public class Steps implements Iterator<Integer> {
        Integer n;
        public Steps(Integer n) { this.n = n; }
        public Boolean hasNext() { return n > 0; }
        public Integer next() { return n--; }
      }
      public class Wrapped implements Iterable<String> {
        public Iterator<String> iterator() { return new List<String>{ 'a', 'b' }.iterator(); }
      }
      List<Integer> seen = new List<Integer>();
      for (Integer i : new Countdown(4)) { if (i == 1) break; seen.add(i); }
      System.debug(seen);
      for (String s : new Wrapped()) System.debug(s);
    `);
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['(4, 3, 2)', 'a', 'b']);
  });
});
