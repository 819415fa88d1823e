// Entry of the platform's worker threads (Apex: apexPool.ts; LWC bundles: lightning/bundleCompiler.ts):
// the project's TypeScript runs through tsx, registered here because a worker does not inherit the
// main thread's loader (they start with an empty execArgv). workerData.entry is the module to run.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
