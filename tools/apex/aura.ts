/**
 * @AuraEnabled methods as Lightning calls them (ApexActionController.execute): a static method found by
 * class and method name, named JSON params, the result serialized without nulls, and an exception
 * reported as the `body` of the error a component's Apex import rejects with. A method annotated
 * `continuation=true` may return a Continuation: auraContinuation.ts sends its requests and runs the
 * callback.
 */
import type { ApexHost } from './host.ts';
import { runInTransaction } from './run/runtime.ts';
import { loadProgram } from './compiler.ts';
import { ApexThrow } from './errors.ts';
import { invoke, ensureStaticInit } from './run/calls.ts';
import { parseJson, serialize, typed } from './lib/json.ts';
import { stringValueOf } from './run/values.ts';
import type { ClassDef, MethodDef, Site } from './model/classModel.ts';
import type { Coverage } from './run/transaction.ts';
import type { Frame } from './run/frame.ts';
import type { RunnableProgram as Program } from './model/program.ts';
import { isContinuation } from './lib/continuation.ts';
import type { NObj } from './lib/registry.ts';
import { throwEx } from './run/exceptions.ts';
import { runContinuation } from './auraContinuation.ts';

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

export const auraFailed = (message: string, exceptionType = ''): AuraActionResult & { ok: false } => ({ ok: false, error: { message, exceptionType, isUserDefinedException: false, stackTrace: '' } });

export const annotation = (m: MethodDef, name: string) => m.annotations.find((a) => a.name === name);
export const auraFlag = (m: MethodDef, flag: string) => annotation(m, 'auraenabled')?.params[flag] === true;

/** What one Aura transaction left: a serialized value, a Continuation to carry on with, or the error. */
export type AuraStep = { ok: true; value: unknown; continuation?: NObj } | { ok: false; error: AuraErrorBody };

/**
 * Runs `method` of `cls` in a new transaction with the arguments `args` builds, and serializes what it
 * returns (a Continuation is handed back as is, for the caller to carry on with).
 */
export async function auraTransaction(host: ApexHost, program: Program, cls: ClassDef, method: MethodDef, args: (frame: Frame, site: Site) => unknown[] | Promise<unknown[]>, before?: (frame: Frame) => void): Promise<AuraStep> {
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
        if (tx.counts.dml > 0) throwEx(frame, 'CalloutException', 'You have uncommitted work pending. Please commit or rollback before calling out');
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

export async function runAuraAction(host: ApexHost, request: AuraActionRequest): Promise<AuraActionResult> {
  const program = await loadProgram(host);
  const cls = program.classes.get(request.className.toLowerCase());
  // Only `public` or `global` `static` @AuraEnabled methods of classes that are not tests (LWC Developer Guide,
  // "Expose Apex Methods to Lightning Web Components": "the method must be static and either global or public").
  const exposed = (m: MethodDef) => m.isStatic && !!annotation(m, 'auraenabled') && m.modifiers.some((x) => x === 'public' || x === 'global');
  const method = cls && !inTestClass(cls) ? cls.methods.get(request.methodName.toLowerCase())?.find(exposed) : undefined;
  // Unverified: Salesforce's exact text for an unknown, private or test method (deploy normally rejects such an import first).
  if (!cls || !method) return auraFailed(`No @AuraEnabled static method ${request.methodName} on the Apex class ${request.className} in this org.`);
  // Unverified: the wording Lightning shows (field reports quote it; Apex REST says "named: X").
  if (host.canAccessClass && !(await host.canAccessClass(cls.name))) return auraFailed(`You do not have access to the Apex class named '${cls.name}'.`);
  const cacheable = auraFlag(method, 'cacheable');
  if (request.cacheable && !cacheable) {
    return auraFailed(`Apex methods that are to be cached must be marked as @AuraEnabled(cacheable=true)`);
  }
  const step = await auraTransaction(host, program, cls, method, (frame, site) => {
    // Through Apex's JSON reader, so numbers keep their text (Integer vs Decimal) as in Apex REST.
    const params = parseJson(frame, JSON.stringify(request.params ?? {})) as Record<string, unknown>;
    return method.params.map((p) => typed(frame, (params[p.name] ?? null) as never, p.type, site, false));
  });
  if (!step.ok) return step;
  if (step.continuation) return runContinuation(host, program, cls, method, step.continuation);
  return { ok: true, returnValue: step.value, cacheable };
}

/** A class annotated @IsTest, or nested in one. */
function inTestClass(cls: ClassDef): boolean {
  for (let c: ClassDef | undefined = cls; c; c = c.outer) if (c.isTest) return true;
  return false;
}
