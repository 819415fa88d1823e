/**
 * List, Set, Map, SObject and the static side of sObject types (custom metadata getInstance/getAll,
 * Schema.SObjectType basics).
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList, ApexMap, ApexObject, ApexSet, Dec, SObject, hashKey, stringValueOf } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import {
  equalsAsync,
  apexEquals,
  apexHashCode,
  apexString,
  mapBucket,
  mapPut,
  needsApexEquality,
  setAdd,
  setBucket,
} from '../run/equality.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { valueEquals } from '../run/operators.ts';
import { runSoql, recordToSObject, sobjectToRecord } from '../run/data.ts';
import { sobjectGet } from '../run/members.ts';
import { callMethod } from '../run/calls.ts';
import { compareValues } from './primitives.ts';
import { checkIdField } from '../run/types.ts';
import { sobjectTypeToken } from './schema.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import { dmlError } from './system.ts';
import { addSObjectError } from '../run/dml.ts';
import { setSObjectOptions } from '../run/dmlOptions.ts';
import type { Frame } from '../run/frame.ts';
import { settingGetAll, settingGetInstance, settingGetOrgDefaults, settingGetValues } from './customSettings.ts';
import type { Site } from '../model/classModel.ts';

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

function copySObject(x: SObject): SObject {
  const c = new SObject(x.type);
  for (const fv of x.fields.values()) c.put(fv.name, fv.value);
  return c;
}

/**
 * The token of a collection's sObject type; null for the generic SObject (a `List<SObject>` has no
 * concrete type: NebulaLogger's tests, passing on Salesforce, read 'Unknown' for one; docs/salesforce-rules.md).
 */
const concreteSObjectToken = (name: string | undefined) =>
  name && isSObjectName(name) && !/^(schema\.)?sobject$/i.test(name) ? sobjectTypeToken(name) : null;

defineNative(
  {
    name: 'List',
    complete: true,
    methods: {
      'void add(T) | void add(Integer, T)': (f, l: ApexList, args) => {
        if (args.length === 2) {
          bounds(f, l, n(args[0]), true);
          l.items.splice(n(args[0]), 0, args[1]);
        } else l.items.push(args[0]);
        return null;
      },
      'void addAll(List<T>) | void addAll(Set<T>)': (f, l: ApexList, [o]) => {
        l.items.push(...elements(f, o));
        return null;
      },
      'T get(Integer)': (f, l: ApexList, [i]) => {
        bounds(f, l, n(i));
        return l.items[n(i)];
      },
      'void set(Integer, T)': (f, l: ApexList, [i, v]) => {
        bounds(f, l, n(i));
        l.items[n(i)] = v;
        return null;
      },
      'T remove(Integer)': (f, l: ApexList, [i]) => {
        bounds(f, l, n(i));
        return l.items.splice(n(i), 1)[0];
      },
      'Integer size()': (f, l: ApexList) => l.items.length,
      'Boolean isEmpty()': (f, l: ApexList) => l.items.length === 0,
      'void clear()': (f, l: ApexList) => {
        l.items.length = 0;
        return null;
      },
      'Boolean contains(T)': async (f, l: ApexList, [v], site) =>
        needsApexEquality(v) || needsApexEquality(l)
          ? (await indexOfAsync(f, l, v, site)) >= 0
          : l.items.some((x) => hashKey(x) === hashKey(v) || valueEquals(x, v, true)),
      'Integer indexOf(T)': (f, l: ApexList, [v], site) => indexOfAsync(f, l, v, site),
      'List<T> clone()': (f, l: ApexList) => new ApexList(l.items.slice(), l.elemType),
      'List<T> deepClone(Boolean?, Boolean?, Boolean?)': (f, l: ApexList) =>
        new ApexList(
          l.items.map((x) => (x instanceof SObject ? copySObject(x) : x)),
          l.elemType,
        ),
      'void sort(System.Comparator<T>?)': async (f, l: ApexList, args, site) => {
        const cmp = args[0];
        if (cmp !== undefined && !(cmp instanceof ApexObject)) return unsupported(f, 'List.sort with this argument', site);
        l.items = await sortItems(f, l.items, site, cmp as ApexObject | undefined);
        return null;
      },
      'Boolean equals(List<T>)': (f, l: ApexList, [o], site) => apexEquals(f, l, o, true, site),
      'Integer hashCode()': (f, l: ApexList, _a, site) => apexHashCode(f, l, site),
      'String toString()': (f, l: ApexList, _a, site) => apexString(f, l, site),
      'System.Iterator<T> iterator()': (f, l: ApexList) => {
        const it = new NObj('ListIterator');
        it.set('items', l.items.slice());
        it.set('pos', 0);
        return it;
      },
      'Schema.SObjectType getSObjectType()': (f, l: ApexList) => concreteSObjectToken(l.elemType?.name),
    },
  },
  'System.List',
);

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

