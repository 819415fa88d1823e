/** Apex operators: equality, arithmetic with Integer/Long/Decimal/Double rules, comparisons. */
import {
  Blob,
  ApexDate,
  ApexDatetime,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  ApexTime,
  Dec,
  NativeObject,
  SObject,
  UnsupportedEquality,
  definesEquality,
  stringValueOf,
  TypeValue,
} from './values.ts';
import { type Frame } from './frame.ts';
import type { Site } from '../model/classModel.ts';
import { runtimeTypeName } from './types.ts';
import { throwEx, throwNpe, unsupported } from './exceptions.ts';

export function refEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Dec && b instanceof Dec) return a.n === b.n;
  return a === b;
}

export function valueEquals(a: unknown, b: unknown, caseSensitive: boolean, f?: Frame): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
  const an = a instanceof Dec ? a.n : a;
  const bn = b instanceof Dec ? b.n : b;
  if (typeof an === 'number' && typeof bn === 'number') return an === bn;
  // Two Datetimes are equal when they name the same second: Apex ignores milliseconds in equality (field
  // report https://salesforce.stackexchange.com/questions/234824; apex-rollup asserts a System.now() value
  // equal to its second-truncated copy and passes on Salesforce). Ordering (<, >) still sees milliseconds.
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return Math.floor(a.ms / 1000) === Math.floor(b.ms / 1000);
  if ((a instanceof ApexDate && b instanceof ApexDate) || (a instanceof ApexTime && b instanceof ApexTime)) return a.ms === b.ms;
  if (a instanceof Blob && b instanceof Blob) return a.buf.equals(b.buf);
  // System.Type values (`String.class`, a StubProvider's returnType) are equal when they name the same type
  if (a instanceof TypeValue && b instanceof TypeValue) return a.display.toLowerCase() === b.display.toLowerCase();
  if (a instanceof NativeObject && a.valueKey)
    return b instanceof NativeObject && a.typeName === b.typeName && !!b.valueKey && a.valueKey() === b.valueKey();
  if (a instanceof ApexList && b instanceof ApexList)
    return a.items.length === b.items.length && a.items.every((x, i) => valueEquals(x, b.items[i], caseSensitive, f));
  if (a instanceof ApexSet && b instanceof ApexSet) return a.map.size === b.map.size && [...a.map.keys()].every((k) => b.map.has(k));
  if (a instanceof ApexMap && b instanceof ApexMap)
    return (
      a.map.size === b.map.size &&
      [...a.map.entries()].every(([k, [, v]]) => b.map.has(k) && valueEquals(v, b.map.get(k)![1], caseSensitive, f))
    );
  if (a instanceof ApexObject && a !== b && definesEquality(a)) throw new UnsupportedEquality(a.cls.fullName);
  if (a instanceof SObject && b instanceof SObject) {
    if (a.type.toLowerCase() !== b.type.toLowerCase() || a.fields.size !== b.fields.size) return false;
    for (const [k, fv] of a.fields) {
      const o = b.fields.get(k);
      if (!o || !valueEquals(fv.value, o.value, caseSensitive, f)) return false;
    }
    return true;
  }
  return a === b;
}

function num(v: unknown): number {
  return v instanceof Dec ? v.n : (v as number);
}

export function negate(f: Frame, v: unknown, site: Site): unknown {
  if (v === null) throwNpe(f, site);
  if (v instanceof Dec) return new Dec(-v.n, v.scale, v.isDouble);
  return -(v as number);
}

export function arith(f: Frame, op: string, a: unknown, b: unknown, site: Site): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return stringValueOf(a) + stringValueOf(b);
  if (a === null || b === null || a === undefined || b === undefined) throwNpe(f, site);
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throwEx(f, 'MathException', 'Divide by 0');
        return Math.trunc(a / b);
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '<<':
        return a << b;
      case '>>':
        return a >> b;
      case '>>>':
        return a >>> b;
    }
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === '&') return a && b;
    if (op === '|') return a || b;
    if (op === '^') return a !== b;
  }
  if ((a instanceof Dec || typeof a === 'number') && (b instanceof Dec || typeof b === 'number')) {
    const x = num(a);
    const y = num(b);
    const dbl = (a instanceof Dec && a.isDouble) || (b instanceof Dec && b.isDouble);
    const sa = a instanceof Dec ? a.scale : 0;
    const sb = b instanceof Dec ? b.scale : 0;
    switch (op) {
      case '+':
      case '-': {
        const r = op === '+' ? x + y : x - y;
        const scale = sa !== undefined && sb !== undefined && !dbl ? Math.max(sa, sb) : undefined;
        return new Dec(scale !== undefined ? Number(r.toFixed(scale)) : r, scale, dbl);
      }
      case '*': {
        const scale = sa !== undefined && sb !== undefined && !dbl ? sa + sb : undefined;
        return new Dec(x * y, scale !== undefined && scale <= 20 ? scale : undefined, dbl);
      }
      case '/':
        if (y === 0 && !dbl) throwEx(f, 'MathException', 'Divide by 0');
        return new Dec(x / y, undefined, dbl);
    }
  }
  if (a instanceof ApexDate && typeof b === 'number' && (op === '+' || op === '-'))
    return new ApexDate(a.ms + (op === '+' ? b : -b) * 86400000);
  if (a instanceof ApexDatetime && (typeof b === 'number' || b instanceof Dec) && (op === '+' || op === '-'))
    return new ApexDatetime(a.ms + (op === '+' ? 1 : -1) * Math.round(num(b) * 86400000));
  return unsupported(f, `operator ${op} on ${runtimeTypeName(a)} and ${runtimeTypeName(b)}`, site);
}

export function compare(f: Frame, op: string, a: unknown, b: unknown, site: Site): boolean {
  if (a === null || b === null || a === undefined || b === undefined) {
    // Apex: comparisons with null are false rather than an exception for <, >, <=, >=
    return false;
  }
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else if (
    (a instanceof ApexDate || a instanceof ApexDatetime || a instanceof ApexTime) &&
    (b instanceof ApexDate || b instanceof ApexDatetime || b instanceof ApexTime)
  ) {
    x = a.ms;
    y = b.ms;
  } else if ((typeof a === 'number' || a instanceof Dec) && (typeof b === 'number' || b instanceof Dec)) {
    x = num(a);
    y = num(b);
  } else return unsupported(f, `comparison ${op} of ${runtimeTypeName(a)} and ${runtimeTypeName(b)}`, site);
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
  return unsupported(f, `operator ${op}`, site);
}
