/**
 * Run-time semantics the compiled closures call into: name and type resolution, method dispatch,
 * object construction, operators, coercions, exceptions, SOQL and DML. Kept apart from the compiler
 * so the system library (lib/) can reuse the same dispatch.
 */
import type { ClassDef, MethodDef } from './classModel.ts';
import type { Site } from './compiler.ts';
import { Frame } from './frame.ts';
import { ApexThrow, CompileError, UnsupportedError } from './errors.ts';
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
  typeRefToString,
  definesEquality,
  UnsupportedEquality,
  type TypeRef,
} from './values.ts';
import { exceptionClass } from './program.ts';
import { natives, NObj, type NativeType } from './lib/registry.ts';
import { LIMITS } from './transaction.ts';
import type { SObjectRecord } from './host.ts';

// ------------------------------------------------------------------ errors

export function where(site: Site): string {
  return `${site.file}:${site.line}`;
}

export function unsupported(_f: Frame, what: string, site: Site): never {
  throw new UnsupportedError(what, where(site));
}

/** Builds a System (or namespaced) exception object with the current stack trace. */
export function makeEx(f: Frame, qualified: string, message: string | null, cause: ApexObject | null = null): ApexObject {
  const cls = exceptionClass(qualified);
  const ex = new ApexObject(cls);
  ex.fields.set('__message', message);
  ex.fields.set('__cause', cause);
  stampTrace(f, ex);
  return ex;
}

export function stampTrace(f: Frame, ex: ApexObject): void {
  ex.stackTrace = f.tx.stackTrace();
  const top = f.tx.stack[f.tx.stack.length - 1];
  ex.line = top?.line ?? 0;
  ex.column = top?.col ?? 0;
}

export function throwEx(f: Frame, qualified: string, message: string | null, cause: ApexObject | null = null): never {
  throw new ApexThrow(makeEx(f, qualified, message, cause));
}

export function throwNpe(f: Frame, _site?: Site): never {
  throwEx(f, 'NullPointerException', 'Attempt to de-reference a null object');
}

export function throwValue(f: Frame, v: unknown, site: Site): never {
  if (v === null) throwNpe(f, site);
  if (!(v instanceof ApexObject) || !v.cls.isException) throwEx(f, 'TypeException', 'Only exceptions can be thrown');
  if (!v.stackTrace) stampTrace(f, v);
  throw new ApexThrow(v);
}

export function limitEx(f: Frame, message: string): never {
  throwEx(f, 'LimitException', message);
}

const UNCATCHABLE = new Set(['LimitException', 'AssertException']);

export function matchCatch<T extends { typeName: string }>(
  f: Frame,
  err: unknown,
  catches: T[],
  _site: Site,
): (T & { ex: ApexObject }) | undefined {
  if (!(err instanceof ApexThrow)) return undefined;
  const ex = err.ex;
  if (ex.cls.builtin && UNCATCHABLE.has(ex.cls.name)) return undefined;
  for (const c of catches) {
    const cls = f.tx.program.findClass(c.typeName, f.cls);
    if (cls && ex.cls.isSubclassOf(cls)) return { ...c, ex };
  }
  return undefined;
}

// ------------------------------------------------------------------ types

export type Resolved =
  | { kind: 'class'; cls: ClassDef }
  | { kind: 'native'; nt: NativeType }
  | { kind: 'sobject'; name: string }
  | { kind: 'namespace'; name: string };

const STANDARD_SOBJECTS = new Set(
  (
    'Account Contact Lead Opportunity Case User Profile Organization Task Event Campaign CampaignMember Product2 Pricebook2 ' +
    'PricebookEntry Order OrderItem Asset Contract Note Attachment ContentVersion ContentDocument ContentDocumentLink Group ' +
    'GroupMember PermissionSet PermissionSetAssignment RecordType ApexClass ApexTrigger AsyncApexJob CronTrigger EmailMessage ' +
    'UserRole Document Folder AggregateResult OpportunityLineItem OpportunityContactRole AccountContactRelation ' +
    'Certificate NamedCredential RemoteProxy ExternalDataSource CustomPermission SetupEntityAccess FeedItem Topic Period ' +
    'BusinessHours Holiday Entitlement ServiceContract WorkOrder Quote QuoteLineItem Individual ConnectedApplication'
  )
    .split(' ')
    .map((s) => s.toLowerCase()),
);

export function isSObjectName(name: string): boolean {
  const n = name.toLowerCase().replace(/^schema\./, '');
  return STANDARD_SOBJECTS.has(n) || /__(c|mdt|e|x|b|share|history|feed)$/.test(n) || n === 'sobject';
}

/** Setup objects and custom metadata stay visible in tests; other rows only when the test made them. */
const TEST_VISIBLE = new Set(
  'user profile userrole recordtype organization permissionset permissionsetassignment permissionsetgroup group groupmember apexclass apextrigger apexpage asyncapexjob crontrigger businesshours certificate namedcredential externalcredential remotesitesetting customPermission setupentityaccess aggregateresult'
    .toLowerCase()
    .split(' '),
);
export function isTestDataObject(sobject: string): boolean {
  const n = sobject.toLowerCase();
  return !TEST_VISIBLE.has(n) && !n.endsWith('__mdt');
}

const NAMESPACES = new Set(['system', 'auth', 'cache', 'schema', 'database', 'messaging', 'dom', 'reflection']);

/** Resolves a (possibly dotted) type name as seen from class `from`. */
export function resolveTypeName(f: Frame, name: string, from: ClassDef = f.cls): Resolved | undefined {
  const low = name.toLowerCase();
  const cls = f.tx.program.findClass(name, from);
  if (cls) return { kind: 'class', cls };
  const nt = natives.get(low);
  if (nt) return { kind: 'native', nt };
  if (isSObjectName(low)) return { kind: 'sobject', name: canonicalSObjectName(name) };
  if (NAMESPACES.has(low)) return { kind: 'namespace', name: low };
  return undefined;
}

