/**
 * An @AuraEnabled(continuation=true) action that returned a Continuation: the platform sends its
 * requests at once (a view of three orgs takes about as long as the slowest), each through the host's
 * callout (Remote Site Settings and Named Credentials apply as to any callout), then runs the callback
 * in a new transaction, where Continuation.getResponse reads the responses, and answers the component
 * with the callback's result. A callback may return another Continuation (at most three in a chain).
 * Sources: LWC Developer Guide, "Continuations" (https://developer.salesforce.com/docs/platform/lwc/guide/apex-continuations.html),
 * "@AuraEnabled Annotations for Continuations" and "Continuation Limits"; Apex Developer Guide,
 * "Asynchronous Callout Limits" (HttpRequest timeouts are ignored; only the Continuation's applies).
 */
import type { ApexHost } from './host.ts';
import type { RunnableProgram as Program } from './model/program.ts';
import type { ClassDef, MethodDef } from './model/classModel.ts';
import type { NObj } from './lib/nativeValues.ts';
import { auraFailed, auraFlag, auraTransaction, type AuraActionResult } from './auraTransaction.ts';
import {
  callbackArgs,
  continuationRequests,
  findCallback,
  MAX_CONTINUATION_TIMEOUT_SECONDS,
  setContinuationResponses,
  timeoutMessage,
} from './lib/continuation.ts';
import { newResponse } from './lib/web.ts';
import { Dec } from './run/values.ts';

/** "Maximum number of chained Apex callouts": 3. */
const MAX_CHAIN = 3;
/** "Maximum HTTP response size": 1 MB. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The status codes Continuation.getResponse reports for a request that got no HTTP answer (Apex
 * Reference, Continuation Class, getResponse): 2000 timeout, 2001 connection failure, 2002 other
 * exception, 2004 response over 1 MB. The status texts are ours.
 */
function failedResponse(code: number, status: string): NObj {
  const r = newResponse();
  r.set('statusCode', code);
  r.set('status', status);
  return r;
}

async function send(host: ApexHost, req: NObj, timeoutMs: number): Promise<NObj> {
  const endpoint = req.get<string | null>('endpoint');
  const method = req.get<string | null>('method');
  if (!endpoint || !method) return failedResponse(2002, `The request has no ${endpoint ? 'method' : 'endpoint'}`);
  const headers: Record<string, string> = {};
  for (const h of req.get<Map<string, { name: string; value: string }>>('headers').values()) headers[h.name] = h.value;
  try {
    const out = await host.callout({ method, endpoint, headers, body: req.get<Buffer>('body'), timeoutMs });
    if (out.body.length > MAX_RESPONSE_BYTES) return failedResponse(2004, `The response is larger than 1 MB (${out.body.length} bytes)`);
    const res = newResponse();
    res.set('statusCode', out.statusCode);
    res.set('status', out.status);
    res.set('body', out.body);
    const hs = res.get<Map<string, { name: string; value: string }>>('headers');
    for (const [k, v] of Object.entries(out.headers)) hs.set(k.toLowerCase(), { name: k, value: v });
    return res;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return failedResponse(2000, `No response within the Continuation's timeout (${timeoutMs / 1000} s): ${endpoint}`);
    if (err.message === 'fetch failed')
      return failedResponse(2001, `Connection failure: ${endpoint}${err.cause?.code ? ` (${err.cause.code})` : ''}`);
    // Unauthorized endpoint (no Remote Site Setting), an unknown Named Credential …: the host's message.
    return failedResponse(2002, err.message);
  }
}

/** Sends every request of the Continuation at once; the responses by label. */
export async function sendContinuation(host: ApexHost, c: NObj): Promise<Map<string, NObj>> {
  const seconds = Number(c.get<unknown>('timeout') instanceof Dec ? c.get<Dec>('timeout').n : c.get('timeout'));
  const timeoutMs = Math.min(Math.max(seconds, 1), MAX_CONTINUATION_TIMEOUT_SECONDS) * 1000;
  const entries = [...continuationRequests(c)];
  const responses = await Promise.all(entries.map(([, req]) => send(host, req, timeoutMs)));
  return new Map(entries.map(([label], i) => [label, responses[i]]));
}

export async function runContinuation(
  host: ApexHost,
  program: Program,
  cls: ClassDef,
  start: MethodDef,
  first: NObj,
): Promise<AuraActionResult> {
  // Unverified wordings below are ours; each names the fix.
  if (!auraFlag(start, 'continuation'))
    return auraFailed(`${cls.name}.${start.name} returned a Continuation: annotate it @AuraEnabled(continuation=true)`);
  let returnedBy = start;
  let current = first;
  for (let chain = 1; ; chain++) {
    const seconds = Number(current.get<unknown>('timeout') instanceof Dec ? current.get<Dec>('timeout').n : current.get('timeout'));
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_CONTINUATION_TIMEOUT_SECONDS)
      return auraFailed(timeoutMessage(current.get('timeout')), 'System.CalloutException');
    const name = current.get<string | null>('continuationMethod');
    if (!name)
      return auraFailed(
        `The Continuation returned by ${cls.name}.${returnedBy.name} has no continuationMethod: set it to the name of a static callback method of ${cls.name}`,
      );
    const callback = findCallback(cls, name);
    if (!callback || !callback.isStatic)
      return auraFailed(
        `No static callback method ${name}(List<String> labels, Object state) on ${cls.name}: the callback must be in the class whose method returned the Continuation`,
      );
    // "@AuraEnabled Annotations for Continuations": a cacheable action with a callback that is not cacheable throws.
    if (auraFlag(returnedBy, 'cacheable') && !auraFlag(callback, 'cacheable'))
      return auraFailed(
        `${cls.name}.${returnedBy.name} is @AuraEnabled(cacheable=true), so its callback ${callback.name} must be @AuraEnabled(cacheable=true) too`,
      );
    const responses = await sendContinuation(host, current);
    const step = await auraTransaction(
      host,
      program,
      cls,
      callback,
      () => callbackArgs(callback, current),
      (frame) => setContinuationResponses(frame, responses),
    );
    if (!step.ok) return step;
    if (!step.continuation) return { ok: true, returnValue: step.value, cacheable: auraFlag(callback, 'cacheable') };
    if (chain >= MAX_CHAIN)
      return auraFailed(`More than ${MAX_CHAIN} chained Continuations: the limit is ${MAX_CHAIN} (Asynchronous Callout Limits)`);
    returnedBy = callback;
    current = step.continuation;
  }
}