async function indexOfAsync(f: Frame, l: ApexList, v: unknown, site: Site): Promise<number> {
  if (!needsApexEquality(v) && !needsApexEquality(l)) return l.items.findIndex((x) => valueEquals(x, v, true));
  for (let i = 0; i < l.items.length; i++) if (await equalsAsync(f, v, l.items[i], site)) return i;
  return -1;
}

/** Elements of a List or Set argument; null is a NullPointerException. */
function elements(f: Frame, o: unknown): unknown[] {
  if (o === null || o === undefined) throwNpe(f);
  return o instanceof ApexList ? o.items : (o as ApexSet).values();
}

defineNative(
  {
    name: 'Set',
    complete: true,
    methods: {
      'Boolean add(T)': (f, s: ApexSet, [v], site) => setAdd(f, s, v, site),
      'Boolean addAll(List<T>) | Boolean addAll(Set<T>)': async (f, s: ApexSet, [o], site) => {
        let changed = false;
        for (const v of elements(f, o)) changed = (await setAdd(f, s, v, site)) || changed;
        return changed;
      },
      'Boolean contains(T)': async (f, s: ApexSet, [v], site) => (await setBucket(f, s, v, site)) !== undefined,
      'Boolean containsAll(List<T>) | Boolean containsAll(Set<T>)': async (f, s: ApexSet, [o], site) => {
        for (const v of elements(f, o)) if ((await setBucket(f, s, v, site)) === undefined) return false;
        return true;
      },
      'Boolean remove(T)': async (f, s: ApexSet, [v], site) => s.map.delete(await setBucket(f, s, v, site)),
      'Boolean removeAll(List<T>) | Boolean removeAll(Set<T>)': async (f, s: ApexSet, [o], site) => {
        let changed = false;
        for (const v of elements(f, o)) changed = s.map.delete(await setBucket(f, s, v, site)) || changed;
        return changed;
      },
      'Boolean retainAll(List<T>) | Boolean retainAll(Set<T>)': async (f, s: ApexSet, [o], site) => {
        const other = new ApexSet();
        for (const v of elements(f, o)) await setAdd(f, other, v, site);
        let changed = false;
        for (const [k, v] of [...s.map])
          if ((await setBucket(f, other, v, site)) === undefined) {
            s.map.delete(k);
            changed = true;
          }
        return changed;
      },
      'Integer size()': (f, s: ApexSet) => s.map.size,
      'Boolean isEmpty()': (f, s: ApexSet) => s.map.size === 0,
      'void clear()': (f, s: ApexSet) => {
        s.map.clear();
        return null;
      },
      'Set<T> clone()': (f, s: ApexSet) => {
        const c = new ApexSet(s.elemType);
        c.map = new Map(s.map);
        return c;
      },
      'Boolean equals(Set<T>)': (f, s: ApexSet, [o], site) => apexEquals(f, s, o, true, site),
      'Integer hashCode()': (f, s: ApexSet, _a, site) => apexHashCode(f, s, site),
      'String toString()': (f, s: ApexSet, _a, site) => apexString(f, s, site),
      'System.Iterator<T> iterator()': (f, s: ApexSet) => {
        const it = new NObj('ListIterator');
        it.set('items', s.values());
        it.set('pos', 0);
        return it;
      },
    },
  },
  'System.Set',
);

