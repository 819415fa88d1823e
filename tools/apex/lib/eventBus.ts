/**
 * Platform events: `EventBus.publish` gives each event its EventUuid and a SaveResult, and the
 * subscribers (`after insert` triggers on the `__e` object) receive them later: in a test at
 * `Test.stopTest()` or `Test.getEventBus().deliver()`, elsewhere after the publishing transaction
 * commits (publish-after-commit, the default PublishBehavior). Trigger.new is read-only, in chunks of
 * 2 000 with increasing ReplayIds.
 */
import { randomUUID } from 'node:crypto';
import './async.ts'; // Test, which this file extends
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexDatetime, ApexList, ApexObject, SObject } from '../run/values.ts';
import { callMethod } from '../run/calls.ts';
import type { ClassDef } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { limitEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { fireTriggers, orgTriggers, triggersFor } from '../run/triggers.ts';
import { LIMITS } from '../run/transaction.ts';
import { dmlError } from './system.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

const ref = (name: string): TypeRef => ({ name, args: [], array: 0 });
const CHUNK = 2000;
let replay = 0;

interface Publication {
  type: string;
  events: SObject[];
  delivered: boolean;
  /** The publish callback of `EventBus.publish(events, callback)`, told the outcome of these events. */
  callback?: ApexObject;
}

/** Event publications of a test transaction not delivered yet, in publishing order. */
function pending(f: Frame): Publication[] {
  let p = f.tx.cacheLocal.get('eventbus.pending') as Publication[] | undefined;
  if (!p) f.tx.cacheLocal.set('eventbus.pending', (p = []));
  return p;
}

async function deliver(f: Frame, p: Publication): Promise<void> {
  if (p.delivered) return;
  p.delivered = true;
  const triggers = triggersFor(await orgTriggers(f), p.type, 'after insert');
  for (let i = 0; i < p.events.length; i += CHUNK) {
    const chunk = p.events.slice(i, i + CHUNK).map((e) => {
      const copy = new SObject(e.type);
      for (const fv of e.fields.values()) copy.put(fv.name, fv.value);
      copy.put('ReplayId', String(++replay));
      copy.readOnly = true;
      return copy;
    });
    // A subscriber's uncaught exception stays with the subscriber: the publisher never sees it.
    await fireTriggers(f, triggers, 'after insert', p.type, chunk, null);
  }
  await tellCallback(f, p, true);
}

/** A class of the org that implements `EventBus.<iface>`, through its superclasses and interfaces. */
function implementsEventBus(cls: ClassDef | undefined, iface: string): boolean {
  const seen = new Set<ClassDef>();
  const walk = (c: ClassDef | undefined): boolean => {
    if (!c || seen.has(c)) return false;
    seen.add(c);
    if (c.interfaceRefs.some((r) => r.name.toLowerCase().replace(/^eventbus\./, '') === iface)) return true;
    return walk(c.superClass) || c.interfaces.some(walk);
  };
  return walk(cls);
}

/**
 * Publish callbacks (Platform Events Developer Guide, "Get the Result of Asynchronous Platform Event Publishing
 * with Apex Publish Callbacks"): `onSuccess` once the events are published, `onFailure` when publishing failed
 * (in a test, `Test.getEventBus().fail()`), each with the EventUuids of the events concerned.
 */
async function tellCallback(f: Frame, p: Publication, success: boolean): Promise<void> {
  const cb = p.callback;
  if (!cb) return;
  p.callback = undefined;
  const iface = success ? 'eventpublishsuccesscallback' : 'eventpublishfailurecallback';
  if (!implementsEventBus(cb.cls, iface)) return;
  const result = new NObj(success ? 'EventBus.SuccessResult' : 'EventBus.FailureResult');
  result.set(
    'uuids',
    new ApexList(
      p.events.map((e) => e.get('EventUuid')),
      ref('String'),
    ),
  );
  await callMethod(f, cb, success ? 'onSuccess' : 'onFailure', [result], { file: cb.cls.fileName, line: 1, col: 1, cls: cb.cls });
}

function saveResult(id: string | null, missing: string[]): NObj {
  const r = new NObj('Database.SaveResult');
  r.set('id', id);
  r.set('success', !missing.length);
  r.set('created', !missing.length);
  const errors = missing.length
    ? [dmlError({ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: missing })]
    : [];
  r.set('errors', new ApexList(errors, ref('Database.Error')));
  return r;
}

/** Required fields of the event the record leaves empty (an event with any is not published). */
async function missingFields(f: Frame, e: SObject): Promise<string[]> {
  const key = `eventbus.required.${e.type.toLowerCase()}`;
  let required = f.tx.cacheLocal.get(key) as string[] | undefined;
  if (!required) {
    const d = f.tx.host.describeSObject ? await f.tx.hostCall(() => f.tx.host.describeSObject!(e.type)) : undefined;
    required = (d?.fields ?? [])
      .filter((x) => x.custom && !x.nillable && !x.defaultedOnCreate && !x.calculated && !x.autoNumber && x.type !== 'boolean')
      .map((x) => x.name);
    f.tx.cacheLocal.set(key, required);
  }
  return required.filter((n) => e.get(n) === null || e.get(n) === '');
}

/** Every event type of the call is configured to publish immediately (its metadata's publishBehavior). */
async function publishesImmediately(f: Frame, events: SObject[]): Promise<boolean> {
  if (!events.length) return false;
  for (const type of new Set(events.map((e) => e.type))) {
    const d = await f.tx.host.describeSObject?.(type);
    if (d?.publishBehavior !== 'PublishImmediately') return false;
  }
  return true;
}

async function publish(f: Frame, args: unknown[], site: Site): Promise<unknown> {
  const [what, callback] = args;
  if (what === null || what === undefined) throwNpe(f, site);
  if (callback !== undefined && callback !== null && !(callback instanceof ApexObject))
    return unsupported(f, 'EventBus.publish with this callback', site);
  const list = what instanceof ApexList ? (what.items as SObject[]) : [what as SObject];
  for (const e of list)
    if (!(e instanceof SObject) || !/__e$/i.test(e.type))
      return unsupported(f, `EventBus.publish of ${e instanceof SObject ? e.type : 'a non-event'}`, site);
  // publishing counts as a DML statement; an event published immediately against a limit of its own
  // (Apex Reference, Limits.getPublishImmediateDML: "EventBus.publish calls made for platform events configured to publish immediately")
  if (await publishesImmediately(f, list)) {
    if (++f.tx.counts.publishImmediate > LIMITS.publishImmediateDml)
      limitEx(f, `Too many immediate EventBus.publish calls: ${f.tx.counts.publishImmediate}`); // unverified wording
  } else if (++f.tx.counts.dml > LIMITS.dmlStatements) limitEx(f, `Too many DML statements: ${f.tx.counts.dml}`);
  const results: NObj[] = [];
  const byType = new Map<string, SObject[]>();
  for (const e of list) {
    const missing = await missingFields(f, e);
    if (missing.length) {
      results.push(saveResult(null, missing));
      continue;
    }
    if (!e.get('EventUuid')) e.put('EventUuid', randomUUID());
    const snapshot = new SObject(e.type);
    for (const fv of e.fields.values()) snapshot.put(fv.name, fv.value);
    snapshot.put('CreatedDate', new ApexDatetime(Date.now()));
    snapshot.put('CreatedById', f.tx.host.user.id);
    byType.set(e.type.toLowerCase(), [...(byType.get(e.type.toLowerCase()) ?? []), snapshot]);
    // unverified: the Id Salesforce's SaveResult reports for an event (an `e00` key prefix here)
    results.push(saveResult('e00' + randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase() + 'AAA', []));
  }
  for (const events of byType.values()) {
    const p: Publication = { type: events[0].type, events, delivered: false, callback: (callback as ApexObject | null) ?? undefined };
    if (f.tx.isTest) pending(f).push(p);
    f.tx.asyncJobs.push({ id: '', quiddity: 'SYNCHRONOUS', run: (jf) => deliver(jf, p) });
  }
  return what instanceof ApexList ? new ApexList(results, ref('Database.SaveResult')) : results[0];
}

defineNative({ name: 'EventBus', statics: { publish } }, 'System.EventBus');

defineNative({
  name: 'EventBus.TestBroker',
  methods: {
    deliver: async (f) => {
      for (const p of pending(f).splice(0)) await deliver(f, p);
      return null;
    },
    // Test Apex Publish Callbacks (Platform Events Developer Guide): the events not yet delivered fail to
    // publish, leave the test event bus without reaching a trigger, and their callbacks get onFailure.
    fail: async (f) => {
      for (const p of pending(f).splice(0)) {
        p.delivered = true;
        await tellCallback(f, p, false);
      }
      return null;
    },
  },
});
for (const name of ['EventBus.SuccessResult', 'EventBus.FailureResult'])
  defineNative({ name, complete: true, methods: { 'List<String> getEventUuids()': (f, r: NObj) => r.get('uuids') } });
natives.get('test')!.statics!['geteventbus'] = (f: Frame, _a: unknown[], site: Site) => {
  if (!f.tx.isTest) unsupported(f, 'Test.getEventBus outside a test', site);
  return new NObj('EventBus.TestBroker');
};
