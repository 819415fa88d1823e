/** Types at run time: name resolution, instanceof, assignability, coercion and casts. */
import { collectionArgsFit } from './collectionInstanceOf.ts';
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
} from './values.ts';
import { type TypeRef, typeRefToString } from '../model/typeRef.ts';
import { type ClassDef, NUMERIC_CAST, type Site } from '../model/classModel.ts';
import { CompileError } from '../errors.ts';
import { type Frame } from './frame.ts';
import { familyMember, type NativeType, natives } from '../model/natives.ts';
import { throwEx, unsupported } from './exceptions.ts';
import { systemTypeStatus } from '../model/catalogue.ts';
import { isSObjectName, STANDARD_SOBJECTS } from '../model/sobjectNames.ts';

export type Resolved =
  | { kind: 'class'; cls: ClassDef }
  | { kind: 'native'; nt: NativeType }
  | { kind: 'sobject'; name: string }
  | { kind: 'namespace'; name: string };

/** Setup objects and custom metadata stay visible in tests; other rows only when the test made them. */
const TEST_VISIBLE = new Set(
  (
    'user profile userrole recordtype organization permissionset permissionsetassignment permissionsetgroup group groupmember apexclass apextrigger apexpage asyncapexjob crontrigger businesshours certificate namedcredential externalcredential remotesitesetting customPermission setupentityaccess aggregateresult ' +
    'userlicense staticresource platformcachepartition queuesobject processdefinition permissionsetlicense cronjobdetail ' +
    'taskstatus taskpriority casestatus leadstatus opportunitystage'
  )
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
  const member = familyMember(name);
  if (member) return { kind: 'native', nt: member };
  return undefined;
}

function canonicalSObjectName(name: string): string {
  const n = name.replace(/^schema\./i, '');
  const std = [...STANDARD_SOBJECTS].find((s) => s === n.toLowerCase());
  if (std) return n[0].toUpperCase() + n.slice(1);
  return n;
}

export function resolveTypeRef(f: Frame, t: TypeRef, site: Site, from: ClassDef = f.cls): Resolved {
  const r = resolveTypeName(f, t.name, from);
  if (r) return r;
  // a Salesforce type the local runtime lacks deployed with a warning; it fails where it runs
  if (systemTypeStatus(t.name) !== 'unknown') unsupported(f, t.name, site);
  throw new CompileError(`Invalid type: ${t.name}`, site.file, site.line, site.col);
}

const qualified = new WeakMap<TypeRef, TypeRef>();

/**
 * A collection type with the class names among its type arguments written in full (`Map<FLSType,
 * Boolean>` inside `Checker` becomes `Map<Checker.FLSType,Boolean>`), so that the element types a
 * collection keeps mean the same class wherever the collection travels. Cached per written type.
 */
export function qualifyTypeArgs(f: Frame, t: TypeRef): TypeRef {
  if (!t.args.length) return t;
  let q = qualified.get(t);
  if (!q) {
    const one = (a: TypeRef): TypeRef => {
      const args = a.args.map(one);
      const r = /^(list|set|map)$/i.test(a.name) ? undefined : resolveTypeName(f, a.name);
      return { ...a, name: r?.kind === 'class' ? r.cls.fullName : a.name, args };
    };
    q = { ...t, args: t.args.map(one) };
    qualified.set(t, q);
  }
  return q;
}

