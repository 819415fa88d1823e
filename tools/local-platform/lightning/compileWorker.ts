/**
 * The worker thread that compiles LWC bundles (bundleCompiler.ts): rollup and the LWC compiler take
 * tens of seconds of CPU for a tab with base components, which on the server's thread would hold up
 * every org's requests (an Apex callout waiting on a token endpoint among them).
 */
import { parentPort } from 'node:worker_threads';
import { buildBundle, CompileProblem, type BuildInput } from './compile.ts';

export interface CompileJob {
  id: number;
  input: BuildInput;
  dir: string;
}

export type CompileReply = { id: number; ok: true } | { id: number; ok: false; problem?: { message: string; fix: string }; error?: string };

async function run(job: CompileJob): Promise<void> {
  let reply: CompileReply;
  try {
    await buildBundle(job.input, job.dir);
    reply = { id: job.id, ok: true };
  } catch (e) {
    reply =
      e instanceof CompileProblem
        ? { id: job.id, ok: false, problem: { message: e.message, fix: e.fix } }
        : { id: job.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
}

// One build at a time: they share the thread's source folder and rollup cache (compile.ts).
let queue = Promise.resolve();
parentPort!.on('message', (job: CompileJob) => {
  queue = queue.then(() => run(job));
});
