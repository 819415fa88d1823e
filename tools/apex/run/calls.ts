/** Method dispatch, overloads, invocation, static initialization and object construction. */
import {
  ApexDate,
  ApexDatetime,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  ApexTime,
  Blob,
  Dec,
  EnumValue,
  NativeObject,
  SObject,
  TypeValue,
  stringValueOf,
} from './values.ts';
import { type TypeRef, typeRefToString } from '../model/typeRef.ts';
import { type ClassDef, type MethodDef, type Site, signatureOf } from '../model/classModel.ts';
import { CompileError } from '../errors.ts';
import { Frame } from './frame.ts';
import { NObj } from '../lib/nativeValues.ts';
import { type NativeType, natives } from '../model/natives.ts';
import {
  type Resolved,
  assignable,
  checkIdField,
  coerce,
  collectionFit,
  enumValue,
  instanceOf,
  isPlainType,
  qualifyTypeArgs,
  resolveTypeRef,
  runtimeTypeName,
} from './types.ts';
import { primeCheckboxes } from './checkboxes.ts';
import { limitEx, noEnumValue, stampTrace, throwNpe, unsupported } from './exceptions.ts';
import { apexEquals, apexHashCode, apexString, setAdd, setMethodCaller, userKeyed } from './equality.ts';

export async function ensureStaticInit(f: Frame, cls: ClassDef): Promise<void> {
  const tx = f.tx;
  if (tx.staticInitDone.has(cls)) return;
  tx.staticInitDone.add(cls);
  if (cls.superClass) await ensureStaticInit(f, cls.superClass);
  const store = new Map<string, unknown>();
  tx.statics.set(cls, store);
  if (!cls.staticInit.length) return;
  const frame = new Frame(tx, cls, null, cls.staticInitSlots);
  tx.stack.push({ cls, method: '<clinit>', line: 0, col: 0 });
  try {
    for (const step of cls.staticInit) {
      if ('field' in step) {
        const fd = step.field;
        if (fd.init) tx.tick(cls, fd.line, 1);
        store.set(fd.key, fd.init ? coerce(frame, await fd.init(frame), fd.type, siteOf(cls, fd.line)) : null);
      } else await step.block!(frame);
    }
  } finally {
    tx.stack.pop();
  }
}

function siteOf(cls: ClassDef, line: number): Site {
  return { file: cls.fileName, line, col: 1, cls };
}

/** Whether the values fit the parameters (a type the runtime cannot name counts as a fit). */
function fits(f: Frame, m: MethodDef, args: unknown[], site: Site): boolean {
  return args.every((a, i) => {
    if (a === null) return true;
    try {
      return assignable(f, a, m.params[i].type, site, m.cls) && collectionFit(f, a, m.params[i].type, m.cls) > 0;
    } catch (e) {
      if (e instanceof CompileError) return true;
      throw e;
    }
  });
}