/** A type written as a string (`Type.forName('Map<Id,Account>')`), arrays as Lists; undefined when malformed. */
export function parseTypeString(text: string): TypeRef | undefined {
  let s = text.replace(/\s+/g, '');
  let array = 0;
  while (s.endsWith('[]')) {
    s = s.slice(0, -2);
    array++;
  }
  const wrap = (t: TypeRef): TypeRef => {
    if (/^(list|set|map)$/i.test(t.name)) t.name = t.name[0].toUpperCase() + t.name.slice(1).toLowerCase();
    for (let i = 0; i < array; i++) t = { name: 'List', args: [t], array: 0 };
    return t;
  };
  const lt = s.indexOf('<');
  if (lt < 0) return /^[A-Za-z_][\w.]*$/.test(s) ? wrap({ name: s, args: [], array: 0 }) : undefined;
  if (!s.endsWith('>')) return undefined;
  const args: TypeRef[] = [];
  let depth = 0;
  let start = lt + 1;
  for (let i = start; i < s.length - 1; i++) {
    if (s[i] === '<') depth++;
    else if (s[i] === '>') depth--;
    else if (s[i] === ',' && depth === 0) {
      const a = parseTypeString(s.slice(start, i));
      if (!a) return undefined;
      args.push(a);
      start = i + 1;
    }
  }
  const last = parseTypeString(s.slice(start, -1));
  if (!last || depth !== 0) return undefined;
  args.push(last);
  return wrap({ name: s.slice(0, lt), args, array: 0 });
}

/** Whether every name in the type resolves (a user class, a system type, an sObject). */
export function typeResolves(f: Frame, t: TypeRef): boolean {
  const low = t.name.toLowerCase();
  const arity = low === 'list' || low === 'set' ? 1 : low === 'map' ? 2 : 0;
  if (t.args.length !== arity) return false;
  return (arity > 0 || resolveTypeName(f, t.name) !== undefined) && t.args.every((a) => typeResolves(f, a));
}

/** A type as Salesforce names it in messages: `(DateTime) x` fails with "… to Datetime". */
export function typeDisplayName(f: Frame, t: TypeRef): string {
  const low = t.name.toLowerCase();
  let s: string;
  if (low === 'list' || low === 'set' || low === 'map')
    s = t.name[0].toUpperCase() + low.slice(1) + (t.args.length ? '<' + t.args.map((a) => typeDisplayName(f, a)).join(',') + '>' : '');
  else {
    const r = resolveTypeName(f, t.name);
    s = r?.kind === 'class' ? r.cls.fullName : r?.kind === 'native' ? r.nt.name : r?.kind === 'sobject' ? r.name : t.name;
  }
  for (let i = 0; i < t.array; i++) s = 'List<' + s + '>';
  return s;
}

export function typeValue(f: Frame, t: TypeRef, site: Site): TypeValue {
  const low = t.name.toLowerCase();
  if (low === 'list' || low === 'set' || low === 'map') return new TypeValue(t, typeRefToString(t));
  // a local org holds no flows: `Flow.Interview.X.class` names a flow that does not exist, which Salesforce
  // compiles and names 'Flow.Interview' (mitchspano/trigger-actions-framework relies on it; FIDELITY.md)
  if (low.startsWith('flow.interview.')) return new TypeValue({ ...t, name: 'Flow.Interview' }, 'Flow.Interview');
  const r = resolveTypeRef(f, t, site);
  const display = r.kind === 'class' ? r.cls.fullName : r.kind === 'native' ? r.nt.name : r.kind === 'sobject' ? r.name : t.name;
  return new TypeValue({ ...t, name: r.kind === 'class' ? r.cls.fullName : t.name }, display);
}

