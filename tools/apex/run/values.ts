/**
 * Runtime values of the Apex interpreter. Apex primitives map onto JS where the semantics agree
 * (Integer/Long → number, String/Id → string, Boolean → boolean, null → null); the rest get small
 * classes so that `instanceof`, JSON and String.valueOf can tell them apart.
 */
import type { TypeRef } from '../model/typeRef.ts';

/** Decimal or Double. Integers stay plain numbers so `5 / 2` stays 2. */
export class Dec {
  constructor(
    readonly n: number,
    /** Decimal scale when known (`1.50` → 2); undefined for computed values. */
    readonly scale?: number,
    readonly isDouble = false,
  ) {}
  toString(): string {
    if (!Number.isFinite(this.n)) return String(this.n);
    if (this.scale !== undefined && this.scale >= 0 && this.scale <= 20) return this.n.toFixed(this.scale);
    const s = String(this.n);
    if (this.isDouble && Number.isInteger(this.n) && !s.includes('e')) return s + '.0';
    return s;
  }
}

export class Blob {
  constructor(readonly buf: Buffer) {}
  toString(): string {
    return this.buf.toString('utf8');
  }
}

/** Date: a calendar day, kept as UTC midnight milliseconds. */
export class ApexDate {
  constructor(readonly ms: number) {}
  static of(y: number, m: number, d: number): ApexDate {
    return new ApexDate(Date.UTC(y, m - 1, d));
  }
  get y(): number {
    return new Date(this.ms).getUTCFullYear();
  }
  get m(): number {
    return new Date(this.ms).getUTCMonth() + 1;
  }
  get d(): number {
    return new Date(this.ms).getUTCDate();
  }
  toString(): string {
    return new Date(this.ms).toISOString().slice(0, 10);
  }
}

/** Datetime: an instant; the local runtime's user time zone is GMT (documented gap). */
export class ApexDatetime {
  constructor(readonly ms: number) {}
  /** String.valueOf(Datetime): `yyyy-MM-dd HH:mm:ss` in GMT. */
  toString(): string {
    return new Date(this.ms).toISOString().slice(0, 19).replace('T', ' ');
  }
  toJSON(): string {
    return new Date(this.ms).toISOString();
  }
}

export class ApexTime {
  constructor(readonly ms: number) {}
  toString(): string {
    return new Date(this.ms).toISOString().slice(11, 23) + 'Z';
  }
}

export class ApexList {
  /** Set for lists returned by inline SOQL, so `Account a = [SELECT …]` can take the single row. */
  fromQuery = false;
  constructor(
    public items: unknown[],
    public elemType?: TypeRef,
  ) {}
}

/** A class that overrides equals/hashCode: the local runtime does not call them for Set/Map/==. */
export function definesEquality(o: ApexObject): boolean {
  if (o.stubCall) return false; // a stub's methods answer through its StubProvider; keyed by identity
  for (let c: import('../model/classModel.ts').ClassDef | undefined = o.cls; c; c = c.superClass)
    if (c.methods.has('equals') || c.methods.has('hashcode')) return true;
  return false;
}

/** Thrown instead of silently using reference equality for classes with their own equals/hashCode. */
export class UnsupportedEquality extends Error {
  constructor(readonly className: string) {
    super(`not supported by the local runtime: equals/hashCode of ${className} in ==, Set or Map`);
    this.name = 'UnsupportedError';
  }
}

/** Key used for Set/Map buckets: primitives by value, sObjects and collections by content. */
export function hashKey(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') return v;
  if (v instanceof Dec) return v.n;
  if (v instanceof ApexDate || v instanceof ApexDatetime || v instanceof ApexTime) return v.constructor.name + v.ms;
  if (v instanceof Blob) return 'blob:' + v.buf.toString('base64');
  if (v instanceof EnumValue) return v;
  if (v instanceof TypeValue) return 'type:' + v.display.toLowerCase();
  if (v instanceof NativeObject && v.valueKey) return `native:${v.typeName}:${v.valueKey()}`;
  if (v instanceof ApexObject && definesEquality(v)) throw new UnsupportedEquality(v.cls.fullName);
  if (v instanceof SObject || v instanceof ApexList || v instanceof ApexSet || v instanceof ApexMap) return 'struct:' + stringValueOf(v);
  return v;
}

export class ApexSet {
  map = new Map<unknown, unknown>();
  constructor(public elemType?: TypeRef) {}
  add(v: unknown): boolean {
    const k = hashKey(v);
    if (this.map.has(k)) return false;
    this.map.set(k, v);
    return true;
  }
  has(v: unknown): boolean {
    return this.map.has(hashKey(v));
  }
  values(): unknown[] {
    return [...this.map.values()];
  }
}

