/**
 * Static types for the check phase: what an expression's type is known to be, and Apex's rules for
 * assigning one type to another (numeric widening, Id and String, sObjects, classes, collections).
 * A type the checker cannot know is `undefined`, and every rule accepts it: only what Salesforce
 * certainly refuses is refused.
 */
import type { ClassDef } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { familyMember, natives } from '../model/natives.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import { systemTypeStatus } from '../model/catalogue.ts';
import type { Program } from './program.ts';

/** A static type: a TypeRef, or a user class the program knows (for subtyping). */
export interface SType {
  ref: TypeRef;
  cls?: ClassDef;
}

export const NULL_TYPE: SType = { ref: { name: 'null', args: [], array: 0 } };
const t = (name: string, args: TypeRef[] = []): SType => ({ ref: { name, args, array: 0 } });
export const T = {
  Integer: t('Integer'),
  Long: t('Long'),
  Decimal: t('Decimal'),
  Double: t('Double'),
  String: t('String'),
  Boolean: t('Boolean'),
  Id: t('Id'),
  Object: t('Object'),
  Date: t('Date'),
  Datetime: t('Datetime'),
  Time: t('Time'),
  Blob: t('Blob'),
};

/** Types whose value set the checker knows exactly (assignments between them are decidable). */
const SCALARS = new Map(
  ['integer', 'long', 'decimal', 'double', 'string', 'boolean', 'id', 'blob', 'date', 'datetime', 'time'].map((n) => [
    n,
    n[0].toUpperCase() + n.slice(1),
  ]),
);
SCALARS.set('datetime', 'Datetime');
const NUMERIC_RANK: Record<string, number> = { integer: 0, long: 1, decimal: 2, double: 3 };
const COLLECTIONS = new Set(['list', 'set', 'map']);

/** A type name in lower case without its default namespace: `Schema.SObjectField` and `SObjectField` are one type. */
const bare = (name: string): string => name.toLowerCase().replace(/^(system|schema)\./, '');
const low = (s: SType): string => bare(s.ref.name);

export function isNumeric(s: SType | undefined): boolean {
  return !!s && low(s) in NUMERIC_RANK;
}

/** Result type of + - * / on two numbers: the wider of the two (Integer < Long < Decimal < Double). */
export function widerNumeric(a: SType, b: SType): SType {
  return NUMERIC_RANK[low(a)] >= NUMERIC_RANK[low(b)] ? canonical(a) : canonical(b);
}

function canonical(s: SType): SType {
  const c = SCALARS.get(low(s));
  return c ? t(c) : s;
}

/** Resolves a declared type from inside `from`; undefined when the checker cannot know it. */
export function resolveStatic(program: Program, ref: TypeRef, from: ClassDef | undefined): SType | undefined {
  const n = ref.name.toLowerCase().replace(/^system\./, '');
  if (SCALARS.has(n)) return t(SCALARS.get(n)!);
  if (n === 'object') return T.Object;
  if (COLLECTIONS.has(n)) return { ref: qualifyArgs(program, ref, from) };
  const cls = program.findClass(ref.name, from);
  if (cls) return { ref: { name: cls.fullName, args: [], array: 0 }, cls };
  if (isSObjectName(n)) return { ref: { name: ref.name.replace(/^schema\./i, ''), args: [], array: 0 } };
  if (natives.has(n) || familyMember(ref.name)) return { ref }; // Component.Apex.PageBlock: a family of names
  return undefined;
}

/**
 * Type arguments with class names written in full (`Map<FLSType, Boolean>` in `Checker` is
 * `Map<Checker.FLSType,Boolean>`): a collection's element types are later read with no class in scope
 * (`List<T>.get` returns T), and must still mean the class the declaration meant.
 */
function qualifyArgs(program: Program, ref: TypeRef, from: ClassDef | undefined): TypeRef {
  if (!ref.args.length) return ref;
  const one = (a: TypeRef): TypeRef => {
    const cls = COLLECTIONS.has(a.name.toLowerCase()) ? undefined : program.findClass(a.name, from);
    return { ...a, name: cls && !cls.builtin ? cls.fullName : a.name, args: a.args.map(one) };
  };
  return { ...ref, args: ref.args.map(one) };
}

/** The printed form Salesforce uses in messages: `List<String>`, `Map<Id,Account>`. */
export function typeText(s: SType | undefined): string {
  if (!s) return 'Object';
  if (s === NULL_TYPE) return 'NULL';
  const r = (x: TypeRef): string => (x.args.length ? `${x.name}<${x.args.map(r).join(',')}>` : x.name);
  return r(s.ref);
}

/** Is `from` certainly not assignable to `to`? Unknown types never are. */
export function illegalAssignment(from: SType | undefined, to: SType | undefined): boolean {
  if (!from || !to || from === NULL_TYPE) return false;
  const f = low(from);
  const d = low(to);
  if (d === 'object' || f === d) return f === d && COLLECTIONS.has(f) ? illegalCollection(from, to) : false;
  if (f in NUMERIC_RANK && d in NUMERIC_RANK) return NUMERIC_RANK[f] > NUMERIC_RANK[d] && !(f === 'double' && d === 'decimal');
  if ((f === 'id' && d === 'string') || (f === 'string' && d === 'id')) return false;
  // Date → Datetime converts implicitly.
  if (f === 'date' && d === 'datetime') return false;
  // a scalar is never Iterable; List and Set always are
  if (d === 'iterable' && !to.cls) return SCALARS.has(f) || f === 'map';
  const fKnown = SCALARS.has(f) || COLLECTIONS.has(f) || f === 'object' || !!from.cls;
  const dKnown = SCALARS.has(d) || COLLECTIONS.has(d) || !!to.cls;
  if (from.cls && to.cls) return !from.cls.isSubclassOf(to.cls) && linkedFully(from.cls);
  if (f === 'object') return SCALARS.has(d) || COLLECTIONS.has(d) || !!to.cls;
  return fKnown && dKnown && (SCALARS.has(f) || SCALARS.has(d) || COLLECTIONS.has(f) !== COLLECTIONS.has(d));
}

