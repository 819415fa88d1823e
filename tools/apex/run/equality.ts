/**
 * Equality, hashing and string conversion that call a class's own `equals`, `hashCode` and
 * `toString`, as Salesforce does for `==`, Set and Map keys, concatenation and `String.valueOf`.
 * The synchronous helpers of values.ts/operators.ts serve every value without such a class.
 */
import {
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  Dec,
  EnumValue,
  SObject,
  TypeValue,
  definesEquality,
  hashKey,
  stringValueOf,
} from './values.ts';
import { valueEquals } from './operators.ts';
import type { ClassDef, Site } from '../model/classModel.ts';
import type { Frame } from './frame.ts';

type MethodCaller = (f: Frame, target: unknown, name: string, args: unknown[], site: Site) => Promise<unknown>;

let callMethod: MethodCaller = () => {
  throw new Error('run/calls.ts has not registered its method caller (import it before comparing Apex objects)');
};

/**
 * calls.ts hands its dispatcher over when it loads: equality runs a class's own equals, hashCode and
 * toString through it. calls.ts imports this module for Object's methods, so importing it back would
 * make a cycle whose load order decides behaviour.
 */
export function setMethodCaller(caller: MethodCaller): void {
  callMethod = caller;
}

const overrides = new WeakMap<ClassDef, Map<string, boolean>>();

/** Whether the class or a superclass declares the method (`equals`, `tostring`: lower-case keys). */
function declares(cls: ClassDef, key: string): boolean {
  let known = overrides.get(cls);
  if (!known) overrides.set(cls, (known = new Map()));
  let v = known.get(key);
  if (v === undefined) {
    v = false;
    for (let c: ClassDef | undefined = cls; c && !v; c = c.superClass) v = c.methods.has(key);
    known.set(key, v);
  }
  return v;
}

/** A user object that Set and Map key through its hashCode() and equals() (never a stub: definesEquality). */
export const userKeyed = (v: unknown): v is ApexObject => v instanceof ApexObject && definesEquality(v);

/** Whether `test` holds for `v` or for an object inside it (lists, sets, maps; 8 levels deep). */
function anyObject(v: unknown, test: (o: ApexObject) => boolean, depth = 0): boolean {
  if (v instanceof ApexObject) return test(v);
  if (depth > 8) return false;
  const inner = (x: unknown) => anyObject(x, test, depth + 1);
  if (v instanceof ApexList) return v.items.some(inner);
  if (v instanceof ApexSet) return v.values().some(inner);
  if (v instanceof ApexMap) return [...v.map.values()].some(([k, x]) => inner(k) || inner(x));
  return false;
}

/** Whether comparing `v` may run Apex (a class's equals, possibly inside a collection). */
export const needsApexEquality = (v: unknown): boolean => anyObject(v, definesEquality);

/**
 * `==` (strings case-insensitive) and `equals()`/Assert (case-sensitive): a class's own equals()
 * for its objects, element by element for lists, by hashCode()/equals() lookup for sets and maps.
 */
export async function apexEquals(f: Frame, a: unknown, b: unknown, caseSensitive: boolean, site: Site): Promise<boolean> {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (!needsApexEquality(a) && !needsApexEquality(b)) return valueEquals(a, b, caseSensitive, f);
  if (a instanceof ApexObject) {
    if (a === b) return true;
    return declares(a.cls, 'equals') ? (await callMethod(f, a, 'equals', [b], site)) === true : false;
  }
  if (a instanceof ApexList && b instanceof ApexList) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) if (!(await apexEquals(f, a.items[i], b.items[i], caseSensitive, site))) return false;
    return true;
  }
  if (a instanceof ApexSet && b instanceof ApexSet) {
    if (a.map.size !== b.map.size) return false;
    for (const v of a.values()) if ((await setBucket(f, b, v, site)) === undefined) return false;
    return true;
  }
  if (a instanceof ApexMap && b instanceof ApexMap) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map.values()) {
      const hk = await mapBucket(f, b, k, site);
      if (hk === undefined || !(await apexEquals(f, v, b.map.get(hk)![1], caseSensitive, site))) return false;
    }
    return true;
  }
  return false;
}

let userKeySeq = 0;

/**
 * The bucket of a user-keyed object in a Set's or Map's store: its hashCode(), then equals() against
 * the stored keys of the same hash. `undefined` when absent; `create` gives a new bucket name instead.
 */
async function userBucket(
  f: Frame,
  store: Map<unknown, unknown>,
  k: ApexObject,
  storedKey: (e: unknown) => unknown,
  site: Site,
  create: boolean,
): Promise<unknown> {
  const h = await callMethod(f, k, 'hashCode', [], site);
  const prefix = `eq:${String(h)}:`;
  for (const [hk, e] of store) {
    if (typeof hk !== 'string' || !hk.startsWith(prefix)) continue;
    const other = storedKey(e);
    if (other === k || (declares(k.cls, 'equals') && (await callMethod(f, k, 'equals', [other], site)) === true)) return hk;
  }
  return create ? prefix + ++userKeySeq : undefined;
}

/** The bucket holding `v` in `s`, or undefined. */
export async function setBucket(f: Frame, s: ApexSet, v: unknown, site: Site, create = false): Promise<unknown> {
  if (!userKeyed(v)) {
    const hk = hashKey(v);
    return create || s.map.has(hk) ? hk : undefined;
  }
  return userBucket(f, s.map, v, (e) => e, site, create);
}

