/**
 * The platform as a background process (`local-orgs start`): idle, it burns no CPU (no busy timers,
 * no spinning workers), and SIGTERM ends it within seconds even while an Apex worker spins, with its
 * port closed. Platforms left behind by test runs used CPU for hours; these cases keep that from
 * coming back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../../tools/local-platform/daemon.ts';
import { getDevHub, openDatabase } from '../../../tools/local-platform/store.ts';
import { issueToken } from '../../../tools/local-platform/tokens.ts';
import { runSoql } from '../../../tools/local-platform/soql.ts';
import { EXIT_WITH_PID, isAlive, stopBackground } from '../../../tools/core/background.ts';
import { anonymousApexSoap, freePort } from './world.ts';

const home = mkdtempSync(join(tmpdir(), 'lp-process-'));
let pid: number | undefined;
let url: string;
let token: string;

/** CPU seconds (user + system, all threads) the process has used, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(p: number): number {
  const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  process.env[EXIT_WITH_PID] = String(process.pid); // the server ends with this test run, even if afterAll never runs
  const started = await startServer({ home, port: await freePort() });
  pid = started.pid;
  url = started.info.instanceUrl;
  const db = openDatabase(home);
  try {
    const hub = getDevHub(db)!;
    const admin = runSoql(db, hub.id, "SELECT Id FROM User WHERE Username = 'admin@devhub.local'").records[0].Id as string;
    token = issueToken(db, 'access', hub.id, admin, undefined, 3600);
  } finally {
    db.close();
  }
}, 120_000);
afterAll(async () => {
  if (pid) await stopBackground(pid, 2000);
  rmSync(home, { recursive: true, force: true });
});

describe('the background platform', () => {
  it('idles at close to no CPU once its Apex workers are warm', async () => {
    const log = () => readFileSync(join(home, 'server.log'), 'utf8');
    await until(() => (log().match(/Apex worker \S+ ready/g) ?? []).length >= 2, 90_000, 'two warm Apex workers');
    await sleep(500);
    const before = cpuSeconds(pid!);
    await sleep(3000);
    // Generous: a few hundredths of a second is idle noise; a spinning timer or worker costs far more.
    expect(cpuSeconds(pid!) - before).toBeLessThan(0.15);
  }, 120_000);

  it('ends within seconds on SIGTERM while an Apex worker spins, and frees its port', async () => {
    const spinning = anonymousApexSoap(url, token, 'Integer i = 0;\nwhile (true) { i++; }').then(
      (r) => r.status,
      () => 'connection closed',
    );
    // Busy: the process burns CPU (the worker spins) while the request is unanswered.
    let last = cpuSeconds(pid!);
    await until(() => {
      const now = cpuSeconds(pid!);
      const busy = now - last > 0.02;
      last = now;
      return busy;
    }, 60_000, 'the Apex worker to spin');
    process.kill(pid!, 'SIGTERM');
    await until(() => !isAlive(pid!), 8000, 'the process to end within 8 s of SIGTERM');
    pid = undefined;
    expect(await spinning).toBeDefined(); // answered or cut off, never left hanging
    await expect(fetch(`${url}/services/data`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  }, 120_000);
});
