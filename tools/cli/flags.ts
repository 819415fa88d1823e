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
  try {
    return parseArgs<T>({ ...config, args } as T);
  } catch (e) {
    return exitWithFlagError(flagError(firstSentence((e as Error).message), usage), args.includes('--json'));
  }
}
