/**
 * Runs the project's commands end to end as a user would, each suite in its own world: a temp HOME
 * (sf auth files), local platform home and port, and work folder; torn down with the platform after.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export const root = join(import.meta.dirname, '..', '..');
export const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface CommandResult {
  exitCode: number;
  json: { status: number; result?: Record<string, any>; name?: string; message?: string; actions?: string[] };
}

export interface Isolated {
  base: string;
  /** The work folder (state file, rendered metadata, local keys), inside the project's .local. */
  work: string;
  env: Record<string, string>;
  /** `tools/cli/<command>.ts … --json` in a child process; its one JSON object, parsed. */
  cli(command: string, args?: string[], extraEnv?: Record<string, string>): Promise<CommandResult>;
  /** Stops this world's local platform and deletes the world. */
  cleanup(): Promise<void>;
}

export async function isolatedWorld(prefix: string): Promise<Isolated> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  // The work folder sits inside the project, as the default .local/setup does, so the project's own
  // files (.forceignore, sfdx-project.json) act on rendering and deploys exactly as for a user.
  await mkdir(join(root, '.local'), { recursive: true });
  const workParent = await mkdtemp(join(root, '.local', prefix));
  // configure keeps its state beside it (`<work>-<provider>-<consumer>`), also inside workParent.
  const work = join(workParent, 'setup');
  const env = {
    HOME: join(base, 'home'),
    LOCAL_SF_HOME: join(base, 'platform'),
    LOCAL_SF_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
    ORG_A_TO_B_WORKDIR: work,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    CI: 'true',
    // The world's background servers end with the test run, even if cleanup() never runs.
    LOCAL_SF_EXIT_WITH_PID: String(process.pid),
  };
  return {
    base,
    work,
    env,
    async cli(command, args = [], extraEnv = {}) {
      const child = await execa(tsx, [join(root, 'tools', 'cli', `${command}.ts`), ...args, '--json'], {
        cwd: root,
        env: { ...env, ...extraEnv },
        reject: false,
        timeout: 240_000,
      });
      try {
        return { exitCode: child.exitCode ?? -1, json: JSON.parse(child.stdout) };
      } catch {
        throw new Error(`${command} printed no JSON (exit ${child.exitCode}): ${child.stdout}\n${child.stderr}`);
      }
    },
    async cleanup() {
      await execa(tsx, [join(root, 'tools', 'cli', 'localOrgs.ts'), 'stop'], { cwd: root, env, reject: false });
      await rm(base, { recursive: true, force: true });
      await rm(workParent, { recursive: true, force: true });
    },
  };
}
