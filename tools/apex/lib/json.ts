/**
 * System.JSON with Salesforce's rules: declaration-order fields, sObjects with `attributes`,
 * Datetime as 2024-01-01T00:00:00.000Z, Decimal text kept, Jackson-style pretty printing; typed
 * deserialization into Apex classes, sObjects and collections; JSONParser/JSONToken/JSONGenerator.
 */
import { Num, writeCompact, writePretty, type J } from './jsonText.ts';
import { timeOfText } from './dates.ts';
import { expectListStart, typeArg } from './jsonStart.ts';
import { NObj } from './nativeValues.ts';
import { defineNative, natives, parseTypeString as parseSignatureType } from '../model/natives.ts';
import { notImplemented } from './primitives.ts';
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
} from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { throwEx, unsupported } from '../run/exceptions.ts';
import { resolveTypeName, enumValue, runtimeTypeName } from '../run/types.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import { childSObjectOf, fieldTypeOf, primeWithChildren } from '../run/checkboxes.ts';
import { type Frame } from '../run/frame.ts';
import type { Site, ClassDef } from '../model/classModel.ts';
import { jsonTooDeep, jsonTooDeepMessage } from '../../core/jsonDepth.ts';

export const API_VERSION = '65.0';

export function parseJson(f: Frame, s: string): J {
  if (jsonTooDeep(s)) throwEx(f, 'JSONException', jsonTooDeepMessage());
  try {
    return JSON.parse(s, function (this: unknown, _k: string, v: unknown, ctx?: { source?: string }) {
      if (typeof v === 'number') return new Num(ctx?.source ?? String(v));
      return v;
    }) as J;
  } catch (e) {
    throwEx(f, 'JSONException', (e as Error).message);
  }
}

// ---------------------------------------------------------------- serialize

interface SerOpts {
  suppressNulls: boolean;
  /** Apex REST responses drop null fields of sObjects too. */
  dropAllNulls?: boolean;
}

/** Converts an Apex value to a JSON tree (numbers as Num to keep Decimal text). */
export function toJsonTree(f: Frame | undefined, v: unknown, o: SerOpts, site?: Site): J {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return new Num(String(v));
  }
  if (v instanceof Dec) return new Num(Number.isFinite(v.n) ? v.toString() : 'null');
  if (v instanceof ApexDatetime) return new Date(v.ms).toISOString();
  if (v instanceof ApexDate) return v.toString();
  if (v instanceof ApexTime) return v.toString();
  if (v instanceof Blob) return v.buf.toString('base64');
  if (v instanceof EnumValue) return v.name;
  if (v instanceof ApexList) return v.items.map((x) => toJsonTree(f, x, o, site));
  if (v instanceof ApexSet) return v.values().map((x) => toJsonTree(f, x, o, site));
  if (v instanceof ApexMap) {
    const out: { [k: string]: J } = {};
    for (const [k, x] of v.map.values()) {
      const val = toJsonTree(f, x, o, site);
      if (val === null && o.dropAllNulls) continue;
      out[stringValueOf(k)] = val;
    }
    return out;
  }
  if (v instanceof SObject) {
    const out: { [k: string]: J } = {};
    const id = v.get('Id');
    out.attributes = id ? { type: v.type, url: `/services/data/v${API_VERSION}/sobjects/${v.type}/${id}` } : { type: v.type };
    for (const fv of v.fields.values()) {
      if (fv.value === null && o.dropAllNulls) continue;
      if (fv.value instanceof ApexList) {
        out[fv.name] = {
          totalSize: new Num(String(fv.value.items.length)),
          done: true,
          records: fv.value.items.map((x) => toJsonTree(f, x, o, site)),
        };
        continue;
      }
      out[fv.name] = toJsonTree(f, fv.value, o, site);
    }
    return out;
  }
  if (v instanceof ApexObject) {
    if (v.cls.isException && f && site) unsupported(f, `JSON serialization of ${v.cls.typeName}`, site);
    const out: { [k: string]: J } = {};
    const chain: ClassDef[] = [];
    for (let c: ClassDef | undefined = v.cls; c; c = c.superClass) chain.unshift(c);
    for (const c of chain)
      for (const fd of c.fields) {
        if (fd.isStatic || fd.isTransient) continue;
        const raw = v.fields.get(fd.key);
        const val = raw === undefined ? null : raw;
        if (val === null && (o.suppressNulls || o.dropAllNulls)) continue;
        out[fd.name] = toJsonTree(f, val, o, site);
      }
    return out;
  }
  if (v instanceof TypeValue) return v.display;
  // a system type that declares its JSON keys (Invocable.Action.Result/Error …) serializes as them
  const native = v instanceof NObj ? natives.get(v.typeName.toLowerCase()) : undefined;
  if (native?.jsonValue) return toJsonTree(f, native.jsonValue(v), o, site);
  const shape = native?.json;
  if (shape && v instanceof NObj) {
    const out: { [k: string]: J } = {};
    for (const k of Object.keys(shape)) {
      const val = toJsonTree(f, v.get(k), o, site);
      if (val === null && (o.suppressNulls || o.dropAllNulls)) continue;
      out[k] = val;
    }
    return out;
  }
  if (f && site) return unsupported(f, `JSON serialization of ${runtimeTypeName(v)}`, site);
  return String(v);
}

