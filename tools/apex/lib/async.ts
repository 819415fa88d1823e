/**
 * Async Apex and test doubles: System.enqueueJob (Queueable), @future methods, Database.executeBatch
 * (Batchable with a QueryLocator or an Iterable), run at Test.stopTest() in tests and after the
 * enqueuing transaction commits elsewhere; Test.createStub with a System.StubProvider.
 */
import { newRecordId } from '../run/recordIds.ts';
import './system.ts'; // System, Database and Test, which this file extends
import { NObj } from './nativeValues.ts';
import { attachOptions, type QueueableOptions, queueableOptions } from './asyncOptions.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, ApexObject, TypeValue, stringValueOf } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { asyncHooks, callMethod, callVirtual, invoke } from '../run/calls.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { coerce, collectionFit, instanceOf, resolveTypeRef, runtimeTypeName, typeValue } from '../run/types.ts';
import { Frame } from '../run/frame.ts';
import type { AsyncJob } from '../run/transaction.ts';
import { type ClassDef, type MethodDef, type Site, signatureOf } from '../model/classModel.ts';

const ref = (name: string, ...args: TypeRef[]): TypeRef => ({ name, args, array: 0 });

/** AsyncApexJob Ids (prefix 707, with their checksum): the Id of the job's AsyncApexJob row (asyncJobs.ts). */
function jobId(): string {
  return newRecordId('707');
}

/**
 * Chained jobs: Developer Edition and scratch orgs allow a chain depth of 5; a Queueable cannot chain in
 * a test ("You can't chain queueable jobs in an Apex test. Doing so results in an error.", Apex Developer
 * Guide, "Queueable Apex"). unverified: the exact AsyncException text in both cases. A transaction
 * finalizer may enqueue one job, in tests too (codefriar/ApexKit's QueueableProcess chains its steps that
 * way and passes on Salesforce); its limit of one is `Limits.getLimitQueueableJobs()` (finalizers.ts).
 * Other asynchronous code of a test (a Schedulable, a batch, a future run by Test.stopTest) may enqueue a job;
 * one a scheduled job queues does not run in the test (heldInTest).
 */
function queue(f: Frame, job: AsyncJob, options?: QueueableOptions): string {
  if (f.tx.isTest && f.tx.quiddity === 'QUEUEABLE' && job.quiddity === 'QUEUEABLE')
    throwEx(f, 'AsyncException', 'Maximum stack depth has been reached.');
  // AsyncOptions.MaximumQueueableStackDepth replaces the default (asyncOptions.ts)
  if (f.tx.chainDepth >= 5 && job.quiddity === 'QUEUEABLE' && options?.maxDepth === undefined)
    throwEx(f, 'AsyncException', 'Maximum stack depth has been reached.');
  if (options) attachOptions(job, options);
  job.held = heldInTest(f);
  f.tx.asyncJobs.push(job);
  return job.id;
}

/**
 * In a test, the async Apex a scheduled job queues when Test.stopTest() runs it stays queued and never runs in
 * the test (field report: a Schedulable's execute runs but the batch it starts does not,
 * https://salesforce.stackexchange.com/questions/93670; beyond-the-cloud-dev/async-lib's AsyncTest, which passes
 * on Salesforce, counts 50 runs where a scheduled job's enqueued Queueable would have made 51). Jobs that other
 * jobs queue still run at Test.stopTest(): apex-rollup's full-recalc tests, which pass on Salesforce, reset
 * parent fields in a job that an earlier job of the test starts. unverified: a batch's finish() starting another
 * batch, a future starting a job.
 */
export function heldInTest(f: Frame): boolean {
  return f.tx.isTest && f.tx.quiddity === 'SCHEDULED';
}

/** Runs the jobs queued so far (Test.stopTest), each with fresh limits (the asynchronous ones) and its own quiddity. */
asyncHooks.runQueued = async (f: Frame): Promise<void> => {
  while (f.tx.asyncJobs.length) {
    const job = f.tx.asyncJobs.shift()!;
    if (job.held) continue;
    const restore = f.tx.freshLimits(job.quiddity);
    try {
      await job.run(new Frame(f.tx, f.cls, null, 0));
    } finally {
      restore();
    }
  }
};