function canonicalSObjectName(name: string): string {
  const n = name.replace(/^schema\./i, '');
  const std = [...STANDARD_SOBJECTS].find((s) => s === n.toLowerCase());
  if (std) return n[0].toUpperCase() + n.slice(1);
  return n;
}

export function resolveTypeRef(f: Frame, t: TypeRef, site: Site): Resolved {
  const r = resolveTypeName(f, t.name);
  if (!r) throw new CompileError(`Invalid type: ${t.name}`, site.file, site.line, site.col);
  return r;
}

export function typeValue(f: Frame, t: TypeRef, site: Site): TypeValue {
  const low = t.name.toLowerCase();
  if (low === 'list' || low === 'set' || low === 'map') return new TypeValue(t, typeRefToString(t));
  const r = resolveTypeRef(f, t, site);
  const display = r.kind === 'class' ? r.cls.fullName : r.kind === 'native' ? r.nt.name : r.kind === 'sobject' ? r.name : t.name;
  return new TypeValue({ ...t, name: r.kind === 'class' ? r.cls.fullName : t.name }, display);
}

/** Names whose values need no coercion on assignment. */
export function isPlainType(t: TypeRef): boolean {
  const n = t.name.toLowerCase();
  if (n === 'decimal' || n === 'double' || n === 'long' || n === 'integer') return false;
  if (isSObjectName(n) && n !== 'sobject') return false;
  if (n === 'sobject') return false;
  return true;
}

export function runtimeTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? 'Integer' : 'Long';
  if (typeof v === 'boolean') return 'Boolean';
  if (v instanceof Dec) return v.isDouble ? 'Double' : 'Decimal';
  if (v instanceof ApexList) return `List<${v.elemType ? typeRefToString(v.elemType) : 'ANY'}>`;
  if (v instanceof ApexSet) return `Set<${v.elemType ? typeRefToString(v.elemType) : 'ANY'}>`;
  if (v instanceof ApexMap) return `Map<${v.keyType ? typeRefToString(v.keyType) : 'ANY'},${v.valueType ? typeRefToString(v.valueType) : 'ANY'}>`;
  if (v instanceof SObject) return v.type;
  if (v instanceof ApexObject) return v.cls.typeName;
  if (v instanceof ApexDate) return 'Date';
  if (v instanceof ApexDatetime) return 'Datetime';
  if (v instanceof ApexTime) return 'Time';
  if (v instanceof Blob) return 'Blob';
  if (v instanceof EnumValue) return v.enumType;
  if (v instanceof TypeValue) return 'System.Type';
  if (v instanceof NativeObject) return v.typeName;
  return 'Object';
}

const ID_RE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

