/**
 * An error a person can act on: a stable name, a one-line message, and `actions` that say what to
 * change. Modelled on sfdx-core's SfError so commands can print it the same way the `sf` CLI does.
 */
export class ToolError extends Error {
  readonly actions: string[];
  readonly exitCode: number;

  constructor(message: string, name = 'ToolError', actions: string[] = [], exitCode = 1, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.actions = actions;
    this.exitCode = exitCode;
  }

  /** The shape `--json` output uses: never a stack, never a secret. */
  toJson(): { name: string; message: string; actions: string[]; exitCode: number } {
    return { name: this.name, message: this.message, actions: this.actions, exitCode: this.exitCode };
  }
}
