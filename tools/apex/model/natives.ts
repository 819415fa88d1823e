/**
 * Registry of system types implemented in TypeScript: one declaration per type holds each member's
 * Apex signature and its implementation, so the compile phase (checker, overloads) and the runtime
 * read the same facts. Names are matched case-insensitively. See tools/apex/README.md, "Declaring a
 * system type". The registry lives in model/ so the checker reads signatures without importing the
 * library; lib/ fills it when it loads (lib/index.ts, which compiler.ts and run/runtime.ts import).
 */
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';

export type NativeFn = (f: Frame, args: any[], site: Site) => unknown;
export type NativeMethod = (f: Frame, self: any, args: any[], site: Site) => unknown;

export interface NativeType {
  /** Display name, e.g. 'HttpRequest', 'Auth.JWT'. */
  name: string;
  statics?: Record<string, NativeFn>;
  props?: Record<string, { get: (f: Frame) => unknown; set?: (f: Frame, v: unknown) => void }>;
  construct?: (f: Frame, args: unknown[], site: Site, type: TypeRef) => unknown;
  methods?: Record<string, NativeMethod>;
  /** JSON.deserialize into the type: its JSON keys and their Apex types (an NObj with those fields, lower-cased). */
  json?: Record<string, string>;
  /** JSON.serialize writes the value as this scalar (System.UUID as its text). */
  jsonValue?: (self: any) => unknown;
  /** Public instance fields (lower-case → display) for objects like RestRequest. */
  fields?: string[];
  instanceOf?: (v: unknown) => boolean;
  /** List.sort's default order of two values of this type (SelectOption: value, then label). */
  compare?: (a: any, b: any) => number;
  /**
   * Any field name reads and writes (a Visualforce component's attributes): unset ones read null.
   * A type named `Family.*` (`Component.*`) stands for every name under `Family.` (familyMember).
   */
  openFields?: boolean;
  /** Instance members that are not fixed names (`Account.SObjectType.fields.Name`): asked after `fields`. */
  instanceMember?: (f: Frame, self: any, name: string, site: Site) => unknown;
  /** Static members that are not fixed names (`Schema.SObjectType.Account`): asked after `props`. */
  staticMember?: (f: Frame, name: string, site: Site) => unknown;
  /**
   * Every member is declared with its signature: a call of an unknown member, or one whose
   * arguments fit no signature, is a compile error (Salesforce's own text). Without it an unknown
   * member deploys and fails when it runs ("not supported by the local runtime").
   */
  complete?: boolean;
  /** Signatures parsed from the member keys (filled by defineNative), lower-case name → overloads. */
  signatures?: { statics: Map<string, Signature[]>; methods: Map<string, Signature[]> };
  /** Members declared by bare name (lower case): they exist, their types are unknown (filled by defineNative). */
  bare?: { statics: Set<string>; methods: Set<string> };
}

/** One overload of a system method: `String substring(Integer, Integer?)` → two signatures. */
export interface Signature {
  name: string;
  returns: TypeRef;
  params: TypeRef[];
}

export const natives = new Map<string, NativeType>();

/**
 * The type of a name under a family of types no list can hold (`Component.Apex.PageBlock`,
 * `Component.c.MyComponent`: Visualforce components, standard and the project's own): the family's
 * `Family.*` type under that name, kept once made.
 */
export function familyMember(name: string): NativeType | undefined {
  const low = name.toLowerCase();
  const dot = low.indexOf('.');
  const family = dot > 0 && dot < low.length - 1 ? natives.get(low.slice(0, dot) + '.*') : undefined;
  if (!family) return undefined;
  const nt: NativeType = { ...family, name };
  natives.set(low, nt);
  return nt;
}

/** Parses an Apex type as written in a signature: `Map<String, List<Object>>`, `String[]`, `T`. */
export function parseTypeString(s: string): TypeRef {
  let pos = 0;
  const read = (): TypeRef => {
    const m = /^\s*([A-Za-z_][\w.]*)/.exec(s.slice(pos));
    if (!m) throw new Error(`bad type in signature: ${s}`);
    pos += m[0].length;
    const args: TypeRef[] = [];
    if (s[pos] === '<') {
      pos++;
      for (;;) {
        args.push(read());
        while (s[pos] === ' ') pos++;
        if (s[pos++] === '>') break;
      }
    }
    let t: TypeRef = { name: m[1], args, array: 0 };
    while (s.slice(pos, pos + 2) === '[]') {
      pos += 2;
      t = { name: 'List', args: [t], array: 0 };
    }
    return t;
  };
  return read();
}

const SIGNATURE = /^\s*(.+?)\s+([A-Za-z_]\w*)\s*\((.*)\)\s*$/;

/** Splits `a, Map<K, V>, c` at top-level commas. */
function splitParams(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * A member key is either a bare name (`substring`: the checker knows the name, not its types) or
 * Apex signatures (`String substring(Integer, Integer?)`): a trailing `?` marks an optional
 * parameter, and `|` separates overloads (or same-behaving members) that share the implementation
 * (`Integer abs(Integer) | Decimal abs(Decimal)`, `Integer year() | Integer yearGmt()`).
 */
export function parseMemberKey(key: string): { name: string; signatures: Signature[] } {
  const signatures: Signature[] = [];
  let name = key;
  for (const one of key.split('|')) {
    const m = SIGNATURE.exec(one);
    if (!m) return { name: key, signatures: [] };
    const [, ret, n, paramText] = m;
    if (name === key) name = n;
    const params = splitParams(paramText);
    const required = params.filter((p) => !p.endsWith('?')).length;
    const types = params.map((p) => parseTypeString(p.replace(/\?$/, '')));
    for (let k = required; k <= types.length; k++) signatures.push({ name: n, returns: parseTypeString(ret), params: types.slice(0, k) });
  }
  return { name, signatures };
}

/** Registers a type under its name and aliases (e.g. 'System.HttpRequest', 'HttpRequest'). */
export function defineNative(t: NativeType, ...aliases: string[]): NativeType {
  t.signatures = { statics: new Map(), methods: new Map() };
  t.bare = { statics: new Set(), methods: new Set() };
  const lower = (o?: Record<string, unknown>, sigs?: Map<string, Signature[]>, bare?: Set<string>) => {
    if (!o) return;
    for (const k of Object.keys(o)) {
      const { name, signatures } = parseMemberKey(k);
      const impl = o[k];
      delete o[k];
      if (bare && !signatures.length) bare.add(name.toLowerCase());
      // The runtime dispatches by name: overloads share one implementation (`|`), under each name they use.
      for (const n of new Set([name, ...signatures.map((x) => x.name)].map((x) => x.toLowerCase()))) {
        if (sigs) sigs.set(n, [...(sigs.get(n) ?? []), ...signatures.filter((x) => x.name.toLowerCase() === n)]);
        o[n] = impl;
      }
    }
  };
  lower(t.statics, t.signatures.statics, t.bare.statics);
  lower(t.props);
  lower(t.methods, t.signatures.methods, t.bare.methods);
  natives.set(t.name.toLowerCase(), t);
  for (const a of aliases) natives.set(a.toLowerCase(), t);
  if (!t.name.includes('.')) natives.set('system.' + t.name.toLowerCase(), t);
  return t;
}