function context(type: string, id: string): NObj {
  const c = new NObj(type);
  c.set('jobId', id);
  return c;
}
for (const t of ['System.QueueableContext', 'Database.BatchableContext', 'System.FinalizerContext'])
  defineNative(
    { name: t, methods: { getJobId: (f, c: NObj) => c.get('jobId'), getChildJobId: (f, c: NObj) => c.get('jobId') } },
    t.split('.')[1],
  );

const system = natives.get('system')!;
Object.assign(system.statics!, {
  enqueuejob: (f: Frame, [job, options]: unknown[], site: Site) => {
    if (job === null) throwNpe(f);
    if (!instanceOf(f, job, ref('Queueable'), site)) throwEx(f, 'AsyncException', `${runtimeTypeName(job)} does not implement Queueable`);
    const id = jobId();
    return queue(
      f,
      {
        id,
        quiddity: 'QUEUEABLE',
        run: (jf) => callVirtual(jf, job as ApexObject, 'execute', [context('System.QueueableContext', id)], site),
      },
      queueableOptions(f, options),
    );
  },
  isqueueable: (f: Frame) => f.tx.quiddity === 'QUEUEABLE',
  isfuture: (f: Frame) => f.tx.quiddity === 'FUTURE',
  isbatch: (f: Frame) => f.tx.quiddity.startsWith('BATCH'),
});

/** A call of an @future method: queued with its arguments; calling one from future or batch code is an error. */
asyncHooks.future = (f: Frame, m: MethodDef, args: unknown[], site: Site) => {
  if (f.tx.quiddity === 'FUTURE' || f.tx.quiddity.startsWith('BATCH'))
    throwEx(
      f,
      'AsyncException',
      `Future method cannot be called from a future or batch method: ${m.cls.fullName}.${m.name}(${m.params.map((p) => p.type.name).join(', ')})`,
    );
  const now: MethodDef = { ...m, annotations: m.annotations.filter((a) => a.name !== 'future') };
  queue(f, { id: jobId(), quiddity: 'FUTURE', run: (jf) => invoke(jf, now, null, args, site) });
  return null;
};

// ---------------------------------------------------------------- Batch Apex

const database = natives.get('database')!;
Object.assign(database.statics!, {
  getquerylocator: async (f: Frame, [q]: unknown[], site: Site) => {
    const records = q instanceof ApexList ? q : await database.statics!['query'](f, [q], site);
    const loc = new NObj('Database.QueryLocator');
    loc.set('records', records);
    loc.set('query', q instanceof ApexList ? null : stringValueOf(q));
    return loc;
  },
  executebatch: (f: Frame, [batch, size]: unknown[], site: Site) => {
    if (batch === null) throwNpe(f);
    if (!instanceOf(f, batch, ref('Database.Batchable'), site))
      throwEx(f, 'AsyncException', `${runtimeTypeName(batch)} does not implement Database.Batchable`);
    const scope = size === undefined || size === null ? 200 : Number(size);
    if (scope < 1 || scope > 2000) throwEx(f, 'InvalidParameterValueException', `Batchable scope must be between 1 and 2000: ${scope}`);
    const id = jobId();
    return queue(f, { id, quiddity: 'BATCH_APEX', run: (jf) => runBatch(jf, batch as ApexObject, scope, id, site) });
  },
});
defineNative({
  name: 'Database.QueryLocator',
  methods: {
    getQuery: (f, l: NObj) => l.get('query'),
    iterator: (f, l: NObj, _a, site) => callMethod(f, l.get('records'), 'iterator', [], site),
  },
});