/** Names whose values need no coercion on assignment. */
export function isPlainType(t: TypeRef): boolean {
  const n = t.name.toLowerCase();
  if (n === 'decimal' || n === 'double' || n === 'long' || n === 'integer' || n === 'datetime') return false;
  if (n === 'id' || n === 'system.id') return false; // a String assigned is checked (coerce)
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
  if (v instanceof ApexMap)
    return `Map<${v.keyType ? typeRefToString(v.keyType) : 'ANY'},${v.valueType ? typeRefToString(v.valueType) : 'ANY'}>`;
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

/**
 * The `instanceof` operator: Salesforce answers true for the widenings it allows on assignment too,
 * an Integer or Long is an instance of Decimal and Double (an Integer of Long), a Decimal of Double
 * and back, a Date of Datetime (as fflib's matcher tests record from real orgs).
 */
export function instanceOfOperator(f: Frame, v: unknown, t: TypeRef, site: Site): boolean {
  const n = t.name.toLowerCase().replace(/^system\./, '');
  if (n === 'decimal' || n === 'double') return v instanceof Dec || typeof v === 'number';
  if (n === 'datetime' && v instanceof ApexDate) return true;
  if ((n === 'list' || n === 'set' || n === 'map') && !collectionArgsFit(v, t)) return false;
  return instanceOf(f, v, t, site);
}

/** `from`: the class whose scope names `t` (a parameter type is named in its method's class). */
export function instanceOf(f: Frame, v: unknown, t: TypeRef, site: Site, from: ClassDef = f.cls): boolean {
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
  const r = resolveTypeName(f, t.name, from);
  // No value the local runtime holds is of a Salesforce type it lacks (overloads on
  // Database.EmptyRecycleBinResult beside Database.SaveResult): not an instance.
  if (!r) return systemTypeStatus(t.name) !== 'unknown' ? false : !!resolveTypeRef(f, t, site, from);
  if (r.kind === 'class' && r.cls.kind === 'enum')
    return v instanceof EnumValue && v.enumType.toLowerCase() === r.cls.fullName.toLowerCase();
  if (r.kind === 'class') return v instanceof ApexObject && v.cls.isSubclassOf(r.cls);
  if (r.kind === 'sobject') return v instanceof SObject && v.type.toLowerCase() === r.name.toLowerCase();
  if (r.kind === 'native') {
    if (r.nt.instanceOf) return r.nt.instanceOf(v);
    if (v instanceof ApexObject) return implementsNative(f, v.cls, r.nt);
    return v instanceof NativeObject && v.typeName.toLowerCase() === r.nt.name.toLowerCase();
  }
  return false;
}

/**
 * A class of the org that implements a system interface (`implements Database.BatchableContext`, as test
 * mocks of job contexts do) is an instance of it, through its superclasses and interfaces too.
 */
function implementsNative(f: Frame, cls: ClassDef, nt: NativeType): boolean {
  const seen = new Set<ClassDef>();
  const walk = (c: ClassDef | undefined): boolean => {
    if (!c || seen.has(c)) return false;
    seen.add(c);
    for (const ref of c.interfaceRefs) {
      const ri = resolveTypeName(f, ref.name, c);
      if (ri?.kind === 'native' && ri.nt === nt) return true;
    }
    return walk(c.superClass) || c.interfaces.some(walk);
  };
  return walk(cls);
}

/** Widening used for overload choice and parameter binding (Integer → Long/Decimal). */
export function assignable(f: Frame, v: unknown, t: TypeRef, site: Site, from: ClassDef = f.cls): boolean {
  if (v === null) return true;
  const n = t.name.toLowerCase();
  if (typeof v === 'number' && (n === 'long' || n === 'decimal' || n === 'double')) return true;
  if (n === 'id' && typeof v === 'string') return true;
  return instanceOf(f, v, t, site, from);
}

const bareName = (t: TypeRef) => t.name.toLowerCase().replace(/^(schema|system)\./, '');

/**
 * How a collection's element types fit a parameter's type arguments (`Set<String>` against
 * `Set<Schema.SObjectField>`): 2 the same names, 1 compatible or not known, 0 incompatible. Lets
 * overloads that differ only in a type argument be told apart by the values.
 */
export function collectionFit(f: Frame, v: unknown, t: TypeRef, from: ClassDef): number {
  let have: (TypeRef | undefined)[];
  if (v instanceof ApexList || v instanceof ApexSet) have = [v.elemType];
  else if (v instanceof ApexMap) have = [v.keyType, v.valueType];
  else return 1;
  if (t.args.length !== have.length) return 1;
  let fit = 2;
  for (let i = 0; i < have.length; i++) {
    const e = have[i];
    const p = t.args[i];
    if (!e) {
      fit = 1;
      continue;
    }
    if (bareName(e) === bareName(p)) continue;
    fit = 1;
    const pn = bareName(p);
    if (pn === 'object' || (pn === 'sobject' && isSObjectName(bareName(e)))) continue;
    const a = resolveTypeName(f, e.name);
    const b = resolveTypeName(f, p.name, from);
    if (!a || !b) continue; // a name the runtime cannot resolve: not known to differ
    if (a.kind === 'class' && b.kind === 'class' && a.cls.isSubclassOf(b.cls)) continue;
    if (a.kind === 'sobject' && b.kind === 'sobject' && a.name.toLowerCase() === b.name.toLowerCase()) continue;
    if ((bareName(e) === 'id' && pn === 'string') || (bareName(e) === 'string' && pn === 'id')) continue;
    return 0;
  }
  return fit;
}

/** An sObject's Id field holds an Id: a String put there that is none throws as an Id assignment does. */
export function checkIdField(f: Frame, field: string, v: unknown): void {
  if (typeof v === 'string' && field.toLowerCase() === 'id' && !ID_RE.test(v)) throwEx(f, 'StringException', `Invalid id: ${v}`);
}

export function coerce(f: Frame, v: unknown, t: TypeRef, site: Site): unknown {
  if (v === null || v === undefined) return null;
  const n = t.name.toLowerCase();
  if (n === 'decimal' || n === 'double') {
    if (typeof v === 'number') return new Dec(v, n === 'double' || !Number.isInteger(v) ? undefined : 0, n === 'double');
    if (v instanceof Dec && n === 'double' && !v.isDouble) return new Dec(v.n, undefined, true);
    return v;
  }
  if (n === 'long') return v instanceof Dec ? Math.trunc(v.n) : v;
  // Date widens to Datetime (midnight, in the user's time zone: GMT here)
  if (n === 'datetime') return v instanceof ApexDate ? new ApexDatetime(v.ms) : v;
  // Integer is 32-bit: a value that left the range while stored as Integer wraps like Java's int.
  if (n === 'integer') return typeof v === 'number' && (v > 2147483647 || v < -2147483648) ? v | 0 : v;
  // a String assigned to an Id must be one: 15 or 18 letters and digits (`Id x = '';` throws "Invalid id: ")
  if ((n === 'id' || n === 'system.id') && typeof v === 'string' && !ID_RE.test(v)) throwEx(f, 'StringException', `Invalid id: ${v}`);
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
  // an Integer or Long cast to Decimal has scale 0 (`0.0 + (Decimal) intObject` is 50.0, not 50)
  if ((n === 'decimal' || n === 'double') && typeof v === 'number')
    return new Dec(v, n === 'double' || !Number.isInteger(v) ? undefined : 0, n === 'double');
  if ((n === 'integer' || n === 'long') && v instanceof Dec) {
    // a number typed Decimal or Double converts (toward zero, wrapping like intValue()); an Object holding one does not
    if (site.signature === NUMERIC_CAST) return n === 'integer' ? Math.trunc(v.n) | 0 : Math.trunc(v.n);
    throwEx(f, 'TypeException', `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeDisplayName(f, t)}`);
  }
  if (v instanceof ApexList && v.fromQuery && isSObjectName(n)) return coerce(f, v, t, site);
  // a Date is an instanceof Datetime and casts to one (midnight GMT); apex-rollup's sorter relies on it
  if ((n === 'datetime' || n === 'system.datetime') && v instanceof ApexDate) return new ApexDatetime(v.ms);
  if (!assignable(f, v, t, site))
    throwEx(f, 'TypeException', `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeDisplayName(f, t)}`);
  if (v instanceof ApexList && t.args.length && !v.elemType) v.elemType = t.args[0];
  return v;
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
