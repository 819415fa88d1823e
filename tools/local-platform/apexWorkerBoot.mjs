// Entry of an Apex worker thread: the project's TypeScript runs through tsx, registered here because a
// worker does not inherit the main thread's loader (apexPool.ts starts it with an empty execArgv).
import { register } from 'tsx/esm/api';

register();
await import(new URL('./apexWorker.ts', import.meta.url).href);