export function instanceOf(f: Frame, v: unknown, t: TypeRef, site: Site): boolean {
  if (v === null || v === undefined) return false;
  const n = t.name.toLowerCase().replace(/^system\./, '');
  switch (n) {
    case 'object':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'id':
      return typeof v === 'string' && ID_RE.test(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2147483648;
    case 'long':
      return typeof v === 'number' && Number.isInteger(v);
    case 'decimal':
    case 'double':
      return v instanceof Dec;
    case 'boolean':
      return typeof v === 'boolean';
    case 'blob':
      return v instanceof Blob;
    case 'date':
      return v instanceof ApexDate;
    case 'datetime':
      return v instanceof ApexDatetime;
    case 'time':
      return v instanceof ApexTime;
    case 'list':
      return v instanceof ApexList;
    case 'set':
      return v instanceof ApexSet;
    case 'map':
      return v instanceof ApexMap;
    case 'sobject':
      return v instanceof SObject;
    case 'type':
      return v instanceof TypeValue;
  }
  const r = resolveTypeRef(f, t, site);
  if (r.kind === 'class') return v instanceof ApexObject && v.cls.isSubclassOf(r.cls);
  if (r.kind === 'sobject') return v instanceof SObject && v.type.toLowerCase() === r.name.toLowerCase();
  if (r.kind === 'native') {
    if (r.nt.instanceOf) return r.nt.instanceOf(v);
    return v instanceof NativeObject && v.typeName.toLowerCase() === r.nt.name.toLowerCase();
  }
  return false;
}

/** Widening used for overload choice and parameter binding (Integer → Long/Decimal). */
export function assignable(f: Frame, v: unknown, t: TypeRef, site: Site): boolean {
  if (v === null) return true;
  const n = t.name.toLowerCase();
  if (typeof v === 'number' && (n === 'long' || n === 'decimal' || n === 'double')) return true;
  if (n === 'id' && typeof v === 'string') return true;
  return instanceOf(f, v, t, site);
}

export function coerce(f: Frame, v: unknown, t: TypeRef, site: Site): unknown {
  if (v === null || v === undefined) return null;
  const n = t.name.toLowerCase();
  if (n === 'decimal' || n === 'double') {
    if (typeof v === 'number') return new Dec(v, n === 'double' ? undefined : 0, n === 'double');
    if (v instanceof Dec && n === 'double' && !v.isDouble) return new Dec(v.n, undefined, true);
    return v;
  }
  if (n === 'long') return v instanceof Dec ? Math.trunc(v.n) : v;
  // Integer is 32-bit: a value that left the range while stored as Integer wraps like Java's int.
  if (n === 'integer') return typeof v === 'number' && (v > 2147483647 || v < -2147483648) ? v | 0 : v;
  if (v instanceof ApexList && v.fromQuery && (isSObjectName(n) || n === 'sobject')) {
    if (v.items.length === 0) throwEx(f, 'QueryException', 'List has no rows for assignment to SObject');
    if (v.items.length > 1) throwEx(f, 'QueryException', 'List has more than 1 row for assignment to SObject');
    return v.items[0];
  }
  void site;
  return v;
}

export function cast(f: Frame, v: unknown, t: TypeRef, site: Site): unknown {
  if (v === null) return null;
  const n = t.name.toLowerCase();
  if ((n === 'decimal' || n === 'double') && typeof v === 'number') return new Dec(v, undefined, n === 'double');
  if ((n === 'integer' || n === 'long') && v instanceof Dec) throwEx(f, 'TypeException', `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${t.name}`);
  if (v instanceof ApexList && v.fromQuery && isSObjectName(n)) return coerce(f, v, t, site);
  if (!assignable(f, v, t, site))
    throwEx(f, 'TypeException', `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeRefToString(t)}`);
  if (v instanceof ApexList && t.args.length && !v.elemType) v.elemType = t.args[0];
  return v;
}

// ------------------------------------------------------------------ names

export type NameResolution =
  | { kind: 'field'; consumed: number }
  | { kind: 'static'; cls: ClassDef; consumed: number }
  | { kind: 'type'; type: Resolved; consumed: number };

export function resolveName(f: Frame, parts: string[], site: Site): NameResolution {
  const head = parts[0].toLowerCase();
  // Instance fields are visible only from the class's own instance code; outer classes and
  // static contexts see static fields only (Apex inner classes are like Java static nested ones).
  for (let scope: ClassDef | undefined = f.cls; scope; scope = scope.outer) {
    for (let s: ClassDef | undefined = scope; s; s = s.superClass) {
      const fd = s.fieldMap.get(head);
      if (!fd) continue;
      if (fd.isStatic) return { kind: 'static', cls: s, consumed: 1 };
      if (scope === f.cls && f.self) return { kind: 'field', consumed: 1 };
    }
  }
  for (let i = parts.length; i >= 1; i--) {
    const r = resolveTypeName(f, parts.slice(0, i).join('.'));
    if (r) return { kind: 'type', type: r, consumed: i };
  }
  throw new CompileError(`Variable does not exist: ${parts[0]}`, site.file, site.line, site.col);
}

export async function evalName(f: Frame, res: NameResolution, parts: string[], site: Site): Promise<unknown> {
  let v: unknown;
  let i = res.consumed;
  if (res.kind === 'field') {
    if (!f.self) throw new CompileError(`Variable does not exist: ${parts[0]}`, site.file, site.line, site.col);
    v = await getField(f, f.self, parts[0], site);
  } else if (res.kind === 'static') {
    v = await getStatic(f, res.cls, parts[0].toLowerCase(), site);
  } else {
    if (i === parts.length) return typeValue(f, { name: parts.join('.'), args: [], array: 0 }, site);
    v = await getStaticMember(f, res.type, parts[i], site);
    i++;
  }
  for (; i < parts.length; i++) v = await getMember(f, v, parts[i], site);
  return v;
}

export async function assignName(f: Frame, res: NameResolution, parts: string[], v: unknown, site: Site): Promise<void> {
  if (parts.length === res.consumed && res.kind !== 'type') {
    if (res.kind === 'field') return setField(f, f.self!, parts[0], v, site);
    return setStatic(f, res.cls, parts[0].toLowerCase(), v, site);
  }
  if (res.kind === 'type' && parts.length === res.consumed + 1) return setStaticMember(f, res.type, parts[res.consumed], v, site);
  const target = await evalName(f, res, parts.slice(0, -1), site);
  return setMember(f, target, parts[parts.length - 1], v, site);
}

// ------------------------------------------------------------------ statics

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
      } else await step.block(frame);
    }
  } finally {
    tx.stack.pop();
  }
}

function siteOf(cls: ClassDef, line: number): Site {
  return { file: cls.fileName, line, col: 1, cls };
}

async function getStatic(f: Frame, cls: ClassDef, key: string, site: Site): Promise<unknown> {
  await ensureStaticInit(f, cls);
  const fd = cls.fieldMap.get(key)!;
  if (fd?.getter && f.method?.propertyOf !== key) return invoke(f, fd.getter, null, [], site);
  const v = f.tx.statics.get(cls)!.get(key);
  return v === undefined ? null : v;
}

async function setStatic(f: Frame, cls: ClassDef, key: string, v: unknown, site: Site): Promise<void> {
  await ensureStaticInit(f, cls);
  const fd = cls.fieldMap.get(key)!;
  if (fd?.setter && f.method?.propertyOf !== key) {
    await invoke(f, fd.setter, null, [v], site);
    return;
  }
  f.tx.statics.get(cls)!.set(key, fd ? coerce(f, v, fd.type, site) : v);
}

export async function getStaticMember(f: Frame, t: Resolved, name: string, site: Site): Promise<unknown> {
  const key = name.toLowerCase();
  if (t.kind === 'class') {
    const cls = t.cls;
    if (cls.kind === 'enum') {
      const idx = cls.enumValues.findIndex((e) => e.toLowerCase() === key);
      if (idx >= 0) return enumValue(cls, idx);
    }
    for (let s: ClassDef | undefined = cls; s; s = s.superClass) {
      const fd = s.fieldMap.get(key);
      if (fd && fd.isStatic) return getStatic(f, s, key, site);
    }
    throw new CompileError(`Variable does not exist: ${name}`, site.file, site.line, site.col);
  }
  if (t.kind === 'native') {
    const p = t.nt.props?.[key];
    if (p) return p.get(f);
  }
  if (t.kind === 'sobject') {
    const sot = natives.get('schema.sobjecttype')!;
    if (key === 'sobjecttype') return sot.construct!(f, [t.name], site, { name: t.name, args: [], array: 0 });
    const sf = new NObj('Schema.SObjectField');
    sf.set('name', name);
    sf.set('sobject', t.name);
    return sf;
  }
  if (t.kind === 'namespace') {
    const r = resolveTypeName(f, t.name + '.' + name);
    if (r) return typeValue(f, { name: t.name + '.' + name, args: [], array: 0 }, site);
  }
  return unsupported(f, `${t.kind === 'native' ? t.nt.name : t.kind === 'namespace' ? t.name : 'type'}.${name}`, site);
}

