import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from '../../core/sqlite.ts';
import { execa } from 'execa';
import { ToolError } from '../../core/ToolError.ts';
import { backgroundEnv, isAlive as alive, spawnBackground, stopBackground } from '../../core/background.ts';
import { DEFAULT_PORT, DEVHUB_ADMIN, defaultHome } from './defaults.ts';
import { writeSimulationChanges, type Simulation } from './simulation.ts';

/**
 * What `npm run local-orgs -- start|stop|status|reset` does: run the platform as a detached
 * background process (pid and log files in its home), wait until it answers, log the sf CLI into
 * the Dev Hub, report, stop, and wipe state on request.
 */
export const DEVHUB_ALIAS = 'local-devhub';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface StartInfo {
  instanceUrl: string;
  username: string;
  clientId: string;
  keyPath: string;
}

export interface DaemonOptions {
  home?: string;
  port?: number;
}

function paths(opts: DaemonOptions) {
  const home = resolve(opts.home ?? defaultHome());
  return { home, pidFile: join(home, 'server.pid'), logFile: join(home, 'server.log'), db: join(home, 'platform.db') };
}

function portOf(opts: DaemonOptions): number {
  if (opts.port !== undefined) return opts.port;
  const raw = process.env.LOCAL_SF_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  // 0 would be any free port: a background server nobody could find again.
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ToolError(
      `LOCAL_SF_PORT must be a whole number from 1 to 65535, not "${raw}".`,
      'InvalidFlag',
      [`Set LOCAL_SF_PORT to a free port, e.g. LOCAL_SF_PORT=${DEFAULT_PORT}, or unset it.`],
      2,
    );
  }
  return port;
}

