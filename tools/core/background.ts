/**
 * The background processes the project's commands leave running (the local platform, the reference
 * external service): the project's Node with tsx's loader, detached into a process group of its own,
 * output to a log file. No `tsx` wrapper process stands between: the pid is the server's own, so a
 * stop (SIGTERM, then SIGKILL of its whole group) ends the server itself, never only a wrapper with
 * the server orphaned behind it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** Tests set this to their own pid: a background process ends once that process is gone (exitWithParent). */
export const EXIT_WITH_PID = 'LOCAL_SF_EXIT_WITH_PID';

/**
 * The environment a background server starts with: what Node, tsx and the locale need and the
 * LOCAL_SF_* settings, plus `extra`; nothing else of the starting shell (a keystore password, tokens)
 * lives on in a long-running process.
 */
export function backgroundEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = /^(PATH|HOME|TMPDIR|TMP|TEMP|TZ|LANG|LC_[A-Z]+|NODE_[A-Z_]+|TSX_[A-Z_]+|LOCAL_SF_[A-Z_]+)$/;
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => keep.test(k))), ...extra };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `node --import tsx <script>` detached, stdout and stderr appended to `logFile`; returns its pid. */
export function spawnBackground(script: string, opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): number {
  const out = openSync(opts.logFile, 'a', 0o600);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', out, out],
      env: opts.env,
    });
    child.unref();
    if (!child.pid) throw new Error(`could not spawn ${script}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the detached process leads its own group
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * SIGTERM, then SIGKILL of the whole group if it has not ended within `graceMs`. Resolves once the
 * process is gone; `killed` tells whether it needed SIGKILL.
 */
export async function stopBackground(pid: number, graceMs = 10_000): Promise<{ stopped: boolean; killed: boolean }> {
  if (!isAlive(pid)) return { stopped: false, killed: false };
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!isAlive(pid)) return { stopped: true, killed: false };
  signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  return { stopped: true, killed: true };
}

/**
 * When `LOCAL_SF_EXIT_WITH_PID` names a process (a test run), calls `stop` once that process is gone,
 * so a test that dies before its clean-up leaves no server behind. Checked every 2 s on an unref'd timer.
 */
export function exitWithParent(stop: () => void): void {
  const parent = Number(process.env[EXIT_WITH_PID]);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    if (isAlive(parent)) return;
    clearInterval(timer);
    stop();
  }, 2000);
  timer.unref();
}