defineNative(
  {
    name: 'Map',
    complete: true,
    methods: {
      'V get(K)': async (f, m: ApexMap, [k], site) => {
        const hk = await mapBucket(f, m, k, site);
        return hk === undefined ? null : m.map.get(hk)![1];
      },
      'V put(K, V)': (f, m: ApexMap, [k, v], site) => mapPut(f, m, k, v, site),
      'void putAll(Map<K, V>) | void putAll(List<SObject>)': async (f, m: ApexMap, [o], site) => {
        if (o === null || o === undefined) throwNpe(f);
        if (o instanceof ApexMap) for (const [k, v] of o.map.values()) await mapPut(f, m, k, v, site);
        else if (o instanceof ApexList) for (const so of o.items) if (so instanceof SObject) m.put(so.get('Id'), so);
        return null;
      },
      'Boolean containsKey(K)': async (f, m: ApexMap, [k], site) => (await mapBucket(f, m, k, site)) !== undefined,
      'V remove(K)': async (f, m: ApexMap, [k], site) => {
        const hk = await mapBucket(f, m, k, site);
        if (hk === undefined) return null;
        const old = m.map.get(hk)!;
        m.map.delete(hk);
        return old[1];
      },
      'Set<K> keySet()': (f, m: ApexMap) => {
        // same buckets as the map, so keys with their own equals/hashCode stay findable
        const s = new ApexSet(m.keyType);
        for (const [hk, [k]] of m.map) s.map.set(hk, k);
        return s;
      },
      'List<V> values()': (f, m: ApexMap) => new ApexList(m.values(), m.valueType),
      'Integer size()': (f, m: ApexMap) => m.map.size,
      'Boolean isEmpty()': (f, m: ApexMap) => m.map.size === 0,
      'void clear()': (f, m: ApexMap) => {
        m.map.clear();
        return null;
      },
      'Map<K, V> deepClone()': (f, m: ApexMap) => {
        const c = new ApexMap(m.keyType, m.valueType);
        c.map = new Map([...m.map].map(([hk, [k, v]]) => [hk, [k, v instanceof SObject ? copySObject(v) : v]]));
        return c;
      },
      'Schema.SObjectType getSObjectType()': (f, m: ApexMap) => concreteSObjectToken(m.valueType?.name),
      'Map<K, V> clone()': (f, m: ApexMap) => {
        const c = new ApexMap(m.keyType, m.valueType);
        c.map = new Map(m.map);
        return c;
      },
      'Boolean equals(Map<K, V>)': (f, m: ApexMap, [o], site) => apexEquals(f, m, o, true, site),
      'Integer hashCode()': (f, m: ApexMap, _a, site) => apexHashCode(f, m, site),
      'String toString()': (f, m: ApexMap, _a, site) => apexString(f, m, site),
    },
  },
  'System.Map',
);

const sobjectType = (name: string): NObj => sobjectTypeToken(name);

/** A relationship named by text (`Account`, `Parent__r`) or by its lookup field's token (`AccountId`, `Parent__c`). */
function relationshipKey(k: unknown): string {
  if (!(k instanceof NObj)) return String(k);
  const field = String(k.get('name'));
  if (/__c$/i.test(field)) return field.slice(0, -3) + '__r';
  return /id$/i.test(field) ? field.slice(0, -2) : field;
}

