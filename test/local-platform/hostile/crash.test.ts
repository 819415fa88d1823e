/**
 * kill -9 in the middle of an Apex transaction, and in the middle of a deploy's tests: after a restart
 * the interrupted work left nothing behind and the work committed before it is all there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseSync } from 'node:sqlite';
import { Connection } from '@jsforce/jsforce-node';
import { getDevHub, openDatabase } from '../../../tools/local-platform/store.ts';
import { startPlatform } from '../../../tools/local-platform/server.ts';
import { issueToken } from '../../../tools/local-platform/tokens.ts';
import { runSoql } from '../../../tools/local-platform/soql.ts';
import { zipOf, classMeta } from '../metadata/fixtures.ts';
import { anonymousApexSoap } from './world.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'lp-crash-'));
let child: ChildProcess;
let db: DatabaseSync;
let url: string;
let token: string;

async function startChild(): Promise<void> {
  child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'tools/local-platform/main.ts')], {
    env: { ...process.env, LOCAL_SF_HOME: home, LOCAL_SF_PORT: '0', LOCAL_SF_LOG_REQUESTS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('listening:')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`platform exited ${code}: ${out}`)));
  });
}

async function killChild(): Promise<void> {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
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
  if (child.exitCode === null && child.signalCode === null) await killChild().catch(() => {});
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
    const conn = new Connection({ instanceUrl: url.replace(/:\d+$/, `:${getDevHub(db)!.port}`), accessToken: token, version: '66.0' });
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
