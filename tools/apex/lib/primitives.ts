/**
 * String, the number types, Boolean, Id, Blob, Math, enums, System.Type and Pattern (Date, Datetime, Time: dates.ts).
 */
import { NObj as NObjP } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexDate, ApexDatetime, ApexList, ApexObject, Blob, Dec, EnumValue, SObject, TypeValue, stringValueOf } from '../run/values.ts';
import { compareSObjects } from './sobjectSort.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { parseTypeString, resolveTypeName, runtimeTypeName, typeDisplayName, typeResolves } from '../run/types.ts';
import { construct, callMethod, newCollection, newObject } from '../run/calls.ts';
import { apexHashCode, apexString } from '../run/equality.ts';
import { unescapeJava } from './javaEscapes.ts';
import { javaRegExp } from './javaRegex.ts';
import { roundTo } from './rounding.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

export const str = (v: unknown): string => stringValueOf(v);
export const n = (v: unknown): number => (v instanceof Dec ? v.n : Number(v));
export const req = (f: Frame, v: unknown): unknown => (v === null || v === undefined ? throwNpe(f) : v);

/** Java replacement string ($1, \$) → JS replacement. */
function jsReplacement(r: string): string {
  return r.replace(/\\\$/g, '$$$$');
}

function escapeSingleQuotes(s: string): string {
  return s.replace(/'/g, "\\'");
}

function formatPattern(pattern: string, args: unknown[]): string {
  // MessageFormat: {0}, '' for a quote
  return pattern
    .replace(/''/g, '\u0000')
    .replace(/\{(\d+)\}/g, (_, i) => str(args[Number(i)] ?? '{' + i + '}'))
    .replace(/\u0000/g, "'");
}

function listItems(v: unknown): unknown[] {
  if (v instanceof ApexList) return v.items;
  if (v && typeof v === 'object' && 'values' in v && typeof (v as { values: () => unknown[] }).values === 'function')
    return (v as { values: () => unknown[] }).values();
  return [];
}

/** The body of a member Salesforce declares but the local runtime does not implement: it fails when it runs. */
export function notImplemented(what: string): (f: Frame, ...rest: unknown[]) => never {
  return (f, ...rest) => unsupported(f, what, rest[rest.length - 1] as Site);
}

/** `field.addError(…)` on a primitive: the call the lowering turns into a record error (lower/expressions.ts). */
export const ADD_ERROR = { 'void addError(Object, Boolean?)': notImplemented('addError on a value that is not an sObject field') };

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const unescapeEntities = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos|#39|#x27);/g,
    (m, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" })[e as string] ?? m,
  );

defineNative({
  name: 'String',
  complete: true,
  statics: {
    'String valueOf(Object) | String valueOf(Date) | String valueOf(Datetime) | String valueOf(Decimal) | String valueOf(Double) | String valueOf(Integer) | String valueOf(Long)':
      (f, [v], site) => (v === null ? null : apexString(f, v, site)),
    'String valueOfGmt(Datetime)': (f, [v]) => (v instanceof ApexDatetime ? v.toString() : str(v)),
    'Boolean isBlank(String)': (f, [v]) => v === null || String(v).trim() === '',
    'Boolean isNotBlank(String)': (f, [v]) => !(v === null || String(v).trim() === ''),
    'Boolean isEmpty(String)': (f, [v]) => v === null || v === '',
    'Boolean isNotEmpty(String)': (f, [v]) => !(v === null || v === ''),
    'String join(Object, String)': (f, [l, sep]) =>
      listItems(req(f, l))
        .map(str)
        .join(str(sep ?? '')),
    // each argument as String.valueOf gives it: a class's own toString() included
    'String format(String, List<Object>)': async (f, [p, args], site) => {
      const items = listItems(args);
      // one after another: a toString() may change state the next one reads (a bind counter)
      const texts: unknown[] = [];
      for (const x of items) texts.push(x === null || x === undefined ? x : await apexString(f, x, site));
      return formatPattern(str(p), texts);
    },
    'String escapeSingleQuotes(String)': (f, [s]) => escapeSingleQuotes(str(req(f, s))),
    'String fromCharArray(List<Integer>)': (f, [l]) => String.fromCharCode(...listItems(l).map(n)),
    'String getCommonPrefix(List<String>)': (f, [l]) => {
      const all = listItems(l).map(str);
      if (!all.length) return '';
      let p = all[0];
      for (const x of all) while (!x.startsWith(p)) p = p.slice(0, -1);
      return p;
    },
  },
  methods: {
    ...ADD_ERROR,
    'Integer length()': (f, s: string) => s.length,
    'String substring(Integer, Integer?)': (f, s: string, [a, b]) => {
      const start = n(a);
      const end = b === undefined ? s.length : n(b);
      if (start < 0 || end > s.length || start > end) throwEx(f, 'StringException', `Starting position out of bounds: ${start}`);
      return s.substring(start, end);
    },
    'Integer indexOf(String, Integer?)': (f, s: string, [x, from]) => s.indexOf(str(x), from === undefined ? 0 : n(from)),
    'Integer lastIndexOf(String, Integer?)': (f, s: string, [x, from]) => s.lastIndexOf(str(x), from === undefined ? Infinity : n(from)),
    'Integer indexOfIgnoreCase(String, Integer?)': (f, s: string, [x, from]) =>
      s.toLowerCase().indexOf(str(x).toLowerCase(), from === undefined ? 0 : n(from)),
    'Integer lastIndexOfIgnoreCase(String, Integer?)': (f, s: string, [x, from]) =>
      s.toLowerCase().lastIndexOf(str(x).toLowerCase(), from === undefined ? Infinity : n(from)),
    'Integer indexOfChar(Integer, Integer?)': (f, s: string, [c, from]) =>
      s.indexOf(String.fromCharCode(n(c)), from === undefined ? 0 : n(from)),
    'Integer lastIndexOfChar(Integer, Integer?)': (f, s: string, [c, from]) =>
      s.lastIndexOf(String.fromCharCode(n(c)), from === undefined ? Infinity : n(from)),
    'Integer indexOfAny(String)': (f, s: string, [x]) => {
      const i = [...s].findIndex((c) => str(x).includes(c));
      return i;
    },
    'Integer indexOfAnyBut(String)': (f, s: string, [x]) => [...s].findIndex((c) => !str(x).includes(c)),
    'Integer indexOfDifference(String)': (f, s: string, [x]) => {
      const o = str(x);
      if (s === o) return -1;
      let i = 0;
      while (i < s.length && i < o.length && s[i] === o[i]) i++;
      return i;
    },
    'String difference(String)': (f, s: string, [x]) => {
      const o = str(x);
      let i = 0;
      while (i < s.length && i < o.length && s[i] === o[i]) i++;
      return o.slice(i);
    },
    'Boolean contains(String)': (f, s: string, [x]) => s.includes(str(req(f, x))),
    'Boolean containsIgnoreCase(String)': (f, s: string, [x]) => s.toLowerCase().includes(str(x).toLowerCase()),
    'Boolean containsAny(String)': (f, s: string, [x]) => [...str(x)].some((c) => s.includes(c)),
    'Boolean containsNone(String)': (f, s: string, [x]) => ![...str(x)].some((c) => s.includes(c)),
    'Boolean containsOnly(String)': (f, s: string, [x]) => [...s].every((c) => str(x).includes(c)),
    'Boolean containsWhitespace()': (f, s: string) => /\s/.test(s),
    'Boolean startsWith(String)': (f, s: string, [x]) => s.startsWith(str(req(f, x))),
    'Boolean endsWith(String)': (f, s: string, [x]) => s.endsWith(str(req(f, x))),
    'Boolean startsWithIgnoreCase(String)': (f, s: string, [x]) => s.toLowerCase().startsWith(str(x).toLowerCase()),
    'Boolean endsWithIgnoreCase(String)': (f, s: string, [x]) => s.toLowerCase().endsWith(str(x).toLowerCase()),
    'String toLowerCase(String?)': (f, s: string) => s.toLowerCase(),
    'String toUpperCase(String?)': (f, s: string) => s.toUpperCase(),
    'String swapCase()': (f, s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
    'String trim()': (f, s: string) => s.trim(),
    'String normalizeSpace()': (f, s: string) => s.trim().replace(/\s+/g, ' '),
    'String deleteWhitespace()': (f, s: string) => s.replace(/\s+/g, ''),
    'List<String> split(String, Integer?)': (f, s: string, [re, limit]) => {
      let parts = s.split(toJsRegex(f, str(re)));
      if (limit !== undefined && n(limit) > 0 && parts.length > n(limit)) {
        const l = n(limit);
        // Java split with limit: keep the remainder intact
        const rx = toJsRegex(f, str(re), 'g');
        const out: string[] = [];
        let last = 0;
        let m: RegExpExecArray | null;
        while (out.length < l - 1 && (m = rx.exec(s))) {
          out.push(s.slice(last, m.index));
          last = m.index + m[0].length;
          if (m[0].length === 0) rx.lastIndex++;
        }
        out.push(s.slice(last));
        parts = out;
      } else while (parts.length && parts[parts.length - 1] === '') parts.pop();
      return new ApexList(parts, { name: 'String', args: [], array: 0 });
    },
    'List<String> splitByCharacterType()': notImplemented('String.splitByCharacterType'),
    'List<String> splitByCharacterTypeCamelCase()': notImplemented('String.splitByCharacterTypeCamelCase'),
    'String replace(String, String)': (f, s: string, [a, b]) => s.split(str(a)).join(str(b)),
    'String replaceAll(String, String)': (f, s: string, [a, b]) => s.replace(toJsRegex(f, str(a), 'g'), jsReplacement(str(b))),
    'String replaceFirst(String, String)': (f, s: string, [a, b]) => s.replace(toJsRegex(f, str(a)), jsReplacement(str(b))),
    'Boolean equals(Object)': (f, s: string, [x]) => s === x,
    'Boolean equalsIgnoreCase(String)': (f, s: string, [x]) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
    'Integer compareTo(String)': (f, s: string, [x]) => (s < str(x) ? -1 : s > str(x) ? 1 : 0),
    'Boolean isNumeric()': (f, s: string) => /^\d+$/.test(s),
    'Boolean isNumericSpace()': (f, s: string) => /^[\d ]*$/.test(s),
    'Boolean isAlpha()': (f, s: string) => /^[A-Za-z]+$/.test(s),
    'Boolean isAlphaSpace()': (f, s: string) => /^[A-Za-z ]*$/.test(s),
    'Boolean isAlphanumeric()': (f, s: string) => /^[A-Za-z0-9]+$/.test(s),
    'Boolean isAlphanumericSpace()': (f, s: string) => /^[A-Za-z0-9 ]*$/.test(s),
    'Boolean isAsciiPrintable()': (f, s: string) => /^[\x20-\x7e]*$/.test(s),
    'Boolean isWhitespace()': (f, s: string) => /^\s*$/.test(s),
    'Boolean isAllLowerCase()': (f, s: string) => /^[a-z]+$/.test(s),
    'Boolean isAllUpperCase()': (f, s: string) => /^[A-Z]+$/.test(s),
    'Integer charAt(Integer)': (f, s: string, [i]) => s.charCodeAt(n(i)),
    'Integer codePointAt(Integer)': (f, s: string, [i]) => s.codePointAt(n(i)) ?? null,
    'Integer codePointBefore(Integer)': notImplemented('String.codePointBefore'),
    'Integer codePointCount(Integer, Integer)': (f, s: string, [a, b]) => [...s.slice(n(a), n(b))].length,
    'Integer offsetByCodePoints(Integer, Integer)': notImplemented('String.offsetByCodePoints'),
    'String left(Integer)': (f, s: string, [i]) => s.slice(0, n(i)),
    'String right(Integer)': (f, s: string, [i]) => (n(i) <= 0 ? '' : s.slice(-n(i))),
    'String mid(Integer, Integer)': (f, s: string, [a, b]) => s.substr(n(a), n(b)),
    'String abbreviate(Integer, Integer?)': (f, s: string, [w, off], site: Site) =>
      off === undefined ? (s.length <= n(w) ? s : s.slice(0, n(w) - 3) + '...') : unsupported(f, 'String.abbreviate with an offset', site),
    'String capitalize()': (f, s: string) => s.charAt(0).toUpperCase() + s.slice(1),
    'String uncapitalize()': (f, s: string) => s.charAt(0).toLowerCase() + s.slice(1),
    'String center(Integer, String?)': (f, s: string, [w, p]) => {
      const pad = p === undefined ? ' ' : str(p);
      const total = n(w) - s.length;
      if (total <= 0 || pad === '') return s;
      const left = Math.floor(total / 2);
      return ''.padEnd(left, pad) + s + ''.padEnd(total - left, pad);
    },
    'String repeat(Integer) | String repeat(String, Integer)': (f, s: string, [a, b]) =>
      b === undefined ? s.repeat(n(a)) : Array(n(b)).fill(s).join(str(a)),
    'String reverse()': (f, s: string) => [...s].reverse().join(''),
    'String leftPad(Integer, String?)': (f, s: string, [w, p]) => s.padStart(n(w), p === undefined ? ' ' : str(p)),
    'String rightPad(Integer, String?)': (f, s: string, [w, p]) => s.padEnd(n(w), p === undefined ? ' ' : str(p)),
    'String remove(String)': (f, s: string, [x]) => (str(x) === '' ? s : s.split(str(x)).join('')),
    'String removeStart(String)': (f, s: string, [x]) => (x !== null && s.startsWith(str(x)) ? s.slice(str(x).length) : s),
    // removeEnd('') keeps the string (slice(0, -0) would empty it)
    'String removeEnd(String)': (f, s: string, [x]) => (x !== null && s.endsWith(str(x)) ? s.slice(0, s.length - str(x).length) : s),
    'String removeStartIgnoreCase(String)': (f, s: string, [x]) =>
      s.toLowerCase().startsWith(str(x).toLowerCase()) ? s.slice(str(x).length) : s,
    'String removeEndIgnoreCase(String)': (f, s: string, [x]) =>
      str(x) !== '' && s.toLowerCase().endsWith(str(x).toLowerCase()) ? s.slice(0, -str(x).length) : s,
    'String overlay(String, Integer, Integer)': (f, s: string, [o, a, b]) => s.slice(0, n(a)) + str(o) + s.slice(n(b)),
    'String substringBefore(String)': (f, s: string, [x]) => (s.indexOf(str(x)) < 0 ? s : s.slice(0, s.indexOf(str(x)))),
    'String substringAfter(String)': (f, s: string, [x]) => (s.indexOf(str(x)) < 0 ? '' : s.slice(s.indexOf(str(x)) + str(x).length)),
    'String substringBeforeLast(String)': (f, s: string, [x]) => (s.lastIndexOf(str(x)) < 0 ? s : s.slice(0, s.lastIndexOf(str(x)))),
    'String substringAfterLast(String)': (f, s: string, [x]) =>
      s.lastIndexOf(str(x)) < 0 ? '' : s.slice(s.lastIndexOf(str(x)) + str(x).length),
    'String substringBetween(String, String?)': (f, s: string, [a, b]) => {
      const i = s.indexOf(str(a));
      if (i < 0) return null;
      const j = s.indexOf(str(b ?? a), i + str(a).length);
      return j < 0 ? null : s.slice(i + str(a).length, j);
    },
    'Integer countMatches(String)': (f, s: string, [x]) => (str(x) === '' ? 0 : s.split(str(x)).length - 1),
    'Integer getLevenshteinDistance(String, Integer?)': (f, s: string, [x, limit]) => {
      const t = str(x);
      let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
      for (let i = 1; i <= s.length; i++) {
        const cur = [i];
        for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
        prev = cur;
      }
      const d = prev[t.length];
      return limit !== undefined && d > n(limit) ? -1 : d;
    },
    'String escapeJava()': (f, s: string) => JSON.stringify(s).slice(1, -1),
    'String escapeHtml3() | String escapeHtml4()': (f, s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    'String escapeXml()': (f, s: string) => s.replace(/[&<>"']/g, (c) => xmlEscapes[c]),
    'String escapeCsv()': (f, s: string) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s),
    'String escapeEcmaScript()': (f, s: string) => JSON.stringify(s).slice(1, -1).replace(/'/g, "\\'"),
    'String escapeUnicode()': (f, s: string) =>
      s.replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')),
    'String unescapeJava() | String unescapeEcmaScript()': (f, s: string) => unescapeJava(s),
    'String unescapeUnicode()': (f, s: string) => s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
    'String unescapeHtml3() | String unescapeHtml4() | String unescapeXml()': (f, s: string) => unescapeEntities(s),
    'String unescapeCsv()': (f, s: string) => (/^".*"$/s.test(s) ? s.slice(1, -1).replace(/""/g, '"') : s),
    'String stripHtmlTags()': (f, s: string) =>
      s
        .replace(/<[^>]*>/g, '')
        .replace(/\s+/g, (w) => (w.includes('\n') ? '\n' : w))
        .trim(),
    'String template(Map<String, Object>)': notImplemented('String.template'),
    'Integer hashCode()': (f, s: string) => {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
      return h;
    },
    'List<Integer> getChars()': (f, s: string) => new ApexList([...s].map((c) => c.charCodeAt(0))),
    'String toString()': (f, s: string) => s,
  },
  instanceOf: (v) => typeof v === 'string',
});

function parseIntStrict(f: Frame, v: unknown, type: 'Integer' | 'Long'): number {
  if (v === null) throwNpe(f);
  if (typeof v === 'number') return v;
  if (v instanceof Dec) return Math.trunc(v.n);
  const s = str(v).trim();
  if (!/^[-+]?\d+$/.test(s)) throwEx(f, 'TypeException', `Invalid ${type.toLowerCase()}: ${str(v)}`);
  return Number(s);
}

function parseDec(f: Frame, v: unknown, dbl: boolean): Dec {
  if (v === null) throwNpe(f);
  if (v instanceof Dec) return new Dec(v.n, dbl ? undefined : v.scale, dbl);
  if (typeof v === 'number') return new Dec(v, dbl ? undefined : 0, dbl);
  const s = str(v).trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throwEx(f, 'TypeException', `Invalid decimal: ${s}`);
  const dot = s.indexOf('.');
  return new Dec(Number(s), dbl || dot < 0 || /e/i.test(s) ? (dbl ? undefined : 0) : s.length - dot - 1, dbl);
}

const numMethods = {
  intValue: (f: Frame, v: unknown) => Math.trunc(n(v)),
  longValue: (f: Frame, v: unknown) => Math.trunc(n(v)),
  doubleValue: (f: Frame, v: unknown) => new Dec(n(v), undefined, true),
  format: (f: Frame, v: unknown) => n(v).toLocaleString('en-US', { maximumFractionDigits: 3 }),
  abs: (f: Frame, v: unknown) => (v instanceof Dec ? new Dec(Math.abs(v.n), v.scale, v.isDouble) : Math.abs(n(v))),
  setScale: (f: Frame, v: unknown, [s, mode]: unknown[]) => new Dec(roundTo(f, n(v), n(s), mode), n(s)),
  scale: (f: Frame, v: unknown) => (v instanceof Dec ? (v.scale ?? 0) : 0),
  round: (f: Frame, v: unknown, [mode]: unknown[] = []) => (mode ? roundTo(f, n(v), 0, mode) : Math.round(n(v))),
  stripTrailingZeros: (f: Frame, v: unknown) => new Dec(n(v)),
  precision: (f: Frame, v: unknown) =>
    String(Math.abs(n(v)))
      .replace('.', '')
      .replace(/^0+/, '').length,
  pow: (f: Frame, v: unknown, [e]: unknown[]) => new Dec(Math.pow(n(v), n(e))),
  divide: (f: Frame, v: unknown, [d, s, mode]: unknown[]) => {
    if (n(d) === 0) throwEx(f, 'MathException', 'Divide by 0');
    const sc = n(s ?? 0);
    return new Dec(roundTo(f, n(v) / n(d), sc, mode ?? null), sc);
  },
};

// At run time Integer and Long are both JS numbers, Decimal and Double both Decs, Id a string: the
// runtime looks a method up on the first type, then the second (run/calls.ts, nativeTypesOf).
defineNative({
  name: 'Integer',
  complete: true,
  statics: { 'Integer valueOf(Object) | Integer valueOf(String)': (f, [v]) => (v === null ? null : parseIntStrict(f, v, 'Integer')) },
  methods: { ...ADD_ERROR, 'String format()': numMethods.format },
  instanceOf: (v) => typeof v === 'number' && Number.isInteger(v),
});
defineNative({
  name: 'Long',
  complete: true,
  statics: { 'Long valueOf(String)': (f, [v]) => (v === null ? null : parseIntStrict(f, v, 'Long')) },
  methods: { ...ADD_ERROR, 'String format()': numMethods.format, 'Integer intValue()': numMethods.intValue },
});
defineNative({
  name: 'Decimal',
  complete: true,
  statics: {
    'Decimal valueOf(Double) | Decimal valueOf(Long) | Decimal valueOf(String)': (f, [v]) => (v === null ? null : parseDec(f, v, false)),
  },
  methods: {
    ...ADD_ERROR,
    'Decimal abs()': numMethods.abs,
    'Decimal divide(Decimal, Integer, Object?)': numMethods.divide,
    'Double doubleValue()': numMethods.doubleValue,
    'String format()': numMethods.format,
    'Integer intValue()': numMethods.intValue,
    'Long longValue()': numMethods.longValue,
    'Decimal pow(Integer)': numMethods.pow,
    'Integer precision()': numMethods.precision,
    'Long round(System.RoundingMode?)': numMethods.round,
    'Integer scale()': numMethods.scale,
    'Decimal setScale(Integer, System.RoundingMode?)': numMethods.setScale,
    'Decimal stripTrailingZeros()': numMethods.stripTrailingZeros,
    'String toPlainString()': (f: Frame, v: unknown) => (v instanceof Dec ? v.toString() : str(v)),
  },
});
defineNative({
  name: 'Double',
  complete: true,
  statics: { 'Double valueOf(Object) | Double valueOf(String)': (f, [v]) => (v === null ? null : parseDec(f, v, true)) },
  methods: {
    ...ADD_ERROR,
    'String format()': numMethods.format,
    'Integer intValue()': numMethods.intValue,
    'Long longValue()': numMethods.longValue,
    'Long round()': numMethods.round,
  },
});
defineNative({
  name: 'Boolean',
  complete: true,
  statics: { 'Boolean valueOf(Object)': (f, [v]) => (v === null ? null : typeof v === 'boolean' ? v : str(v).toLowerCase() === 'true') },
  methods: { ...ADD_ERROR },
});
defineNative({
  name: 'Id',
  complete: true,
  statics: {
    'Id valueOf(String, Boolean?)': (f, [v]) => {
      const s = str(v);
      if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s)) throwEx(f, 'StringException', `Invalid id: ${s}`);
      return s;
    },
  },
  methods: {
    ...ADD_ERROR,
    'Schema.SObjectType getSObjectType()': notImplemented('Id.getSObjectType'), // lib/schema.ts implements it
    'String to15()': (f, s: string) => s.slice(0, 15),
  },
});
defineNative({
  name: 'Object',
  statics: {},
});

defineNative({
  name: 'Blob',
  complete: true,
  statics: {
    'Blob valueOf(String)': (f, [s]) => new Blob(Buffer.from(str(req(f, s)), 'utf8')),
    'Blob toPdf(String)': notImplemented('Blob.toPdf'),
  },
  methods: {
    'String toString()': (f, b: Blob) => b.buf.toString('utf8'),
    'Integer size()': (f, b: Blob) => b.buf.length,
  },
});

// ---------------------------------------------------------------- Math

const dec = (x: number) => new Dec(x);
/** `Decimal f(Decimal) | Double f(Double)`: the runtime answers with a Decimal, as before. */
const unary = (name: string, fn: (x: number) => number) => ({
  [`Decimal ${name}(Decimal) | Double ${name}(Double)`]: (f: Frame, [a]: unknown[]) => dec(fn(n(a))),
});
defineNative({
  name: 'Math',
  complete: true,
  statics: {
    'Integer abs(Integer) | Long abs(Long) | Decimal abs(Decimal) | Double abs(Double)': (f, [v]) =>
      v instanceof Dec ? new Dec(Math.abs(v.n), v.scale, v.isDouble) : Math.abs(n(v)),
    'Integer max(Integer, Integer) | Long max(Long, Long) | Decimal max(Decimal, Decimal) | Decimal max(Decimal, Double) | Double max(Double, Double)':
      (f, [a, b]) => (n(a) >= n(b) ? a : b),
    'Integer min(Integer, Integer) | Long min(Long, Long) | Decimal min(Decimal, Decimal) | Decimal min(Decimal, Double) | Double min(Double, Double)':
      (f, [a, b]) => (n(a) <= n(b) ? a : b),
    'Integer mod(Integer, Integer) | Long mod(Long, Long)': (f, [a, b]) => {
      if (n(b) === 0) throwEx(f, 'MathException', 'Divide by 0');
      return n(a) % n(b);
    },
    'Double pow(Double, Double)': (f, [a, b]) => new Dec(Math.pow(n(a), n(b)), undefined, true),
    'Decimal sqrt(Decimal) | Double sqrt(Double)': (f, [a]) => new Dec(Math.sqrt(n(a)), undefined, true),
    'Decimal floor(Decimal) | Double floor(Double)': (f, [a]) => new Dec(Math.floor(n(a)), undefined, true),
    'Decimal ceil(Decimal) | Double ceil(Double)': (f, [a]) => new Dec(Math.ceil(n(a)), undefined, true),
    'Integer round(Decimal) | Integer round(Double)': (f, [a]) => Math.round(n(a)),
    'Long roundToLong(Decimal) | Long roundToLong(Double)': (f, [a]) => Math.round(n(a)),
    'Double random()': () => new Dec(Math.random(), undefined, true),
    'Decimal atan2(Decimal, Decimal) | Double atan2(Double, Double)': (f, [a, b]) => dec(Math.atan2(n(a), n(b))),
    ...unary('exp', Math.exp),
    ...unary('log', Math.log),
    ...unary('log10', Math.log10),
    ...unary('signum', Math.sign),
    ...unary('sin', Math.sin),
    ...unary('cos', Math.cos),
    ...unary('tan', Math.tan),
    ...unary('asin', Math.asin),
    ...unary('acos', Math.acos),
    ...unary('atan', Math.atan),
    ...unary('sinh', Math.sinh),
    ...unary('cosh', Math.cosh),
    ...unary('tanh', Math.tanh),
    ...unary('cbrt', Math.cbrt),
    // Java's rint: halves go to the even neighbour.
    ...unary('rint', (x) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x))),
  },
  props: { pi: { get: () => new Dec(Math.PI, undefined, true) }, e: { get: () => new Dec(Math.E, undefined, true) } },
});

// ---------------------------------------------------------------- enums and Type

defineNative({
  name: '$enum',
  methods: {
    name: (f, e: EnumValue) => e.name,
    ordinal: (f, e: EnumValue) => e.ordinal,
    tostring: (f, e: EnumValue) => e.name,
    equals: (f, e: EnumValue, [o]) => e === o,
    hashCode: (f, e: EnumValue) => e.ordinal,
  },
});

function typeFor(f: Frame, name: string): TypeValue | null {
  if (/[<\[]/.test(name)) {
    // a collection type: Type.forName('Map<Id,Account>')
    const t = parseTypeString(name);
    return t && typeResolves(f, t) ? new TypeValue(t, typeDisplayName(f, t)) : null;
  }
  const r = resolveTypeName(f, name);
  if (!r) return null;
  const ref: TypeRef = { name: r.kind === 'class' ? r.cls.fullName : name, args: [], array: 0 };
  return new TypeValue(ref, r.kind === 'class' ? r.cls.fullName : r.kind === 'native' ? r.nt.name : name);
}

defineNative(
  {
    name: 'Type',
    statics: {
      forName: (f, args) => typeFor(f, str(args.length === 2 ? (args[0] ? args[0] + '.' + args[1] : args[1]) : args[0])),
    },
    methods: {
      getName: (f, t: TypeValue) => t.display,
      tostring: (f, t: TypeValue) => t.display,
      newInstance: async (f, t: TypeValue, _a, site: Site) => {
        if (/^(list|set|map)$/i.test(t.ref.name)) return newCollection(f, t.ref, [], site);
        const r = resolveTypeName(f, t.ref.name);
        if (r?.kind === 'class') return construct(f, r.cls, [], site);
        if (r?.kind === 'sobject') return newObject(f, t.ref, [], site); // Type.forName('Account').newInstance()
        return unsupported(f, `Type.newInstance for ${t.display}`, site);
      },
      equals: (f, t: TypeValue, [o]) => o instanceof TypeValue && o.display.toLowerCase() === t.display.toLowerCase(),
      hashCode: (f, t: TypeValue, _a, site) => apexHashCode(f, t, site),
      isAssignableFrom: (f, t: TypeValue, [o]) => {
        const a = resolveTypeName(f, t.ref.name);
        const b = resolveTypeName(f, (o as TypeValue).ref.name);
        return a?.kind === 'class' && b?.kind === 'class' ? b.cls.isSubclassOf(a.cls) : t.display === (o as TypeValue).display;
      },
    },
  },
  'System.Type',
);

// Comparable helper used by List.sort
export async function compareValues(f: Frame, a: unknown, b: unknown, site: Site): Promise<number> {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (a instanceof ApexObject) return n(await callMethod(f, a, 'compareTo', [b], site));
  if (a instanceof SObject && b instanceof SObject) return compareSObjects(f, a, b, site, compareValues);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof EnumValue && b instanceof EnumValue) return a.ordinal - b.ordinal;
  const own = a instanceof NObjP && b instanceof NObjP ? natives.get(a.typeName.toLowerCase())?.compare : undefined;
  if (own) return own(a, b);
  const x = a instanceof ApexDate || a instanceof ApexDatetime ? a.ms : n(a);
  const y = b instanceof ApexDate || b instanceof ApexDatetime ? b.ms : n(b);
  if (Number.isNaN(x) || Number.isNaN(y)) unsupported(f, `sorting ${runtimeTypeName(a)}`, site);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------- Pattern / Matcher (Java regex subset)

function toJsRegex(f: Frame, p: string, flags = ''): RegExp {
  try {
    return javaRegExp(p, flags);
  } catch (e) {
    return throwEx(f, 'StringException', `Invalid regex: ${(e as Error).message}`);
  }
}
defineNative(
  {
    name: 'Pattern',
    statics: {
      compile: (f, [p]) => {
        const o = new NObjP('System.Pattern');
        o.set('pattern', str(req(f, p)));
        return o;
      },
      matches: (f, [p, s]) => toJsRegex(f, '^(?:' + str(req(f, p)) + ')$').test(str(req(f, s))),
      quote: (f, [s]) => str(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    },
    methods: {
      matcher: (f, p: NObjP, [s]) => {
        const m = new NObjP('System.Matcher');
        m.set('pattern', p.get('pattern'));
        m.set('input', str(req(f, s)));
        m.set('last', null);
        m.set('pos', 0);
        return m;
      },
      pattern: (f, p: NObjP) => p.get('pattern'),
      split: (f, p: NObjP, [s]) =>
        new ApexList(str(s).split(toJsRegex(f, p.get<string>('pattern'))), { name: 'String', args: [], array: 0 }),
    },
  },
  'System.Pattern',
);
defineNative(
  {
    name: 'System.Matcher',
    methods: {
      matches: (f, m: NObjP) => {
        const r = toJsRegex(f, '^(?:' + m.get<string>('pattern') + ')$').exec(m.get<string>('input'));
        m.set('last', r);
        return !!r;
      },
      find: (f, m: NObjP) => {
        const rx = toJsRegex(f, m.get<string>('pattern'), 'g');
        rx.lastIndex = m.get<number>('pos');
        const r = rx.exec(m.get<string>('input'));
        m.set('last', r);
        if (r) m.set('pos', r.index + Math.max(1, r[0].length));
        return !!r;
      },
      group: (f, m: NObjP, [i]) => {
        const r = m.get<RegExpExecArray | null>('last');
        if (!r) throwEx(f, 'StringException', 'No match found');
        return r[i === undefined ? 0 : n(i)] ?? null;
      },
      groupCount: (f, m: NObjP) => (m.get<RegExpExecArray | null>('last')?.length ?? 1) - 1,
      start: (f, m: NObjP) => m.get<RegExpExecArray>('last')?.index ?? -1,
      end: (f, m: NObjP) => {
        const r = m.get<RegExpExecArray | null>('last');
        return r ? r.index + r[0].length : -1;
      },
      replaceAll: (f, m: NObjP, [r]) => m.get<string>('input').replace(toJsRegex(f, m.get<string>('pattern'), 'g'), str(r)),
      replaceFirst: (f, m: NObjP, [r]) => m.get<string>('input').replace(toJsRegex(f, m.get<string>('pattern')), str(r)),
      hitEnd: (f, m: NObjP) => m.get<number>('pos') >= m.get<string>('input').length,
    },
  },
  'Matcher',
);

export { natives };
