/**
 * Runs the project's commands end to end as a user would, each suite in its own world: a temp HOME
 * (sf auth files), local platform home and port, and work folder; torn down with the platform after.
 */
import { createSign } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { execa } from 'execa';
import { readHubInfo, setSimulation } from '../../tools/local-platform/process/daemon.ts';
import type { Simulation } from '../../tools/local-platform/process/simulation.ts';

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
  /** Changes the running platform's simulated propagation, sign-up time or limits, without a restart. */
  simulate(changes: Partial<Simulation>): Promise<void>;
  /**
   * An org of this world's platform in the test's own process, as its admin (JWT bearer with the platform's
   * CLI app, as `sf org login jwt` does): for breaking and mending state through the org's API without a child process.
   */
  connect(org: { username: string; instanceUrl: string }): Promise<Connection>;
  /** Stops this world's local platform and deletes the world. */
  cleanup(): Promise<void>;
}

/**
 * `worldEnv` is this world's environment on top of the defaults: the local platform starts with it at the first
 * command (e.g. LOCAL_SF_PROPAGATION_REQUESTS for a world whose new apps propagate).
 */
export async function isolatedWorld(prefix: string, worldEnv: Record<string, string> = {}): Promise<Isolated> {
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
    // What oclif's update hook reads: without it each sf start may leave an `sf update --autoupdate` behind.
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    CI: 'true',
    // The world's background servers end with the test run, even if cleanup() never runs.
    LOCAL_SF_EXIT_WITH_PID: String(process.pid),
    ...worldEnv,
  };
  const platform = { home: env.LOCAL_SF_HOME, port: Number(env.LOCAL_SF_PORT) };
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
    simulate: (changes) => setSimulation(changes, platform),
    async connect(org) {
      const hub = readHubInfo(platform);
      if (!hub) throw new Error(`no local platform in ${platform.home}`);
      const claims = { iss: hub.clientId, sub: org.username, aud: org.instanceUrl, exp: Math.floor(Date.now() / 1000) + 120 };
      const input = [{ alg: 'RS256' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
      const assertion = `${input}.${createSign('RSA-SHA256')
        .update(input)
        .sign(await readFile(hub.keyPath, 'utf8'))
        .toString('base64url')}`;
      const response = await fetch(`${org.instanceUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      });
      const token = (await response.json()) as { access_token?: string };
      if (!token.access_token) throw new Error(`JWT login to ${org.instanceUrl} as ${org.username} failed: ${JSON.stringify(token)}`);
      const { AuthInfo, Connection } = await import('@salesforce/core');
      const authInfo = await AuthInfo.create({
        accessTokenOptions: { accessToken: token.access_token, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl },
      });
      return Connection.create({ authInfo });
    },
    async cleanup() {
      await execa(tsx, [join(root, 'tools', 'cli', 'localOrgs.ts'), 'stop'], { cwd: root, env, reject: false });
      await rm(base, { recursive: true, force: true });
      await rm(workParent, { recursive: true, force: true });
    },
  };
}
