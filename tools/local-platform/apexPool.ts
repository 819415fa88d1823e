import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { recoverApexTransactions } from './apexJournal.ts';
import { ApiError } from './errors.ts';
import type { ApexJob } from './apexWorker.ts';

/**
 * Apex runs on worker threads, one transaction per worker at a time, so a runaway transaction
 * (`while (true) {}` until its 10 s CPU limit) stalls only its worker: the server's event loop keeps
 * answering every org, token endpoints included. Workers start on demand up to `max` (a callout from
 * Org A's Apex to Org B's Apex REST needs a second one), then jobs queue. A worker that dies (its
 * isolate out of memory, say) fails its job with Apex's heap LimitException, and the writes of the
 * transaction it left open are undone from the journal (apexJournal.ts).
 */
const HEAP_TEXT = 'System.LimitException: Apex heap size too large';
const BOOT = new URL('./apexWorkerBoot.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  prefix: string;
  job?: { id: number; entry: string; resolve: (v: unknown) => void; reject: (e: Error) => void };
}

export class ApexPool {
  private slots: Slot[] = [];
  private queue: { job: Omit<ApexJob, 'id'>; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    private readonly home: string,
    private readonly db: DatabaseSync,
    private readonly log: (line: string) => void,
    private readonly max = 8,
  ) {}

  /** Runs `entry` of tools/apex/index.ts with a host for (org, user) and the given arguments. */
  run<T>(entry: string, orgId: string, userId: string, args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The local platform is stopping'));
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ job: { entry, orgId, userId, args }, resolve, reject });
      this.pump();
    }) as Promise<T>;
  }

  /** Starts two workers ahead of the first request (loading the runtime takes seconds): an A → B callout needs both; pump keeps one spare. */
  warm(): void {
    while (!this.closed && this.slots.length < Math.min(2, this.max)) this.spawn();
  }

  /** Workers running a transaction now. */
  busy(): number {
    return this.slots.filter((s) => s.job).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new Error('The local platform is stopping'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  private pump(): void {
    const hadWork = this.queue.length > 0;
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.max) slot = this.spawn();
      if (!slot) return;
      const next = this.queue.shift()!;
      const id = ++this.seq;
      slot.job = { id, entry: next.job.entry, resolve: next.resolve, reject: next.reject };
      slot.worker.ref();
      slot.worker.postMessage({ id, ...next.job });
    }
    // Keep one idle worker ready: a callout from one org's Apex to another's Apex REST needs a second
    // worker at once, and a cold one takes seconds to load the runtime (longer than a callout timeout
    // on a busy machine). Only after handing out work, so a worker that cannot start is not respawned
    // in a loop.
    if (hadWork && !this.closed && this.slots.length < this.max && !this.slots.some((s) => !s.job)) this.spawn();
  }

  private spawn(): Slot {
    const prefix = `w${++this.seq}:`;
    const worker = new Worker(BOOT, { workerData: { home: this.home, prefix }, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    const slot: Slot = { worker, prefix };
    worker.unref();
    worker.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: { message: string; status?: number; errorCode?: string; fields?: string[] } }) => {
      if (m.ready) this.log(`Apex worker ${prefix} ready`);
      if (!slot.job || m.id !== slot.job.id) return;
      const job = slot.job;
      slot.job = undefined;
      worker.unref();
      if (m.ok) job.resolve(m.value);
      else job.reject(m.error?.errorCode ? new ApiError(m.error.status ?? 500, m.error.errorCode, m.error.message, m.error.fields ?? []) : new Error(m.error?.message));
      this.pump();
    });
    const died = (reason: string) => {
      this.slots = this.slots.filter((s) => s !== slot);
      const undone = recoverApexTransactions(this.db, prefix);
      this.log(`Apex worker ${prefix} ended (${reason}); undid ${undone} write(s) of its open transaction`);
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        const fallback = crashAnswer(job.entry, reason);
        if (fallback) job.resolve(fallback);
        else job.reject(new Error(reason.includes('memory') ? HEAP_TEXT : `The Apex worker stopped: ${reason}`));
      }
      if (!this.closed) this.pump();
    };
    worker.on('error', (e: Error & { code?: string }) => died(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : e.message));
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) died(`exit ${code}`);
    });
    this.slots.push(slot);
    return slot;
  }
}

/** What an entry point answers when its worker died under it (out of memory: Apex's heap limit). */
function crashAnswer(entry: string, reason: string): unknown {
  const message = reason.includes('memory') ? HEAP_TEXT : `Internal error in the local Apex runtime: the worker stopped (${reason})`;
  if (entry === 'executeAnonymous') return { compiled: true, success: false, line: 0, column: 0, exceptionMessage: message, exceptionStackTrace: '', debugLog: '' };
  if (entry === 'runApexRest') return { statusCode: 500, headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body: JSON.stringify([{ errorCode: 'APEX_ERROR', message }]) };
  if (entry === 'runAuraAction') return { ok: false, error: { message, exceptionType: message === HEAP_TEXT ? 'System.LimitException' : '', isUserDefinedException: false, stackTrace: '' } };
  return undefined;
}
