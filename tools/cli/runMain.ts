/**
 * The exit of a command that computes its own exit code (apex-test, corpus): exit once stdout is flushed
 * (a pipe takes output asynchronously: `--json | jq` got 64 KiB), and turn a failure into
 * `Error (Name): message` with its "Try" lines. Commands with one result object use runCommand.ts.
 */
import { ToolError } from '../core/ToolError.ts';

export function runMain(main: (argv: string[]) => Promise<number>, argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (e) => {
      if (e instanceof ToolError) {
        process.stderr.write(`Error (${e.name}): ${e.message}\n${e.actions.map((a) => `  Try: ${a}\n`).join('')}`);
        process.exit(e.exitCode);
      }
      process.stderr.write(`Error: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
