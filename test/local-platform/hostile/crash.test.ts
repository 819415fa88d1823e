/**
 * kill -9 in the middle of an Apex transaction, and in the middle of a deploy's tests: after a restart
 * the interrupted work left nothing behind and the work committed before it is all there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Connection } from '@jsforce/jsforce-node';
import { getDevHub, openDatabase } from '../../../tools/local-platform/store.ts';
import { startPlatform } from '../../../tools/local-platform/server.ts';
import { issueToken } from '../../../tools/local-platform/tokens.ts';
import { runSoql } from '../../../tools/local-platform/soql.ts';
import { zipOf, classMeta } from '../metadata/fixtures.ts';
import { startServer } from '../../../tools/local-platform/daemon.ts';
import { EXIT_WITH_PID, isAlive, stopBackground } from '../../../tools/core/background.ts';
import { anonymousApexSoap, freePort } from './world.ts';

const home = mkdtempSync(join(tmpdir(), 'lp-crash-'));
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

const count = (soql: string) => runSoql(db, getDevHub(db)!.id, soql).totalSize;
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 25));
}

beforeAll(async () => {
  await startChild();
  db = openDatabase(home);
  const hub = getDevHub(db)!;
  url = hub.instanceUrl;
  const admin = runSoql(db, hub.id, "SELECT Id FROM User WHERE Username = 'admin@devhub.local'").records[0].Id as string;
  token = issueToken(db, 'access', hub.id, admin, undefined, 3600);
}, 120_000);
afterAll(async () => {
  if (pid) await stopBackground(pid, 2000);
  db?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('kill -9', () => {
  it('during an Apex transaction: loses nothing committed before, adds nothing of the interrupted one', async () => {
    const kept = await anonymousApexSoap(url, token, "insert new Account(Name = 'kept-1');");
    expect(kept.text).toContain('<success>true</success>');
    void anonymousApexSoap(url, token, "insert new Account(Name = 'crash-1');\ninsert new Account(Name = 'crash-2');\nwhile (true) {}").catch(() => undefined);
    await until(() => count("SELECT Id FROM Account WHERE Name LIKE 'crash-%'") === 2);
    await killChild();

    const p = await startPlatform({ home, port: 0, log: () => {} });
    try {
      expect(count("SELECT Id FROM Account WHERE Name LIKE 'crash-%'")).toBe(0);
      expect(count("SELECT Id FROM Account WHERE Name = 'kept-1'")).toBe(1);
    } finally {
      await p.close();
    }
  }, 120_000);

  it('during a deploy\'s tests: neither the components nor the tests\' rows survive', async () => {
    await startChild();
    const conn = new Connection({ instanceUrl: url, accessToken: token, version: '66.0' });
    const zip = await zipOf(
      {
        'classes/Doomed.cls': 'public class Doomed {}',
        'classes/Doomed.cls-meta.xml': classMeta,
        'classes/DoomedTest.cls': "@IsTest private class DoomedTest {\n  @IsTest static void spins() {\n    insert new Account(Name = 'crash-test-1');\n    while (true) {}\n  }\n}",
        'classes/DoomedTest.cls-meta.xml': classMeta,
      },
      { ApexClass: ['Doomed', 'DoomedTest'] },
    );
    void conn.metadata.deploy(zip, { testLevel: 'RunSpecifiedTests', runTests: ['DoomedTest'] } as never).complete(true).catch(() => undefined);
    await until(() => count("SELECT Id FROM Account WHERE Name = 'crash-test-1'") === 1);
    await killChild();

    const p = await startPlatform({ home, port: 0, log: () => {} });
    try {
      expect(count("SELECT Id FROM Account WHERE Name LIKE 'crash-test-%'")).toBe(0);
      expect(count("SELECT Id FROM ApexClass WHERE Name IN ('Doomed', 'DoomedTest')")).toBe(0);
      expect(count("SELECT Id FROM Account WHERE Name = 'kept-1'")).toBe(1);
    } finally {
      await p.close();
    }
  }, 120_000);
});
