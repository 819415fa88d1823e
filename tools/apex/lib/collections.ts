/**
 * List, Set, Map, SObject and the static side of sObject types (custom metadata getInstance/getAll,
 * Schema.SObjectType basics).
 */
import { defineNative, NObj } from './registry.ts';
import { ApexList, ApexMap, ApexObject, ApexSet, Dec, SObject, definesEquality, hashKey, stringValueOf, type TypeRef } from '../run/values.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { valueEquals } from '../run/operators.ts';
import { runSoql, recordToSObject, sobjectToRecord } from '../run/data.ts';
import { sobjectGet } from '../run/members.ts';
import { callMethod } from '../run/calls.ts';
import { compareValues } from './primitives.ts';
import { sobjectTypeToken } from './schema.ts';
import { isSObjectName } from '../run/types.ts';
import { dmlError } from './system.ts';
import { addSObjectError } from '../run/dml.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../lower/classModel.ts';

const n = (v: unknown): number => (v instanceof Dec ? v.n : Number(v));

function bounds(f: Frame, l: ApexList, i: number, inclusiveEnd = false): void {
  if (i < 0 || i > l.items.length || (!inclusiveEnd && i === l.items.length)) throwEx(f, 'ListException', `List index out of bounds: ${i}`);
}

async function sortItems(f: Frame, items: unknown[], site: Site, comparator?: ApexObject): Promise<unknown[]> {
  // stable merge sort with an async comparator (Comparable.compareTo / Comparator.compare may be Apex)
  if (items.length < 2) return items;
  const mid = items.length >> 1;
  const a = await sortItems(f, items.slice(0, mid), site, comparator);
  const b = await sortItems(f, items.slice(mid), site, comparator);
  const order = comparator
    ? async (x: unknown, y: unknown) => n(await callMethod(f, comparator, 'compare', [x, y], site))
    : (x: unknown, y: unknown) => compareValues(f, x, y, site);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((await order(a[i], b[j])) <= 0) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out.concat(a.slice(i), b.slice(j));
}

defineNative({
  name: 'List',
  methods: {
    add: (f, l: ApexList, args) => {
      if (args.length === 2) {
        bounds(f, l, n(args[0]), true);
        l.items.splice(n(args[0]), 0, args[1]);
      } else l.items.push(args[0]);
      return null;
    },
    addAll: (f, l: ApexList, [o]) => {
      if (o === null) throwNpe(f);
      l.items.push(...(o instanceof ApexList ? o.items : (o as ApexSet).values()));
      return null;
    },
    get: (f, l: ApexList, [i]) => {
      bounds(f, l, n(i));
      return l.items[n(i)];
    },
    set: (f, l: ApexList, [i, v]) => {
      bounds(f, l, n(i));
      l.items[n(i)] = v;
      return null;
    },
    remove: (f, l: ApexList, [i]) => {
      bounds(f, l, n(i));
      return l.items.splice(n(i), 1)[0];
    },
    size: (f, l: ApexList) => l.items.length,
    isEmpty: (f, l: ApexList) => l.items.length === 0,
    clear: (f, l: ApexList) => {
      l.items.length = 0;
      return null;
    },
    contains: async (f, l: ApexList, [v], site) => (userKeyed(v) ? (await indexOfAsync(f, l, v, site)) >= 0 : l.items.some((x) => hashKey(x) === hashKey(v) || valueEquals(x, v, true))),
    indexOf: (f, l: ApexList, [v], site) => indexOfAsync(f, l, v, site),
    clone: (f, l: ApexList) => new ApexList(l.items.slice(), l.elemType),
    deepClone: (f, l: ApexList) =>
      new ApexList(
        l.items.map((x) => {
          if (!(x instanceof SObject)) return x;
          const c = new SObject(x.type);
          for (const fv of x.fields.values()) c.put(fv.name, fv.value);
          return c;
        }),
        l.elemType,
      ),
    sort: async (f, l: ApexList, args, site) => {
      const cmp = args[0];
      if (cmp !== undefined && !(cmp instanceof ApexObject)) return unsupported(f, 'List.sort with this argument', site);
      l.items = await sortItems(f, l.items, site, cmp as ApexObject | undefined);
      return null;
    },
    equals: (f, l: ApexList, [o]) => valueEquals(l, o, true),
    hashCode: () => 0,
    tostring: (f, l: ApexList) => stringValueOf(l),
    iterator: (f, l: ApexList) => {
      const it = new NObj('ListIterator');
      it.set('items', l.items.slice());
      it.set('pos', 0);
      return it;
    },
    getSObjectType: (f, l: ApexList) => (l.elemType && isSObjectName(l.elemType.name) ? sobjectTypeToken(l.elemType.name) : null),
  },
}, 'System.List');

defineNative({
  name: 'ListIterator',
  methods: {
    hasNext: (f, it: NObj) => it.get<number>('pos') < it.get<unknown[]>('items').length,
    next: (f, it: NObj) => {
      const items = it.get<unknown[]>('items');
      const p = it.get<number>('pos');
      if (p >= items.length) throwEx(f, 'NoSuchElementException', 'Iterator has no more elements.');
      it.set('pos', p + 1);
      return items[p];
    },
  },
});

