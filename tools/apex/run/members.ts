/** Names, fields, statics and indexing: reading and writing what an expression names. */
import { ApexList, ApexObject, ApexSet, Dec, SObject, TypeValue } from './values.ts';
import { type ClassDef, type Site } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { CompileError } from '../errors.ts';
import { type Frame } from './frame.ts';
import { NObj } from '../lib/nativeValues.ts';
import { natives, type NativeMethod, type NativeType } from '../model/natives.ts';
import { type Resolved, checkIdField, coerce, enumValue, isPlainType, resolveTypeName, runtimeTypeName, typeValue } from './types.ts';
import { ensureStaticInit, invoke } from './calls.ts';
import { throwEx, throwNpe, unsupported } from './exceptions.ts';
import { fieldInScope, hasStaticVariable, typePrefix } from '../model/names.ts';
import { systemTypeStatus } from '../model/catalogue.ts';
import { isCheckbox, unsetChildren } from './checkboxes.ts';

export type NameResolution =
  | { kind: 'field'; consumed: number }
  | { kind: 'static'; cls: ClassDef; consumed: number }
  | { kind: 'type'; type: Resolved; consumed: number };

/**
 * What a dotted name whose head is not a local means (model/names.ts): a field, then the longest
 * type prefix, stopped at a static variable (`Outer.Filter` is Outer's static `Filter` before its
 * inner type `Filter`).
 */
export function resolveName(f: Frame, parts: string[], site: Site, member?: string): NameResolution {
  const hit = fieldInScope(f.cls, parts[0], !f.self);
  const t = () => typePrefix(parts, { type: (name) => resolveTypeName(f, name), hasStatic: staticOf });
  if (hit && !hit.fromStatic) {
    // `Test.isRunningTest()` where `Test` is also a variable whose type has no such method: the
    // variable reading fails, so the name is the class (Apex Developer Guide, "Namespace, Class, and
    // Variable Name Precedence": the class is the second assumption)
    if (member && parts.length === 1 && lacksMethod(f, hit.field.type, hit.owner, member)) {
      const type = t();
      if (type?.consumed === 1 && hasStaticMethod(type.type, member)) return { kind: 'type', type: type.type, consumed: 1 };
    }
    return hit.field.isStatic ? { kind: 'static', cls: hit.owner, consumed: 1 } : { kind: 'field', consumed: 1 };
  }
  const type = t();
  if (type) return { kind: 'type', type: type.type, consumed: type.consumed };
  // a system type the library lacks (`SObjectDescribeOptions.DEFERRED`), or a package's `ns.Type`: it
  // deployed with a warning, and fails here as unsupported rather than as a compile error
  if (parts.length > 1 || systemTypeStatus(parts[0]) === 'known') unsupported(f, [...parts, ...(member ? [member] : [])].join('.'), site);
  throw new CompileError(`Variable does not exist: ${parts[0]}`, site.file, site.line, site.col);
}

/** A variable of declared type `ref` certainly has no method `name`: its type is a class of the org, or a system type, without one. */
function lacksMethod(f: Frame, ref: TypeRef, owner: ClassDef, name: string): boolean {
  if (ref.args.length) return false;
  const key = name.toLowerCase();
  const t = resolveTypeName(f, ref.name, owner);
  if (t?.kind === 'native') return !t.nt.methods?.[key] && !t.nt.signatures?.methods.has(key);
  if (t?.kind !== 'class') return false;
  const seen = new Set<ClassDef>();
  const has = (c: ClassDef | undefined): boolean => {
    if (!c || seen.has(c)) return false;
    seen.add(c);
    if (c.superRef && !c.superClass) return true; // a supertype the program lacks may declare it
    return c.methods.has(key) || has(c.superClass) || c.interfaces.some(has);
  };
  return !has(t.cls);
}

function hasStaticMethod(t: Resolved, name: string): boolean {
  const key = name.toLowerCase();
  if (t.kind === 'class') {
    for (let s: ClassDef | undefined = t.cls; s; s = s.superClass) if (s.methods.get(key)?.some((m) => m.isStatic)) return true;
    return false;
  }
  return t.kind === 'native' && !!t.nt.statics?.[key];
}

/** Whether `name` is a static member of a resolved type (a static variable or enum constant of a class, a system type's property). */
function staticOf(t: Resolved, name: string): boolean {
  if (t.kind === 'class') return hasStaticVariable(t.cls, name);
  if (t.kind === 'native') return !!t.nt.props?.[name.toLowerCase()];
  return false;
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
  // reading through an sObject field that holds null gives null (Apex Developer Guide, "Accessing sObject Fields Through Relationships"),
  // as does reading through an object's null sObject member, except its Id (nullSObjectMember)
  for (; i < parts.length; i++) {
    const owner = v;
    v = await getMember(f, v, parts[i], site);
    if (v !== null || i === parts.length - 1) continue;
    if (owner instanceof SObject) return null;
    if (nullSObjectMember(f, owner, parts[i]) && !/^id$/i.test(parts[i + 1])) return null;
  }
  return v;
}

/**
 * `r.tc.FirstName` where the object `r` declares `Contact tc` and it holds null: reading a field through it
 * gives null, as through a null relationship; its `Id`, a method call, a write, or the bare name inside the
 * class (`tc.FirstName`) still throw NullPointerException (field reports: Salesforce StackExchange 135750,
 * "Strange Behavior with null sObject in Apex Class"; apex-rollup reads `this.control.MaxQueryRows__c` so).
 */
export function nullSObjectMember(f: Frame, owner: unknown, name: string): boolean {
  if (!(owner instanceof ApexObject)) return false;
  const fd = owner.cls.findField(name.toLowerCase());
  if (!fd || fd.isStatic || fd.type.array || fd.type.args.length) return false;
  return resolveTypeName(f, fd.type.name, fd.owner ?? owner.cls)?.kind === 'sobject';
}

