/**
 * Runs one Apex transaction against a host: begin, run, commit on success or roll back on failure,
 * and turn whatever escaped into the text Salesforce would show ("System.X: msg" + stack trace).
 */
import '../lib/index.ts';
import type { ApexHost } from '../host.ts';
import type { RunnableProgram } from '../model/program.ts';
import { Transaction, type Coverage } from './transaction.ts';
import { Frame } from './frame.ts';
import { ApexThrow, CompileError, UnsupportedError } from '../errors.ts';
import { limitEx } from './exceptions.ts';
import { stringValueOf, UnsupportedEquality } from './values.ts';
import type { ClassDef } from '../model/classModel.ts';

export interface ApexFailure {
  kind: 'exception' | 'unsupported' | 'compile' | 'internal';
  /** `System.NullPointerException: Attempt to de-reference a null object` */
  message: string;
  typeName?: string;
  stackTrace: string;
  line: number;
  column: number;
}

/** Describes an error that escaped Apex code. */
export function describeFailure(err: unknown, tx?: Transaction): ApexFailure {
  if (err instanceof ApexThrow) {
    const ex = err.ex;
    const msg = ex.fields.get('__message');
    const typeName = ex.cls.typeName;
    return {
      kind: 'exception',
      typeName,
      message: msg === null || msg === undefined ? typeName : `${typeName}: ${stringValueOf(msg)}`,
      stackTrace: ex.stackTrace ?? '',
      line: ex.line ?? 0,
      column: ex.column ?? 0,
    };
  }
  const top = tx?.stack[tx.stack.length - 1];
  if (err instanceof CompileError) return { kind: 'compile', message: err.message, stackTrace: '', line: err.line, column: err.column };
  if (err instanceof UnsupportedError || err instanceof UnsupportedEquality)
    return { kind: 'unsupported', message: err.message, stackTrace: tx?.stackTrace() ?? '', line: top?.line ?? 0, column: top?.col ?? 0 };
  const e = err as Error;
  if (e instanceof RangeError && /Invalid (string|array|typed array) length|allocation failed/i.test(e.message))
    return {
      kind: 'exception',
      typeName: 'System.LimitException',
      message: 'System.LimitException: Apex heap size too large',
      stackTrace: tx?.stackTrace() ?? '',
      line: top?.line ?? 0,
      column: top?.col ?? 0,
    };
  return {
    kind: 'internal',
    message: `Internal error in the local Apex runtime: ${e?.message ?? String(err)}`,
    stackTrace: tx?.stackTrace() ?? '',
    line: top?.line ?? 0,
    column: top?.col ?? 0,
  };
}

export interface TxOptions {
  isTest?: boolean;
  /** System.Quiddity of the transaction (Request.getCurrent().getQuiddity()); tests default to RUNTEST_SYNC. */
  quiddity?: string;
  /** How many async jobs queued this one (a job enqueued by a job is one deeper). */
  chainDepth?: number;
  /** Leave transaction control (begin/commit/rollback) to the caller. */
  manageTransaction?: boolean;
  /** Test isolation: shared by a test method and its @TestSetup (see Transaction.testDataIds). */
  testDataIds?: Set<string>;
}

/**
 * Runs `body` inside a fresh Transaction. Returns the result or the failure; never throws for Apex
 * errors. Stack depth is tracked from here.
 */
export async function runInTransaction<T>(
  host: ApexHost,
  program: RunnableProgram,
  coverage: Coverage,
  entryCls: ClassDef,
  opts: TxOptions,
  body: (tx: Transaction, frame: Frame) => Promise<T>,
): Promise<{ ok: true; value: T; tx: Transaction } | { ok: false; failure: ApexFailure; tx: Transaction }> {
  const tx = new Transaction(host, program, coverage);
  tx.isTest = !!opts.isTest;
  tx.quiddity = opts.quiddity ?? (opts.isTest ? 'RUNTEST_SYNC' : 'SYNCHRONOUS');
  tx.testDataIds = opts.testDataIds;
  tx.chainDepth = opts.chainDepth ?? 0;
  const frame = new Frame(tx, entryCls, null, 0);
  tx.onCpuLimit = () => limitEx(frame, 'Apex CPU time limit exceeded');
  tx.onHeapLimit = () => limitEx(frame, 'Apex heap size too large');
  const manage = opts.manageTransaction !== false;
  if (manage) await host.begin();
  try {
    const value = await body(tx, frame);
    for (; tx.savepointDepth > 0; tx.savepointDepth--) await tx.host.commit();
    if (manage) await host.commit();
    // Async Apex starts once its transaction has committed (a rolled-back one never enqueued it). Locally
    // each job runs right away, in its own transaction, before the entry point returns.
    if (manage)
      for (const job of tx.asyncJobs.splice(0))
        await runInTransaction(host, program, coverage, entryCls, { quiddity: job.quiddity, chainDepth: tx.chainDepth + 1 }, (_t, jf) =>
          job.run(jf),
        );
    return { ok: true, value, tx };
  } catch (err) {
    const failure = describeFailure(err, tx);
    for (; tx.savepointDepth > 0; tx.savepointDepth--) await tx.host.rollback();
    if (manage) await host.rollback();
    return { ok: false, failure, tx };
  }
}