/**
 * Collections: an element conversion Salesforce certainly refuses makes the whole assignment illegal.
 * Certain are a different kind between scalar types (List<String> to List<Integer>), a scalar against
 * any other element type but Object (List<String> to List<Database.DeleteResult>: a String is never a
 * DeleteResult, and a DeleteResult or an sObject never a String), an sObject against a namespaced system
 * type, and nested collections of another kind.
 */
function illegalCollection(from: SType, to: SType): boolean {
  const a = from.ref.args;
  const b = to.ref.args;
  if (a.length !== b.length) return false;
  return a.some((x, i) => illegalElement(x, b[i]));
}

function illegalElement(x: TypeRef, y: TypeRef): boolean {
  const xl = bare(x.name);
  const yl = bare(y.name);
  const xs = SCALARS.get(xl);
  const ys = SCALARS.get(yl);
  if (xs && ys) {
    // Decimal and Double elements pass each other (`List<Double> l = new List<Decimal>()` compiles: apex-lambda)
    const numeric = (t: string) => t === 'Decimal' || t === 'Double';
    return xs !== ys && !(xs === 'Id' && ys === 'String') && !(xs === 'String' && ys === 'Id') && !(numeric(xs) && numeric(ys));
  }
  if (xl === 'object' || yl === 'object') return false;
  if (xs || ys) return true;
  if (COLLECTIONS.has(xl) && COLLECTIONS.has(yl))
    return xl !== yl || (x.args.length === y.args.length && x.args.some((e, i) => illegalElement(e, y.args[i])));
  // an sObject against a namespaced system type that is not one (List<Account> to List<Database.SaveResult>)
  const systemType = (n: string) => n.includes('.') && !n.startsWith('schema.') && systemTypeStatus(n) === 'known';
  return (isSObjectName(xl) && systemType(yl)) || (isSObjectName(yl) && systemType(xl));
}

const refText = (r: TypeRef): string =>
  `${r.name.toLowerCase().replace(/^(system|schema)\./, '')}<${r.args.map(refText).join(',')}>${'[]'.repeat(r.array)}`;
const sameArgs = (a: TypeRef, b: TypeRef) => a.args.length === b.args.length && a.args.every((x, i) => refText(x) === refText(b.args[i]));

/** A class whose whole supertype chain is in the program (so subtyping is known). */
function linkedFully(c: ClassDef): boolean {
  for (let s: ClassDef | undefined = c; s; s = s.superClass) if (s.superRef && !s.superClass) return false;
  return c.interfaceRefs.length === c.interfaces.length;
}

/** How well an argument of static type `arg` fits parameter `param`: lower is closer, -1 does not fit. */
export function fitDistance(arg: SType | undefined, param: SType | undefined): number {
  if (!arg || !param) return 50;
  if (arg === NULL_TYPE) return 10;
  const a = low(arg);
  const p = low(param);
  if (a === p && !COLLECTIONS.has(a)) return 0;
  // the same element types fit closer than a downcast of them (`(List<SObject>) rows` picks f(List<SObject>) over f(List<Account>))
  if (a === p) return illegalCollection(arg, param) ? -1 : sameArgs(arg.ref, param.ref) ? 1 : 2;
  if (illegalAssignment(arg, param)) return -1;
  if (p === 'object') return 40;
  if (a in NUMERIC_RANK && p in NUMERIC_RANK) return NUMERIC_RANK[p] - NUMERIC_RANK[a];
  // List<T> and Set<T> are Iterable<T> (Apex Reference, "Iterable Interface")
  if (p === 'iterable' && !param.cls && (a === 'list' || a === 'set')) return illegalCollection(arg, param) ? -1 : 2;
  if (arg.cls && param.cls) {
    let d = 1;
    for (let s = arg.cls.superClass; s && s !== param.cls; s = s.superClass) d++;
    return d;
  }
  if (p === 'sobject') return 5;
  return 20;
}

/** Does an argument of static type `arg` certainly fit parameter `param`? (Unknown types never do.) */
export function surelyFits(arg: SType | undefined, param: SType | undefined): boolean {
  if (!arg || !param) return false;
  if (arg === NULL_TYPE) return true;
  const a = low(arg);
  const p = low(param);
  if (p === 'object' || (a === p && !COLLECTIONS.has(a))) return true;
  if (a in NUMERIC_RANK && p in NUMERIC_RANK) return NUMERIC_RANK[a] <= NUMERIC_RANK[p];
  if ((a === 'id' && p === 'string') || (a === 'string' && p === 'id')) return true;
  return !!arg.cls && !!param.cls && arg.cls.isSubclassOf(param.cls);
}
