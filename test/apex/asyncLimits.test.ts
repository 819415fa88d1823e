/**
 * Governor limits of asynchronous Apex: a Queueable, an @future method and each chunk of a batch run with
 * the asynchronous limits (60,000 ms CPU, 200 SOQL queries, 12 MB heap) and a CPU clock of their own, as
 * does the code between Test.startTest and Test.stopTest (Apex Developer Guide, "Execution Governors and
 * Limits"). apex-rollup's RollupLimits compared `cpu + 13000` with the limit a queueable reported (10,000)
 * and deferred every rollup. A QueryLocator's chunks are lists of the queried object (`scope.getSObjectType()`),
 * which apex-rollup's batch compares with the parent object; a batch job has a BatchApexWorker AsyncApexJob row.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

async function outcomes(classes: Record<string, string>) {
  const host = createMemoryOrg({ classes: Object.entries(classes).map(([name, body]) => ({ name, body })) }).host;
  const r = await runTests(host);
  return Object.fromEntries(r.tests.map((t) => [t.methodName, t.outcome === 'Pass' ? 'Pass' : `${t.message}\n${t.stackTrace}`]));
}

const CLASSES = {
  LimitProbe: `public class LimitProbe implements Queueable {
    public static Map<String, Integer> seen = new Map<String, Integer>();
    public static void burn(Integer ms) {
      Integer n = 0;
      while (Limits.getCpuTime() < ms) { n++; }
    }
    public static void record(String prefix) {
      seen.put(prefix + 'cpuLimit', Limits.getLimitCpuTime());
      seen.put(prefix + 'queryLimit', Limits.getLimitQueries());
      seen.put(prefix + 'heapLimit', Limits.getLimitHeapSize());
      seen.put(prefix + 'cpu', Limits.getCpuTime());
      seen.put(prefix + 'queries', Limits.getQueries());
    }
    public void execute(QueueableContext ctx) { record('queueable.'); }
    @future public static void later() { record('future.'); }
  }`,
  ChunkProbe: `public class ChunkProbe implements Database.Batchable<SObject>, Database.Stateful {
    public List<String> chunks = new List<String>();
    public Database.QueryLocator start(Database.BatchableContext bc) {
      return Database.getQueryLocator('SELECT Id FROM Account');
    }
    public void execute(Database.BatchableContext bc, List<SObject> scope) {
      Integer before = Limits.getQueries();
      List<Account> again = [SELECT Id FROM Account];
      chunks.add(before + '/' + Limits.getQueries() + '/' + Limits.getLimitQueries() + '/' + scope.getSObjectType());
    }
    public void finish(Database.BatchableContext bc) {
      LimitProbe.seen.put('finish.queries', Limits.getQueries());
      LimitProbe.seen.put('chunks', chunks.size());
      LimitProbe.seen.put('chunk.first', chunks[0] == '0/1/200/Account' ? 1 : 0);
      LimitProbe.seen.put('chunk.last', chunks[chunks.size() - 1] == '0/1/200/Account' ? 1 : 0);
    }
  }`,
  LimitsTest: `@IsTest private class LimitsTest {
    @IsTest static void synchronousLimits() {
      Assert.areEqual(10000, Limits.getLimitCpuTime());
      Assert.areEqual(100, Limits.getLimitQueries());
      Assert.areEqual(6000000, Limits.getLimitHeapSize());
    }
    @IsTest static void queueableRunsWithAsyncLimitsAndItsOwnClock() {
      LimitProbe.burn(300);
      Test.startTest();
      System.enqueueJob(new LimitProbe());
      Test.stopTest();
      Assert.areEqual(60000, LimitProbe.seen.get('queueable.cpuLimit'));
      Assert.areEqual(200, LimitProbe.seen.get('queueable.queryLimit'));
      Assert.areEqual(12000000, LimitProbe.seen.get('queueable.heapLimit'));
      Assert.isTrue(LimitProbe.seen.get('queueable.cpu') < 300, 'the job has its own CPU clock: ' + LimitProbe.seen.get('queueable.cpu'));
      Assert.areEqual(10000, Limits.getLimitCpuTime(), 'back to the test transaction');
      Assert.isTrue(Limits.getCpuTime() >= 300, 'the test transaction keeps its CPU time');
    }
    @IsTest static void futureRunsWithAsyncLimits() {
      Test.startTest();
      LimitProbe.later();
      Test.stopTest();
      Assert.areEqual(60000, LimitProbe.seen.get('future.cpuLimit'));
      Assert.areEqual(200, LimitProbe.seen.get('future.queryLimit'));
    }
    @IsTest static void eachBatchChunkHasFreshLimits() {
      List<Account> accounts = new List<Account>();
      for (Integer i = 0; i < 5; i++) accounts.add(new Account(Name = 'A' + i));
      insert accounts;
      Test.startTest();
      Id batchId = Database.executeBatch(new ChunkProbe(), 2);
      Test.stopTest();
      AsyncApexJob worker = [SELECT Status, ParentJobId FROM AsyncApexJob WHERE JobType = 'BatchApexWorker'];
      Assert.areEqual('Completed', worker.Status);
      Assert.areEqual(batchId, worker.ParentJobId);
      Assert.areEqual(3, LimitProbe.seen.get('chunks'));
      Assert.areEqual(1, LimitProbe.seen.get('chunk.first'));
      Assert.areEqual(1, LimitProbe.seen.get('chunk.last'));
      Assert.areEqual(0, LimitProbe.seen.get('finish.queries'));
    }
    @IsTest static void startTestRestartsTheCpuClock() {
      LimitProbe.burn(300);
      Test.startTest();
      Integer inside = Limits.getCpuTime();
      Test.stopTest();
      Assert.isTrue(inside < 300, 'fresh limits after Test.startTest: ' + inside);
      Assert.isTrue(Limits.getCpuTime() >= 300, 'the time before startTest counts again after stopTest');
    }
  }`,
};

describe('asynchronous governor limits', () => {
  it('gives queueables, futures and batch chunks the async limits and a fresh CPU clock', async () => {
    const r = await outcomes(CLASSES);
    expect(r).toEqual({
      synchronousLimits: 'Pass',
      queueableRunsWithAsyncLimitsAndItsOwnClock: 'Pass',
      futureRunsWithAsyncLimits: 'Pass',
      eachBatchChunkHasFreshLimits: 'Pass',
      startTestRestartsTheCpuClock: 'Pass',
    });
  });
});