async function runBatch(f: Frame, batch: ApexObject, scope: number, id: string, site: Site): Promise<void> {
  const ctx = context('Database.BatchableContext', id);
  const start = await callVirtual(f, batch, 'start', [ctx], site);
  let items: unknown[];
  // a QueryLocator's chunks are lists of the queried object (scope.getSObjectType() is Account for a query on Account)
  let elemType: TypeRef | undefined;
  if (start instanceof NObj && start.typeName === 'Database.QueryLocator') {
    items = start.get<ApexList>('records').items;
    elemType = start.get<ApexList>('records').elemType;
  } else if (start instanceof ApexList) {
    items = start.items;
    elemType = start.elemType;
  } else if (start instanceof ApexObject) {
    items = [];
    const it = await callMethod(f, start, 'iterator', [], site);
    while ((await callMethod(f, it, 'hasNext', [], site)) === true) items.push(await callMethod(f, it, 'next', [], site));
  } else return unsupported(f, `Database.Batchable start() returning ${runtimeTypeName(start)}`, site);
  // each execute() and finish() is a transaction of its own, with fresh limits (Apex Developer Guide, "Using Batch Apex")
  for (let i = 0; i < items.length; i += scope) {
    const restore = f.tx.freshLimits('BATCH_CHUNK_SERIAL');
    try {
      await callVirtual(f, batch, 'execute', [ctx, new ApexList(items.slice(i, i + scope), elemType)], site);
    } finally {
      restore();
    }
  }
  const restore = f.tx.freshLimits();
  try {
    await callVirtual(f, batch, 'finish', [ctx], site);
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- Test.createStub

/** The instance method a stubbed call means: declared on the class, its superclasses or its interfaces. */
function stubbedMethod(f: Frame, cls: ClassDef, key: string, args: unknown[], site: Site): MethodDef | undefined {
  const seen = new Set<ClassDef>();
  const cands: MethodDef[] = [];
  const walk = (c: ClassDef | undefined) => {
    if (!c || seen.has(c)) return;
    seen.add(c);
    for (const m of c.methods.get(key) ?? []) if (!m.isStatic && m.params.length === args.length) cands.push(m);
    walk(c.superClass);
    c.interfaces.forEach(walk);
  };
  walk(cls);
  // the overload the check phase bound by static types (`add(null)` typed String is add(String))
  const bound = site.signature === undefined ? undefined : cands.find((m) => signatureOf(m) === site.signature);
  if (bound) return bound;
  const fits = (m: MethodDef) =>
    m.params.every(
      (p, i) =>
        args[i] === null ||
        ((instanceOf(f, args[i], p.type, site, m.cls) || typeof args[i] === 'number') && collectionFit(f, args[i], p.type, m.cls) > 0),
    );
  return cands.find(fits) ?? cands[0];
}

function typeOf(f: Frame, m: MethodDef, t: TypeRef | null, site: Site): TypeValue {
  if (!t || t.name.toLowerCase() === 'void') return new TypeValue(ref('void'), 'void');
  try {
    return typeValue(new Frame(f.tx, m.cls, null, 0), t, site);
  } catch {
    return new TypeValue(t, t.name);
  }
}

natives.get('test')!.statics!['createstub'] = (f: Frame, [type, provider]: unknown[], site: Site) => {
  if (!f.tx.isTest) unsupported(f, 'Test.createStub outside a test', site);
  if (!(type instanceof TypeValue) || provider === null) throwNpe(f);
  const r = resolveTypeRef(f, (type as TypeValue).ref, site);
  if (r.kind !== 'class') return unsupported(f, `Test.createStub of ${type}`, site);
  if (!instanceOf(f, provider, ref('System.StubProvider'), site))
    throwEx(f, 'TypeException', `${runtimeTypeName(provider)} does not implement System.StubProvider`);
  const stub = new ApexObject(r.cls);
  // Salesforce's stub is an instance of a generated subclass; String.valueOf names it (fflib reads the name)
  stub.displayName = `${r.cls.name}__sfdc_ApexStub`;
  stub.stubCall = async (cf, name, args, cs) => {
    const m = stubbedMethod(cf, r.cls, name.toLowerCase(), args, cs);
    if (!m) {
      const low = name.toLowerCase();
      if (low === 'equals' && args.length === 1) return stub === args[0];
      if (low === 'hashcode' && args.length === 0) return 0;
      if (low === 'tostring' && args.length === 0) return stringValueOf(stub);
      return unsupported(cf, `method ${name} on stub of ${r.cls.fullName}`, cs);
    }
    const result = await callVirtual(
      cf,
      provider as ApexObject,
      'handleMethodCall',
      [
        stub,
        m.name,
        typeOf(cf, m, m.returnType, cs),
        new ApexList(
          m.params.map((p) => typeOf(cf, m, p.type, cs)),
          ref('System.Type'),
        ),
        new ApexList(
          m.params.map((p) => p.name),
          ref('String'),
        ),
        new ApexList([...args], ref('Object')),
      ],
      cs,
    );
    return m.returnType && m.returnType.name.toLowerCase() !== 'void' ? coerce(cf, result, m.returnType, cs) : null;
  };
  return stub;
};
