import { createSign, generateKeyPairSync, createHmac, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startPlatform, type RunningPlatform, type PlatformOptions } from '../../tools/local-platform/http/server.ts';
import { createOrg, type NewOrg } from '../../tools/local-platform/devhub/orgs.ts';
import type { StoredOrg } from '../../tools/data/store.ts';

/** Shared helpers for the local platform suites: a platform in a temp home on free ports, JWT minting. */
/**
 * The arguments of `sf org login jwt` as the platform's admin through its CLI app, under `alias`.
 * `keyFile` replaces the app's key path (a test that wrote the key elsewhere).
 */
export function jwtLoginArgs(
  p: RunningPlatform,
  alias: string,
  opts: { defaultFlag?: '--set-default' | '--set-default-dev-hub'; keyFile?: string } = {},
): string[] {
  const args = ['org', 'login', 'jwt', '--username', p.adminUsername, '--client-id', p.cliApp.clientId];
  args.push('--jwt-key-file', opts.keyFile ?? p.cliApp.keyPath, '--instance-url', p.url, '--alias', alias);
  return opts.defaultFlag ? [...args, opts.defaultFlag] : args;
}

export async function startTestPlatform(opts: Partial<PlatformOptions> = {}): Promise<RunningPlatform & { cleanup(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'lp-test-'));
  const p = await startPlatform({ home, port: 0, ...opts });
  return Object.assign(p, {
    async cleanup() {
      await p.close();
      rmSync(home, { recursive: true, force: true });
    },
  });
}

/** A scratch org made directly in the test platform's store (no sign-up), with its admin user. */
export function addScratchOrg(
  p: RunningPlatform,
  name: string,
  username: string,
  extra: Partial<NewOrg> = {},
): { org: StoredOrg; adminId: string } {
  return createOrg(p.db, {
    name,
    kind: 'scratch',
    port: 1,
    edition: 'Developer',
    features: [],
    settings: {},
    admin: { username, email: username, lastName: 'Admin' },
    ...extra,
  });
}

export const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export function signRs256(header: Record<string, unknown>, claims: Record<string, unknown>, privateKeyPem: string | KeyObject): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const sig = createSign('RSA-SHA256').update(input).sign(privateKeyPem).toString('base64url');
  return `${input}.${sig}`;
}

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function otherKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function cliKey(p: RunningPlatform): string {
  return readFileSync(p.cliApp.keyPath, 'utf8');
}

export async function postToken(
  instanceUrl: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Environment that keeps the sf CLI away from the real user's ~/.sf. */
export function isolatedSfEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_CONTENT_TYPE: 'JSON',
    SFDX_DISABLE_DNS_CHECK: 'true',
    NODE_NO_WARNINGS: '1',
    // A local platform started through this env ends with the test run, even if its clean-up never runs.
    LOCAL_SF_EXIT_WITH_PID: String(process.pid),
  };
}

export async function api(
  url: string,
  token: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const r = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: r.status, body };
}

/** An access token for the Dev Hub admin through the real JWT grant. */
export async function adminToken(p: RunningPlatform, instanceUrl = p.url, username = p.adminUsername): Promise<string> {
  const jwt = signRs256(
    { alg: 'RS256' },
    { iss: p.cliApp.clientId, sub: username, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 120 },
    cliKey(p),
  );
  const r = await postToken(instanceUrl, { grant_type: JWT_GRANT, assertion: jwt });
  if (r.status !== 200) throw new Error(`token: ${JSON.stringify(r.body)}`);
  return r.body.access_token as string;
}

const SF = fileURLToPath(new URL('../../node_modules/.bin/sf', import.meta.url));

/** Runs the project's real sf CLI with `--json` in an isolated env; never throws on a failed command. */
export async function runSfJson(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs = 120_000,
): Promise<{ status: number; result: any; message?: string; raw: string }> {
  const r = await execa(SF, [...args, '--json'], { env, cwd, reject: false, timeout: timeoutMs });
  const raw = String(r.stdout);
  try {
    const j = JSON.parse(raw);
    return { status: j.status, result: j.result, message: j.message, raw };
  } catch {
    return { status: r.exitCode ?? -1, result: undefined, message: String(r.stderr), raw };
  }
}

/** What `sf … --json` printed, with its exit code. */
export interface SfJson {
  exitCode: number;
  json: {
    status: number;
    result: Record<string, unknown>;
    message?: string;
    warnings?: string[];
    name?: string;
    data?: Record<string, unknown>;
  };
}

/**
 * A temp folder with an sf project (`project/`) and its own HOME, so the CLI's auth files never touch
 * the user's; `sf(args)` runs the real CLI there with `--json`, and `loginJwt` logs it into a platform.
 */
export function sfWorkspace(prefix: string) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const project = join(work, 'project');
  const home = join(work, 'home');
  const env = {
    ...isolatedSfEnv(home),
    PATH: `${join(fileURLToPath(new URL('../../node_modules/.bin', import.meta.url)))}:${process.env.PATH}`,
  };
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  async function sf(args: string[], extraEnv: Record<string, string> = {}): Promise<SfJson> {
    const r = await execa(SF, [...args, '--json'], { cwd: project, env: { ...env, ...extraEnv }, reject: false, extendEnv: true });
    try {
      return { exitCode: r.exitCode ?? 1, json: JSON.parse(r.stdout) };
    } catch {
      throw new Error(`sf ${args.join(' ')} printed no JSON: ${r.stdout}\n${r.stderr}`);
    }
  }
  /** `sf org login jwt` as the platform's admin through its CLI app, under `alias`. */
  const loginJwt = (p: RunningPlatform, alias: string, defaultFlag: '--set-default' | '--set-default-dev-hub') =>
    sf(jwtLoginArgs(p, alias, { defaultFlag }));
  return { work, project, env, sf, loginJwt, remove: () => rmSync(work, { recursive: true, force: true }) };
}
