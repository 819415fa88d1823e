/**
 * One Apex worker thread (apexPool.ts): its own V8 isolate, event loop and SQLite connection, so a
 * runaway transaction stalls only this thread. It runs Apex entry points — any function of
 * tools/apex/index.ts taking the host first — against a host built here exactly as the server builds
 * it, and measures its isolate's heap for the Apex heap limit. One transaction runs at a time; one
 * that waits on a callout gives the thread to the others (apexTurns.ts), so several may be open.
 */
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as apex from '../../apex/index.ts';
import { heapGauge } from '../../apex/run/transaction.ts';
import { createRecordStore, getOrg, openDatabase } from '../../data/store.ts';
import { createApexHost, orgApexClasses, setJournalPrefix } from './apexHost.ts';
import { loadNeighbours } from '../http/neighbours.ts';
import { setMetadataModule } from '../../data/access.ts';
import { setCustomObjectSource } from '../../data/schema.ts';
import { skipDeployRecovery } from '../metadata/ensureMetadataSchema.ts';
import { ApiError } from '../http/errors.ts';
import { Turns } from './apexTurns.ts';

export interface ApexJob {
  id: number;
  entry: string;
  orgId: string;
  userId: string;
  args: unknown[];
}

const { home, prefix } = workerData as { home: string; prefix: string; preload?: string[] };
setJournalPrefix(prefix);
const db = openDatabase(home);
skipDeployRecovery(db); // the main thread owns recovery; a deploy may be running there right now
const neighbours = await loadNeighbours();
setMetadataModule(neighbours.metadata);
setCustomObjectSource(neighbours.metadata.getCustomObject?.bind(neighbours.metadata));
(neighbours.metadata as { ensureMetadataSchema?: (d: typeof db) => void }).ensureMetadataSchema?.(db);
const records = createRecordStore(db);

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
heapGauge.used = () => {
  const h = v8.getHeapStatistics() as v8.HeapInfo & { external_memory?: number };
  return h.used_heap_size + (h.external_memory ?? 0); // Blob bodies live outside the JS heap
};
/** Live heap right after the last full GC. */
let afterGc = 0;
heapGauge.collect = (kind) => {
  if (kind === 'minor') return gc({ type: 'minor' });
  gc();
  afterGc = heapGauge.used!();
};
/**
 * Garbage an idle worker may carry into the next transaction's heap baseline: a full GC after every
 * transaction cost tens of milliseconds each (a trivial Apex REST call allocates far less than this),
 * and the baseline may now hold up to this much garbage, i.e. the heap limit is lenient by at most a
 * quarter of it in Apex terms (FIDELITY.md). A transaction's garbage dies young, so a young-generation
 * GC clears most of it for a few milliseconds; a full GC (tens to hundreds of milliseconds on a
 * worker's heap; garbage collection was a third of a busy worker's time in the load bench's profile)
 * runs only once old-generation garbage reaches it.
 */
const GC_SLACK = 8 * 1024 * 1024;
const overSlack = () => heapGauge.used!() - afterGc > GC_SLACK;

/** Structured clone turns Buffers into Uint8Arrays; the entry points expect Buffers (request bodies). */
function revive(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof Uint8Array ? revive(x) : x]));
  return v;
}

/** Compiles these orgs' classes now (after a deploy, or at start for the orgs in use), so their next transaction here need not. */
function preload(orgIds: string[]): void {
  for (const orgId of orgIds) {
    try {
      apex.compileClasses(orgApexClasses(db, orgId, neighbours.metadata));
    } catch {
      // A class that fails to compile fails its transaction, with the message, when one runs.
    }
  }
}
preload((workerData as { preload?: string[] }).preload ?? []);

const turns = new Turns((parked) => parentPort!.postMessage({ parked }));

parentPort!.on('message', async (job: ApexJob | { preload: string[] }) => {
  if ('preload' in job) return preload(job.preload);
  await turns.begin();
  try {
    const org = getOrg(db, job.orgId);
    if (!org) throw new ApiError(404, 'NOT_FOUND', 'This org no longer exists');
    const host = createApexHost({ db, org, userId: job.userId, metadata: neighbours.metadata, records, park: turns.parker() });
    const fn = (apex as unknown as Record<string, unknown>)[job.entry];
    if (typeof fn !== 'function') throw new Error(`No Apex entry point ${job.entry}`);
    const value = await (fn as (...a: unknown[]) => Promise<unknown>)(host, ...job.args.map(revive));
    parentPort!.postMessage({ id: job.id, ok: true, value });
  } catch (e) {
    const err = e as Partial<ApiError> & Error;
    parentPort!.postMessage({
      id: job.id,
      ok: false,
      error: { message: err.message, status: err.status, errorCode: err.errorCode, fields: err.fields },
    });
  } finally {
    turns.end();
    // A nearly clean baseline for the next transaction's heap accounting, without a full GC per request.
    if (turns.idle() && overSlack()) {
      heapGauge.collect!('minor');
      if (overSlack()) heapGauge.collect!();
    }
  }
});
parentPort!.postMessage({ ready: true });