defineNative(
  {
    name: 'SObject',
    methods: {
      get: (f, so: SObject, [k]) => sobjectGet(f, so, String(k instanceof NObj ? k.get('name') : k)),
      put: (f, so: SObject, [k, v]) => {
        if (so.readOnly) throwEx(f, 'FinalException', 'Record is read-only');
        const field = String(k instanceof NObj ? k.get('name') : k);
        checkIdField(f, field, v);
        return so.put(field, v);
      },
      getSObject: (f, so: SObject, [k]) => so.get(relationshipKey(k)),
      // putSObject(relationshipName | lookup field token, parent): sets the parent record; returns the previous one
      putSObject: (f, so: SObject, [k, v]) => {
        if (so.readOnly) throwEx(f, 'FinalException', 'Record is read-only');
        return so.put(relationshipKey(k), v);
      },
      getSObjects: (f, so: SObject, [k]) => so.get(String(k)),
      getSObjectType: (f, so: SObject) => sobjectType(so.type),
      getPopulatedFieldsAsMap: (f, so: SObject) => {
        const m = new ApexMap({ name: 'String', args: [], array: 0 }, { name: 'Object', args: [], array: 0 });
        for (const fv of so.fields.values()) m.put(fv.name, fv.value);
        return m;
      },
      isSet: (f, so: SObject, [k]) => so.has(String(k)),
      setOptions: (f, so: SObject, [options]) => setSObjectOptions(so, options),
      clone: (f, so: SObject, args) => {
        const c = new SObject(so.type);
        const preserveId = args[0] === true;
        for (const fv of so.fields.values()) if (preserveId || fv.name.toLowerCase() !== 'id') c.put(fv.name, fv.value);
        // a clone of a clone points back to the first record (Apex Reference, "SObject Class": getCloneSourceId)
        c.cloneSource = so.cloneSource !== undefined ? so.cloneSource : so.get('Id');
        return c;
      },
      isClone: (f, so: SObject) => so.cloneSource !== undefined,
      getCloneSourceId: (f, so: SObject) => so.cloneSource ?? null,
      // addError(msg), addError(msg, escape), addError(Exception), addError(field, msg): marks the record;
      // its DML row fails with FIELD_CUSTOM_VALIDATION_EXCEPTION (run/dml.ts).
      addError: (f, so: SObject, args) => addSObjectError(so, args),
      hasErrors: (f, so: SObject) => !!so.errors?.length,
      getErrors: (f, so: SObject) =>
        new ApexList(
          (so.errors ?? []).map((e) => dmlError({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', ...e })),
          { name: 'Database.Error', args: [], array: 0 },
        ),
      equals: (f, so: SObject, [o]) => valueEquals(so, o, true),
      hashCode: (f, so: SObject, _a, site) => apexHashCode(f, so, site),
      tostring: (f, so: SObject) => stringValueOf(so),
      Id: (f, so: SObject) => so.get('Id'),
    },
    instanceOf: (v) => v instanceof SObject,
  },
  'Schema.SObject',
  'System.SObject',
);

const STRING: TypeRef = { name: 'String', args: [], array: 0 };

/** Static methods on sObject types: custom metadata `X__mdt.getInstance/getAll`, custom settings (lib/customSettings.ts). */
defineNative({
  name: '$sobjectstatics',
  statics: {
    getInstance: async (f, [type, ...args], site) => {
      const t = String(type);
      const name = args[0];
      if (/__c$/i.test(t)) return settingGetInstance(f, t, args, site);
      if (!/__mdt$/i.test(t)) return unsupported(f, `${t}.getInstance`, site);
      // getInstance(recordId), (developerName) and (qualifiedApiName): Apex Reference, "Custom Metadata Type Methods"
      const byId = typeof name === 'string' && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(name) ? ' OR Id = :name' : '';
      const list = (await runSoql(
        f,
        `SELECT FIELDS(ALL) FROM ${t} WHERE DeveloperName = :name OR QualifiedApiName = :name${byId} LIMIT 1`,
        { userMode: false, binds: { name }, sobject: t, isCount: false },
        site,
      )) as ApexList;
      // custom metadata reads count against no SOQL limit, queries or rows (Apex Reference, "Custom Metadata Type Methods")
      f.tx.counts.queries--;
      f.tx.counts.queryRows -= list.items.length;
      return list.items[0] ?? null;
    },
    getValues: (f, [type, ...args], site) =>
      /__c$/i.test(String(type)) ? settingGetValues(f, String(type), args, site) : unsupported(f, `${type}.getValues`, site),
    getOrgDefaults: (f, [type], site) =>
      /__c$/i.test(String(type)) ? settingGetOrgDefaults(f, String(type), site) : unsupported(f, `${type}.getOrgDefaults`, site),
    getAll: async (f, [type], site) => {
      const t = String(type);
      if (/__c$/i.test(t)) return settingGetAll(f, t, site);
      if (!/__mdt$/i.test(t)) return unsupported(f, `${t}.getAll`, site);
      const list = (await runSoql(
        f,
        `SELECT FIELDS(ALL) FROM ${t}`,
        { userMode: false, binds: {}, sobject: t, isCount: false },
        site,
      )) as ApexList;
      f.tx.counts.queries--;
      f.tx.counts.queryRows -= list.items.length;
      const m = new ApexMap(STRING, { name: t, args: [], array: 0 });
      for (const so of list.items as SObject[]) m.put(so.get('DeveloperName'), so);
      return m;
    },
    getSObjectType: (f, [type]) => sobjectType(String(type)),
  },
});

export { recordToSObject, sobjectToRecord };