export function runningPid(opts: DaemonOptions = {}): number | undefined {
  const { pidFile } = paths(opts);
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/services/data`, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
}

/** Reads the Dev Hub's identity from the store (read-only; the server may be running). */
export function readHubInfo(opts: DaemonOptions = {}): StartInfo | undefined {
  const p = paths(opts);
  if (!existsSync(p.db)) return undefined;
  const db = new DatabaseSync(p.db, { readOnly: true });
  try {
    const hub = db.prepare("SELECT instance_url FROM orgs WHERE kind = 'devhub'").get() as { instance_url: string } | undefined;
    const cid = db.prepare("SELECT value FROM meta WHERE key = 'cli_client_id'").get() as { value: string } | undefined;
    if (!hub || !cid) return undefined;
    return { instanceUrl: hub.instance_url, username: DEVHUB_ADMIN, clientId: cid.value, keyPath: join(p.home, 'keys', 'devhub-cli.key') };
  } finally {
    db.close();
  }
}

export function listOrgSummaries(
  opts: DaemonOptions = {},
): { id: string; kind: string; instanceUrl: string; status: string; name: string }[] {
  const p = paths(opts);
  if (!existsSync(p.db)) return [];
  const db = new DatabaseSync(p.db, { readOnly: true });
  try {
    return db
      .prepare("SELECT id, kind, instance_url AS instanceUrl, status, name FROM orgs WHERE status = 'Active' ORDER BY created_at")
      .all() as never[];
  } finally {
    db.close();
  }
}

/**
 * Resets the Dev Hub's daily sign-up counter (the running server sees it on its next sign-up: same SQLite
 * file). Returns the allocations left afterwards as `/limits` would report them.
 */
export async function resetScratchLimits(opts: DaemonOptions = {}): Promise<{ home: string; active: number; daily: number }> {
  const p = paths(opts);
  if (!existsSync(p.db)) throw new ToolError(`No local platform in ${p.home}.`, 'NoLocalPlatform', ['npm run local-orgs -- start']);
  const { resetDailySignups, scratchUsage } = await import('../devhub/devhub.ts');
  const db = new DatabaseSync(p.db);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    resetDailySignups(db);
    const hub = db.prepare("SELECT id FROM orgs WHERE kind = 'devhub'").get() as { id: string } | undefined;
    const usage = hub ? scratchUsage(db, hub.id) : { active: 0, daily: 0 };
    return { home: p.home, ...usage };
  } finally {
    db.close();
  }
}

/**
 * Changes the running platform's simulated delays and allocations (simulation.ts) without a restart: the
 * server reads them from the same SQLite file on each use. For tests; the next start drops them.
 */
export async function setSimulation(changes: Partial<Simulation>, opts: DaemonOptions = {}): Promise<void> {
  const p = paths(opts);
  if (!existsSync(p.db)) throw new ToolError(`No local platform in ${p.home}.`, 'NoLocalPlatform', ['npm run local-orgs -- start']);
  const db = new DatabaseSync(p.db);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    writeSimulationChanges(db, changes);
  } finally {
    db.close();
  }
}

/** Starts the background server unless it already runs; resolves once it answers HTTP. */
export async function startServer(
  opts: DaemonOptions = {},
): Promise<{ info: StartInfo; pid: number; alreadyRunning: boolean; logFile: string }> {
  const p = paths(opts);
  const port = portOf(opts);
  const existing = runningPid(opts);
  if (existing) {
    const info = readHubInfo(opts);
    if (info && (await answers(info.instanceUrl))) return { info, pid: existing, alreadyRunning: true, logFile: p.logFile };
  }
  mkdirSync(p.home, { recursive: true, mode: 0o700 });
  // The log is appended to: only what this start writes after `from` is about this start.
  const from = existsSync(p.logFile) ? statSync(p.logFile).size : 0;
  const thisRun = () => (existsSync(p.logFile) ? readFileSync(p.logFile).subarray(from).toString('utf8') : '');
  let pid: number;
  try {
    pid = spawnBackground(fileURLToPath(new URL('./main.ts', import.meta.url)), {
      cwd: ROOT,
      env: backgroundEnv({ LOCAL_SF_HOME: p.home, LOCAL_SF_PORT: String(port) }),
      logFile: p.logFile,
    });
  } catch {
    throw new ToolError('Could not spawn the local platform server.', 'LocalPlatformSpawnError', [`Check ${p.logFile}.`]);
  }
  writeFileSync(p.pidFile, String(pid), { mode: 0o600 });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!alive(pid)) break;
    // Its own server: another process answering on the port (this one then fails with EADDRINUSE) is not a start.
    if (/ listening: Dev Hub /.test(thisRun()) && alive(pid) && (await answers(url))) {
      const info = readHubInfo(opts);
      if (info) return { info, pid, alreadyRunning: false, logFile: p.logFile };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = thisRun().trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  const inUse = /EADDRINUSE/.test(tail);
  await stopBackground(pid, 5_000);
  rmSync(p.pidFile, { force: true });
  throw new ToolError(
    `The local platform did not start on port ${port}${inUse ? ', which another process holds' : ''}: ${tail || 'no output'}`,
    'LocalPlatformStartError',
    [`Is port ${port} in use? Set LOCAL_SF_PORT to another port.`, `Read ${p.logFile} for details.`],
  );
}

/** Logs the project's sf CLI into the Dev Hub (alias local-devhub, default Dev Hub). */
export async function loginDevHub(info: StartInfo, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const sf = join(ROOT, 'node_modules', '.bin', 'sf');
  const r = await execa(
    sf,
    [
      'org',
      'login',
      'jwt',
      '--instance-url',
      info.instanceUrl,
      '--client-id',
      info.clientId,
      '--jwt-key-file',
      info.keyPath,
      '--username',
      info.username,
      '--alias',
      DEVHUB_ALIAS,
      '--set-default-dev-hub',
      '--json',
    ],
    {
      env: {
        SF_DISABLE_TELEMETRY: 'true',
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_AUTOUPDATE: 'true',
        SF_SKIP_NEW_VERSION_CHECK: 'true',
        ...env,
      },
      reject: false,
      cwd: ROOT,
    },
  );
  if (r.exitCode !== 0) {
    let message = String(r.stderr || r.stdout).trim();
    try {
      message = JSON.parse(String(r.stdout)).message ?? message;
    } catch {
      /* keep the raw text */
    }
    throw new ToolError(`sf org login jwt failed: ${message.split('\n')[0]}`, 'LocalDevHubLoginError', [
      `Run it yourself: sf org login jwt --instance-url ${info.instanceUrl} --client-id ${info.clientId} --jwt-key-file ${info.keyPath} --username ${info.username} --alias ${DEVHUB_ALIAS} --set-default-dev-hub`,
    ]);
  }
}

export async function stopServer(opts: DaemonOptions = {}): Promise<{ stopped: boolean; pid?: number }> {
  const p = paths(opts);
  const pid = runningPid(opts);
  if (!pid) {
    rmSync(p.pidFile, { force: true });
    return { stopped: false };
  }
  // The server ends itself within 5 s of SIGTERM (main.ts); SIGKILL of its group is the fallback.
  await stopBackground(pid, 10_000);
  rmSync(p.pidFile, { force: true });
  return { stopped: true, pid };
}

export async function serverStatus(opts: DaemonOptions = {}) {
  const p = paths(opts);
  const pid = runningPid(opts);
  const info = readHubInfo(opts);
  const responding = info ? await answers(info.instanceUrl) : false;
  return {
    running: !!pid && responding,
    pid: pid ?? null,
    home: p.home,
    logFile: p.logFile,
    devHub: info ?? null,
    orgs: listOrgSummaries(opts),
  };
}

/** Deletes all state (orgs, data, keys). Refuses without `force`. */
export async function resetState(opts: DaemonOptions & { force?: boolean } = {}): Promise<{ home: string; stopped: boolean }> {
  const p = paths(opts);
  if (!opts.force) {
    throw new ToolError(`reset deletes every local org, record and key in ${p.home}.`, 'ResetNeedsForce', [
      'Run again with --force to confirm: npm run local-orgs -- reset --force',
    ]);
  }
  const { stopped } = await stopServer(opts);
  rmSync(p.home, { recursive: true, force: true });
  return { home: p.home, stopped };
}