async function setStaticMember(f: Frame, t: Resolved, name: string, v: unknown, site: Site): Promise<void> {
  const key = name.toLowerCase();
  if (t.kind === 'class') {
    for (let s: ClassDef | undefined = t.cls; s; s = s.superClass) {
      const fd = s.fieldMap.get(key);
      if (fd && fd.isStatic) return setStatic(f, s, key, v, site);
    }
  }
  if (t.kind === 'native') {
    const p = t.nt.props?.[key];
    if (p?.set) return p.set(f, v);
  }
  unsupported(f, `assignment to static ${name}`, site);
}

const enumCache = new WeakMap<ClassDef, EnumValue[]>();
export function enumValue(cls: ClassDef, idx: number): EnumValue {
  let list = enumCache.get(cls);
  if (!list) {
    list = cls.enumValues.map((n, i) => new EnumValue(cls.fullName, n, i));
    enumCache.set(cls, list);
  }
  return list[idx];
}

// ------------------------------------------------------------------ fields and members

export async function getField(f: Frame, obj: ApexObject, name: string, site: Site): Promise<unknown> {
  const key = name.toLowerCase();
  const fd = obj.cls.findField(key);
  if (!fd) {
    throw new CompileError(`Variable does not exist: ${name}`, site.file, site.line, site.col);
  }
  if (fd.isStatic) return getStatic(f, fd.owner ?? obj.cls, key, site);
  if (fd.getter && !(f.method?.propertyOf === key && f.self === obj)) return invoke(f, fd.getter, obj, [], site);
  const v = obj.fields.get(key);
  return v === undefined ? null : v;
}

export async function setField(f: Frame, obj: ApexObject, name: string, v: unknown, site: Site): Promise<void> {
  const key = name.toLowerCase();
  const fd = obj.cls.findField(key);
  if (!fd) throw new CompileError(`Variable does not exist: ${name}`, site.file, site.line, site.col);
  if (fd.setter && !(f.method?.propertyOf === key && f.self === obj)) {
    await invoke(f, fd.setter, obj, [v], site);
    return;
  }
  obj.fields.set(key, isPlainType(fd.type) ? v : coerce(f, v, fd.type, site));
}

export async function getMember(f: Frame, target: unknown, name: string, site: Site): Promise<unknown> {
  if (target === null || target === undefined) throwNpe(f, site);
  if (target instanceof ApexObject) return getField(f, target, name, site);
  if (target instanceof SObject) return sobjectGet(f, target, name);
  // [SELECT Name FROM Account WHERE …].Name reads the single row
  if (target instanceof ApexList && target.fromQuery) return sobjectGet(f, coerce(f, target, { name: 'SObject', args: [], array: 0 }, site) as SObject, name);
  if (target instanceof NObj) {
    const nt = natives.get(target.typeName.toLowerCase());
    const key = name.toLowerCase();
    if (nt?.fields?.includes(key) || target.fields.has(key)) return target.get(key);
  }
  if (target instanceof TypeValue) {
    const r = resolveTypeName(f, target.ref.name);
    if (r) return getStaticMember(f, r, name, site);
  }
  return unsupported(f, `field ${name} on ${runtimeTypeName(target)}`, site);
}

export function sobjectGet(f: Frame, so: SObject, name: string): unknown {
  const queried = (so as SObject & { queried?: boolean }).queried;
  if (queried && !so.has(name) && !/^id$/i.test(name))
    throwEx(
      f,
      'SObjectException',
      `SObject row was retrieved via SOQL without querying the requested field: ${so.type}.${name}`,
    );
  return so.get(name);
}

export async function setMember(f: Frame, target: unknown, name: string, v: unknown, site: Site): Promise<void> {
  if (target === null || target === undefined) throwNpe(f, site);
  if (target instanceof ApexObject) return setField(f, target, name, v, site);
  if (target instanceof SObject) {
    target.put(name, v);
    return;
  }
  if (target instanceof NObj) {
    const nt = natives.get(target.typeName.toLowerCase());
    if (nt?.fields?.includes(name.toLowerCase())) {
      target.set(name, v);
      return;
    }
  }
  unsupported(f, `assignment to field ${name} of ${runtimeTypeName(target)}`, site);
}

export function index(f: Frame, list: unknown, i: unknown, _site: Site): unknown {
  if (list === null) throwNpe(f);
  if (i === null) throwNpe(f);
  if (list instanceof ApexList) {
    const n = Number(i instanceof Dec ? i.n : i);
    if (n < 0 || n >= list.items.length) throwEx(f, 'ListException', `List index out of bounds: ${n}`);
    return list.items[n];
  }
  return unsupported(f, `indexing ${runtimeTypeName(list)}`, _site);
}

export function setIndex(f: Frame, list: unknown, i: unknown, v: unknown, site: Site): void {
  if (list === null) throwNpe(f);
  if (list instanceof ApexList) {
    const n = Number(i);
    if (n < 0 || n >= list.items.length) throwEx(f, 'ListException', `List index out of bounds: ${n}`);
    list.items[n] = v;
    return;
  }
  unsupported(f, `indexing ${runtimeTypeName(list)}`, site);
}