function pickMethod(f: Frame, cands: MethodDef[], args: unknown[], site: Site): MethodDef | undefined {
  const byArity = cands.filter((m) => m.params.length === args.length);
  if (byArity.length <= 1) return byArity[0];
  // The check phase chose the overload by the arguments' static types, as Salesforce's compiler does.
  if (site.signature !== undefined) {
    const bound = byArity.find((m) => signatureOf(m) === site.signature);
    // a binding made from unknown static types (a system type the checker lacks) may not fit the values
    if (bound && fits(f, bound, args, site)) return bound;
  }
  let best: MethodDef | undefined;
  let bestScore = -1;
  for (const m of byArity) {
    let score = 0;
    let ok = true;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const t = m.params[i].type;
      if (a === null) continue;
      const elements = collectionFit(f, a, t, m.cls);
      if (elements === 0) {
        ok = false;
        break;
      }
      if (instanceOf(f, a, t, site, m.cls)) score += (t.name.toLowerCase() === 'object' ? 1 : 3) + elements;
      else if (assignable(f, a, t, site, m.cls)) score += 1;
      else {
        ok = false;
        break;
      }
    }
    if (ok && score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Finds an instance or static method among every method of that name the class declares or
 * inherits (a subclass's overload does not hide the base class's others; an override replaces the
 * method with its signature), then picks the overload the arguments fit.
 */
export function findMethod(f: Frame, cls: ClassDef, key: string, args: unknown[], site: Site, wantStatic?: boolean): MethodDef | undefined {
  let cands: MethodDef[] | undefined;
  let only: ClassDef | undefined;
  for (let c: ClassDef | undefined = cls; c; c = c.superClass) {
    const list = c.methods.get(key);
    if (!list) continue;
    if (!cands) {
      cands = list;
      only = c;
    } else {
      // a second class in the chain declares the name: merge, the most derived signature first
      if (only) {
        cands = cands.slice();
        only = undefined;
      }
      for (const m of list) if (!cands.some((x) => x.params.length === m.params.length && signatureOf(x) === signatureOf(m))) cands.push(m);
    }
  }
  if (!cands) return undefined;
  return pickMethod(
    f,
    cands.filter((x) => (x.body || x.native) && (wantStatic === undefined || x.isStatic === wantStatic)),
    args,
    site,
  );
}

const MAX_DEPTH = 1000;

/** Set by lib/async.ts: a call of an @future method queues it instead of running it. */
export const asyncHooks: {
  future?: (f: Frame, m: MethodDef, args: unknown[], site: Site) => unknown;
  /** Test.stopTest: runs the async Apex queued so far. */
  runQueued?: (f: Frame) => Promise<void>;
} = {};

export async function invoke(f: Frame, m: MethodDef, self: ApexObject | null, args: unknown[], site: Site): Promise<unknown> {
  if (m.native) return m.native(f, self, args);
  if (asyncHooks.future && m.isStatic && m.annotations.some((a) => a.name === 'future')) return asyncHooks.future(f, m, args, site);
  if (!m.body) unsupported(f, `call of abstract method ${m.name}`, site);
  const tx = f.tx;
  if (tx.stack.length >= MAX_DEPTH) limitEx(f, `Maximum stack depth reached: ${MAX_DEPTH + 1}`);
  const frame = new Frame(tx, m.cls, self, m.nSlots, m);
  for (let i = 0; i < m.params.length; i++) {
    const p = m.params[i];
    frame.locals[i] = isPlainType(p.type) ? args[i] : coerce(f, args[i], p.type, site);
  }
  tx.stack.push({ cls: m.cls, method: m.name, line: m.line, col: 1 });
  try {
    await m.body(frame);
  } finally {
    tx.stack.pop();
  }
  const r = frame.ret;
  if (m.returnType && !isPlainType(m.returnType)) return coerce(f, r, m.returnType, site);
  return r;
}

export async function callUnqualified(f: Frame, name: string, args: unknown[], site: Site): Promise<unknown> {
  const key = name.toLowerCase();
  if (f.self) {
    const m = findMethod(f, f.self.cls, key, args, site);
    if (m) return invoke(f, m, m.isStatic ? null : f.self, args, site);
  }
  for (let scope: ClassDef | undefined = f.cls; scope; scope = scope.outer) {
    const m = findMethod(f, scope, key, args, site, f.self && scope === f.cls ? undefined : true);
    if (m) {
      await ensureStaticInit(f, m.cls);
      return invoke(f, m, m.isStatic ? null : f.self, args, site);
    }
  }
  if (f.self?.cls.isException || f.cls.isException) return exceptionMethod(f, f.self!, key, args, site);
  throw new CompileError(
    `Method does not exist or incorrect signature: void ${name}(${args.map(runtimeTypeName).join(', ')}) from the type ${f.cls.fullName}`,
    site.file,
    site.line,
    site.col,
  );
}

export async function callSuper(f: Frame, name: string, args: unknown[], site: Site): Promise<unknown> {
  const sup = f.cls.superClass;
  const key = name.toLowerCase();
  if (sup) {
    const m = findMethod(f, sup, key, args, site);
    if (m) return invoke(f, m, f.self, args, site);
    if (sup.isException) return exceptionMethod(f, f.self!, key, args, site);
  }
  if (f.self) return objectMethod(f, f.self, key, args, site);
  return unsupported(f, `super.${name}`, site);
}

export async function callStatic(f: Frame, t: Resolved, name: string, args: unknown[], site: Site): Promise<unknown> {
  const key = name.toLowerCase();
  if (t.kind === 'class') {
    const cls = t.cls;
    if (cls.kind === 'enum') {
      if (key === 'values')
        return new ApexList(
          cls.enumValues.map((_, i) => enumValue(cls, i)),
          { name: cls.fullName, args: [], array: 0 },
        );
      if (key === 'valueof') {
        const idx = cls.enumValues.findIndex((e) => e === args[0]);
        if (idx < 0) noEnumValue(f, args[0]);
        return enumValue(cls, idx);
      }
    }
    await ensureStaticInit(f, cls);
    const m = findMethod(f, cls, key, args, site, true);
    if (m) return invoke(f, m, null, args, site);
    throw new CompileError(
      `Method does not exist or incorrect signature: void ${name}(${args.map(runtimeTypeName).join(', ')}) from the type ${cls.fullName}`,
      site.file,
      site.line,
      site.col,
    );
  }
  if (t.kind === 'native') {
    const fn = t.nt.statics?.[key];
    if (fn) return fn(f, args, site);
    return unsupported(f, `${t.nt.name}.${name}`, site);
  }
  if (t.kind === 'sobject') {
    const sm = natives.get('$sobjectstatics')!.statics![key];
    if (sm) return sm(f, [t.name, ...args], site);
    // a System class named like an sObject (Site, Network): its static methods are the class's
    const sys = natives.get('system.' + t.name.toLowerCase())?.statics?.[key];
    if (sys) return sys(f, args, site);
    return unsupported(f, `${t.name}.${name}`, site);
  }
  return unsupported(f, `${t.name}.${name}`, site);
}

/** Methods every object has: toString, equals, hashCode. */
async function objectMethod(f: Frame, obj: ApexObject, key: string, args: unknown[], site: Site): Promise<unknown> {
  // no override here (callMethod found none): Object's own toString, reference equality and hash
  if (key === 'tostring' && args.length === 0) return stringValueOf(obj);
  if (key === 'equals' && args.length === 1) return obj === args[0];
  if (key === 'hashcode' && args.length === 0) return apexHashCode(f, obj, site);
  if (key === 'clone' && args.length === 0) {
    // a shallow copy: the same class, the same field values (collections and objects shared)
    const copy = new ApexObject(obj.cls);
    for (const [k, v] of obj.fields) copy.fields.set(k, v);
    return copy;
  }
  return unsupported(f, `method ${key} on ${obj.cls.fullName}`, site);
}

async function exceptionMethod(f: Frame, ex: ApexObject, key: string, args: unknown[], site: Site): Promise<unknown> {
  switch (key) {
    case 'getmessage':
      return ex.fields.get('__message') ?? null;
    case 'setmessage':
      ex.fields.set('__message', args[0]);
      return null;
    case 'getcause':
      return ex.fields.get('__cause') ?? null;
    case 'initcause':
      ex.fields.set('__cause', args[0]);
      return null;
    case 'gettypename':
      return ex.cls.typeName;
    case 'getlinenumber':
      return ex.line ?? -1;
    case 'getstacktracestring':
      return ex.stackTrace ?? '';
    case 'tostring':
      return stringValueOf(ex);
    case 'getdmlmessage':
    case 'getdmltype':
    case 'getdmlfieldnames':
    case 'getdmlfields':
    case 'getdmlid':
    case 'getdmlindex':
    case 'getnumdml':
      return dmlRowInfo(f, ex, key, args);
  }
  return objectMethod(f, ex, key, args, site);
}

export async function callMethod(f: Frame, target: unknown, name: string, args: unknown[], site: Site): Promise<unknown> {
  if (target === null || target === undefined) throwNpe(f, site);
  const key = name.toLowerCase();
  if (target instanceof ApexObject) {
    if (target.stubCall) return target.stubCall(f, name, args, site);
    const m = findMethod(f, target.cls, key, args, site);
    if (m) return invoke(f, m, m.isStatic ? null : target, args, site);
    if (target.cls.isException) return exceptionMethod(f, target, key, args, site);
    return objectMethod(f, target, key, args, site);
  }
  if (target instanceof TypeValue) {
    const low = target.ref.name.toLowerCase();
    if (low !== 'list' && low !== 'set' && low !== 'map') {
      const tm = natives.get('system.type')!.methods![key];
      if (tm) return tm(f, target, args, site);
    }
  }
  const nt = nativeTypeOf(target);
  const fn = nt?.methods?.[key] ?? twinTypeOf(target)?.methods?.[key];
  if (fn) return fn(f, target, args, site);
  if (key === 'equals' && args.length === 1) return apexEquals(f, target, args[0], true, site);
  if (key === 'hashcode') return apexHashCode(f, target, site);
  if (key === 'tostring') return apexString(f, target, site);
  return unsupported(f, `${nt?.name ?? runtimeTypeName(target)}.${name}`, site);
}

setMethodCaller(callMethod);

/** The other type a run-time value may have been declared as: Id (a string), Long (a number), Double (a Dec). */
function twinTypeOf(v: unknown): NativeType | undefined {
  if (typeof v === 'string') return natives.get('id');
  if (typeof v === 'number') return natives.get('long');
  return v instanceof Dec ? natives.get('double') : undefined;
}

function nativeTypeOf(v: unknown): NativeType | undefined {
  switch (typeof v) {
    case 'string':
      return natives.get('string');
    case 'number':
      return natives.get('integer');
    case 'boolean':
      return natives.get('boolean');
  }
  if (v instanceof Dec) return natives.get('decimal');
  if (v instanceof ApexList) return natives.get('list');
  if (v instanceof ApexSet) return natives.get('set');
  if (v instanceof ApexMap) return natives.get('map');
  if (v instanceof SObject) return natives.get('sobject');
  if (v instanceof Blob) return natives.get('blob');
  if (v instanceof ApexDate) return natives.get('date');
  if (v instanceof ApexDatetime) return natives.get('datetime');
  if (v instanceof ApexTime) return natives.get('time');
  if (v instanceof EnumValue) return natives.get('$enum');
  if (v instanceof TypeValue) return natives.get('system.type');
  if (v instanceof NativeObject) return natives.get(v.typeName.toLowerCase());
  return undefined;
}

/** DmlException.getDml*(i): the failed rows run/dml.ts recorded on the exception. */
function dmlRowInfo(f: Frame, ex: ApexObject, key: string, args: unknown[]): unknown {
  const rows = (ex.fields.get('__dmlrows') ?? []) as {
    index: number;
    id: string | null;
    statusCode: string;
    message: string;
    fields: string[];
  }[];
  if (key === 'getnumdml') return rows.length || 1;
  const row = rows[Number(args[0] ?? 0)];
  const strings = (xs: string[]) => new ApexList(xs, { name: 'String', args: [], array: 0 });
  switch (key) {
    case 'getdmlmessage':
      return row ? row.message : (ex.fields.get('__message') ?? null);
    case 'getdmltype':
      return row ? (natives.get('system.statuscode')?.props?.[row.statusCode.toLowerCase()]?.get(f) ?? null) : null;
    case 'getdmlfieldnames':
      return strings(row?.fields ?? []);
    case 'getdmlfields':
      return new ApexList(
        (row?.fields ?? []).map((name) => {
          const t = new NObj('Schema.SObjectField');
          t.set('name', name);
          return t;
        }),
        { name: 'Schema.SObjectField', args: [], array: 0 },
      );
    case 'getdmlid':
      return row?.id ?? null;
    case 'getdmlindex':
      return row?.index ?? null;
  }
  return null;
}

/** Calls a method of an Apex object from TypeScript (mocks, Comparable, CacheBuilder …). */
export async function callVirtual(f: Frame, obj: ApexObject, name: string, args: unknown[], site: Site): Promise<unknown> {
  return callMethod(f, obj, name, args, site);
}

// ------------------------------------------------------------------ construction

export async function newObject(f: Frame, t: TypeRef, args: unknown[], site: Site): Promise<unknown> {
  const r = resolveTypeRef(f, t, site);
  if (r.kind === 'class') return construct(f, r.cls, args, site);
  if (r.kind === 'native') {
    if (r.nt.construct) return r.nt.construct(f, args, site, t);
    return unsupported(f, `new ${r.nt.name}()`, site);
  }
  if (r.kind === 'sobject') {
    if (args.length) unsupported(f, `new ${r.name}(<positional arguments>)`, site);
    await primeCheckboxes(f, r.name);
    return new SObject(r.name);
  }
  return unsupported(f, `new ${t.name}`, site);
}

export async function newWithFields(f: Frame, t: TypeRef, pairs: [string, unknown][], site: Site): Promise<unknown> {
  const r = resolveTypeRef(f, t, site);
  if (r.kind === 'native' && r.nt.openFields && r.nt.construct) {
    const made = (await r.nt.construct(f, [], site, t)) as { set(k: string, v: unknown): void };
    for (const [k, v] of pairs) made.set(k, v);
    return made;
  }
  if (r.kind !== 'sobject') return unsupported(f, `name=value constructor arguments for ${t.name}`, site);
  await primeCheckboxes(f, r.name);
  const so = new SObject(r.name);
  for (const [k, v] of pairs) {
    checkIdField(f, k, v);
    so.put(k, v);
  }
  return so;
}

export function newCollection(f: Frame, written: TypeRef, vals: unknown[], site: Site): unknown {
  const t = qualifyTypeArgs(f, written);
  const n = t.name.toLowerCase();
  if (n === 'list')
    return new ApexList(
      vals.map((v) => (t.args[0] && !isPlainType(t.args[0]) ? coerce(f, v, t.args[0], site) : v)),
      t.args[0],
    );
  if (n === 'set') {
    return setOf(f, t, vals, site);
  }
  if (n === 'map') return new ApexMap(t.args[0], t.args[1]);
  return unsupported(f, `new ${t.name}{}`, site);
}

/** A new Set of `vals`; elements with their own equals/hashCode go through them (asynchronously). */
function setOf(f: Frame, t: TypeRef, vals: unknown[], site: Site): ApexSet | Promise<ApexSet> {
  const s = new ApexSet(t.args[0]);
  if (!vals.some(userKeyed)) {
    for (const v of vals) s.add(v);
    return s;
  }
  return (async () => {
    for (const v of vals) await setAdd(f, s, v, site);
    return s;
  })();
}

export function newCollectionFrom(f: Frame, written: TypeRef, args: unknown[], site: Site): unknown {
  const t = qualifyTypeArgs(f, written);
  const n = t.name.toLowerCase();
  const src = args[0];
  if (args.length === 0) return newCollection(f, t, [], site);
  if (src === null) throwNpe(f, site);
  if (n === 'list') {
    if (src instanceof ApexList || src instanceof ApexSet)
      return new ApexList(src instanceof ApexList ? src.items.slice() : src.values(), t.args[0]);
    // `new List<Integer>(n)` holds n nulls, as `new Integer[n]` does (ApexKit's ULID fills one by index)
    if (typeof src === 'number') return new ApexList(new Array(Math.max(0, Math.trunc(src))).fill(null), t.args[0]);
  }
  if (n === 'set') {
    if (src instanceof ApexList || src instanceof ApexSet) return setOf(f, t, src instanceof ApexList ? src.items : src.values(), site);
  }
  if (n === 'map') {
    const m = new ApexMap(t.args[0], t.args[1]);
    if (src instanceof ApexMap) {
      // the same buckets: keys with their own equals/hashCode stay findable
      m.map = new Map(src.map);
      return m;
    }
    if (src instanceof ApexList) {
      for (const so of src.items) if (so instanceof SObject) m.put(so.get('Id'), so);
      return m;
    }
  }
  return unsupported(f, `new ${typeRefToString(t)}(${args.map(runtimeTypeName).join(', ')})`, site);
}

export async function construct(f: Frame, cls: ClassDef, args: unknown[], site: Site): Promise<ApexObject> {
  if (cls.kind !== 'class' || cls.modifiers.includes('abstract'))
    throw new CompileError(
      `${cls.kind === 'interface' ? 'Interfaces' : 'Abstract classes'} cannot be constructed: ${cls.fullName}`,
      site.file,
      site.line,
      site.col,
    );
  await ensureStaticInit(f, cls);
  const obj = new ApexObject(cls);
  if (cls.isException) stampTrace(f, obj);
  // Apex initializes every field of the hierarchy (superclass first) before any constructor body runs:
  // a superclass constructor that calls a method the subclass overrides sees the subclass's fields
  // initialized (fflib-apex-common's DerivedUnitOfWork relies on it; docs/salesforce-rules.md).
  const chain: ClassDef[] = [];
  for (let c: ClassDef | undefined = cls; c && !c.builtin; c = c.superClass) chain.unshift(c);
  for (const c of chain) await runInstanceInit(f, c, obj);
  await runCtor(f, cls, obj, args, site);
  return obj;
}

/** `this(...)`/`super(...)` reuse the caller's site for traces, with the overload the checker bound for them. */
function unbound(site: Site, signature?: string): Site {
  return site.signature === signature ? site : { ...site, signature };
}

async function runCtor(f: Frame, cls: ClassDef, obj: ApexObject, args: unknown[], site: Site): Promise<void> {
  const tx = f.tx;
  if (cls.builtin) {
    // Exception(), Exception(String), Exception(Exception), Exception(String, Exception)
    let msg: unknown = null;
    let cause: unknown = null;
    if (args.length === 1) {
      if (args[0] instanceof ApexObject) cause = args[0];
      else msg = args[0];
    } else if (args.length === 2) [msg, cause] = args;
    if (cause instanceof ApexObject && msg === null) msg = stringValueOf(cause);
    // AuraHandledException keeps its text for the client; getMessage() says 'Script-thrown exception' until setMessage.
    if (cls.name === 'AuraHandledException' && args.length) {
      obj.fields.set('__clientMessage', msg);
      msg = 'Script-thrown exception';
    }
    obj.fields.set('__message', msg);
    obj.fields.set('__cause', cause);
    return;
  }
  const ctor = pickMethod(f, cls.ctors, args, site);
  if (!ctor) {
    // exceptions keep the four standard constructors beside their own ((), (msg), (cause), (msg, cause))
    const implicit = (cls.ctors.length === 0 && args.length === 0) || (cls.isException && args.length <= 2);
    if (!implicit)
      throw new CompileError(
        `Constructor not defined: [${cls.fullName}].<Constructor>(${args.map(runtimeTypeName).join(', ')})`,
        site.file,
        site.line,
        site.col,
      );
    if (cls.superClass) await runCtor(f, cls.superClass, obj, cls.isException ? args : [], unbound(site));
    return;
  }
  // A constructor chain (this(...) calling itself) counts against the stack depth as method calls do.
  if (tx.stack.length >= MAX_DEPTH) limitEx(f, `Maximum stack depth reached: ${MAX_DEPTH + 1}`);
  const frame = new Frame(tx, cls, obj, ctor.nSlots, ctor);
  for (let i = 0; i < ctor.params.length; i++) frame.locals[i] = coerce(f, args[i], ctor.params[i].type, site);
  tx.stack.push({ cls, method: '<init>', line: ctor.line, col: 1 });
  try {
    const d = ctor.delegate;
    if (d && d.kind === 'this') {
      const dargs = [];
      for (const a of d.args) dargs.push(await a(frame));
      await runCtor(f, cls, obj, dargs, unbound(site, d.signature));
    } else {
      const sargs = [];
      if (d) for (const a of d.args) sargs.push(await a(frame));
      if (cls.superClass) await runCtor(f, cls.superClass, obj, sargs, unbound(site, d?.signature));
    }
    await ctor.body!(frame);
  } finally {
    tx.stack.pop();
  }
}

async function runInstanceInit(f: Frame, cls: ClassDef, obj: ApexObject): Promise<void> {
  if (!cls.instanceInit.length) return;
  const frame = new Frame(f.tx, cls, obj, cls.instanceInitSlots);
  f.tx.stack.push({ cls, method: '<init>', line: 1, col: 1 });
  try {
    for (const step of cls.instanceInit) {
      if ('field' in step) {
        const fd = step.field;
        if (fd.init) f.tx.tick(cls, fd.line, 1);
        const v = fd.init ? await fd.init(frame) : null;
        obj.fields.set(fd.key, v === null ? null : coerce(frame, v, fd.type, siteOf(cls, fd.line)));
      } else await step.block!(frame);
    }
  } finally {
    f.tx.stack.pop();
  }
}
