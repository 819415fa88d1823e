/**
 * System.Continuation: up to three HTTP requests that the platform sends at once after the action
 * method returns, then a callback in a new transaction reads each response by its label
 * (Continuation.getResponse). Apex Reference, "Continuation Class":
 * https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-class-system-continuation.html
 * Limits: "Asynchronous Callout Limits" (3 parallel callouts, 120 s), Apex Developer Guide:
 * https://developer.salesforce.com/docs/platform/apex-dev/references/apex-dev/apex-continuation-limits.html
 * The Aura side (sending the requests, the callback transaction) is tools/apex/auraContinuation.ts.
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList, ApexMap, ApexObject, Dec, stringValueOf } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { throwEx, throwNpe } from '../run/exceptions.ts';
import { invoke } from '../run/calls.ts';
import type { Frame } from '../run/frame.ts';
import type { Site, ClassDef, MethodDef } from '../model/classModel.ts';

export const MAX_CONTINUATION_REQUESTS = 3;
export const MAX_CONTINUATION_TIMEOUT_SECONDS = 120;
const STRING: TypeRef = { name: 'String', args: [], array: 0 };
const HTTP_REQUEST: TypeRef = { name: 'HttpRequest', args: [], array: 0 };
/** Where the callback transaction finds the responses Continuation.getResponse returns. */
const RESPONSES = 'continuation.responses';
/** Test.setContinuationResponse's mock responses, by label. */
const TEST_RESPONSES = 'continuation.testResponses';

const num = (v: unknown): number => Number(v instanceof Dec ? v.n : v);

// Unverified wording (ours): Salesforce's text for a timeout outside 1..120 s is not documented.
export const timeoutMessage = (seconds: unknown) =>
  `Continuation timeout must be between 1 and ${MAX_CONTINUATION_TIMEOUT_SECONDS} seconds, not ${stringValueOf(seconds)}`;

function checkTimeout(f: Frame, t: unknown): number {
  if (t === null || t === undefined) throwNpe(f);
  const s = num(t);
  if (!Number.isInteger(s) || s < 1 || s > MAX_CONTINUATION_TIMEOUT_SECONDS) throwEx(f, 'CalloutException', timeoutMessage(t));
  return s;
}

export const isContinuation = (v: unknown): v is NObj => v instanceof NObj && v.typeName === 'System.Continuation';

/** The requests added so far, in order, by label. */
export const continuationRequests = (c: NObj): Map<string, NObj> => c.get<Map<string, NObj>>('__requests');

defineNative(
  {
    name: 'System.Continuation',
    construct: (f, [timeout]) => {
      const c = new NObj('System.Continuation');
      c.set('timeout', checkTimeout(f, timeout));
      c.set('continuationMethod', null);
      c.set('state', null);
      c.set('__requests', new Map<string, NObj>());
      return c;
    },
    fields: ['continuationmethod', 'timeout', 'state'],
    methods: {
      'String addHttpRequest(HttpRequest)': (f, c: NObj, [req]) => {
        if (!(req instanceof NObj)) throwNpe(f);
        const requests = continuationRequests(c);
        // Documented limit; the exception type and text are ours (unverified).
        if (requests.size >= MAX_CONTINUATION_REQUESTS)
          throwEx(f, 'CalloutException', `A Continuation can hold at most ${MAX_CONTINUATION_REQUESTS} requests`);
        const label = `Continuation-${requests.size + 1}`;
        requests.set(label, req as NObj);
        return label;
      },
      'Map<String, HttpRequest> getRequests()': (f, c: NObj) => {
        const m = new ApexMap(STRING, HTTP_REQUEST);
        for (const [label, req] of continuationRequests(c)) m.put(label, req);
        return m;
      },
      tostring: (f, c: NObj) => `Continuation:[timeout=${c.get('timeout')}, continuationMethod=${c.get('continuationMethod')}]`,
    },
    statics: {
      'HttpResponse getResponse(String)': (f, [label]) => {
        if (label === null) throwNpe(f);
        return f.tx.cacheLocal.get(RESPONSES) instanceof Map
          ? ((f.tx.cacheLocal.get(RESPONSES) as Map<string, NObj>).get(stringValueOf(label)) ?? null)
          : null;
      },
    },
  },
  'Continuation',
);

/** Makes `responses` what Continuation.getResponse answers in this transaction (the callback's). */
export function setContinuationResponses(f: Frame, responses: Map<string, NObj>): void {
  f.tx.cacheLocal.set(RESPONSES, responses);
}

/**
 * The callback a Continuation names, on `cls`: `(List<String> labels, Object state)`, `(Object state)`
 * or, for Visualforce-style instance callbacks, `()`.
 */
export function findCallback(cls: ClassDef, name: string): MethodDef | undefined {
  const overloads = cls.methods.get(name.toLowerCase()) ?? [];
  return (
    overloads.find((m) => m.params.length === 2) ??
    overloads.find((m) => m.params.length === 1) ??
    overloads.find((m) => m.params.length === 0)
  );
}

/** The arguments the callback takes: the labels and the state, the state, or none. */
export function callbackArgs(method: MethodDef, continuation: NObj): unknown[] {
  const labels = new ApexList([...continuationRequests(continuation).keys()], STRING);
  const state = continuation.get('state');
  return method.params.length === 2 ? [labels, state] : method.params.length === 1 ? [state] : [];
}

async function callCallback(f: Frame, method: MethodDef, self: ApexObject | null, continuation: NObj, site: Site): Promise<unknown> {
  return invoke(f, method, method.isStatic ? null : self, callbackArgs(method, continuation), site);
}

// ---------------------------------------------------------------- Test support (registered on Test by system.ts)

/** Test.setContinuationResponse(String requestLabel, HttpResponse mockResponse). */
export function testSetContinuationResponse(f: Frame, label: unknown, response: unknown): null {
  if (label === null) throwNpe(f);
  let m = f.tx.cacheLocal.get(TEST_RESPONSES) as Map<string, NObj> | undefined;
  if (!m) f.tx.cacheLocal.set(TEST_RESPONSES, (m = new Map()));
  m.set(stringValueOf(label), response as NObj);
  return null;
}

/**
 * Test.invokeContinuationMethod(Object controller, Continuation request): runs the continuation's
 * callback on the controller's class with the mock responses set so far (no request is sent).
 */
export async function testInvokeContinuationMethod(f: Frame, controller: unknown, continuation: unknown, site: Site): Promise<unknown> {
  if (!isContinuation(continuation)) throwNpe(f);
  if (!(controller instanceof ApexObject)) throwNpe(f);
  const c = continuation as NObj;
  const name = c.get<string | null>('continuationMethod');
  // Unverified wording (ours).
  if (!name) throwEx(f, 'CalloutException', 'The Continuation has no continuationMethod: set it to the name of the callback method');
  const method = findCallback((controller as ApexObject).cls, name);
  if (!method) throwEx(f, 'CalloutException', `No callback method ${name} on ${(controller as ApexObject).cls.name}`);
  const mocks = (f.tx.cacheLocal.get(TEST_RESPONSES) as Map<string, NObj> | undefined) ?? new Map<string, NObj>();
  const saved = f.tx.cacheLocal.get(RESPONSES);
  setContinuationResponses(
    f,
    new Map([...continuationRequests(c).keys()].flatMap((l) => (mocks.has(l) ? [[l, mocks.get(l)!] as [string, NObj]] : []))),
  );
  try {
    return await callCallback(f, method!, controller as ApexObject, c, site);
  } finally {
    f.tx.cacheLocal.set(RESPONSES, saved);
  }
}