// ---------------------------------------------------------------- keys with their own equals/hashCode

/** A user object whose class overrides equals or hashCode: Set and Map find it through them. */
const userKeyed = (v: unknown): v is ApexObject => v instanceof ApexObject && definesEquality(v);

/** Value equality that calls a user class's own equals() (Assert, List.contains/indexOf). */
export async function equalsAsync(f: Frame, a: unknown, b: unknown, site: Site): Promise<boolean> {
  if (userKeyed(a) && a !== b) return (await callMethod(f, a, 'equals', [b], site)) === true;
  return valueEquals(a, b, true, f);
}

async function indexOfAsync(f: Frame, l: ApexList, v: unknown, site: Site): Promise<number> {
  for (let i = 0; i < l.items.length; i++) if (userKeyed(v) || userKeyed(l.items[i]) ? await equalsAsync(f, v, l.items[i], site) : valueEquals(l.items[i], v, true)) return i;
  return -1;
}
let userKeySeq = 0;

/**
 * The bucket of `k` in `store`: its hashCode(), then equals() against the keys of the same hash, as
 * Salesforce's Set and Map do for classes that override them.
 */
async function userKey(f: Frame, store: Map<unknown, unknown>, k: ApexObject, storedKey: (e: unknown) => unknown, site: Site): Promise<string> {
  const h = await callMethod(f, k, 'hashCode', [], site);
  const prefix = `eq:${String(h)}:`;
  for (const [hk, e] of store)
    if (typeof hk === 'string' && hk.startsWith(prefix) && (await callMethod(f, k, 'equals', [storedKey(e)], site)) === true) return hk;
  return prefix + ++userKeySeq;
}
const mapKey = (f: Frame, m: ApexMap, k: ApexObject, site: Site) => userKey(f, m.map, k, (e) => (e as [unknown, unknown])[0], site);
const setKey = (f: Frame, s: ApexSet, v: ApexObject, site: Site) => userKey(f, s.map, v, (e) => e, site);

defineNative({
  name: 'Set',
  methods: {
    add: async (f, s: ApexSet, [v], site) => {
      if (!userKeyed(v)) return s.add(v);
      const hk = await setKey(f, s, v, site);
      if (s.map.has(hk)) return false;
      s.map.set(hk, v);
      return true;
    },
    addAll: (f, s: ApexSet, [o]) => {
      let changed = false;
      for (const v of o instanceof ApexList ? o.items : (o as ApexSet).values()) changed = s.add(v) || changed;
      return changed;
    },
    contains: async (f, s: ApexSet, [v], site) => (userKeyed(v) ? s.map.has(await setKey(f, s, v, site)) : s.has(v)),
    containsAll: (f, s: ApexSet, [o]) => (o instanceof ApexList ? o.items : (o as ApexSet).values()).every((v) => s.has(v)),
    remove: async (f, s: ApexSet, [v], site) => s.map.delete(userKeyed(v) ? await setKey(f, s, v, site) : hashKey(v)),
    removeAll: (f, s: ApexSet, [o]) => {
      let changed = false;
      for (const v of o instanceof ApexList ? o.items : (o as ApexSet).values()) changed = s.map.delete(hashKey(v)) || changed;
      return changed;
    },
    retainAll: (f, s: ApexSet, [o]) => {
      const keep = new Set((o instanceof ApexList ? o.items : (o as ApexSet).values()).map(hashKey));
      let changed = false;
      for (const k of [...s.map.keys()])
        if (!keep.has(k)) {
          s.map.delete(k);
          changed = true;
        }
      return changed;
    },
    size: (f, s: ApexSet) => s.map.size,
    isEmpty: (f, s: ApexSet) => s.map.size === 0,
    clear: (f, s: ApexSet) => {
      s.map.clear();
      return null;
    },
    clone: (f, s: ApexSet) => {
      const c = new ApexSet(s.elemType);
      for (const v of s.values()) c.add(v);
      return c;
    },
    equals: (f, s: ApexSet, [o]) => valueEquals(s, o, true),
    hashCode: () => 0,
    tostring: (f, s: ApexSet) => stringValueOf(s),
  },
}, 'System.Set');

