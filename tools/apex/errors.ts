/**
 * How Apex failures travel through the interpreter: ApexThrow carries an Apex exception object
 * (catchable unless it is a LimitException/AssertException); UnsupportedError marks a construct the
 * local runtime does not implement, so it fails loudly instead of giving a wrong result.
 */
import type { ApexObject } from './run/values.ts';

export class ApexThrow extends Error {
  constructor(readonly ex: ApexObject) {
    super('ApexThrow');
  }
}

export class UnsupportedError extends Error {
  constructor(construct: string, where: string) {
    super(`not supported by the local runtime: ${construct} at ${where}`);
    this.name = 'UnsupportedError';
  }
}

/** A syntax or semantic problem found before running: the sf CLI shows it as a compile problem. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}
