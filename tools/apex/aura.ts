/**
 * @AuraEnabled methods as Lightning calls them (ApexActionController.execute): a static method found by
 * class and method name, named JSON params, the result serialized without nulls, and an exception
 * reported as the `body` of the error a component's Apex import rejects with. A method annotated
 * `continuation=true` may return a Continuation: auraContinuation.ts sends its requests and runs the
 * callback.
 */
import type { ApexHost } from './host.ts';
import { loadProgram } from './compiler.ts';
import { parseJson, typed } from './lib/json.ts';
import type { ClassDef, MethodDef } from './model/classModel.ts';
import { runContinuation } from './auraContinuation.ts';
import { annotation, auraFailed, auraFlag, auraTransaction, type AuraActionRequest, type AuraActionResult } from './auraTransaction.ts';

export type { AuraActionRequest, AuraActionResult, AuraErrorBody } from './auraTransaction.ts';

export async function runAuraAction(host: ApexHost, request: AuraActionRequest): Promise<AuraActionResult> {
  const program = await loadProgram(host);
  const cls = program.classes.get(request.className.toLowerCase());
  // Only `public` or `global` `static` @AuraEnabled methods of classes that are not tests (LWC Developer Guide,
  // "Expose Apex Methods to Lightning Web Components": "the method must be static and either global or public").
  const exposed = (m: MethodDef) =>
    m.isStatic && !!annotation(m, 'auraenabled') && m.modifiers.some((x) => x === 'public' || x === 'global');
  const method = cls && !inTestClass(cls) ? cls.methods.get(request.methodName.toLowerCase())?.find(exposed) : undefined;
  // Unverified: Salesforce's exact text for an unknown, private or test method (deploy normally rejects such an import first).
  if (!cls || !method)
    return auraFailed(`No @AuraEnabled static method ${request.methodName} on the Apex class ${request.className} in this org.`);
  // Unverified: the wording Lightning shows (field reports quote it; Apex REST says "named: X").
  if (host.canAccessClass && !(await host.canAccessClass(cls.name)))
    return auraFailed(`You do not have access to the Apex class named '${cls.name}'.`);
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