defineNative({
  name: 'Map',
  methods: {
    get: async (f, m: ApexMap, [k], site) => (userKeyed(k) ? (m.map.get(await mapKey(f, m, k, site))?.[1] ?? null) : m.get(k)),
    put: async (f, m: ApexMap, [k, v], site) => {
      if (!userKeyed(k)) return m.put(k, v);
      const hk = await mapKey(f, m, k, site);
      const old = m.map.get(hk);
      m.map.set(hk, [k, v]);
      return old === undefined ? null : old[1];
    },
    putAll: (f, m: ApexMap, [o]) => {
      if (o instanceof ApexMap) for (const [k, v] of o.map.values()) m.put(k, v);
      else if (o instanceof ApexList) for (const so of o.items) if (so instanceof SObject) m.put(so.get('Id'), so);
      return null;
    },
    containsKey: async (f, m: ApexMap, [k], site) => (userKeyed(k) ? m.map.has(await mapKey(f, m, k, site)) : m.has(k)),
    remove: async (f, m: ApexMap, [k], site) => {
      const hk = userKeyed(k) ? await mapKey(f, m, k, site) : hashKey(k);
      const old = m.map.get(hk);
      m.map.delete(hk);
      return old === undefined ? null : old[1];
    },
    keySet: (f, m: ApexMap) => {
      // same buckets as the map, so keys with their own equals/hashCode stay findable
      const s = new ApexSet(m.keyType);
      for (const [hk, [k]] of m.map) s.map.set(hk, k);
      return s;
    },
    values: (f, m: ApexMap) => new ApexList(m.values(), m.valueType),
    size: (f, m: ApexMap) => m.map.size,
    isEmpty: (f, m: ApexMap) => m.map.size === 0,
    clear: (f, m: ApexMap) => {
      m.map.clear();
      return null;
    },
    clone: (f, m: ApexMap) => {
      const c = new ApexMap(m.keyType, m.valueType);
      for (const [k, v] of m.map.values()) c.put(k, v);
      return c;
    },
    equals: (f, m: ApexMap, [o]) => valueEquals(m, o, true),
    hashCode: () => 0,
    tostring: (f, m: ApexMap) => stringValueOf(m),
  },
}, 'System.Map');

const sobjectType = (name: string): NObj => sobjectTypeToken(name);

defineNative({
  name: 'SObject',
  methods: {
    get: (f, so: SObject, [k]) => sobjectGet(f, so, String(k instanceof NObj ? k.get('name') : k)),
    put: (f, so: SObject, [k, v]) => {
      if (so.readOnly) throwEx(f, 'FinalException', 'Record is read-only');
      return so.put(String(k instanceof NObj ? k.get('name') : k), v);
    },
    getSObject: (f, so: SObject, [k]) => so.get(String(k)),
    getSObjects: (f, so: SObject, [k]) => so.get(String(k)),
    getSObjectType: (f, so: SObject) => sobjectType(so.type),
    getPopulatedFieldsAsMap: (f, so: SObject) => {
      const m = new ApexMap({ name: 'String', args: [], array: 0 }, { name: 'Object', args: [], array: 0 });
      for (const fv of so.fields.values()) m.put(fv.name, fv.value);
      return m;
    },
    isSet: (f, so: SObject, [k]) => so.has(String(k)),
    clone: (f, so: SObject, args) => {
      const c = new SObject(so.type);
      const preserveId = args[0] === true;
      for (const fv of so.fields.values()) if (preserveId || fv.name.toLowerCase() !== 'id') c.put(fv.name, fv.value);
      return c;
    },
    // addError(msg), addError(msg, escape), addError(Exception), addError(field, msg): marks the record;
    // its DML row fails with FIELD_CUSTOM_VALIDATION_EXCEPTION (run/dml.ts).
    addError: (f, so: SObject, args) => addSObjectError(so, args),
    hasErrors: (f, so: SObject) => !!so.errors?.length,
    getErrors: (f, so: SObject) => new ApexList((so.errors ?? []).map((e) => dmlError({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', ...e })), { name: 'Database.Error', args: [], array: 0 }),
    equals: (f, so: SObject, [o]) => valueEquals(so, o, true),
    hashCode: () => 0,
    tostring: (f, so: SObject) => stringValueOf(so),
    Id: (f, so: SObject) => so.get('Id'),
  },
  instanceOf: (v) => v instanceof SObject,
}, 'Schema.SObject', 'System.SObject');

const STRING: TypeRef = { name: 'String', args: [], array: 0 };

/** Static methods on sObject types: custom metadata `X__mdt.getInstance/getAll`. */
defineNative({
  name: '$sobjectstatics',
  statics: {
    getInstance: async (f, [type, name], site) => {
      const t = String(type);
      if (!/__mdt$/i.test(t)) return unsupported(f, `${t}.getInstance`, site);
      const list = (await runSoql(f, `SELECT FIELDS(ALL) FROM ${t} WHERE DeveloperName = :name LIMIT 1`, { userMode: false, binds: { name }, sobject: t, isCount: false }, site)) as ApexList;
      f.tx.counts.queries--; // custom metadata reads do not count against SOQL limits
      return list.items[0] ?? null;
    },
    getAll: async (f, [type], site) => {
      const t = String(type);
      if (!/__mdt$/i.test(t)) return unsupported(f, `${t}.getAll`, site);
      const list = (await runSoql(f, `SELECT FIELDS(ALL) FROM ${t}`, { userMode: false, binds: {}, sobject: t, isCount: false }, site)) as ApexList;
      f.tx.counts.queries--;
      const m = new ApexMap(STRING, { name: t, args: [], array: 0 });
      for (const so of list.items as SObject[]) m.put(so.get('DeveloperName'), so);
      return m;
    },
    getSObjectType: (f, [type]) => sobjectType(String(type)),
  },
});

export { recordToSObject, sobjectToRecord };
