/**
 * The platform as a background process (`local-orgs start`), as users and CI run it:
 * - idle, it burns no CPU (no busy timers, no spinning workers); SIGTERM ends it within seconds even while
 *   an Apex worker spins, and frees its port (platforms left behind by test runs used CPU for hours);
 * - kill -9 in the middle of an Apex transaction, or of a deploy's tests: nothing of that platform keeps
 *   running, and after a restart the interrupted work left nothing behind while the work committed
 *   before it is all there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Connection } from '@jsforce/jsforce-node';
import { getDevHub, openDatabase } from '../../../tools/data/store.ts';
import { BACKGROUND_WARM_WORKERS } from '../../../tools/local-platform/apex/apexPool.ts';
import { startPlatform } from '../../../tools/local-platform/http/server.ts';
import { startServer } from '../../../tools/local-platform/process/daemon.ts';
import { issueToken } from '../../../tools/local-platform/oauth/tokens.ts';
import { runSoql } from '../../../tools/data/soql.ts';
import { EXIT_WITH_PID, isAlive, stopBackground } from '../../../tools/core/background.ts';
import { zipOf, classMeta } from '../metadata/fixtures.ts';
import { anonymousApexSoap, freePort, until } from './world.ts';

const home = mkdtempSync(join(tmpdir(), 'lp-process-'));
let pid: number | undefined;
let db: DatabaseSync;
let url: string;
let token: string;

/** The platform as `local-orgs start` runs it: a background process whose recorded pid is the server itself. */
async function startChild(): Promise<void> {
  process.env[EXIT_WITH_PID] = String(process.pid); // gone with this test run, even if afterAll never runs
  const started = await startServer({ home, port: await freePort() });
  pid = started.pid;
  url = started.info.instanceUrl;
}

/** kill -9 of the recorded pid: afterwards nothing of that platform may still answer. */
async function killChild(): Promise<void> {
  process.kill(pid!, 'SIGKILL');
  while (isAlive(pid!)) await new Promise((r) => setTimeout(r, 20));
  pid = undefined;
  await expect(fetch(`${url}/services/data`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
}

/** CPU seconds (user + system, all threads) the process has used, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(p: number): number {
  const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts the platform again on the same home (recovery runs at start; no Apex workers needed), then checks. */
async function afterRestart(check: () => void): Promise<void> {
  const p = await startPlatform({ home, port: 0, log: () => {}, apexWorkers: false });
  try {
    check();
  } finally {
    await p.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (soql: string) => runSoql(db, getDevHub(db)!.id, soql).totalSize;

beforeAll(async () => {
  const saved = process.env.KEYSTORE_PASSWORD;
  process.env.KEYSTORE_PASSWORD = 'shell-secret-1234'; // a secret of the starting shell
  await startChild();
  if (saved === undefined) delete process.env.KEYSTORE_PASSWORD;
  else process.env.KEYSTORE_PASSWORD = saved;
  db = openDatabase(home);
  const hub = getDevHub(db)!;
  const admin = runSoql(db, hub.id, "SELECT Id FROM User WHERE Username = 'admin@devhub.local'").records[0].Id as string;
  token = issueToken(db, 'access', hub.id, admin, undefined, 3600);
}, 120_000);
afterAll(async () => {
  if (pid) await stopBackground(pid, 2000);
  db?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('idle and SIGTERM', () => {
  it('keeps no secret of the shell that started it in its environment', () => {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`LOCAL_SF_HOME=${home}`);
    expect(environ.join('\n')).not.toContain('shell-secret-1234');
  });

  it('idles at close to no CPU once its Apex workers are warm', async () => {
    const log = () => readFileSync(join(home, 'server.log'), 'utf8');
    await until(() => (log().match(/Apex worker \S+ ready/g) ?? []).length >= BACKGROUND_WARM_WORKERS, 90_000, 'the warm Apex workers');
    await sleep(500);
    const before = cpuSeconds(pid!);
    await sleep(3000);
    // Generous: a few hundredths of a second is idle noise; a spinning timer or worker costs far more.
    expect(cpuSeconds(pid!) - before).toBeLessThan(0.15);
  }, 120_000);

  it('ends within seconds on SIGTERM while an Apex worker spins, and frees its port', async () => {
    const spinning = anonymousApexSoap(url, token, "insert new Account(Name = 'spinning');\nInteger i = 0;\nwhile (true) { i++; }").then(
      (r) => r.status,
      () => 'connection closed',
    );
    // The transaction has started once its first row is in the store (uncommitted); from then on the
    // worker spins. (Measuring the process's CPU instead was flaky on a loaded machine.)
    await until(() => count("SELECT Id FROM Account WHERE Name = 'spinning'") === 1, 60_000, 'the Apex transaction to start');
    process.kill(pid!, 'SIGTERM');
    // Ends by itself 5 s after SIGTERM at the latest; the margin is for a loaded machine.
    await until(() => !isAlive(pid!), 15_000, 'the process to end within 15 s of SIGTERM');
    pid = undefined;
    expect(await spinning).toBeDefined(); // answered or cut off, never left hanging
    await expect(fetch(`${url}/services/data`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  }, 120_000);
});

describe('kill -9', () => {
  it('during an Apex transaction: loses nothing committed before, adds nothing of the interrupted one', async () => {
    await startChild();
    const kept = await anonymousApexSoap(url, token, "insert new Account(Name = 'kept-1');");
    expect(kept.text).toContain('<success>true</success>');
    void anonymousApexSoap(
      url,
      token,
      "insert new Account(Name = 'crash-1');\ninsert new Account(Name = 'crash-2');\nwhile (true) {}",
    ).catch(() => undefined);
    await until(() => count("SELECT Id FROM Account WHERE Name LIKE 'crash-%'") === 2);
    await killChild();

    await afterRestart(() => {
      expect(count("SELECT Id FROM Account WHERE Name LIKE 'crash-%'")).toBe(0);
      expect(count("SELECT Id FROM Account WHERE Name = 'kept-1'")).toBe(1);
    });
  }, 120_000);

  it("during a deploy's tests: neither the components nor the tests' rows survive", async () => {
    await startChild();
    const conn = new Connection({ instanceUrl: url, accessToken: token, version: '66.0' });
    const zip = await zipOf(
      {
        'classes/Doomed.cls': 'public class Doomed {}',
        'classes/Doomed.cls-meta.xml': classMeta,
        'classes/DoomedTest.cls':
          "@IsTest private class DoomedTest {\n  @IsTest static void spins() {\n    insert new Account(Name = 'crash-test-1');\n    while (true) {}\n  }\n}",
        'classes/DoomedTest.cls-meta.xml': classMeta,
      },
      { ApexClass: ['Doomed', 'DoomedTest'] },
    );
    void conn.metadata
      .deploy(zip, { testLevel: 'RunSpecifiedTests', runTests: ['DoomedTest'] } as never)
      .complete(true)
      .catch(() => undefined);
    await until(() => count("SELECT Id FROM Account WHERE Name = 'crash-test-1'") === 1);
    await killChild();

    await afterRestart(() => {
      expect(count("SELECT Id FROM Account WHERE Name LIKE 'crash-test-%'")).toBe(0);
      expect(count("SELECT Id FROM ApexClass WHERE Name IN ('Doomed', 'DoomedTest')")).toBe(0);
      expect(count("SELECT Id FROM Account WHERE Name = 'kept-1'")).toBe(1);
    });
  }, 120_000);
});
