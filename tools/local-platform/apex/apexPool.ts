import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { recoverApexTransactions } from './apexJournal.ts';
import { ApiError } from '../http/errors.ts';
import type { ApexJob } from './apexWorker.ts';

/**
 * Apex runs on worker threads, so a runaway transaction (`while (true) {}` until its 10 s CPU limit)
 * stalls only its worker: the server's event loop keeps answering every org, token endpoints included.
 *
 * A worker runs one transaction at a time, but a transaction that waits on a callout gives its worker
 * up (apexTurns.ts): the pool then hands that worker further jobs, up to PER_WORKER open transactions.
 * So Org A's transactions waiting on a callout to Org B's Apex REST never keep B's transactions from
 * running — 50 tab views of A at once need 50 of A's and 50 of B's transactions open, not 100 workers.
 * Each transaction keeps its own CPU clock and limits. Jobs go to an idle ready worker first, then to
 * a worker whose transactions all wait; a job waits in the pool queue rather than on a worker still
 * loading the runtime. A further worker starts (one at a time, up to `max`) only once a job has waited
 * SPAWN_AFTER_MS for one while no worker finished or parked a transaction: starting a worker costs
 * seconds of CPU (the runtime and the orgs' programs), which a burst of short transactions on a
 * machine of few cores pays in its own latency, while a job stuck behind long transactions (a runaway
 * loop until its CPU limit) still gets a worker of its own. A worker that dies
 * (its isolate out of memory, say) fails each of its open jobs with Apex's heap LimitException, and the
 * writes of the transactions it left open are undone from the journal (apexJournal.ts).
 */
const HEAP_TEXT = 'System.LimitException: Apex heap size too large';
const BOOT = new URL('../process/workerBoot.mjs', import.meta.url);
const ENTRY = new URL('./apexWorker.ts', import.meta.url).href;

/** What a worker thread is started with; a seam so tests can drive the pool with stand-in workers. */
export type StartWorker = (data: {
  home: string;
  prefix: string;
  preload: string[];
}) => Pick<Worker, 'postMessage' | 'ref' | 'unref' | 'on' | 'terminate'>;
const startThread: StartWorker = (data) =>
  new Worker(BOOT, { workerData: { entry: ENTRY, ...data }, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 1024 } });

interface Job {
  id: number;
  entry: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: ReturnType<StartWorker>;
  prefix: string;
  /** Loaded the runtime and the hot orgs' programs: jobs sent now start at once. */
  ready: boolean;
  /** Open transactions on this worker. */
  jobs: Map<number, Job>;
  /** Every open transaction waits on a callout: the worker's CPU is free for another job. */
  parked: boolean;
  /** Orgs whose classes changed while this worker was busy: compiled as soon as it is free. */
  stale: Set<string>;
}

/** Workers the background server starts with: a tab's first view runs two Apex actions of Org A at once, and one calls Org B's Apex REST. */
export const BACKGROUND_WARM_WORKERS = 3;
/** How many orgs' programs each worker keeps compiled ahead of use: the ones most recently deployed to or run. */
const HOT_ORGS = 4;
/**
 * Open transactions per worker, most of them waiting on callouts: a bound on memory (each keeps its
 * frames and statics), not on Salesforce's behaviour. 8 workers × 64 = 512 transactions open at once.
 */
export const PER_WORKER = 64;
/** How long the oldest job may wait, with no worker making progress, before the pool starts another. */
export const SPAWN_AFTER_MS = 150;