export class ApexMap {
  map = new Map<unknown, [unknown, unknown]>();
  constructor(
    public keyType?: TypeRef,
    public valueType?: TypeRef,
  ) {}
  /** The bucket of a key (subclasses may match keys case-insensitively). */
  bucketKey(k: unknown): unknown {
    return hashKey(k);
  }
  get(k: unknown): unknown {
    const e = this.map.get(this.bucketKey(k));
    return e === undefined ? null : e[1];
  }
  put(k: unknown, v: unknown): unknown {
    const hk = this.bucketKey(k);
    const old = this.map.get(hk);
    this.map.set(hk, [k, v]);
    return old === undefined ? null : old[1];
  }
  has(k: unknown): boolean {
    return this.map.has(this.bucketKey(k));
  }
  keys(): unknown[] {
    return [...this.map.values()].map((e) => e[0]);
  }
  values(): unknown[] {
    return [...this.map.values()].map((e) => e[1]);
  }
}

/** An sObject: field names case-insensitive, original spelling kept for JSON. */
export class SObject {
  fields = new Map<string, { name: string; value: unknown }>();
  /** Trigger.new in after triggers and Trigger.old: assignments fail with "Record is read-only". */
  readOnly = false;
  /** `addError` calls: a record with errors fails its DML row. */
  errors?: { message: string; fields: string[] }[];
  /** Set by clone(): the Id of the record it was first cloned from (null when that had none). */
  cloneSource?: unknown;
  constructor(public type: string) {}
  get(name: string): unknown {
    const f = this.fields.get(name.toLowerCase());
    return f === undefined ? null : f.value;
  }
  has(name: string): boolean {
    return this.fields.has(name.toLowerCase());
  }
  put(name: string, value: unknown): unknown {
    const key = name.toLowerCase();
    const old = this.fields.get(key);
    this.fields.set(key, { name: old?.name ?? name, value });
    return old === undefined ? null : old.value;
  }
}

/** An instance of an Apex class (user class, inner class, custom exception). */
export class ApexObject {
  fields = new Map<string, unknown>();
  /** For exceptions: captured at construction/throw. */
  stackTrace?: string;
  line?: number;
  column?: number;
  /** The class name String.valueOf shows when it is not the class's own (a stub's `X__sfdc_ApexStub`). */
  displayName?: string;
  /** Test.createStub: every method call goes to the StubProvider (set by lib/system.ts). */
  stubCall?: (
    f: import('./frame.ts').Frame,
    name: string,
    args: unknown[],
    site: import('../model/classModel.ts').Site,
  ) => Promise<unknown>;
  constructor(readonly cls: import('../model/classModel.ts').ClassDef) {}
}

export class EnumValue {
  constructor(
    readonly enumType: string,
    readonly name: string,
    readonly ordinal: number,
  ) {}
  toString(): string {
    return this.name;
  }
}

/** `Foo.class`, `Type.forName('Foo')`: a type as a value. */
export class TypeValue {
  constructor(
    readonly ref: TypeRef,
    readonly display: string,
  ) {}
  toString(): string {
    return this.display;
  }
}

/** Objects of system classes (HttpRequest, Auth.JWT, …) implemented in TypeScript. */
export abstract class NativeObject {
  abstract readonly typeName: string;
  /** For a system type compared by value (System.Version): equal keys mean `==` and one Set/Map key. */
  valueKey?(): string;
  toString(): string {
    return this.typeName + ':[]';
  }
}

function fmtNum(v: number): string {
  return String(v);
}

/**
 * String.valueOf semantics, also used for string concatenation and System.debug. An object met again
 * inside its own output (a mock holding the mocks registry that holds it) prints `already output`
 * instead of recursing forever, as Salesforce's debug output does (unverified: tools/local-platform/FIDELITY.md).
 */
export function stringValueOf(v: unknown, open: Set<unknown> = new Set()): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return fmtNum(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (typeof v !== 'object') return String(v);
  if (open.has(v)) return 'already output';
  open.add(v);
  try {
    return composite(v, (x) => stringValueOf(x, open));
  } finally {
    open.delete(v);
  }
}

function composite(v: object, str: (x: unknown) => string): string {
  if (v instanceof ApexList) return '(' + v.items.map(str).join(', ') + ')';
  if (v instanceof ApexSet) return '{' + v.values().map(str).join(', ') + '}';
  if (v instanceof ApexMap) return '{' + [...v.map.values()].map(([k, x]) => str(k) + '=' + str(x)).join(', ') + '}';
  if (v instanceof SObject) return v.type + ':{' + [...v.fields.values()].map((f) => f.name + '=' + str(f.value)).join(', ') + '}';
  if (v instanceof ApexObject) {
    const custom = (v as ApexObject & { __toString?: string }).__toString;
    if (custom !== undefined) return custom;
    if (v.cls.isException) return v.cls.typeName + ': ' + str(v.fields.get('__message') ?? null);
    return (
      (v.displayName ?? v.cls.name) +
      ':[' +
      v.cls
        .allInstanceFieldNames()
        .map((n) => n.display + '=' + str(v.fields.get(n.key) ?? null))
        .join(', ') +
      ']'
    );
  }
  return String(v);
}