export function iterate(f: Frame, coll: unknown, site: Site): unknown[] {
  if (coll === null) throwNpe(f, site);
  if (coll instanceof ApexList) return coll.items.slice();
  if (coll instanceof ApexSet) return coll.values();
  return unsupported(f, `iteration over ${runtimeTypeName(coll)}`, site);
}

// ------------------------------------------------------------------ methods

function pickMethod(f: Frame, cands: MethodDef[], args: unknown[], site: Site): MethodDef | undefined {
  const byArity = cands.filter((m) => m.params.length === args.length);
  if (byArity.length <= 1) return byArity[0];
  let best: MethodDef | undefined;
  let bestScore = -1;
  for (const m of byArity) {
    let score = 0;
    let ok = true;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const t = m.params[i].type;
      if (a === null) continue;
      if (instanceOf(f, a, t, site)) score += t.name.toLowerCase() === 'object' ? 1 : 3;
      else if (assignable(f, a, t, site)) score += 1;
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

/** Finds an instance or static method along the class chain (and interfaces for abstract checks). */
export function findMethod(f: Frame, cls: ClassDef, key: string, args: unknown[], site: Site, wantStatic?: boolean): MethodDef | undefined {
  for (let c: ClassDef | undefined = cls; c; c = c.superClass) {
    const list = c.methods.get(key);
    if (!list) continue;
    const cands = wantStatic === undefined ? list : list.filter((m) => m.isStatic === wantStatic);
    const m = pickMethod(f, cands.filter((x) => x.body || x.native), args, site);
    if (m) return m;
  }
  return undefined;
}

const MAX_DEPTH = 1000;

export async function invoke(f: Frame, m: MethodDef, self: ApexObject | null, args: unknown[], site: Site): Promise<unknown> {
  if (m.native) return m.native(f, self, args);
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
  throw new CompileError(`Method does not exist or incorrect signature: void ${name}(${args.map(runtimeTypeName).join(', ')}) from the type ${f.cls.fullName}`, site.file, site.line, site.col);
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
      if (key === 'values') return new ApexList(cls.enumValues.map((_, i) => enumValue(cls, i)), { name: cls.fullName, args: [], array: 0 });
      if (key === 'valueof') {
        const idx = cls.enumValues.findIndex((e) => e === args[0]);
        return idx < 0 ? null : enumValue(cls, idx);
      }
    }
    await ensureStaticInit(f, cls);
    const m = findMethod(f, cls, key, args, site, true);
    if (m) return invoke(f, m, null, args, site);
    throw new CompileError(`Method does not exist or incorrect signature: void ${name}(${args.map(runtimeTypeName).join(', ')}) from the type ${cls.fullName}`, site.file, site.line, site.col);
  }
  if (t.kind === 'native') {
    const fn = t.nt.statics?.[key];
    if (fn) return fn(f, args, site);
    return unsupported(f, `${t.nt.name}.${name}`, site);
  }
  if (t.kind === 'sobject') {
    const sm = natives.get('$sobjectstatics')!.statics![key];
    if (sm) return sm(f, [t.name, ...args], site);
    return unsupported(f, `${t.name}.${name}`, site);
  }
  return unsupported(f, `${t.name}.${name}`, site);
}

/** Methods every object has: toString, equals, hashCode. */
async function objectMethod(f: Frame, obj: ApexObject, key: string, args: unknown[], site: Site): Promise<unknown> {
  if (key === 'tostring' && args.length === 0) return stringValueOf(obj);
  if (key === 'equals' && args.length === 1) return obj === args[0];
  if (key === 'hashcode' && args.length === 0) return 0;
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
      return ex.fields.get('__message') ?? null;
    case 'getnumdml':
      return 1;
    case 'getdmltype':
      return null;
  }
  return objectMethod(f, ex, key, args, site);
}

export async function callMethod(f: Frame, target: unknown, name: string, args: unknown[], site: Site): Promise<unknown> {
  if (target === null || target === undefined) throwNpe(f, site);
  const key = name.toLowerCase();
  if (target instanceof ApexObject) {
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
  const fn = nt?.methods?.[key];
  if (fn) return fn(f, target, args, site);
  if (key === 'equals' && args.length === 1) return valueEquals(target, args[0], true, f);
  if (key === 'hashcode') return 0;
  if (key === 'tostring') return stringValueOf(target);
  return unsupported(f, `${nt?.name ?? runtimeTypeName(target)}.${name}`, site);
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
    return new SObject(r.name);
  }
  return unsupported(f, `new ${t.name}`, site);
}

export async function newWithFields(f: Frame, t: TypeRef, pairs: [string, unknown][], site: Site): Promise<unknown> {
  const r = resolveTypeRef(f, t, site);
  if (r.kind !== 'sobject') return unsupported(f, `name=value constructor arguments for ${t.name}`, site);
  const so = new SObject(r.name);
  for (const [k, v] of pairs) so.put(k, v);
  return so;
}

export function newCollection(f: Frame, t: TypeRef, vals: unknown[], site: Site): unknown {
  const n = t.name.toLowerCase();
  if (n === 'list') return new ApexList(vals.map((v) => (t.args[0] && !isPlainType(t.args[0]) ? coerce(f, v, t.args[0], site) : v)), t.args[0]);
  if (n === 'set') {
    const s = new ApexSet(t.args[0]);
    for (const v of vals) s.add(v);
    return s;
  }
  if (n === 'map') return new ApexMap(t.args[0], t.args[1]);
  return unsupported(f, `new ${t.name}{}`, site);
}

