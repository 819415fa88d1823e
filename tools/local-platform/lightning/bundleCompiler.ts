/**
 * Compiled bundles of deployed LWC tabs. Built on a worker thread (compileWorker.ts), so tens of
 * seconds of rollup never hold up the server's requests; kept in one cache folder for every platform
 * home of this machine (the key is the content, compile.ts); built once per key at a time, across
 * processes too (a lock file naming its pid); and started when a deploy changes an org's components,
 * so the first view of a tab finds its bundle ready.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { bundleKey, CompileProblem, deployedBundles, orgLabels, type BuildInput, type CompiledBundle } from './compile.ts';
import type { CompileJob, CompileReply } from './compileWorker.ts';
import { listTabs } from './tabPage.ts';
import { tabComponents } from './flexiPages.ts';

const BOOT = new URL('../process/workerBoot.mjs', import.meta.url);
const ENTRY = new URL('./compileWorker.ts', import.meta.url).href;
const NODE_MODULES = join(import.meta.dirname, '..', '..', '..', 'node_modules');

/** The cache folder: beside the installed packages (so `npm ci` starts it afresh), or in the platform's home when they are read-only. */
export function defaultBundleCache(home: string): string {
  try {
    accessSync(NODE_MODULES, constants.W_OK);
    return join(NODE_MODULES, '.cache', 'local-sf-lightning');
  } catch {
    return join(home, 'lightning');
  }
}
/** A lock older than this is left over (a build takes 15–80 s on two busy cores). */
const STALE_LOCK_MS = 10 * 60_000;
/** Bundles kept in the cache (about 4 MB each): the most recently built; an older one is built again when asked for. */
const KEEP_BUNDLES = 20;
/** The worker (and rollup's transform cache in it) goes after this long without work. */
const IDLE_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class BundleCompiler {
  private worker?: Worker;
  private jobs = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private building = new Map<string, Promise<CompiledBundle>>();
  private seq = 0;
  private idle?: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** The bundle of `component` as deployed to the org: from the cache, or built now. Rejects with a CompileProblem. */
  async compile(db: DatabaseSync, orgId: string, component: string): Promise<CompiledBundle> {
    const bundles = deployedBundles(db, orgId);
    const missing = component.split(',').find((name) => !bundles.some((b) => b.name === name));
    if (missing) {
      throw new CompileProblem(
        `The org has no Lightning web component named ${missing}.`,
        'Deploy the bundle (sf project deploy start) with the tab or page that names it.',
      );
    }
    const labels = orgLabels(db, orgId);
    const key = bundleKey(bundles, component, labels);
    const path = join(this.dir, `${key}.js`);
    if (existsSync(path)) return { key, path };
    let pending = this.building.get(key);
    if (!pending) {
      const started = performance.now();
      pending = this.buildOnce({ bundles, component, labels, key })
        .then(() => {
          this.log(`compiled ${component} of ${orgId} (bundle ${key}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
          return { key, path };
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  /** Starts building every LWC tab of the org (after a deploy), so that its first view does not wait. */
  precompileTabs(db: DatabaseSync, orgId: string): void {
    for (const tab of listTabs(db, orgId)) {
      const component = tabComponents(db, orgId, tab);
      if (!component) continue;
      // A problem is shown when the tab is opened; here it is only logged.
      this.compile(db, orgId, component).catch((e: Error) => this.log(`tab ${tab.name} of ${orgId} does not compile: ${e.message}`));
    }
  }

  /** A compiled bundle a session of this org may load: one of its LWC tabs as deployed now. */
  async read(db: DatabaseSync, orgId: string, key: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{32}$/.test(key)) return undefined;
    const bundles = deployedBundles(db, orgId);
    const labels = orgLabels(db, orgId);
    const ours = listTabs(db, orgId).some((t) => {
      const component = tabComponents(db, orgId, t);
      return component && bundleKey(bundles, component, labels) === key;
    });
    return ours ? readFile(join(this.dir, `${key}.js`), 'utf8').catch(() => undefined) : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idle);
    for (const j of this.jobs.values()) j.reject(new Error('The local platform is stopping'));
    this.jobs.clear();
    await this.worker?.terminate();
    this.worker = undefined;
  }

  /** Builds the key unless another process is at it (then waits for its file); a dead process's lock is taken over. */
  private async buildOnce(input: BuildInput): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const out = join(this.dir, `${input.key}.js`);
    const lock = join(this.dir, `${input.key}.lock`);
    for (;;) {
      if (existsSync(out)) return;
      if (this.closed) throw new Error('The local platform is stopping');
      const handle = await open(lock, 'wx').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') return undefined;
        throw e;
      });
      if (handle) {
        await handle.writeFile(String(process.pid));
        await handle.close();
        try {
          if (!existsSync(out)) await this.runJob(input);
        } finally {
          await rm(lock, { force: true });
        }
        await this.prune();
        return;
      }
      const owner = Number(await readFile(lock, 'utf8').catch(() => '0'));
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? 0);
      if ((owner && !alive(owner)) || age > STALE_LOCK_MS) await rm(lock, { force: true });
      else await sleep(250);
    }
  }

  private async prune(): Promise<void> {
    const files = (await readdir(this.dir)).filter((f) => /^[0-9a-f]{32}\.js$/.test(f));
    if (files.length <= KEEP_BUNDLES) return;
    const dated = await Promise.all(
      files.map(async (f) => ({ f, t: (await stat(join(this.dir, f)).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
    for (const { f } of dated.sort((a, b) => b.t - a.t).slice(KEEP_BUNDLES)) await rm(join(this.dir, f), { force: true });
  }

  private runJob(input: BuildInput): Promise<void> {
    clearTimeout(this.idle);
    const worker = this.worker ?? this.spawn();
    const id = ++this.seq;
    worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      worker.postMessage({ id, input, dir: this.dir } satisfies CompileJob);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY }, execArgv: [] });
    this.worker = worker;
    worker.on('message', (m: CompileReply) => {
      const job = this.jobs.get(m.id);
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) {
        worker.unref();
        this.idle = setTimeout(() => void this.retire(worker), IDLE_MS);
        this.idle.unref();
      }
      if (!job) return;
      if (m.ok) job.resolve();
      else job.reject(m.problem ? new CompileProblem(m.problem.message, m.problem.fix) : new Error(`The LWC compiler failed: ${m.error}`));
    });
    const died = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const j of this.jobs.values()) j.reject(new Error(`The LWC compiler stopped: ${reason}`));
      this.jobs.clear();
    };
    worker.on('error', (e) => died(e.message));
    worker.on('exit', (code) => died(`exit ${code}`));
    return worker;
  }

  private async retire(worker: Worker): Promise<void> {
    if (this.worker !== worker || this.jobs.size) return;
    this.worker = undefined;
    await worker.terminate();
  }
}