/** The bucket holding key `k` in `m`, or undefined. */
export async function mapBucket(f: Frame, m: ApexMap, k: unknown, site: Site, create = false): Promise<unknown> {
  if (!userKeyed(k)) {
    const hk = m.bucketKey(k);
    return create || m.map.has(hk) ? hk : undefined;
  }
  return userBucket(f, m.map, k, (e) => (e as [unknown, unknown])[0], site, create);
}

/** Set.add through hashCode()/equals(): false when an equal element is already there. */
export async function setAdd(f: Frame, s: ApexSet, v: unknown, site: Site): Promise<boolean> {
  if (!userKeyed(v)) return s.add(v);
  const hk = await setBucket(f, s, v, site, true);
  if (s.map.has(hk)) return false;
  s.map.set(hk, v);
  return true;
}

/** Map.put through hashCode()/equals(); returns the previous value or null. */
export async function mapPut(f: Frame, m: ApexMap, k: unknown, v: unknown, site: Site): Promise<unknown> {
  if (!userKeyed(k)) return m.put(k, v);
  const hk = await mapBucket(f, m, k, site, true);
  const old = m.map.get(hk);
  m.map.set(hk, [k, v]);
  return old === undefined ? null : old[1];
}

/** Whether converting `v` to a String may run Apex (a class's own toString, possibly in a collection). */
export const needsApexString = (v: unknown): boolean =>
  // a stub's class methods go to its StubProvider: String.valueOf does not call them (unverified)
  anyObject(v, (o) => !o.stubCall && declares(o.cls, 'tostring'));

/** String.valueOf, concatenation and System.debug: a class's own toString() where it has one. */
export async function apexString(f: Frame, v: unknown, site: Site): Promise<string> {
  if (!needsApexString(v)) return stringValueOf(v);
  if (v instanceof ApexObject) {
    const s = await callMethod(f, v, 'toString', [], site);
    return s === null || s === undefined ? 'null' : String(s);
  }
  const all = async (xs: unknown[]) => {
    const out: string[] = [];
    for (const x of xs) out.push(await apexString(f, x, site));
    return out.join(', ');
  };
  if (v instanceof ApexList) return '(' + (await all(v.items)) + ')';
  if (v instanceof ApexSet) return '{' + (await all(v.values())) + '}';
  const m = v as ApexMap;
  const parts: string[] = [];
  for (const [k, x] of m.map.values()) parts.push((await apexString(f, k, site)) + '=' + (await apexString(f, x, site)));
  return '{' + parts.join(', ') + '}';
}

/** Java's String.hashCode, which Apex's String.hashCode() returns. */
export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * hashCode() of any value: a class's own hashCode(), Java's rules for collections (a list folds
 * 31 * h + e, a set sums, a map sums key ^ value) so equal collections hash alike and different ones
 * (almost always) do not. Unverified: Salesforce's exact numbers for collections, Boolean and Long.
 */
export async function apexHashCode(f: Frame, v: unknown, site: Site): Promise<number> {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return stringHash(v);
  if (typeof v === 'boolean') return v ? 1231 : 1237;
  if (typeof v === 'number') return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : stringHash(String(v));
  // without its own hashCode() an object hashes by identity (Object's), so two equal() objects may both
  // stay in a Set: fflib_QueryFactoryTest.deterministic_toSOQL puts two equal factories in one Set
  if (v instanceof ApexObject) return declares(v.cls, 'hashcode') ? Number(await callMethod(f, v, 'hashCode', [], site)) : identityHash(v);
  if (v instanceof ApexList) {
    let h = 1;
    for (const x of v.items) h = (Math.imul(31, h) + (await apexHashCode(f, x, site))) | 0;
    return h;
  }
  if (v instanceof ApexSet) {
    let h = 0;
    for (const x of v.values()) h = (h + (await apexHashCode(f, x, site))) | 0;
    return h;
  }
  if (v instanceof ApexMap) {
    let h = 0;
    for (const [k, x] of v.map.values()) h = (h + ((await apexHashCode(f, k, site)) ^ (await apexHashCode(f, x, site)))) | 0;
    return h;
  }
  if (v instanceof SObject) return sobjectHash(f, v, site);
  if (v instanceof Dec) return stringHash(String(v.n));
  if (v instanceof EnumValue) return v.ordinal;
  if (v instanceof TypeValue) return stringHash(v.display.toLowerCase());
  return stringHash(stringValueOf(v));
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identityHash(o: object): number {
  let h = identities.get(o);
  if (h === undefined) identities.set(o, (h = nextIdentity++ | 0));
  return h;
}

/**
 * An sObject's hashCode(): its fields and their values, as its equality compares them ("Uniqueness of
 * sObjects is determined by comparing the objects' fields", Apex Developer Guide, "Sets of Objects"), so
 * two records with the same field values hash alike and records that differ (almost always) do not. The
 * fields are summed, so the order they were set in does not matter; a Decimal holding a whole number
 * hashes as that Integer (1 and 1.0 are equal field values). Salesforce's exact numbers are not documented.
 */
async function sobjectHash(f: Frame, so: SObject, site: Site): Promise<number> {
  let h = stringHash(so.type.toLowerCase());
  for (const [name, fv] of so.fields) {
    const v = fv.value instanceof Dec && Number.isInteger(fv.value.n) ? fv.value.n : fv.value;
    h = (h + (stringHash(name) ^ (await apexHashCode(f, v, site)))) | 0;
  }
  return h;
}

/** Value equality that calls a class's own equals() (Assert, List.contains/indexOf). */
export const equalsAsync = (f: Frame, a: unknown, b: unknown, site: Site): Promise<boolean> => apexEquals(f, a, b, true, site);