export function newCollectionFrom(f: Frame, t: TypeRef, args: unknown[], site: Site): unknown {
  const n = t.name.toLowerCase();
  const src = args[0];
  if (args.length === 0) return newCollection(f, t, [], site);
  if (src === null) throwNpe(f, site);
  if (n === 'list') {
    if (src instanceof ApexList || src instanceof ApexSet) return new ApexList(src instanceof ApexList ? src.items.slice() : src.values(), t.args[0]);
    if (typeof src === 'number') return new ApexList([], t.args[0]);
  }
  if (n === 'set') {
    if (src instanceof ApexList || src instanceof ApexSet) {
      const s = new ApexSet(t.args[0]);
      for (const v of src instanceof ApexList ? src.items : src.values()) s.add(v);
      return s;
    }
  }
  if (n === 'map') {
    const m = new ApexMap(t.args[0], t.args[1]);
    if (src instanceof ApexMap) {
      for (const [k, v] of src.map.values()) m.put(k, v);
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
    throw new CompileError(`${cls.kind === 'interface' ? 'Interfaces' : 'Abstract classes'} cannot be constructed: ${cls.fullName}`, site.file, site.line, site.col);
  await ensureStaticInit(f, cls);
  const obj = new ApexObject(cls);
  if (cls.isException) stampTrace(f, obj);
  await runCtor(f, cls, obj, args, site);
  return obj;
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
    if (cls.name === 'AuraHandledException' && args.length) msg = 'Script-thrown exception';
    obj.fields.set('__message', msg);
    obj.fields.set('__cause', cause);
    return;
  }
  const ctor = pickMethod(f, cls.ctors, args, site);
  if (!ctor) {
    const implicit = cls.ctors.length === 0 && (args.length === 0 || cls.isException);
    if (!implicit)
      throw new CompileError(`Constructor not defined: [${cls.fullName}].<Constructor>(${args.map(runtimeTypeName).join(', ')})`, site.file, site.line, site.col);
    if (cls.superClass) await runCtor(f, cls.superClass, obj, cls.isException ? args : [], site);
    await runInstanceInit(f, cls, obj);
    return;
  }
  const frame = new Frame(tx, cls, obj, ctor.nSlots, ctor);
  for (let i = 0; i < ctor.params.length; i++) frame.locals[i] = coerce(f, args[i], ctor.params[i].type, site);
  tx.stack.push({ cls, method: '<init>', line: ctor.line, col: 1 });
  try {
    const d = ctor.delegate;
    if (d && d.kind === 'this') {
      const dargs = [];
      for (const a of d.args) dargs.push(await a(frame));
      await runCtor(f, cls, obj, dargs, site);
    } else {
      const sargs = [];
      if (d) for (const a of d.args) sargs.push(await a(frame));
      if (cls.superClass) await runCtor(f, cls.superClass, obj, sargs, site);
      await runInstanceInit(f, cls, obj);
    }
    await ctor.body!(frame);
  } finally {
    tx.stack.pop();
  }
}

async function runInstanceInit(f: Frame, cls: ClassDef, obj: ApexObject): Promise<void> {
  if (!cls.instanceInit.length) return;
  const frame = new Frame(f.tx, cls, obj, cls.instanceInitSlots);
  for (const step of cls.instanceInit) {
    if ('field' in step) {
      const fd = step.field;
      if (fd.init) f.tx.tick(cls, fd.line, 1);
      const v = fd.init ? await fd.init(frame) : null;
      obj.fields.set(fd.key, v === null ? null : coerce(frame, v, fd.type, siteOf(cls, fd.line)));
    } else await step.block(frame);
  }
}

// ------------------------------------------------------------------ operators

export function refEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Dec && b instanceof Dec) return a.n === b.n;
  return a === b;
}

export function valueEquals(a: unknown, b: unknown, caseSensitive: boolean, f?: Frame): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
  const an = a instanceof Dec ? a.n : a;
  const bn = b instanceof Dec ? b.n : b;
  if (typeof an === 'number' && typeof bn === 'number') return an === bn;
  if ((a instanceof ApexDate && b instanceof ApexDate) || (a instanceof ApexDatetime && b instanceof ApexDatetime)) return a.ms === b.ms;
  if (a instanceof Blob && b instanceof Blob) return a.buf.equals(b.buf);
  if (a instanceof ApexList && b instanceof ApexList)
    return a.items.length === b.items.length && a.items.every((x, i) => valueEquals(x, b.items[i], caseSensitive, f));
  if (a instanceof ApexSet && b instanceof ApexSet) return a.map.size === b.map.size && [...a.map.keys()].every((k) => b.map.has(k));
  if (a instanceof ApexMap && b instanceof ApexMap)
    return a.map.size === b.map.size && [...a.map.entries()].every(([k, [, v]]) => b.map.has(k) && valueEquals(v, b.map.get(k)![1], caseSensitive, f));
  if (a instanceof ApexObject && a !== b && definesEquality(a)) throw new UnsupportedEquality(a.cls.fullName);
  if (a instanceof SObject && b instanceof SObject) {
    if (a.type.toLowerCase() !== b.type.toLowerCase() || a.fields.size !== b.fields.size) return false;
    for (const [k, fv] of a.fields) {
      const o = b.fields.get(k);
      if (!o || !valueEquals(fv.value, o.value, caseSensitive, f)) return false;
    }
    return true;
  }
  return a === b;
}

function num(v: unknown): number {
  return v instanceof Dec ? v.n : (v as number);
}

export function negate(f: Frame, v: unknown, site: Site): unknown {
  if (v === null) throwNpe(f, site);
  if (v instanceof Dec) return new Dec(-v.n, v.scale, v.isDouble);
  return -(v as number);
}