export function serialize(f: Frame | undefined, v: unknown, opts: SerOpts & { pretty?: boolean }, site?: Site): string {
  const tree = toJsonTree(f, v, opts, site);
  return opts.pretty ? writePretty(tree) : writeCompact(tree);
}

// ---------------------------------------------------------------- deserialize

function numValue(n: Num): number {
  return Number(n.text);
}

export function untyped(j: J): unknown {
  if (j === null) return null;
  if (j instanceof Num) {
    if (/^-?\d+$/.test(j.text)) return Number(j.text);
    const m = /\.(\d+)$/.exec(j.text);
    return new Dec(Number(j.text), m ? m[1].length : undefined);
  }
  if (Array.isArray(j)) return new ApexList(j.map(untyped), { name: 'Object', args: [], array: 0 });
  if (typeof j === 'object') {
    const m = new ApexMap({ name: 'String', args: [], array: 0 }, { name: 'Object', args: [], array: 0 });
    for (const [k, v] of Object.entries(j)) m.put(k, untyped(v));
    return m;
  }
  return j;
}

function describe(j: J): string {
  if (j === null) return 'null';
  if (Array.isArray(j)) return 'START_ARRAY';
  if (j instanceof Num) return 'VALUE_NUMBER';
  if (typeof j === 'object') return 'START_OBJECT';
  if (typeof j === 'string') return 'VALUE_STRING';
  return 'VALUE_' + String(j).toUpperCase();
}