export async function assignName(f: Frame, res: NameResolution, parts: string[], v: unknown, site: Site): Promise<void> {
  if (parts.length === res.consumed && res.kind !== 'type') {
    if (res.kind === 'field') return setField(f, f.self!, parts[0], v, site);
    return setStatic(f, res.cls, parts[0].toLowerCase(), v, site);
  }
  if (res.kind === 'type' && parts.length === res.consumed + 1) return setStaticMember(f, res.type, parts[res.consumed], v, site);
  // a type is not a variable (this crashed reading parts past the end)
  if (res.kind === 'type' && parts.length <= res.consumed)
    throw new CompileError(`Variable does not exist: ${parts.join('.')}`, site.file, site.line, site.col);
  const target = await evalName(f, res, parts.slice(0, -1), site);
  return setMember(f, target, parts[parts.length - 1], v, site);
}

/**
 * Inside a property's own get or set accessor its name is the backing variable. Only that property's:
 * `Other.NAME` read in the getter of this class's own `NAME` still calls Other's getter.
 */
function inOwnAccessor(f: Frame, fd: { getter?: unknown; setter?: unknown }): boolean {
  return !!f.method && (f.method === fd.getter || f.method === fd.setter);
}

async function getStatic(f: Frame, cls: ClassDef, key: string, site: Site): Promise<unknown> {
  await ensureStaticInit(f, cls);
  const fd = cls.fieldMap.get(key)!;
  if (fd?.getter && !inOwnAccessor(f, fd)) return invoke(f, fd.getter, null, [], site);
  const v = f.tx.statics.get(cls)!.get(key);
  return v === undefined ? null : v;
}

async function setStatic(f: Frame, cls: ClassDef, key: string, v: unknown, site: Site): Promise<void> {
  await ensureStaticInit(f, cls);
  const fd = cls.fieldMap.get(key)!;
  if (fd?.setter && !inOwnAccessor(f, fd)) {
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
    if (t.nt.staticMember) return t.nt.staticMember(f, name, site);
  }
  if (t.kind === 'sobject') {
    // tokens come from lib/schema.ts, interned so that `==`, Set and Map compare them by identity
    if (key === 'sobjecttype')
      return natives.get('schema.sobjecttype')!.construct!(f, [t.name], site, { name: t.name, args: [], array: 0 });
    // `Contact.fields.Email` (also `Schema.Contact.fields.Email`) names the field's token, as `Contact.Email` does
    if (key === 'fields') {
      const type = natives.get('schema.sobjecttype')!;
      return type.instanceMember!(f, type.construct!(f, [t.name], site, { name: t.name, args: [], array: 0 }), name, site);
    }
    return natives.get('schema.sobjectfield')!.construct!(f, [t.name, name], site, { name: 'Schema.SObjectField', args: [], array: 0 });
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
  if (target instanceof ApexList && target.fromQuery)
    return sobjectGet(f, coerce(f, target, { name: 'SObject', args: [], array: 0 }, site) as SObject, name);
  if (target instanceof NObj) {
    const nt = natives.get(target.typeName.toLowerCase());
    const key = name.toLowerCase();
    if (nt?.fields?.includes(key) || target.fields.has(key)) return target.get(key);
    const getter = nt && beanGetter(nt, key);
    if (getter) return getter(f, target, [], site);
    if (nt?.instanceMember) return nt.instanceMember(f, target, name, site);
    if (nt?.openFields) return null;
  }
  if (target instanceof TypeValue) {
    const r = resolveTypeName(f, target.ref.name);
    if (r) return getStaticMember(f, r, name, site);
  }
  return unsupported(f, `field ${name} on ${runtimeTypeName(target)}`, site);
}

/**
 * A system object's getter read as a property: `entry.label`, `entry.active`, `fieldSet.fields` call
 * `getLabel()`, `isActive()`, `getFields()`, as Salesforce compiles them (SalesforceFoundation/PMM's
 * FieldSetService reads PicklistEntry and FieldSet this way in a package Salesforce deploys).
 */
function beanGetter(nt: NativeType, key: string): NativeMethod | undefined {
  for (const name of ['get' + key, 'is' + key]) {
    const m = nt.methods?.[name];
    const sigs = nt.signatures?.methods.get(name);
    if (m && (!sigs?.length || sigs.some((s) => s.params.length === 0))) return m;
  }
  return undefined;
}

export function sobjectGet(f: Frame, so: SObject, name: string): unknown {
  const queried = (so as SObject & { queried?: boolean }).queried;
  if (queried && !so.has(name) && !/^id$/i.test(name))
    throwEx(f, 'SObjectException', `SObject row was retrieved via SOQL without querying the requested field: ${so.type}.${name}`);
  if (!queried && !so.has(name)) {
    if (isCheckbox(f, so.type, name)) return false;
    const children = unsetChildren(f, so.type, name);
    if (children) return children;
  }
  return so.get(name);
}

export async function setMember(f: Frame, target: unknown, name: string, v: unknown, site: Site): Promise<void> {
  if (target === null || target === undefined) throwNpe(f, site);
  if (target instanceof ApexObject) return setField(f, target, name, v, site);
  if (target instanceof SObject) {
    if (target.readOnly) throwEx(f, 'FinalException', 'Record is read-only');
    checkIdField(f, name, v);
    target.put(name, v);
    return;
  }
  if (target instanceof NObj) {
    const nt = natives.get(target.typeName.toLowerCase());
    if (nt?.fields?.includes(name.toLowerCase()) || nt?.openFields) {
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