export function arith(f: Frame, op: string, a: unknown, b: unknown, site: Site): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return stringValueOf(a) + stringValueOf(b);
  if (a === null || b === null || a === undefined || b === undefined) throwNpe(f, site);
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throwEx(f, 'MathException', 'Divide by 0');
        return Math.trunc(a / b);
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '<<':
        return a << b;
      case '>>':
        return a >> b;
      case '>>>':
        return a >>> b;
    }
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === '&') return a && b;
    if (op === '|') return a || b;
    if (op === '^') return a !== b;
  }
  if ((a instanceof Dec || typeof a === 'number') && (b instanceof Dec || typeof b === 'number')) {
    const x = num(a);
    const y = num(b);
    const dbl = (a instanceof Dec && a.isDouble) || (b instanceof Dec && b.isDouble);
    const sa = a instanceof Dec ? a.scale : 0;
    const sb = b instanceof Dec ? b.scale : 0;
    switch (op) {
      case '+':
      case '-': {
        const r = op === '+' ? x + y : x - y;
        const scale = sa !== undefined && sb !== undefined && !dbl ? Math.max(sa, sb) : undefined;
        return new Dec(scale !== undefined ? Number(r.toFixed(scale)) : r, scale, dbl);
      }
      case '*': {
        const scale = sa !== undefined && sb !== undefined && !dbl ? sa + sb : undefined;
        return new Dec(x * y, scale !== undefined && scale <= 20 ? scale : undefined, dbl);
      }
      case '/':
        if (y === 0 && !dbl) throwEx(f, 'MathException', 'Divide by 0');
        return new Dec(x / y, undefined, dbl);
    }
  }
  if (a instanceof ApexDate && typeof b === 'number' && (op === '+' || op === '-')) return new ApexDate(a.ms + (op === '+' ? b : -b) * 86400000);
  if (a instanceof ApexDatetime && (typeof b === 'number' || b instanceof Dec) && (op === '+' || op === '-'))
    return new ApexDatetime(a.ms + (op === '+' ? 1 : -1) * Math.round(num(b) * 86400000));
  return unsupported(f, `operator ${op} on ${runtimeTypeName(a)} and ${runtimeTypeName(b)}`, site);
}

export function compare(f: Frame, op: string, a: unknown, b: unknown, site: Site): boolean {
  if (a === null || b === null || a === undefined || b === undefined) {
    // Apex: comparisons with null are false rather than an exception for <, >, <=, >=
    return false;
  }
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else if ((a instanceof ApexDate || a instanceof ApexDatetime || a instanceof ApexTime) && (b instanceof ApexDate || b instanceof ApexDatetime || b instanceof ApexTime)) {
    x = a.ms;
    y = b.ms;
  } else if ((typeof a === 'number' || a instanceof Dec) && (typeof b === 'number' || b instanceof Dec)) {
    x = num(a);
    y = num(b);
  } else return unsupported(f, `comparison ${op} of ${runtimeTypeName(a)} and ${runtimeTypeName(b)}`, site);
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
  return unsupported(f, `operator ${op}`, site);
}

// ------------------------------------------------------------------ SOQL and DML

/** Turns Apex values into plain JSON-able bind values for the host's SOQL engine. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Dec) return v.n;
  if (v instanceof ApexDate) return v.toString();
  if (v instanceof ApexDatetime) return new Date(v.ms).toISOString();
  if (v instanceof ApexList) return v.items.map((x) => (x instanceof SObject ? x.get('Id') : toPlain(x)));
  if (v instanceof ApexSet) return v.values().map(toPlain);
  if (v instanceof SObject) return v.get('Id');
  if (v instanceof EnumValue) return v.name;
  if (v instanceof Blob) return v.buf.toString('base64');
  return v;
}

/** Record JSON from the host → SObject, recursively (parents and child subqueries). */
export function recordToSObject(rec: SObjectRecord, fallbackType: string, queried = true): SObject {
  const type = rec.attributes?.type ?? fallbackType;
  const so = new SObject(type);
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'attributes') continue;
    so.put(k, fromRecordValue(v, k));
  }
  if (queried) (so as SObject & { queried?: boolean }).queried = true;
  return so;
}

function fromRecordValue(v: unknown, field: string): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return new ApexList(v.map((x) => fromRecordValue(x, field)));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.records)) {
      const l = new ApexList((o.records as SObjectRecord[]).map((r) => recordToSObject(r, field)));
      return l;
    }
    if (o.attributes) return recordToSObject(o as SObjectRecord, field);
    return v;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? v : new Dec(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) return new ApexDatetime(Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new ApexDate(Date.parse(v + 'T00:00:00Z'));
  return v;
}

/** SObject → record JSON for DML. */
export function sobjectToRecord(so: SObject): SObjectRecord {
  const rec: SObjectRecord = { attributes: { type: so.type } };
  for (const { name, value } of so.fields.values()) {
    if (value instanceof SObject || value instanceof ApexList) continue;
    rec[name] = toPlain(value);
  }
  return rec;
}

export async function runSoql(
  f: Frame,
  soql: string,
  opts: { userMode: boolean; binds: Record<string, unknown>; sobject: string; isCount: boolean },
  site: Site,
): Promise<unknown> {
  const tx = f.tx;
  if (++tx.counts.queries > LIMITS.queries) limitEx(f, `Too many SOQL queries: ${tx.counts.queries}`);
  const binds: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts.binds)) binds[k] = toPlain(v);
  // LIMIT/OFFSET binds are inlined: SOQL parsers (and the API) take literals there.
  let q = soql.replace(/\b(LIMIT|OFFSET)\s*:\s*([A-Za-z_][A-Za-z0-9_]*)/gi, (m, kw: string, name: string) => {
    const v = binds[name];
    if (typeof v !== 'number') throwEx(f, 'QueryException', `${kw.toUpperCase()} bind variable must be an Integer: ${name}`);
    return `${kw} ${Math.trunc(v)}`;
  });
  if (opts.isCount) q = soql.replace(/^\s*select\s+count\(\s*\)\s+from/i, 'SELECT Id FROM');
  let rows: SObjectRecord[];
  try {
    rows = await tx.hostCall(() => tx.host.query(q, { userMode: opts.userMode, binds }));
  } catch (e) {
    throwEx(f, 'QueryException', (e as Error).message);
  }
  tx.counts.queryRows += rows.length;
  if (tx.counts.queryRows > LIMITS.queryRows) limitEx(f, `Too many query rows: ${tx.counts.queryRows}`);
  if (opts.isCount) return rows.length;
  const list = new ApexList(rows.map((r) => recordToSObject(r, opts.sobject)), { name: opts.sobject, args: [], array: 0 });
  list.fromQuery = true;
  void site;
  return list;
}