export function typed(f: Frame, j: J, t: TypeRef, site: Site, strict: boolean, from?: ClassDef): unknown {
  if (j === null) return null;
  const n = t.name.toLowerCase().replace(/^system\./, '');
  switch (n) {
    case 'object':
      return untyped(j);
    case 'string':
    case 'id':
      if (typeof j === 'object' && !(j instanceof Num))
        throwEx(f, 'JSONException', `Cannot deserialize instance of string from ${describe(j)} value`);
      return j instanceof Num ? j.text : String(j);
    case 'integer':
    case 'long':
      if (j instanceof Num) return Math.trunc(numValue(j));
      if (typeof j === 'string' && /^-?\d+$/.test(j)) return Number(j);
      throwEx(f, 'JSONException', `Cannot deserialize instance of integer from ${describe(j)} value`);

    case 'decimal':
    case 'double':
      if (j instanceof Num || (typeof j === 'string' && /^-?[\d.]+$/.test(j))) {
        const text = j instanceof Num ? j.text : j;
        const m = /\.(\d+)$/.exec(text);
        return new Dec(Number(text), n === 'double' ? undefined : m ? m[1].length : 0, n === 'double');
      }
      throwEx(f, 'JSONException', `Cannot deserialize instance of decimal from ${describe(j)} value`);

    case 'boolean':
      if (typeof j === 'boolean') return j;
      if (typeof j === 'string') return j.toLowerCase() === 'true';
      throwEx(f, 'JSONException', `Cannot deserialize instance of boolean from ${describe(j)} value`);

    case 'datetime':
      if (typeof j === 'string') {
        const ms = Date.parse(j);
        if (Number.isNaN(ms)) throwEx(f, 'JSONException', `Cannot deserialize instance of datetime from VALUE_STRING value ${j}`);
        return new ApexDatetime(ms);
      }
      if (j instanceof Num) return new ApexDatetime(numValue(j));
      throwEx(f, 'JSONException', `Cannot deserialize instance of datetime from ${describe(j)} value`);

    case 'date':
      if (typeof j === 'string' && /^\d{4}-\d{2}-\d{2}/.test(j)) return new ApexDate(Date.parse(j.slice(0, 10) + 'T00:00:00Z'));
      throwEx(f, 'JSONException', `Cannot deserialize instance of date from ${describe(j)} value`);

    case 'time':
      return (
        (typeof j === 'string' && timeOfText(j)) ||
        throwEx(f, 'JSONException', `Cannot deserialize instance of time from ${describe(j)} value`)
      );

    case 'blob':
      if (typeof j === 'string') return new Blob(Buffer.from(j, 'base64'));
      throwEx(f, 'JSONException', `Cannot deserialize instance of blob from ${describe(j)} value`);

    case 'list':
    case 'set': {
      if (!Array.isArray(j)) throwEx(f, 'JSONException', `Cannot deserialize instance of ${n} from ${describe(j)} value`);
      const et = t.args[0] ?? { name: 'Object', args: [], array: 0 };
      const items = j.map((x) => typed(f, x, et, site, strict, from));
      if (n === 'list') return new ApexList(items, et);
      const s = new ApexSet(et);
      for (const x of items) s.add(x);
      return s;
    }
    case 'map': {
      if (typeof j !== 'object' || Array.isArray(j) || j instanceof Num)
        throwEx(f, 'JSONException', `Cannot deserialize instance of map from ${describe(j)} value`);
      const kt = t.args[0] ?? { name: 'String', args: [], array: 0 };
      const vt = t.args[1] ?? { name: 'Object', args: [], array: 0 };
      const m = new ApexMap(kt, vt);
      for (const [k, v] of Object.entries(j)) m.put(typed(f, k, kt, site, strict, from), typed(f, v, vt, site, strict, from));
      return m;
    }
  }
  const r = resolveTypeName(f, t.name, from ?? f.cls);
  if (!r) throwEx(f, 'JSONException', `Type not found: ${t.name}`);
  if (r.kind === 'sobject' || (r.kind === 'native' && n === 'sobject')) {
    if (typeof j !== 'object' || Array.isArray(j) || j instanceof Num)
      throwEx(f, 'JSONException', `Cannot deserialize instance of ${t.name} from ${describe(j)} value`);
    const attrs = (j as { attributes?: { type?: string } }).attributes;
    const so = new SObject(attrs?.type ?? (r.kind === 'sobject' ? r.name : 'SObject'));
    for (const [k, v] of Object.entries(j)) {
      if (k === 'attributes') continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Num)) {
        const rec = v as { records?: J[]; attributes?: { type?: string } };
        // A child list's records are of the relationship's child type, attributes or not (Account.Contacts → Contact).
        const child: TypeRef = { name: childSObjectOf(f, so.type, k) ?? 'SObject', args: [], array: 0 };
        if (Array.isArray(rec.records)) so.put(k, new ApexList(rec.records.map((x) => typed(f, x, child, site, strict))));
        else so.put(k, typed(f, v, { name: rec.attributes?.type ?? 'SObject', args: [], array: 0 }, site, strict));
      } else so.put(k, fieldValue(v, fieldTypeOf(f, so.type, k)));
    }
    return so;
  }
  if (r.kind === 'class') {
    const cls = r.cls;
    if (cls.kind === 'enum') {
      const idx = cls.enumValues.findIndex((e) => e.toLowerCase() === String(j).toLowerCase());
      return idx < 0 ? null : enumValue(cls, idx);
    }
    if (cls.kind === 'interface' || cls.modifiers.includes('abstract'))
      throwEx(f, 'JSONException', `Abstract type or interface cannot be deserialized: ${cls.fullName}`);
    if (typeof j !== 'object' || Array.isArray(j) || j instanceof Num)
      throwEx(f, 'JSONException', `Malformed JSON: Expected '{' at the beginning of object`);
    const obj = new ApexObject(cls);
    for (const [k, v] of Object.entries(j)) {
      const fd = cls.findField(k.toLowerCase());
      if (!fd || fd.isStatic) {
        if (strict) throwEx(f, 'JSONException', `No such column '${k}' on object of type ${cls.fullName}`);
        continue;
      }
      obj.fields.set(fd.key, typed(f, v, fd.type, site, strict, fd.owner ?? cls));
    }
    return obj;
  }
  if (r.kind === 'native' && typeof j === 'string' && r.nt.props?.[j.toLowerCase()]) return r.nt.props[j.toLowerCase()].get(f); // a system enum's constant
  if (r.kind === 'native' && r.nt.json) {
    if (typeof j !== 'object' || Array.isArray(j) || j instanceof Num)
      throwEx(f, 'JSONException', `Cannot deserialize instance of ${t.name} from ${describe(j)} value`);
    const o = new NObj(r.nt.name);
    const keys = new Map(Object.entries(r.nt.json).map(([k, type]) => [k.toLowerCase(), type]));
    for (const [k, v] of Object.entries(j)) {
      const type = keys.get(k.toLowerCase());
      if (type) o.set(k, v === null ? null : typed(f, v, parseSignatureType(type), site, strict));
      else if (strict) throwEx(f, 'JSONException', `No such column '${k}' on object of type ${r.nt.name}`);
    }
    return o;
  }
  return unsupported(f, `JSON.deserialize into ${t.name}`, site);
}

