/**
 * The shell every command shares: run the library call, print its result (human or `--json`), and turn
 * failures into `Error (Name): message` plus the actions to try, with sf-style exit codes.
 */
import { ToolError } from '../core/ToolError.ts';

export async function runCommand<T>(json: boolean, main: () => Promise<T>, human: (result: T) => string): Promise<void> {
  try {
    const result = await main();
    process.stdout.write(json ? `${JSON.stringify({ status: 0, result }, null, 2)}\n` : `${human(result)}\n`);
  } catch (error) {
    const e = error instanceof ToolError ? error : new ToolError(error instanceof Error ? error.message : String(error), 'UnexpectedError');
    if (json) {
      process.stdout.write(`${JSON.stringify({ status: e.exitCode, ...e.toJson() }, null, 2)}\n`);
    } else {
      process.stderr.write(`Error (${e.name}): ${e.message}\n`);
      for (const action of e.actions) process.stderr.write(`Try this: ${action}\n`);
    }
    process.exitCode = e.exitCode;
  }
}

/** Parses a positive integer flag or fails with the flag's name. */
export function intFlag(name: string, value: string | undefined, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ToolError(`--${name} must be a whole number from ${min} to ${max}, not "${value}".`, 'InvalidFlag');
  }
  return n;
}

export function choiceFlag<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) {
    throw new ToolError(`--${name} must be one of ${choices.join(', ')}, not "${value}".`, 'InvalidFlag');
  }
  return value as T;
}
