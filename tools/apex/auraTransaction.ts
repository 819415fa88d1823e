/**
 * One @AuraEnabled call's transaction and the shapes Lightning sees (request, result, error body):
 * shared by aura.ts (the call) and auraContinuation.ts (a Continuation's callback).
 */
import type { ApexHost } from './host.ts';
import { runInTransaction } from './run/runtime.ts';
import { ApexThrow } from './errors.ts';
import { invoke, ensureStaticInit } from './run/calls.ts';
import { serialize } from './lib/json.ts';
import { stringValueOf } from './run/values.ts';
import type { ClassDef, MethodDef, Site } from './model/classModel.ts';
import type { Coverage } from './run/transaction.ts';
import type { Frame } from './run/frame.ts';
import type { RunnableProgram as Program } from './model/program.ts';
import { isContinuation } from './lib/continuation.ts';
import type { NObj } from './lib/nativeValues.ts';
import { throwEx } from './run/exceptions.ts';

export interface AuraActionRequest {
  className: string;
  methodName: string;
  params: Record<string, unknown>;
  /** The caller asked for a cacheable action (@wire); the method must say cacheable=true. */
  cacheable: boolean;
}

/** What LWC's Apex module puts in `error.body`. */
export interface AuraErrorBody {
  message: string;
  exceptionType: string;
  isUserDefinedException: boolean;
  stackTrace: string;
}

export type AuraActionResult = { ok: true; returnValue: unknown; cacheable: boolean } | { ok: false; error: AuraErrorBody };

export const auraFailed = (message: string, exceptionType = ''): AuraActionResult & { ok: false } => ({
  ok: false,
  error: { message, exceptionType, isUserDefinedException: false, stackTrace: '' },
});

export const annotation = (m: MethodDef, name: string) => m.annotations.find((a) => a.name === name);
export const auraFlag = (m: MethodDef, flag: string) => annotation(m, 'auraenabled')?.params[flag] === true;

/** What one Aura transaction left: a serialized value, a Continuation to carry on with, or the error. */
export type AuraStep = { ok: true; value: unknown; continuation?: NObj } | { ok: false; error: AuraErrorBody };

/**
 * Runs `method` of `cls` in a new transaction with the arguments `args` builds, and serializes what it
 * returns (a Continuation is handed back as is, for the caller to carry on with).
 */
export async function auraTransaction(
  host: ApexHost,
  program: Program,
  cls: ClassDef,
  method: MethodDef,
  args: (frame: Frame, site: Site) => unknown[] | Promise<unknown[]>,
  before?: (frame: Frame) => void,
): Promise<AuraStep> {
  let clientMessage: string | undefined;
  const coverage: Coverage = new Map();
  let continuation: NObj | undefined;
  const result = await runInTransaction(host, program, coverage, cls, {}, async (tx, frame) => {
    const site: Site = { file: cls.fileName, line: method.line, col: 1, cls };
    before?.(frame);
    await ensureStaticInit(frame, cls);
    try {
      const value = await invoke(frame, method, null, await args(frame, site), site);
      if (isContinuation(value)) {
        // "An Apex method that returns a Continuation object can't perform DML": rolled back, an error
        // returned (LWC Developer Guide, "Continuation Limits"). The text is the callout rule's (unverified here).
        if (tx.counts.dml > 0)
          throwEx(frame, 'CalloutException', 'You have uncommitted work pending. Please commit or rollback before calling out');
        continuation = value;
        return null;
      }
      return method.returnType && value !== null ? JSON.parse(serialize(frame, value, { suppressNulls: true }, site)) : null;
    } catch (e) {
      if (e instanceof ApexThrow && e.ex.cls.name === 'AuraHandledException') {
        const m = e.ex.fields.get('__clientMessage') ?? e.ex.fields.get('__message');
        clientMessage = m === null || m === undefined ? undefined : stringValueOf(m);
      }
      throw e;
    }
  });
  if (result.ok) return { ok: true, value: result.value, continuation };
  const f = result.failure;
  if (f.kind !== 'exception') return auraFailed(f.message, f.kind === 'compile' ? 'CompileError' : '');
  const typeName = f.typeName ?? '';
  const message = clientMessage ?? (f.message.startsWith(`${typeName}: `) ? f.message.slice(typeName.length + 2) : f.message);
  const builtin = typeName.startsWith('System.') || typeName === 'Exception';
  return { ok: false, error: { message, exceptionType: typeName, isUserDefinedException: !builtin, stackTrace: f.stackTrace } };
}
