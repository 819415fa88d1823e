/**
 * One Apex transaction: governor limits, static variables, the call stack for stack traces, the
 * debug log and line coverage. Limits use Salesforce's values (synchronous, or asynchronous in a queued
 * job) and LimitException texts.
 */
import { randomUUID } from 'node:crypto';
import type { ApexHost } from '../host.ts';
import type { ClassDef } from '../model/classModel.ts';
import type { RunnableProgram } from '../model/program.ts';
import type { ApexObject } from './values.ts';
import type { TriggerContext } from './triggers.ts';

export const LIMITS = {
  queries: 100,
  dmlStatements: 150,
  callouts: 100,
  calloutMs: 120_000,
  cpuMs: 10_000,
  queryRows: 50_000,
  dmlRows: 10_000,
  heap: 6_000_000,
  emailInvocations: 10,
  publishImmediateDml: 150,
};

/**
 * The limits that differ in asynchronous Apex (Queueable, @future, Batch Apex, Scheduled Apex and
 * transaction finalizers): 200 SOQL queries, 12 MB heap, 60,000 ms CPU (Apex Developer Guide, "Execution
 * Governors and Limits":
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_gov_limits.htm).
 */
export const ASYNC_LIMITS: Partial<typeof LIMITS> = { queries: 200, heap: 12_000_000, cpuMs: 60_000 };

/** Whether a System.Quiddity name is an asynchronous execution, which runs with ASYNC_LIMITS. */
export function isAsyncQuiddity(quiddity: string): boolean {
  return /^(QUEUEABLE|FUTURE|BATCH_|SCHEDULED|TRANSACTION_FINALIZER)/.test(quiddity);
}

/**
 * Optional heap gauge, set by hosts that run each transaction on its own V8 isolate (the local
 * platform's Apex workers): `used()` is that isolate's live heap in bytes, `collect()` a full GC,
 * `collect('minor')` a young-generation one (milliseconds, where a full GC of a worker's heap takes
 * tens to hundreds). The runtime's objects are bigger than Salesforce's accounting of the same Apex
 * values, so growth is divided by `scale` before it is compared with the 6 MB limit (an
 * approximation, unverified).
 */
export const heapGauge: { used?: () => number; collect?: (kind?: 'minor') => void; scale: number } = { scale: 4 };

export interface StackEntry {
  cls: ClassDef;
  method: string;
  line: number;
  col: number;
}

/** Lines hit per class, shared across the transactions of a test run. */
export type Coverage = Map<ClassDef, Set<number>>;

export interface AsyncJob {
  id: string;
  /** System.Quiddity of the job's execution (QUEUEABLE, FUTURE, BATCH_APEX). */
  quiddity: string;
  run: (f: import('./frame.ts').Frame) => Promise<unknown>;
  /** Queued by asynchronous code in a test: it stays queued and does not run at Test.stopTest(). */
  held?: boolean;
}

export class Transaction {
  statics = new Map<ClassDef, Map<string, unknown>>();
  staticInitDone = new Set<ClassDef>();
  stack: StackEntry[] = [];
  debugLines: string[] = [];
  counts = { queries: 0, queryRows: 0, dml: 0, dmlRows: 0, callouts: 0, calloutMs: 0, emails: 0, publishImmediate: 0 };
  /** Time spent waiting for the host (SOQL, DML, callouts) is not CPU time. */
  hostMs = 0;
  startedAt = Date.now();
  ticks = 0;
  pendingDml = false;
  isTest = false;
  /** System.Quiddity name of this request (REST, ANONYMOUS, RUNTEST_SYNC, QUEUEABLE, …). */
  quiddity = 'SYNCHRONOUS';
  /**
   * Async Apex queued by this transaction (System.enqueueJob, @future, Database.executeBatch): run at
   * Test.stopTest() in tests, otherwise each in its own transaction once this one commits.
   */
  asyncJobs: AsyncJob[] = [];
  /** 0 for a request or test; n for a job queued by a chain of n transactions. */
  chainDepth = 0;
  /** Request.getCurrent().getRequestId(): one id per transaction. */
  readonly requestId = randomUUID().replace(/-/g, '').slice(0, 22);
  mock: ApexObject | null = null;
  authMock: ApexObject | null = null;
  testStarted = false;
  testStopped = false;
  /** Set by Test.startTest: puts back the limits the test used before it. */
  restoreTestLimits?: () => void;
  host: ApexHost;
  cacheLocal = new Map<string, unknown>();
  /** Open Database.setSavepoint levels (nested host transactions) to close when the transaction ends. */
  savepointDepth = 0;
  /** In tests: Ids of the rows the test (and its @TestSetup) inserted; only those are visible to SOQL. */
  testDataIds?: Set<string>;
  /** Trigger contexts, innermost last (the `Trigger` variables read the top one). */
  triggerStack: TriggerContext[] = [];
  /** Raised when the CPU limit is hit; the LimitException factory lives in run/exceptions.ts. */
  onCpuLimit?: () => never;
  /** Raised when the heap limit is hit ('Apex heap size too large'). */
  onHeapLimit?: () => never;
  private heapBase = heapGauge.used?.() ?? 0;

