/**
 * Overloads whose parameters are system interfaces, called with a class of the org that implements one
 * (NebulaLogger's `Logger.setAsyncContext(Database.BatchableContext | System.QueueableContext | …)` with
 * mock contexts): the runtime chose no overload ("Method does not exist or incorrect signature").
 */
import { describe, expect, it } from 'vitest';
import { executeAnonymous } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

const classes = [
  {
    name: 'BatchCtx',
    body: 'public virtual class BatchCtx implements Database.BatchableContext { public Id getJobId() { return null; } public Id getChildJobId() { return null; } }',
  },
  { name: 'SubBatchCtx', body: 'public class SubBatchCtx extends BatchCtx {}' },
  { name: 'QueueCtx', body: 'public class QueueCtx implements QueueableContext { public Id getJobId() { return null; } }' },
  {
    name: 'Dispatch',
    body:
      'public class Dispatch {' +
      " public static String of(Database.BatchableContext c) { return 'batch'; }" +
      " public static String of(System.QueueableContext c) { return 'queue'; }" +
      " public static String of(System.SchedulableContext c) { return 'schedule'; } }",
  },
];

describe('overloads on system interfaces', () => {
  it('picks the overload of the interface the argument implements, through a superclass too', async () => {
    const { host } = createMemoryOrg({ classes });
    const r = await executeAnonymous(
      host,
      "Assert.areEqual('batch', Dispatch.of(new BatchCtx()));\n" +
        "Assert.areEqual('batch', Dispatch.of(new SubBatchCtx()));\n" +
        "Assert.areEqual('queue', Dispatch.of(new QueueCtx()));\n" +
        'Database.BatchableContext c = new BatchCtx();\n' +
        "Assert.areEqual('batch', Dispatch.of(c));\n" +
        'Assert.isTrue(new QueueCtx() instanceof System.QueueableContext);\n' +
        'Object o = new QueueCtx();\n' +
        'Assert.isFalse(o instanceof Database.BatchableContext);',
    );
    expect(r.exceptionMessage ?? r.compileProblem ?? null).toBeNull();
    expect(r.success).toBe(true);
  });
});
