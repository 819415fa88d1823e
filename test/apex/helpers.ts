/** Runs anonymous Apex on an in-memory org (the platform's data engine on :memory:) and returns what System.debug printed. */
import { join } from 'node:path';
import { executeAnonymous, runTests, type ExecuteAnonymousResult } from '../../tools/apex/index.ts';
import type { ApexHost } from '../../tools/apex/host.ts';
import { createMemoryOrg, type MemoryOrg, type MemoryOrgOptions } from '../../tools/local-platform/apex/memoryOrg.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

export interface RunOutput extends ExecuteAnonymousResult {
  debug: string[];
  host: ApexHost;
}

/** An org's rows of one object, as the store keeps them (what a test inspects after Apex ran). */
export function rowsOf(org: MemoryOrg, sobject: string): Record<string, unknown>[] {
  const rows = org.db
    .prepare('SELECT id, fields FROM records WHERE org_id = ? AND lower(sobject) = lower(?) ORDER BY rowid')
    .all(org.org.id, sobject) as { id: string; fields: string }[];
  return rows.map((r) => ({ ...JSON.parse(r.fields), Id: r.id }));
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

export async function run(source: string, options: MemoryOrgOptions & { host?: ApexHost } = {}): Promise<RunOutput> {
  const host = options.host ?? createMemoryOrg(options).host;
  const r = await executeAnonymous(host, source);
  return { ...r, debug: debugMessages(r.debugLog), host };
}

/** Runs and fails loudly (with the Apex error) unless the block succeeded. */
export async function debugOf(source: string, options: MemoryOrgOptions & { host?: ApexHost } = {}): Promise<string[]> {
  const r = await run(source, options);
  if (!r.success) throw new Error(`Apex failed: ${r.compileProblem ?? r.exceptionMessage}\n${r.exceptionStackTrace ?? ''}`);
  return r.debug;
}

/** Runs the Apex test classes of a fixture beside these tests (`test/apex/<folder>/force-app`) as `npm run apex-test` does. */
export function runFixture(folder: string): ReturnType<typeof runTests> {
  return runTests(projectOrg([join(import.meta.dirname, folder, 'force-app')]).host);
}

/** `Class.method: message stack` of every test method that did not pass: a run's failures for an assertion. */
export function failuresOf(r: Awaited<ReturnType<typeof runTests>>): string[] {
  return r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.className}.${t.methodName}: ${t.message} ${t.stackTrace ?? ''}`);
}