  constructor(
    host: ApexHost,
    readonly program: RunnableProgram,
    readonly coverage: Coverage,
  ) {
    this.host = host;
  }

  /** Called before each statement: coverage, current line, CPU limit. */
  tick(cls: ClassDef, line: number, col: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      top.line = line;
      top.col = col;
    }
    let set = this.coverage.get(cls);
    if (!set) this.coverage.set(cls, (set = new Set()));
    set.add(line);
    if ((++this.ticks & 255) !== 0) return;
    if (this.heapExceeded() && this.onHeapLimit) this.onHeapLimit();
    if ((this.ticks & 1023) === 0 && this.cpuMs() > this.limit('cpuMs') && this.onCpuLimit) this.onCpuLimit();
  }

  /** A governor limit of the running execution: asynchronous code has higher ones (ASYNC_LIMITS). */
  limit(name: keyof typeof LIMITS): number {
    return (isAsyncQuiddity(this.quiddity) ? ASYNC_LIMITS[name] : undefined) ?? LIMITS[name];
  }

  /**
   * Starts a fresh set of limits (counts and CPU clock), as each asynchronous job, each batch chunk and
   * the code between Test.startTest and Test.stopTest get; returns what puts the previous set back (its
   * CPU time goes on from where it stood).
   */
  freshLimits(quiddity = this.quiddity): () => void {
    const saved = { counts: this.counts, quiddity: this.quiddity, cpu: this.cpuMs() };
    this.counts = { queries: 0, queryRows: 0, dml: 0, dmlRows: 0, callouts: 0, calloutMs: 0, emails: 0, publishImmediate: 0 };
    this.quiddity = quiddity;
    this.startedAt = Date.now();
    this.hostMs = 0;
    return () => {
      this.counts = saved.counts;
      this.quiddity = saved.quiddity;
      this.startedAt = Date.now() - saved.cpu;
      this.hostMs = 0;
    };
  }

  /** Live heap grown past the limit since the transaction began (garbage collected before judging). */
  heapExceeded(): boolean {
    const used = heapGauge.used;
    if (!used) return false;
    const over = () => (used() - this.heapBase) / heapGauge.scale > this.limit('heap');
    if (!over()) return false;
    // Short-lived garbage first (cheap); a full GC only if the heap still looks over the limit.
    heapGauge.collect?.('minor');
    if (!over()) return false;
    heapGauge.collect?.();
    return over();
  }

  cpuMs(): number {
    return Date.now() - this.startedAt - this.hostMs;
  }

  /** Runs a host call outside the CPU clock. */
  async hostCall<T>(p: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await p();
    } finally {
      this.hostMs += Date.now() - t0;
    }
  }

  debug(line: number, level: string, message: string): void {
    const now = new Date();
    const ts = now.toISOString().slice(11, 23);
    const nanos = (Date.now() - this.startedAt) * 1_000_000;
    this.debugLines.push(`${ts} (${nanos})|USER_DEBUG|[${line}]|${level}|${message}`);
  }

  currentLine(): number {
    return this.stack[this.stack.length - 1]?.line ?? 0;
  }

  /** Salesforce stack trace text, innermost first. */
  stackTrace(): string {
    const out: string[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const e = this.stack[i];
      if (e.cls.name === 'AnonymousBlock') out.push(`AnonymousBlock: line ${e.line}, column ${e.col}`);
      else if (e.cls.trigger) out.push(`Trigger.${e.cls.name}: line ${e.line}, column ${e.col}`);
      else out.push(`Class.${e.cls.fullName}.${e.method}: line ${e.line}, column ${e.col}`);
    }
    return out.join('\n');
  }
}
