/**
 * Org cache values as Salesforce keeps them: serialized at `put` and read back as a copy by any later
 * transaction of the org, on any app server ("the org cache is not tied to any session and is available
 * to the organization across requests and to all users", Apex Reference, "Org Class"; a cached value
 * must be serializable, Apex Developer Guide, "Platform Cache Limits"). The local platform runs Apex on
 * several worker threads, each with its own compiled classes, so an Apex object cannot be handed from
 * one transaction to the next as is: it is written as plain JSON with its class's name, and read back
 * as an object of that class in the reading transaction's program.
 *
 * A value this file cannot write (a system object such as HttpRequest, a system enum, a cycle) stays
 * with the host as is, which can keep it only within one worker (FIDELITY.md, "Platform Cache").
 */
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
  SObject,
  TypeValue,
} from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { enumValue } from '../run/types.ts';
import type { Frame } from '../run/frame.ts';
import type { ClassDef } from '../model/classModel.ts';

/** What the runtime hands the host for a value it could write: plain JSON, shared by every worker. */
export interface StoredCacheValue {
  apexCacheValue: Stored;
}

type Stored = null | string | number | boolean | { $: string; [k: string]: unknown };

class NotStorable extends Error {}

/** The value as plain JSON, or undefined when it holds something only this worker can keep. */
export function storeCacheValue(f: Frame, value: unknown): StoredCacheValue | undefined {
  try {
    return { apexCacheValue: write(f, value, new Set()) };
  } catch (e) {
    if (e instanceof NotStorable) return undefined;
    throw e;
  }
}

export function isStoredCacheValue(v: unknown): v is StoredCacheValue {
  return typeof v === 'object' && v !== null && 'apexCacheValue' in v && Object.keys(v).length === 1;
}

function write(f: Frame, v: unknown, path: Set<object>): Stored {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $: 'num', n: String(v) };
  if (typeof v !== 'object') throw new NotStorable();
  if (v instanceof Dec) return { $: 'dec', n: String(v.n), s: v.scale ?? null, d: v.isDouble };
  if (v instanceof Blob) return { $: 'blob', b: v.buf.toString('base64') };
  if (v instanceof ApexDate) return { $: 'date', ms: v.ms };
  if (v instanceof ApexDatetime) return { $: 'datetime', ms: v.ms };
  if (v instanceof ApexTime) return { $: 'time', ms: v.ms };
  if (v instanceof TypeValue) return { $: 'type', ref: v.ref, display: v.display };
  // A system enum (Quiddity …) is not a class of the org: read() could not find it again.
  if (v instanceof EnumValue) return findClass(f, v.enumType) && { $: 'enum', type: v.enumType, name: v.name };
  if (path.has(v)) throw new NotStorable();
  path.add(v);
  try {
    const all = (xs: unknown[]) => xs.map((x) => write(f, x, path));
    if (v instanceof ApexList && v.constructor === ApexList) return { $: 'list', t: v.elemType ?? null, items: all(v.items) };
    if (v instanceof ApexSet && v.constructor === ApexSet) return { $: 'set', t: v.elemType ?? null, items: all(v.values()) };
    if (v instanceof ApexMap && v.constructor === ApexMap)
      return { $: 'map', k: v.keyType ?? null, v: v.valueType ?? null, keys: all(v.keys()), values: all(v.values()) };
    if (v instanceof SObject)
      return { $: 'sobject', type: v.type, fields: [...v.fields.values()].map((x) => [x.name, write(f, x.value, path)]) };
    if (v instanceof ApexObject && !v.stubCall && !v.displayName)
      return { $: 'object', cls: v.cls.fullName, fields: [...v.fields].map(([k, x]) => [k, write(f, x, path)]) };
    throw new NotStorable();
  } finally {
    path.delete(v);
  }
}

/**
 * The stored value as a new Apex value of the reading transaction; undefined (a cache miss) when a class
 * or enum constant it names is no longer in the org (the class changed since the put).
 */
export function readCacheValue(f: Frame, stored: StoredCacheValue): unknown {
  try {
    return read(f, stored.apexCacheValue);
  } catch (e) {
    if (e instanceof NotStorable) return undefined;
    throw e;
  }
}

function findClass(f: Frame, fullName: string): ClassDef {
  const [top, ...inner] = fullName.toLowerCase().split('.');
  let cls = f.tx.program.classes.get(top!);
  for (const name of inner) cls = cls?.inner.get(name);
  if (!cls) throw new NotStorable();
  return cls;
}

function read(f: Frame, s: Stored): unknown {
  if (s === null || typeof s !== 'object') return s;
  const o = s as Record<string, unknown> & { $: string };
  const all = (xs: unknown) => (xs as Stored[]).map((x) => read(f, x));
  switch (o.$) {
    case 'num':
      return Number(o.n);
    case 'dec':
      return new Dec(Number(o.n), (o.s as number | null) ?? undefined, o.d === true);
    case 'blob':
      return new Blob(Buffer.from(String(o.b), 'base64'));
    case 'date':
      return new ApexDate(Number(o.ms));
    case 'datetime':
      return new ApexDatetime(Number(o.ms));
    case 'time':
      return new ApexTime(Number(o.ms));
    case 'type':
      return new TypeValue(o.ref as TypeRef, String(o.display));
    case 'enum': {
      const cls = findClass(f, String(o.type));
      const idx = cls.enumValues.findIndex((n) => n.toLowerCase() === String(o.name).toLowerCase());
      if (cls.kind !== 'enum' || idx < 0) throw new NotStorable();
      return enumValue(cls, idx);
    }
    case 'list':
      return new ApexList(all(o.items), (o.t as TypeRef | null) ?? undefined);
    case 'set': {
      const set = new ApexSet((o.t as TypeRef | null) ?? undefined);
      for (const x of all(o.items)) set.add(x);
      return set;
    }
    case 'map': {
      const map = new ApexMap((o.k as TypeRef | null) ?? undefined, (o.v as TypeRef | null) ?? undefined);
      const values = all(o.values);
      all(o.keys).forEach((k, i) => map.put(k, values[i]));
      return map;
    }
    case 'sobject': {
      const so = new SObject(String(o.type));
      for (const [name, x] of o.fields as [string, Stored][]) so.put(name, read(f, x));
      return so;
    }
    case 'object': {
      const obj = new ApexObject(findClass(f, String(o.cls)));
      for (const [k, x] of o.fields as [string, Stored][]) obj.fields.set(k, read(f, x));
      return obj;
    }
  }
  throw new NotStorable();
}
