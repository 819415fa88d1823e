/** Runs anonymous Apex on an in-memory org and returns what System.debug printed. */
import { executeAnonymous, type ExecuteAnonymousResult } from '../../tools/apex/index.ts';
import { MemoryHost, type MemoryHostOptions } from '../../tools/apex/memoryHost.ts';

export interface RunOutput extends ExecuteAnonymousResult {
  debug: string[];
  host: MemoryHost;
}

export function debugMessages(log: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  for (const line of log.split('\n')) {
    const m = /^\d\d:\d\d:\d\d\.\d{3} \(\d+\)\|([A-Z_]+)\|/.exec(line);
    if (m) {
      if (cur !== undefined) out.push(cur);
      cur = m[1] === 'USER_DEBUG' ? line.split('|').slice(4).join('|') : undefined;
    } else if (cur !== undefined) cur += '\n' + line;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

export async function run(source: string, options: MemoryHostOptions & { host?: MemoryHost } = {}): Promise<RunOutput> {
  const host = options.host ?? new MemoryHost(options);
  const r = await executeAnonymous(host, source);
  return { ...r, debug: debugMessages(r.debugLog), host };
}

/** Runs and fails loudly (with the Apex error) unless the block succeeded. */
export async function debugOf(source: string, options: MemoryHostOptions & { host?: MemoryHost } = {}): Promise<string[]> {
  const r = await run(source, options);
  if (!r.success) throw new Error(`Apex failed: ${r.compileProblem ?? r.exceptionMessage}\n${r.exceptionStackTrace ?? ''}`);
  return r.debug;
}
