/**
 * `System.enqueueJob(queueable, AsyncOptions)` and `System.enqueueJob(queueable, delay)`: a job's duplicate
 * signature, the maximum stack depth of its chain and its minimum delay (Apex Reference, "AsyncOptions Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_AsyncOptions.htm;
 * "QueueableDuplicateSignature.Builder Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_QueueableDuplicateSignature_Builder.htm;
 * "AsyncInfo Class", https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_AsyncInfo.htm;
 * Apex Developer Guide, "Detecting Duplicate Queueable Jobs",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_dedupe_queueable.htm).
 * A second job whose signature matches a job still queued is refused with DuplicateMessageException. Locally
 * "still queued" means queued by this transaction and not yet run (in a test: before Test.stopTest()).
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { notImplemented } from './primitives.ts';
import { stringValueOf } from '../run/values.ts';
import { throwEx } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { AsyncJob, Transaction } from '../run/transaction.ts';

/** What a queued Queueable carries from its options into its run (and its chain). */
export interface QueueableOptions {
  signature?: string;
  /** MaximumQueueableStackDepth, inherited by the jobs the job chains. */
  maxDepth?: number;
  minDelay?: number;
  /** This job's place in its chain: 1 for a job enqueued by code that is not a Queueable. */
  depth: number;
}

const jobOptions = new WeakMap<AsyncJob, QueueableOptions>();
/** The options of the Queueable running now in a transaction. */
const runningOptions = new WeakMap<Transaction, QueueableOptions>();

const newBuilder = () => {
  const b = new NObj('System.QueueableDuplicateSignature.Builder');
  b.set('parts', [] as string[]);
  return b;
};
const add = (f: Frame, b: NObj, v: unknown) => {
  b.get<string[]>('parts').push(v === null ? 'null' : stringValueOf(v));
  return b;
};

defineNative(
  {
    name: 'System.QueueableDuplicateSignature',
    // the guide's own example calls it without `new` ("Detecting Duplicate Queueable Jobs")
    statics: { 'System.QueueableDuplicateSignature.Builder Builder()': () => newBuilder() },
    methods: { 'String toString()': (f, s: NObj) => s.get('signature') },
  },
  'QueueableDuplicateSignature',
);
defineNative(
  {
    name: 'System.QueueableDuplicateSignature.Builder',
    construct: () => newBuilder(),
    methods: {
      'System.QueueableDuplicateSignature.Builder addId(Id)': (f, b: NObj, [v]) => add(f, b, v),
      'System.QueueableDuplicateSignature.Builder addInteger(Integer)': (f, b: NObj, [v]) => add(f, b, v),
      'System.QueueableDuplicateSignature.Builder addString(String)': (f, b: NObj, [v]) => add(f, b, v),
      'System.QueueableDuplicateSignature build()': (f, b: NObj) => {
        const s = new NObj('System.QueueableDuplicateSignature');
        // unverified: Salesforce's text of a signature (toString); only equality matters to the queue
        s.set('signature', b.get<string[]>('parts').join('|'));
        return s;
      },
      'Integer getMaxSize()': notImplemented('QueueableDuplicateSignature.Builder.getMaxSize'),
      'Integer getRemainingSize()': notImplemented('QueueableDuplicateSignature.Builder.getRemainingSize'),
      'Integer getSize()': notImplemented('QueueableDuplicateSignature.Builder.getSize'),
    },
  },
  'QueueableDuplicateSignature.Builder',
);

defineNative(
  {
    name: 'System.AsyncOptions',
    construct: () => {
      const o = new NObj('System.AsyncOptions');
      for (const k of ['DuplicateSignature', 'MaximumQueueableStackDepth', 'MinimumQueueableDelayInMinutes']) o.set(k, null);
      return o;
    },
    fields: ['duplicatesignature', 'maximumqueueablestackdepth', 'minimumqueueabledelayinminutes'],
  },
  'AsyncOptions',
);

const current = (f: Frame): QueueableOptions | undefined => (f.tx.quiddity === 'QUEUEABLE' ? runningOptions.get(f.tx) : undefined);

defineNative(
  {
    name: 'System.AsyncInfo',
    statics: {
      'Integer getCurrentQueueableStackDepth()': (f) => current(f)?.depth ?? 0,
      'Integer getMaximumQueueableStackDepth()': (f) => current(f)?.maxDepth ?? null,
      'Integer getMinimumQueueableDelayInMinutes()': (f) => current(f)?.minDelay ?? null,
      'Boolean hasMaxStackDepth()': (f) => current(f)?.maxDepth !== undefined,
    },
  },
  'AsyncInfo',
);

/**
 * The options of a Queueable about to be queued from the second argument of System.enqueueJob (an
 * AsyncOptions, an Integer delay, or nothing): refuses a duplicate signature and a chain past its maximum
 * depth. The default maximum is Developer Edition's and scratch orgs' 5 (Apex Developer Guide, "Queueable
 * Apex": the option "overrides the default limit of 5 in Developer Edition and Trial orgs").
 */
export function queueableOptions(f: Frame, second: unknown): QueueableOptions {
  const parent = current(f);
  const out: QueueableOptions = { depth: (parent?.depth ?? 0) + 1, maxDepth: parent?.maxDepth };
  if (second instanceof NObj && second.typeName === 'System.AsyncOptions') {
    const sig = second.get('DuplicateSignature');
    if (sig instanceof NObj) out.signature = sig.get<string>('signature');
    const max = second.get('MaximumQueueableStackDepth');
    if (typeof max === 'number') out.maxDepth = max;
    const delay = second.get('MinimumQueueableDelayInMinutes');
    if (typeof delay === 'number') out.minDelay = delay;
  } else if (typeof second === 'number') out.minDelay = second;
  if (parent && out.depth > (out.maxDepth ?? Infinity)) throwEx(f, 'AsyncException', 'Maximum stack depth has been reached.');
  if (out.signature !== undefined && f.tx.asyncJobs.some((j) => jobOptions.get(j)?.signature === out.signature))
    throwEx(f, 'DuplicateMessageException', 'Attempt to enqueue job with duplicate queueable signature');
  return out;
}

/** Attaches the options to the queued job: while it runs, AsyncInfo reads them and its chain inherits them. */
export function attachOptions(job: AsyncJob, options: QueueableOptions): void {
  jobOptions.set(job, options);
  const run = job.run;
  job.run = async (jf) => {
    const outer = runningOptions.get(jf.tx);
    runningOptions.set(jf.tx, options);
    try {
      return await run(jf);
    } finally {
      if (outer) runningOptions.set(jf.tx, outer);
      else runningOptions.delete(jf.tx);
    }
  };
}
