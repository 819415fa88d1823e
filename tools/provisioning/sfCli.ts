/**
 * Runs the project-local `sf` CLI (pinned in package.json) with `--json` and returns its `result`.
 * Every step talks to orgs through it, so the local platform and real orgs take the same code path.
 */
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../core/ToolError.ts';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sfBin = join(projectRoot, 'node_modules', '.bin', 'sf');

export interface SfOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Text for stdin (e.g. anonymous Apex), so nothing secret or long goes on argv. */
  input?: string;
  timeoutMs?: number;
}

interface SfJson {
  status: number;
  result?: unknown;
  name?: string;
  message?: string;
  actions?: string[];
  data?: unknown;
}

/** The environment every sf call gets: quiet, no update checks, the project's Node first on PATH. */
export function sfEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    // The one oclif's update hook reads: without it each sf call leaves `sf update --autoupdate` behind.
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_DNS_CHECK: 'true',
    PATH: `${join(projectRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    ...extra,
  };
}

/** Runs `sf <args> --json`; resolves with `result`, or throws a ToolError carrying sf's own name, message and actions. */
export async function sf<T = unknown>(args: string[], options: SfOptions = {}): Promise<T> {
  const child = await execa(sfBin, [...args, '--json'], {
    cwd: options.cwd ?? projectRoot,
    env: sfEnv(options.env),
    input: options.input,
    reject: false,
    timeout: options.timeoutMs ?? 15 * 60_000,
  });
  const parsed = parseJson(child.stdout) ?? parseJson(child.stderr);
  if (!parsed) {
    throw new ToolError(
      `sf ${args[0]} ${args[1] ?? ''} failed (exit ${child.exitCode ?? 'signal'}): ${firstLine(child.stderr || child.stdout)}`,
      'SfCliError',
      ['Run the same sf command by hand to see its full output.'],
    );
  }
  if (parsed.status !== 0) {
    const error = new ToolError(
      parsed.message ?? `sf ${args.slice(0, 3).join(' ')} failed`,
      parsed.name ?? 'SfCliError',
      parsed.actions ?? [],
    );
    (error as ToolError & { result?: unknown }).result = parsed.result ?? parsed.data;
    throw error;
  }
  return parsed.result as T;
}

function parseJson(text: string | undefined): SfJson | undefined {
  if (!text) return undefined;
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start)) as SfJson;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? '(no output)'
  );
}
