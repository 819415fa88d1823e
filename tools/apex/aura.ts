/**
 * @AuraEnabled methods as Lightning calls them (ApexActionController.execute): a static method found by
 * class and method name, named JSON params, the result serialized without nulls, and an exception
 * reported as the `body` of the error a component's Apex import rejects with.
 */
import type { ApexHost } from './host.ts';
import { loadProgram, runInTransaction } from './run/runtime.ts';
import { ApexThrow } from './errors.ts';
import { invoke, ensureStaticInit } from './run/calls.ts';
import { parseJson, serialize, typed } from './lib/json.ts';
import { stringValueOf } from './run/values.ts';
import type { Site } from './lower/classModel.ts';
import type { Coverage } from './run/transaction.ts';

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

const failed = (message: string, exceptionType = ''): AuraActionResult => ({ ok: false, error: { message, exceptionType, isUserDefinedException: false, stackTrace: '' } });

export async function runAuraAction(host: ApexHost, request: AuraActionRequest): Promise<AuraActionResult> {
  const program = await loadProgram(host);
  const cls = program.classes.get(request.className.toLowerCase());
  const method = cls?.methods.get(request.methodName.toLowerCase())?.find((m) => m.isStatic && m.annotations.some((a) => a.name === 'auraenabled'));
  // Unverified: Salesforce's exact text for an unknown class or method (deploy normally rejects such an import first).
  if (!cls || !method) return failed(`No @AuraEnabled static method ${request.methodName} on the Apex class ${request.className} in this org.`);
  // Unverified: the wording Lightning shows (field reports quote it; Apex REST says "named: X").
  if (host.canAccessClass && !(await host.canAccessClass(cls.name))) return failed(`You do not have access to the Apex class named '${cls.name}'.`);
  const cacheable = method.annotations.some((a) => a.name === 'auraenabled' && a.params['cacheable'] === true);
  if (request.cacheable && !cacheable) {
    return failed(`Apex methods that are to be cached must be marked as @AuraEnabled(cacheable=true)`);
  }
  let clientMessage: string | undefined;
  const coverage: Coverage = new Map();
  const result = await runInTransaction(host, program, coverage, cls, {}, async (_tx, frame) => {
    const site: Site = { file: cls.fileName, line: method.line, col: 1, cls };
    // Through Apex's JSON reader, so numbers keep their text (Integer vs Decimal) as in Apex REST.
    const params = parseJson(frame, JSON.stringify(request.params ?? {})) as Record<string, unknown>;
    const args = method.params.map((p) => typed(frame, (params[p.name] ?? null) as never, p.type, site, false));
    await ensureStaticInit(frame, cls);
    try {
      const value = await invoke(frame, method, null, args, site);
      return method.returnType && value !== null ? JSON.parse(serialize(frame, value, { suppressNulls: true }, site)) : null;
    } catch (e) {
      if (e instanceof ApexThrow && e.ex.cls.name === 'AuraHandledException') {
        const m = e.ex.fields.get('__clientMessage') ?? e.ex.fields.get('__message');
        clientMessage = m === null || m === undefined ? undefined : stringValueOf(m);
      }
      throw e;
    }
  });
  if (result.ok) return { ok: true, returnValue: result.value, cacheable };
  const f = result.failure;
  if (f.kind !== 'exception') return failed(f.message, f.kind === 'compile' ? 'CompileError' : '');
  const typeName = f.typeName ?? '';
  const message = clientMessage ?? (f.message.startsWith(`${typeName}: `) ? f.message.slice(typeName.length + 2) : f.message);
  const builtin = typeName.startsWith('System.') || typeName === 'Exception';
  return { ok: false, error: { message, exceptionType: typeName, isUserDefinedException: !builtin, stackTrace: f.stackTrace } };
}