export interface DmlOptions {
  userMode: boolean;
  extField?: string;
  allOrNone: boolean;
}

export interface DmlRowResult {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
}

/** insert/update/upsert/delete of one sObject or a list; returns per-row results. */
export async function dml(f: Frame, op: 'insert' | 'update' | 'upsert' | 'delete', v: unknown, opts: DmlOptions, site: Site): Promise<DmlRowResult[]> {
  const tx = f.tx;
  if (v === null) throwEx(f, 'DmlException', `${cap(op)} failed. First exception on row 0; first error: REQUIRED_ARGUMENT_MISSING, Required argument is missing: []`);
  const list: unknown[] = v instanceof ApexList ? v.items : [v];
  if (++tx.counts.dml > LIMITS.dmlStatements) limitEx(f, `Too many DML statements: ${tx.counts.dml}`);
  tx.counts.dmlRows += list.length;
  if (tx.counts.dmlRows > LIMITS.dmlRows) limitEx(f, `Too many DML rows: ${tx.counts.dmlRows}`);
  const sobjs: SObject[] = [];
  for (const x of list) {
    if (op === 'delete' && typeof x === 'string') {
      const so = new SObject('SObject');
      so.put('Id', x);
      sobjs.push(so);
    } else if (x instanceof SObject) sobjs.push(x);
    else unsupported(f, `DML on ${runtimeTypeName(x)}`, site);
  }
  if (!sobjs.length) return [];
  tx.pendingDml = true;
  const results: DmlRowResult[] = [];
  try {
    if (op === 'insert') {
      for (const so of sobjs)
        if (so.get('Id')) throwEx(f, 'DmlException', `Insert failed. First exception on row 0 with id ${so.get('Id')}; first error: INVALID_FIELD_FOR_INSERT_UPDATE, cannot specify Id in an insert call: [Id]`);
      const ids = await tx.hostCall(() => tx.host.insert(sobjs.map(sobjectToRecord), { userMode: opts.userMode }));
      sobjs.forEach((so, i) => {
        so.put('Id', ids[i]);
        tx.testDataIds?.add(ids[i]);
        results.push({ id: ids[i], success: true, errors: [], created: true });
      });
    } else if (op === 'update') {
      for (const so of sobjs) if (!so.get('Id')) throwEx(f, 'DmlException', 'Update failed. First exception on row 0; first error: MISSING_ARGUMENT, Id not specified in an update call: []');
      await tx.hostCall(() => tx.host.update(sobjs.map(sobjectToRecord), { userMode: opts.userMode }));
      for (const so of sobjs) results.push({ id: so.get('Id') as string, success: true, errors: [] });
    } else if (op === 'upsert') {
      if (opts.extField && !/^id$/i.test(opts.extField)) unsupported(f, `upsert on external id field ${opts.extField}`, site);
      const ins = sobjs.filter((s) => !s.get('Id'));
      const upd = sobjs.filter((s) => s.get('Id'));
      if (upd.length) await tx.hostCall(() => tx.host.update(upd.map(sobjectToRecord), { userMode: opts.userMode }));
      if (ins.length) {
        const ids = await tx.hostCall(() => tx.host.insert(ins.map(sobjectToRecord), { userMode: opts.userMode }));
        ins.forEach((so, i) => {
          so.put('Id', ids[i]);
          tx.testDataIds?.add(ids[i]);
        });
      }
      for (const so of sobjs) results.push({ id: so.get('Id') as string, success: true, errors: [], created: ins.includes(so) });
    } else {
      const ids = sobjs.map((s) => s.get('Id') as string);
      if (ids.some((x) => !x)) throwEx(f, 'DmlException', 'Delete failed. First exception on row 0; first error: MISSING_ARGUMENT, Id not specified in a delete call: []');
      await tx.hostCall(() => tx.host.delete(ids, { userMode: opts.userMode }));
      for (const id of ids) results.push({ id, success: true, errors: [] });
    }
  } catch (e) {
    if (e instanceof ApexThrow || e instanceof UnsupportedError) throw e;
    const err = e as Error & { code?: string; errorCode?: string; fields?: string[] };
    const code = err.code ?? err.errorCode ?? 'UNKNOWN_EXCEPTION';
    throwEx(f, 'DmlException', `${cap(op)} failed. First exception on row 0; first error: ${code}, ${err.message}: [${(err.fields ?? []).join(', ')}]`);
  }
  return results;
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/** System.runAs: switches the host's user when the host supports it. */
export async function runAs(f: Frame, user: unknown, body: () => Promise<number>, site: Site): Promise<number> {
  const tx = f.tx;
  if (!tx.isTest) unsupported(f, 'System.runAs outside a test', site);
  const before = tx.host;
  if (user instanceof SObject && tx.host.withUser) {
    tx.host = await tx.host.withUser({ id: (user.get('Id') as string) ?? undefined, username: (user.get('Username') as string) ?? undefined });
  }
  try {
    return await body();
  } finally {
    tx.host = before;
  }
}
