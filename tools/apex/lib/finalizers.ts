/**
 * Transaction finalizers (Apex Developer Guide, "Transaction Finalizers",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_transaction_finalizers.htm):
 * `System.attachFinalizer(Finalizer)` inside a Queueable's `execute` makes the finalizer's
 * `execute(System.FinalizerContext)` run once the job ends, in a transaction of its own, with the job's
 * result (`ParentJobResult.SUCCESS` or `UNHANDLED_EXCEPTION`) and exception. Error texts are those of
 * "Transaction Finalizers Error Messages". Not done here: the failed job's DML is not rolled back
 * before the finalizer runs; the exception of a failed job still reaches Test.stopTest.
 */
import './async.ts'; // System.enqueueJob, which this file wraps
import { defineEnum, NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexObject } from '../run/values.ts';
import type { Site } from '../model/classModel.ts';
import { callVirtual } from '../run/calls.ts';
import { throwEx, unsupported } from '../run/exceptions.ts';
import { runtimeTypeName } from '../run/types.ts';
import type { Frame } from '../run/frame.ts';
import type { AsyncJob, Transaction } from '../run/transaction.ts';
import { ApexThrow } from '../errors.ts';

const RESULTS = defineEnum('System.ParentJobResult', ['SUCCESS', 'UNHANDLED_EXCEPTION'], 'ParentJobResult');

/** `implements Finalizer` (or System.Finalizer), directly, by a superclass or by an interface it extends. */
function isFinalizer(v: unknown): boolean {
  if (!(v instanceof ApexObject)) return false;
  const seen = new Set<unknown>();
  const walk = (c: ApexObject['cls'] | undefined): boolean => {
    if (!c || seen.has(c)) return false;
    seen.add(c);
    if (c.interfaceRefs.some((r) => /^(system\.)?finalizer$/i.test(r.name))) return true;
    return walk(c.superClass) || c.interfaces.some(walk);
  };
  return walk(v.cls);
}
defineNative({ name: 'System.Finalizer', instanceOf: isFinalizer }, 'Finalizer');

/** The Queueable job running now in a transaction, and the finalizer it attached. */
const running = new WeakMap<Transaction, { finalizer: ApexObject | null }>();

defineNative(
  {
    name: 'System.FinalizerContext',
    methods: {
      'Id getAsyncApexJobId()': (f, c: NObj) => c.get('jobId'),
      'String getRequestId()': (f, c: NObj) => c.get('requestId'),
      'System.ParentJobResult getResult()': (f, c: NObj) => c.get('result'),
      'Exception getException()': (f, c: NObj) => c.get('exception'),
    },
  },
  'FinalizerContext',
);

const system = natives.get('system')!.statics!;
system['attachfinalizer'] = (f: Frame, [finalizer]: unknown[], _site: Site) => {
  const slot = running.get(f.tx);
  if (!slot || f.tx.quiddity !== 'QUEUEABLE')
    throwEx(f, 'AsyncException', 'System.attachFinalizer(Finalizer) is not allowed in this context');
  if (finalizer === null || finalizer === undefined) throwEx(f, 'AsyncException', 'Argument cannot be null');
  if (!isFinalizer(finalizer)) throwEx(f, 'AsyncException', `Class ${runtimeTypeName(finalizer)} must implement the Finalizer interface`);
  if (slot!.finalizer) throwEx(f, 'AsyncException', 'More than one Finalizer cannot be attached to same Async Apex Job');
  slot!.finalizer = finalizer as ApexObject;
  return null;
};

/** Runs a Queueable job, then the finalizer it attached (if any) in a transaction of its own. */
async function runWithFinalizer(jf: Frame, job: AsyncJob, run: AsyncJob['run'], site: Site): Promise<unknown> {
  const tx = jf.tx;
  const slot = { finalizer: null as ApexObject | null };
  const outer = running.get(tx);
  running.set(tx, slot);
  let failure: ApexThrow | undefined;
  try {
    await run(jf);
  } catch (e) {
    if (!(e instanceof ApexThrow) || !slot.finalizer) throw e;
    failure = e;
  } finally {
    if (outer) running.set(tx, outer);
    else running.delete(tx);
  }
  if (!slot.finalizer) return null;
  const ctx = new NObj('System.FinalizerContext');
  ctx.set('jobId', job.id);
  ctx.set('requestId', tx.requestId);
  ctx.set('result', RESULTS.get(failure ? 'unhandled_exception' : 'success'));
  ctx.set('exception', failure ? failure.ex : null);
  const restore = tx.freshLimits('TRANSACTION_FINALIZER_QUEUEABLE');
  const outerDepth = finalizerDepth.get(tx);
  finalizerDepth.set(tx, jobDepth.get(job) ?? 0);
  try {
    await callVirtual(jf, slot.finalizer, 'execute', [ctx], site);
  } finally {
    restore();
    if (outerDepth === undefined) finalizerDepth.delete(tx);
    else finalizerDepth.set(tx, outerDepth);
  }
  if (failure) throw failure;
  return null;
}

/**
 * `Limits.getQueueableJobs()`: the jobs this transaction enqueued. In a test the queued jobs run at
 * `Test.stopTest()` inside the test's transaction, so a running job still sees its own enqueue counted
 * (apex-rollup's finalizer path depends on it). `getLimitQueueableJobs()`: 50, or 1 in asynchronous code
 * (Apex Developer Guide, "Execution Governors and Limits") and in a finalizer, where the asynchronous
 * limit applies ("Transaction Finalizers").
 */
const enqueued = new WeakMap<Transaction, number>();
const limits = natives.get('limits')!.statics!;
limits['getqueueablejobs'] = (f: Frame) => enqueued.get(f.tx) ?? 0;
limits['getlimitqueueablejobs'] = (f: Frame) => (/^(QUEUEABLE|FUTURE|BATCH|TRANSACTION_FINALIZER)/.test(f.tx.quiddity) ? 1 : 50);

/**
 * A finalizer that enqueues its job again makes a chain: in a test the chained job runs at Test.stopTest
 * like the first. The chain-depth limit of chained Queueables does not carry through a finalizer (its
 * enqueue starts a new stack; tools/local-platform/FIDELITY.md); past 100 generations in one test the
 * local runtime stops, so a finalizer that always re-enqueues ends instead of running forever.
 */
const finalizerDepth = new WeakMap<Transaction, number>();
const jobDepth = new WeakMap<AsyncJob, number>();

const enqueue = system['enqueuejob'];
system['enqueuejob'] = (f: Frame, args: unknown[], site: Site) => {
  const fromFinalizer = f.tx.quiddity === 'TRANSACTION_FINALIZER_QUEUEABLE';
  const depth = fromFinalizer ? (finalizerDepth.get(f.tx) ?? 0) + 1 : 0;
  if (fromFinalizer && f.tx.isTest && depth > 100) unsupported(f, 'a chain of more than 100 finalizer-enqueued jobs in one test', site);
  const id = enqueue(f, args, site);
  enqueued.set(f.tx, (enqueued.get(f.tx) ?? 0) + 1);
  const job = f.tx.asyncJobs.find((j) => j.id === id);
  if (job) {
    const run = job.run;
    jobDepth.set(job, depth);
    job.run = (jf) => runWithFinalizer(jf, job, run, site);
  }
  return id;
};