/** A field's JSON value; numbers and Booleans written as strings (JSONGenerator.writeString) read as the field's type. */
function fieldValue(v: J, type?: string): unknown {
  if (v instanceof Num) return untyped(v);
  const t = typeof v === 'string' ? v.trim() : '';
  if (t && type === 'int' && /^-?\d+$/.test(t)) return Number(t);
  if (t && /^(double|currency|percent)$/.test(type ?? '') && Number.isFinite(Number(t))) return untyped(new Num(t));
  if (t && type === 'boolean' && /^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(v))
    return new ApexDatetime(Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  return v;
}

/** The sObject types a deserialize target names (`List<Account>`, `Map<Id, Contact>`), described before the sync walk. */
async function primeSObjectTypes(f: Frame, t: TypeRef): Promise<void> {
  for (const a of t.args) await primeSObjectTypes(f, a);
  const r = resolveTypeName(f, t.name, f.cls);
  if (r?.kind === 'sobject') await primeWithChildren(f, r.name);
}

// ---------------------------------------------------------------- JSONParser

const TOKENS = [
  'START_OBJECT',
  'END_OBJECT',
  'START_ARRAY',
  'END_ARRAY',
  'FIELD_NAME',
  'VALUE_STRING',
  'VALUE_NUMBER_INT',
  'VALUE_NUMBER_FLOAT',
  'VALUE_TRUE',
  'VALUE_FALSE',
  'VALUE_NULL',
  'VALUE_EMBEDDED_OBJECT',
  'NOT_AVAILABLE',
];
const tok = (name: string) => new EnumValue('System.JSONToken', name, TOKENS.indexOf(name));
const tokenCache = new Map(TOKENS.map((t) => [t, tok(t)]));

interface PTok {
  t: string;
  name: string | null;
  value: J;
  /** Index of the matching END token for START tokens (skipChildren / readValueAs). */
  end?: number;
}

function tokenize(j: J): PTok[] {
  const out: PTok[] = [];
  const walk = (v: J, name: string | null) => {
    if (Array.isArray(v)) {
      const at = out.push({ t: 'START_ARRAY', name, value: v }) - 1;
      for (const x of v) walk(x, name);
      out[at].end = out.push({ t: 'END_ARRAY', name, value: null }) - 1;
    } else if (v !== null && typeof v === 'object' && !(v instanceof Num)) {
      const at = out.push({ t: 'START_OBJECT', name, value: v }) - 1;
      for (const [k, x] of Object.entries(v)) {
        out.push({ t: 'FIELD_NAME', name: k, value: k });
        walk(x, k);
      }
      out[at].end = out.push({ t: 'END_OBJECT', name, value: null }) - 1;
    } else if (v === null) out.push({ t: 'VALUE_NULL', name, value: null });
    else if (v instanceof Num) out.push({ t: /^-?\d+$/.test(v.text) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT', name, value: v });
    else if (typeof v === 'boolean') out.push({ t: v ? 'VALUE_TRUE' : 'VALUE_FALSE', name, value: v });
    else out.push({ t: 'VALUE_STRING', name, value: v });
  };
  walk(j, null);
  return out;
}

class JsonParserObj extends NativeObject {
  readonly typeName = 'System.JSONParser';
  pos = -1;
  constructor(readonly toks: PTok[]) {
    super();
  }
  cur(): PTok | undefined {
    return this.toks[this.pos];
  }
}

function pcur(f: Frame, p: JsonParserObj): PTok {
  const c = p.cur();
  if (!c) throwEx(f, 'JSONException', 'No current token');
  return c;
}

defineNative(
  {
    name: 'System.JSONParser',
    complete: true,
    methods: {
      'System.JSONToken nextToken()': (f, p: JsonParserObj) => {
        if (p.pos < p.toks.length) p.pos++;
        const c = p.cur();
        return c ? tokenCache.get(c.t) : null;
      },
      'System.JSONToken nextValue()': (f, p: JsonParserObj) => {
        do p.pos++;
        while (p.cur() && (p.cur()!.t === 'FIELD_NAME' || p.cur()!.t.startsWith('END_')));
        const c = p.cur();
        return c ? tokenCache.get(c.t) : null;
      },
      'System.JSONToken getCurrentToken()': (f, p: JsonParserObj) => {
        const c = p.cur();
        return c ? tokenCache.get(c.t) : null;
      },
      'Boolean hasCurrentToken()': (f, p: JsonParserObj) => !!p.cur(),
      'void clearCurrentToken()': () => null,
      'String getCurrentName()': (f, p: JsonParserObj) => p.cur()?.name ?? null,
      'String getText()': (f, p: JsonParserObj) => {
        const c = pcur(f, p);
        if (c.t === 'FIELD_NAME') return c.name;
        if (c.value instanceof Num) return c.value.text;
        if (c.t === 'START_OBJECT') return '{';
        if (c.t === 'END_OBJECT') return '}';
        if (c.t === 'START_ARRAY') return '[';
        if (c.t === 'END_ARRAY') return ']';
        return c.value === null ? 'null' : String(c.value);
      },
      'Integer getIntegerValue()': (f, p: JsonParserObj) => Math.trunc(Number((pcur(f, p).value as Num).text ?? pcur(f, p).value)),
      'Long getLongValue()': (f, p: JsonParserObj) => Math.trunc(Number((pcur(f, p).value as Num).text ?? pcur(f, p).value)),
      'Decimal getDecimalValue()': (f, p: JsonParserObj) =>
        untyped(pcur(f, p).value) instanceof Dec ? untyped(pcur(f, p).value) : new Dec(Number((pcur(f, p).value as Num).text)),
      'Double getDoubleValue()': (f, p: JsonParserObj) => new Dec(Number((pcur(f, p).value as Num).text), undefined, true),
      'Boolean getBooleanValue()': (f, p: JsonParserObj) => pcur(f, p).value === true,
      'Datetime getDatetimeValue()': (f, p: JsonParserObj) => new ApexDatetime(Date.parse(String(pcur(f, p).value))),
      'Date getDateValue()': (f, p: JsonParserObj) => new ApexDate(Date.parse(String(pcur(f, p).value).slice(0, 10) + 'T00:00:00Z')),
      'Blob getBlobValue()': (f, p: JsonParserObj) => new Blob(Buffer.from(String(pcur(f, p).value), 'base64')),
      'Id getIdValue()': (f, p: JsonParserObj) => String(pcur(f, p).value),
      'Time getTimeValue()': notImplemented('JSONParser.getTimeValue'),
      'void skipChildren()': (f, p: JsonParserObj) => {
        const c = p.cur();
        if (c?.end !== undefined) p.pos = c.end;
        return null;
      },
      'Object readValueAs(System.Type)': (f, p: JsonParserObj, [t], site) => {
        const c = pcur(f, p);
        if (c.end !== undefined) p.pos = c.end;
        return typed(f, c.value, typeArg(f, t, site), site, false);
      },
      'Object readValueAsStrict(System.Type)': (f, p: JsonParserObj, [t], site) => {
        const c = pcur(f, p);
        if (c.end !== undefined) p.pos = c.end;
        return typed(f, c.value, typeArg(f, t, site), site, true);
      },
      'System.JSONToken getLastClearedToken()': () => null,
    },
  },
  'JSONParser',
);

defineNative(
  {
    name: 'System.JSONToken',
    props: Object.fromEntries(TOKENS.map((t) => [t.toLowerCase(), { get: () => tokenCache.get(t) }])),
  },
  'JSONToken',
);

// ---------------------------------------------------------------- JSONGenerator

class GenObj extends NativeObject {
  readonly typeName = 'System.JSONGenerator';
  stack: { v: J; key: string | null }[] = [];
  root: J | undefined;
  pendingName: string | null = null;
  constructor(readonly pretty: boolean) {
    super();
  }
  add(f: Frame, v: J): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = v;
      return;
    }
    if (Array.isArray(top.v)) top.v.push(v);
    else {
      if (this.pendingName === null) throwEx(f, 'JSONException', 'Can not write a value, expecting a field name');
      (top.v as Record<string, J>)[this.pendingName] = v;
      this.pendingName = null;
    }
  }
}

const gv = (f: Frame, v: unknown): J => toJsonTree(f, v, { suppressNulls: false });
defineNative(
  {
    name: 'System.JSONGenerator',
    complete: true,
    methods: {
      'void writeStartObject()': (f, g: GenObj) => {
        const o = {};
        g.add(f, o);
        g.stack.push({ v: o, key: null });
        return null;
      },
      'void writeEndObject()': (f, g: GenObj) => (g.stack.pop(), null),
      'void writeStartArray()': (f, g: GenObj) => {
        const a: J[] = [];
        g.add(f, a);
        g.stack.push({ v: a, key: null });
        return null;
      },
      'void writeEndArray()': (f, g: GenObj) => (g.stack.pop(), null),
      'void writeFieldName(String)': (f, g: GenObj, [n]) => ((g.pendingName = String(n)), null),
      'void writeString(String)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeNumber(Decimal) | void writeNumber(Double) | void writeNumber(Integer) | void writeNumber(Long)': (f, g: GenObj, [v]) => (
        g.add(f, gv(f, v)),
        null
      ),
      'void writeBoolean(Boolean)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeNull()': (f, g: GenObj) => (g.add(f, null), null),
      'void writeObject(Object)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeDateTime(Datetime)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeDate(Date)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeBlob(Blob)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeTime(Time)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeTimeField(String, Time)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeId(Id)': (f, g: GenObj, [v]) => (g.add(f, gv(f, v)), null),
      'void writeStringField(String, String)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeNumberField(String, Decimal) | void writeNumberField(String, Double) | void writeNumberField(String, Integer) | void writeNumberField(String, Long)':
        (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeBooleanField(String, Boolean)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeObjectField(String, Object)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeDateTimeField(String, Datetime)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeDateField(String, Date)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeIdField(String, Id)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeBlobField(String, Blob)': (f, g: GenObj, [n, v]) => ((g.pendingName = String(n)), g.add(f, gv(f, v)), null),
      'void writeNullField(String)': (f, g: GenObj, [n]) => ((g.pendingName = String(n)), g.add(f, null), null),
      'String getAsString()': (f, g: GenObj) => (g.root === undefined ? '' : g.pretty ? writePretty(g.root) : writeCompact(g.root)),
      'Boolean isClosed()': (f, g: GenObj) => g.stack.length === 0 && g.root !== undefined,
      'void close()': () => null,
    },
  },
  'JSONGenerator',
);

defineNative(
  {
    name: 'JSON',
    complete: true,
    statics: {
      'String serialize(Object, Boolean?)': (f, [v, suppress], site) => serialize(f, v, { suppressNulls: suppress === true }, site),
      'String serializePretty(Object, Boolean?)': (f, [v, suppress], site) =>
        serialize(f, v, { suppressNulls: suppress === true, pretty: true }, site),
      'Object deserialize(String, System.Type)': async (f, [s, t], site) => {
        if (s === null) throwEx(f, 'NullPointerException', 'Argument cannot be null.');
        await primeSObjectTypes(f, typeArg(f, t, site));
        expectListStart(f, String(s), typeArg(f, t, site));
        return typed(f, parseJson(f, String(s)), typeArg(f, t, site), site, false);
      },
      'Object deserializeStrict(String, System.Type)': async (f, [s, t], site) => {
        await primeSObjectTypes(f, typeArg(f, t, site));
        expectListStart(f, String(s), typeArg(f, t, site));
        return typed(f, parseJson(f, String(s)), typeArg(f, t, site), site, true);
      },
      'Object deserializeUntyped(String)': (f, [s]) => {
        if (s === null) throwEx(f, 'NullPointerException', 'Argument cannot be null.');
        return untyped(parseJson(f, String(s)));
      },
      'System.JSONParser createParser(String)': (f, [s]) => new JsonParserObj(tokenize(parseJson(f, String(s)))),
      'System.JSONGenerator createGenerator(Boolean)': (f, [pretty]) => new GenObj(pretty === true),
    },
  },
  'System.JSON',
);

export { isSObjectName, NObj };