export class ApexPool {
  private slots: Slot[] = [];
  private queue: { job: Omit<ApexJob, 'id'>; at: number; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  /** Set while jobs wait: starts a worker if the oldest still waits at SPAWN_AFTER_MS. */
  private spawnTimer?: NodeJS.Timeout;
  /** When a worker last finished a transaction or parked its transactions on callouts. */
  private lastProgress = 0;
  private seq = 0;
  private closed = false;
  /** Open transactions per org. */
  private readonly openOf = new Map<string, number>();
  /** Most recently used orgs first. */
  private hot: string[];

  constructor(
    private readonly home: string,
    private readonly db: DatabaseSync,
    private readonly log: (line: string) => void,
    private readonly max = 8,
    /** Compile the orgs in use ahead of their transactions (the background server); off, a worker compiles when a job needs it. */
    private readonly ahead = false,
    private readonly startWorker: StartWorker = startThread,
  ) {
    this.hot = ahead ? recentApexOrgs(db) : [];
  }

  /** Runs `entry` of tools/apex/index.ts with a host for (org, user) and the given arguments. */
  run<T>(entry: string, orgId: string, userId: string, args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The local platform is stopping'));
    this.touch(orgId);
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ job: { entry, orgId, userId, args }, at: performance.now(), resolve, reject });
      this.pump();
    }) as Promise<T>;
  }

  /**
   * Starts workers ahead of the first request, each compiling the programs of the orgs in use: loading
   * the runtime and compiling an org's classes take seconds, longer than Apex's callout timeout on a
   * busy machine when one org's Apex calls another's. pump keeps one spare after that.
   */
  warm(count: number): void {
    while (!this.closed && this.slots.length < Math.min(count, this.max)) this.spawn();
  }

  /** The org's classes changed (a deploy): every worker compiles them now, not in the org's next transaction. */
  preload(orgId: string): void {
    if (!this.ahead) return;
    this.touch(orgId);
    for (const slot of this.slots) {
      if (slot.jobs.size) slot.stale.add(orgId);
      else slot.worker.postMessage({ preload: [orgId] });
    }
  }

  private touch(orgId: string): void {
    if (!this.ahead) return;
    this.hot = [orgId, ...this.hot.filter((o) => o !== orgId)].slice(0, HOT_ORGS);
  }

  /** Workers with a transaction open now. */
  busy(): number {
    return this.slots.filter((s) => s.jobs.size).length;
  }

  /** Transactions open now, on every worker (running or waiting on a callout). */
  open(): number {
    return this.slots.reduce((n, s) => n + s.jobs.size, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.spawnTimer);
    for (const q of this.queue.splice(0)) q.reject(new Error('The local platform is stopping'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  /** A ready worker for the next job: an idle one, else one whose transactions all wait on callouts (fewest first). */
  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (!s.ready) continue;
      if (!s.jobs.size) return s;
      if (s.parked && s.jobs.size < PER_WORKER && (!best || s.jobs.size < best.jobs.size)) best = s;
    }
    return best;
  }

  /**
   * The next job: the oldest of the org with the fewest transactions open, so one org's burst (50 tab
   * views of A) cannot keep another org's requests (B's Apex REST, which A's callouts wait for) queued
   * behind it: each org's transactions run independently, as on Salesforce.
   */
  private nextJob(): number {
    let best = 0;
    let fewest = Infinity;
    const seen = new Set<string>();
    for (let i = 0; i < this.queue.length; i++) {
      const org = this.queue[i]!.job.orgId;
      if (seen.has(org)) continue;
      seen.add(org);
      const open = this.openOf.get(org) ?? 0;
      if (open < fewest) [best, fewest] = [i, open];
    }
    return best;
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.pick();
      if (!slot) break;
      const next = this.queue.splice(this.nextJob(), 1)[0]!;
      const id = ++this.seq;
      const orgId = next.job.orgId;
      this.openOf.set(orgId, (this.openOf.get(orgId) ?? 0) + 1);
      const done = () => this.openOf.set(orgId, (this.openOf.get(orgId) ?? 1) - 1);
      slot.jobs.set(id, { id, entry: next.job.entry, resolve: (v) => (done(), next.resolve(v)), reject: (e) => (done(), next.reject(e)) });
      slot.parked = false; // until the worker says its transactions all wait again
      slot.worker.ref();
      slot.worker.postMessage({ id, ...next.job });
    }
    // A job waits for a worker: start one once it has waited SPAWN_AFTER_MS (at once if there is none),
    // a single one at a time: loading the runtime takes seconds of CPU, and a job is never bound to a
    // worker still loading. Only after handing out work, so a worker that cannot start is not
    // respawned in a loop.
    if (!this.queue.length || this.closed || this.slots.length >= this.max || this.slots.some((s) => !s.ready)) return;
    const now = performance.now();
    const still = Math.min(now - this.queue[0]!.at, now - this.lastProgress);
    if (!this.slots.length || still >= SPAWN_AFTER_MS) return void this.spawn();
    if (this.spawnTimer) return;
    this.spawnTimer = setTimeout(
      () => {
        this.spawnTimer = undefined;
        this.pump();
      },
      SPAWN_AFTER_MS - still + 1,
    );
    this.spawnTimer.unref();
  }

  private spawn(): Slot {
    const prefix = `w${++this.seq}:`;
    const worker = this.startWorker({ home: this.home, prefix, preload: this.hot });
    const slot: Slot = { worker, prefix, ready: false, jobs: new Map(), parked: false, stale: new Set() };
    worker.unref();
    worker.on(
      'message',
      (m: {
        ready?: boolean;
        parked?: boolean;
        id?: number;
        ok?: boolean;
        value?: unknown;
        error?: { message: string; status?: number; errorCode?: string; fields?: string[] };
      }) => {
        if (m.ready) {
          this.log(`Apex worker ${prefix} ready`);
          slot.ready = true;
          return this.pump();
        }
        if (m.parked !== undefined) {
          slot.parked = m.parked && slot.jobs.size > 0;
          if (slot.parked) this.lastProgress = performance.now();
          if (slot.parked) this.pump();
          return;
        }
        const job = m.id === undefined ? undefined : slot.jobs.get(m.id);
        if (!job) return;
        this.lastProgress = performance.now();
        slot.jobs.delete(job.id);
        if (!slot.jobs.size) {
          slot.parked = false;
          worker.unref();
          if (slot.stale.size) worker.postMessage({ preload: [...slot.stale] });
          slot.stale.clear();
        }
        if (m.ok) job.resolve(m.value);
        else
          job.reject(
            m.error?.errorCode
              ? new ApiError(m.error.status ?? 500, m.error.errorCode, m.error.message, m.error.fields ?? [])
              : new Error(m.error?.message),
          );
        this.pump();
      },
    );
    const died = (reason: string) => {
      this.slots = this.slots.filter((s) => s !== slot);
      const undone = recoverApexTransactions(this.db, prefix);
      this.log(`Apex worker ${prefix} ended (${reason}); undid ${undone} write(s) of its ${slot.jobs.size} open transaction(s)`);
      const jobs = [...slot.jobs.values()];
      slot.jobs.clear();
      for (const job of jobs) {
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

/** Orgs that last had Apex deployed (a restarted platform readies them first). */
function recentApexOrgs(db: DatabaseSync): string[] {
  try {
    const rows = db
      .prepare(
        "SELECT m.org_id AS id FROM md_components m JOIN orgs o ON o.id = m.org_id WHERE m.type = 'ApexClass' AND o.status = 'Active' GROUP BY m.org_id ORDER BY max(m.updated_at) DESC LIMIT ?",
      )
      .all(HOT_ORGS) as { id: string }[];
    return rows.map((r) => r.id);
  } catch {
    return []; // no Metadata module, no md_components
  }
}

/** What an entry point answers when its worker died under it (out of memory: Apex's heap limit). */
function crashAnswer(entry: string, reason: string): unknown {
  const message = reason.includes('memory') ? HEAP_TEXT : `Internal error in the local Apex runtime: the worker stopped (${reason})`;
  if (entry === 'executeAnonymous')
    return { compiled: true, success: false, line: 0, column: 0, exceptionMessage: message, exceptionStackTrace: '', debugLog: '' };
  if (entry === 'runApexRest')
    return {
      statusCode: 500,
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      body: JSON.stringify([{ errorCode: 'APEX_ERROR', message }]),
    };
  if (entry === 'runAuraAction')
    return {
      ok: false,
      error: {
        message,
        exceptionType: message === HEAP_TEXT ? 'System.LimitException' : '',
        isUserDefinedException: false,
        stackTrace: '',
      },
    };
  return undefined;
}
