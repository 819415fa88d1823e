/**
 * Flag parsing every command shares: node:util parseArgs (strict), `--help` prints the usage, and a
 * bad flag ends the command with one `Error (InvalidFlag): …` line and the usage (exit code 2, as the
 * sf CLI's flag errors), or the same as one JSON object with `--json`, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ToolError } from '../core/ToolError.ts';

export const FLAG_ERROR_EXIT_CODE = 2;

/** parseArgs' message up to its first sentence: "Unknown option '--x'." without the positional hint. */
function firstSentence(message: string): string {
  const line = message.split('\n')[0]!;
  const end = line.indexOf('. ');
  const sentence = end > 0 ? line.slice(0, end + 1) : line;
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

export function flagError(message: string, usage: string): ToolError {
  return new ToolError(message, 'InvalidFlag', [usage], FLAG_ERROR_EXIT_CODE);
}

/** Prints a flag error (human or `--json`) and exits. */
export function exitWithFlagError(error: ToolError, json: boolean): never {
  if (json) process.stdout.write(`${JSON.stringify({ status: error.exitCode, ...error.toJson() }, null, 2)}\n`);
  else process.stderr.write(`Error (${error.name}): ${error.message}\n${error.actions.join('\n')}\n`);
  process.exit(error.exitCode);
}

export function parseFlags<T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs<T>({ ...config, args } as T);
  } catch (e) {
    return exitWithFlagError(flagError(firstSentence((e as Error).message), usage), args.includes('--json'));
  }
  // Environment values every command reads are checked with its flags, before any work.
  checkFlags(usage, {}, {}, args.includes('--json'));
  return parsed;
}

/**
 * One flag's (or environment value's) check: returns the value as the command uses it, or throws an
 * Error whose message says what is accepted ("must be …"). Commands list theirs in a table, so every
 * value is checked before any work starts and a new flag is one more row.
 */
export type FlagCheck<T> = (value: string) => T;

export const oneOf =
  <T extends string>(...choices: T[]): FlagCheck<T> =>
  (v) => {
    if (!choices.includes(v as T)) throw new Error(`must be one of ${choices.join(', ')}, not "${v}"`);
    return v as T;
  };

export const wholeNumber =
  (min: number, max: number): FlagCheck<number> =>
  (v) => {
    const n = /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`must be a whole number from ${min} to ${max}, not "${v}"`);
    return n;
  };

/** An http(s) URL, or one of `words` (e.g. "local" for `--external-service`). */
export const urlOr =
  (...words: string[]): FlagCheck<string> =>
  (v) => {
    if (words.includes(v)) return v;
    const u = URL.canParse(v) ? new URL(v) : undefined;
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      throw new Error(`must be an http(s) URL${words.length ? ` or ${words.join(', ')}` : ''}, not "${v}"`);
    return v;
  };

export const nonEmpty: FlagCheck<string> = (v) => {
  if (!v.trim()) throw new Error('must not be empty');
  return v;
};

/** A TCP port a server can be found on again: 0 (any free port) is no use to a command. */
export const tcpPort = wholeNumber(1, 65535);

/** Environment values every command reads, checked with its flags. */
export const ENV_CHECKS: Record<string, FlagCheck<unknown>> = {
  LOCAL_SF_PORT: tcpPort,
};

type Checked<C> = { [K in keyof C]?: C[K] extends FlagCheck<infer T> ? T : never };

/**
 * Runs the table's checks over the given flag values and the environment, before any work: the first bad
 * one ends the command with its name, what is accepted, the usage and exit code 2.
 */
export function checkFlags<C extends Record<string, FlagCheck<unknown>>>(
  usage: string,
  checks: C,
  values: Record<string, unknown>,
  json: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Checked<C> {
  const out: Record<string, unknown> = {};
  // A check may throw its own flag error (a whole sentence and the usage), or a "must be …" clause.
  const fail = (what: string, e: unknown) =>
    exitWithFlagError(e instanceof ToolError ? e : flagError(`${what} ${(e as Error).message}.`, usage), json);
  for (const [name, check] of Object.entries(ENV_CHECKS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    try {
      check(v);
    } catch (e) {
      fail(name, e);
    }
  }
  for (const [name, check] of Object.entries(checks)) {
    const v = values[name];
    if (v === undefined || typeof v !== 'string') continue;
    try {
      out[name] = check(v);
    } catch (e) {
      fail(`--${name}`, e);
    }
  }
  return out as Checked<C>;
}
