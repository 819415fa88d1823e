/**
 * SOQL aggregate queries (COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX, date functions, GROUP BY,
 * HAVING, ORDER BY on groups) over rows a host has already filtered by WHERE. Shared by the local
 * platform (soql.ts, rows from SQLite) and the in-memory host, so both answer alike: one
 * `AggregateResult` record per group, unaliased aggregates named expr0, expr1… in SELECT order (the
 * counter skips aliased ones), grouped fields under their own name, and no GROUP BY → exactly one
 * row even when nothing matched.
 */
import type { Query } from '@jetstreamapp/soql-parser-js';
import { groupingSets, orderSubtotals, subtotalKind } from './subtotals.ts';

/** A field path as written in the query (`Industry`, `Account.Name`). */
export type PathValue<R> = (row: R, path: string) => unknown;

interface Fn {
  functionName: string;
  parameters?: unknown[];
  rawValue?: string;
  alias?: string;
}

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const DATE_FUNCTIONS = new Set([
  'CALENDAR_YEAR',
  'CALENDAR_MONTH',
  'CALENDAR_QUARTER',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'HOUR_IN_DAY',
  'WEEK_IN_YEAR',
  'WEEK_IN_MONTH',
]);

export class AggregateQueryError extends Error {
  constructor(
    message: string,
    readonly code = 'MALFORMED_QUERY',
  ) {
    super(message);
  }
}

/** Does this query need the aggregate path (an aggregate or date function, or GROUP BY)? */
export function isAggregateQuery(q: Query): boolean {
  if (q.groupBy) return true;
  return (q.fields ?? []).some((f) => {
    const fn = f as { type: string; functionName?: string };
    return (
      fn.type === 'FieldFunctionExpression' &&
      (AGGREGATES.has(String(fn.functionName).toUpperCase()) || DATE_FUNCTIONS.has(String(fn.functionName).toUpperCase()))
    );
  });
}

/** `SELECT COUNT() FROM …` (no field): Salesforce answers with totalSize and no records. */
export function isPlainCount(q: Query): boolean {
  const fields = q.fields ?? [];
  return (
    fields.length === 1 &&
    !q.groupBy &&
    (fields[0] as Fn & { type: string }).type === 'FieldFunctionExpression' &&
    String((fields[0] as Fn).functionName).toUpperCase() === 'COUNT' &&
    !((fields[0] as Fn).parameters ?? []).length
  );
}

/** Every field path an aggregate query reads (for validation and for fetching values). */
export function aggregatePaths(q: Query): string[] {
  const out = new Set<string>();
  const fromFn = (fn: Fn) => {
    for (const p of fn.parameters ?? []) if (typeof p === 'string') out.add(p);
  };
  for (const f of q.fields ?? []) {
    const x = f as { type: string; field?: string; rawValue?: string } & Fn;
    if (x.type === 'Field') out.add(x.field!);
    else if (x.type === 'FieldRelationship') out.add(x.rawValue!);
    else if (x.type === 'FieldFunctionExpression') fromFn(x);
  }
  for (const g of groupByList(q)) {
    if (g.field) out.add(g.field);
    else fromFn(g.fn!);
  }
  for (const o of orderByList(q)) {
    if (o.field) out.add(o.field);
    else if (o.fn) fromFn(o.fn);
  }
  walkHaving(q.having, (c) => (c.field ? out.add(c.field) : c.fn && fromFn(c.fn)));
  return [...out];
}

function groupByList(q: Query): { field?: string; fn?: Fn }[] {
  if (!q.groupBy) return [];
  const list = (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) as { field?: string; fn?: Fn }[];
  // GROUP BY ROLLUP(a, b) / CUBE(a, b) groups by a and b, plus subtotals (subtotals.ts).
  return list.flatMap((g) => (g.fn && subtotalKind(g.fn.functionName) ? (g.fn.parameters ?? []).map((p) => ({ field: String(p) })) : [g]));
}

function orderByList(q: Query): { field?: string; fn?: Fn; order?: string; nulls?: string }[] {
  if (!q.orderBy) return [];
  return (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) as { field?: string; fn?: Fn; order?: string; nulls?: string }[];
}

type HavingCond = { field?: string; fn?: Fn; operator?: string; value?: unknown; literalType?: string | string[] };
function walkHaving(h: unknown, visit: (c: HavingCond) => void): void {
  let node = h as { left?: HavingCond | null; right?: unknown } | undefined;
  while (node) {
    if (node.left && (node.left.field || node.left.fn)) visit(node.left);
    node = node.right as typeof node;
  }
}

const key = (s: string) => s.toLowerCase();
const fnKey = (fn: Fn) => `${fn.functionName.toUpperCase()}(${(fn.parameters ?? []).map((p) => key(String(p))).join(',')})`;

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Value of a date function on a stored date/datetime (UTC; the running user's time zone is GMT here). */
function dateFunction(name: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const d = new Date(String(v).length === 10 ? `${String(v)}T00:00:00Z` : String(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(d.getTime())) return null;
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  const dayInYear = Math.floor((d.getTime() - startOfYear) / 86_400_000) + 1;
  switch (name) {
    case 'CALENDAR_YEAR':
      return d.getUTCFullYear();
    case 'CALENDAR_MONTH':
      return d.getUTCMonth() + 1;
    case 'CALENDAR_QUARTER':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'DAY_IN_MONTH':
      return d.getUTCDate();
    case 'DAY_IN_WEEK':
      return d.getUTCDay() + 1;
    case 'DAY_IN_YEAR':
      return dayInYear;
    case 'DAY_ONLY':
      return d.toISOString().slice(0, 10);
    case 'HOUR_IN_DAY':
      return d.getUTCHours();
    case 'WEEK_IN_YEAR':
      return Math.floor((dayInYear - 1) / 7) + 1;
    case 'WEEK_IN_MONTH':
      return Math.floor((d.getUTCDate() - 1) / 7) + 1;
  }
  return null;
}

function evalFn<R>(fn: Fn, rows: R[], value: PathValue<R>): unknown {
  const name = fn.functionName.toUpperCase();
  const param = fn.parameters?.[0];
  if (DATE_FUNCTIONS.has(name)) return rows.length ? dateFunction(name, value(rows[0], String(param))) : null;
  if (name === 'COUNT' && param === undefined) return rows.length;
  const values = rows.map((r) => value(r, String(param))).filter((v) => v !== null && v !== undefined);
  switch (name) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    case 'SUM': {
      const ns = values.map(num).filter((n): n is number => n !== null);
      return ns.length ? ns.reduce((a, b) => a + b, 0) : null;
    }
    case 'AVG': {
      const ns = values.map(num).filter((n): n is number => n !== null);
      return ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : null;
    }
    case 'MIN':
    case 'MAX': {
      if (!values.length) return null;
      const sorted = [...values].sort(compare);
      return name === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
    }
  }
  throw new AggregateQueryError(`${name} is not supported by the local platform`);
}

function literalOf(c: HavingCond, binds: Record<string, unknown>): unknown {
  const lt = Array.isArray(c.literalType) ? c.literalType[0] : c.literalType;
  if (lt === 'APEX_BIND_VARIABLE') {
    const name = String(c.value);
    if (!(name in binds)) throw new AggregateQueryError(`Variable does not exist: ${name}`);
    const v = binds[name];
    return v instanceof Set ? [...v] : (v ?? null);
  }
  if (lt === 'NULL') return null;
  if (lt === 'INTEGER' || lt === 'DECIMAL') return Number(c.value);
  if (lt === 'BOOLEAN') return String(c.value).toUpperCase() === 'TRUE';
  if (Array.isArray(c.value)) return c.value.map((v) => String(v).replace(/^'(.*)'$/s, '$1'));
  return String(c.value).replace(/^'(.*)'$/s, '$1');
}

function test(op: string, v: unknown, rhs: unknown): boolean {
  switch (op.toUpperCase()) {
    case '=':
      return rhs === null ? v === null : v !== null && compare(v, rhs) === 0;
    case '!=':
    case '<>':
      return rhs === null ? v !== null : v === null || compare(v, rhs) !== 0;
    case '<':
      return v !== null && compare(v, rhs) < 0;
    case '<=':
      return v !== null && compare(v, rhs) <= 0;
    case '>':
      return v !== null && compare(v, rhs) > 0;
    case '>=':
      return v !== null && compare(v, rhs) >= 0;
    case 'IN':
      return (rhs as unknown[]).some((x) => v !== null && compare(v, x) === 0);
    case 'NOT IN':
      return !(rhs as unknown[]).some((x) => v !== null && compare(v, x) === 0);
    case 'LIKE':
      return (
        typeof v === 'string' &&
        new RegExp(
          '^' +
            String(rhs)
              .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
              .replace(/%/g, '.*')
              .replace(/_/g, '.') +
            '$',
          'i',
        ).test(v)
      );
  }
  throw new AggregateQueryError(`unexpected operator ${op} in HAVING`);
}

/** HAVING, left to right with AND/OR/NOT like WHERE's flat chain (parentheses honoured). */
function having(h: unknown, groupValue: (c: HavingCond) => unknown, binds: Record<string, unknown>): boolean {
  let expr = '';
  const results: boolean[] = [];
  let node = h as
    { left?: (HavingCond & { openParen?: number; closeParen?: number }) | null; operator?: string; right?: unknown } | undefined;
  while (node) {
    const left = node.left;
    if (left?.openParen) expr += '('.repeat(left.openParen);
    if (node.operator === 'NOT') {
      expr += '!';
      node = node.right as typeof node;
      continue;
    }
    if (left && (left.field || left.fn)) {
      results.push(test(left.operator ?? '=', groupValue(left), literalOf(left, binds)));
      expr += `r[${results.length - 1}]`;
    }
    if (left?.closeParen) expr += ')'.repeat(left.closeParen);
    if (node.operator && node.right) expr += node.operator.toUpperCase() === 'OR' ? '||' : '&&';
    node = node.right as typeof node;
  }
  return expr ? (new Function('r', `return ${expr};`) as (r: boolean[]) => boolean)(results) : true;
}

export interface AggregateOptions<R> {
  /** Canonical output name of a plain field path (the platform knows the schema's spelling). */
  fieldName?: (path: string) => string;
  /** Salesforce refuses aggregating a field of the wrong type; hosts that know the schema check it. */
  checkFunction?: (fn: string, path: string) => void;
  rows: R[];
  value: PathValue<R>;
  /** Apex binds of HAVING (`HAVING COUNT(Id) > :n`). */
  binds?: Record<string, unknown>;
}

/** Runs an aggregate query's SELECT/GROUP BY/HAVING/ORDER BY/LIMIT/OFFSET over WHERE-filtered rows. */
export function aggregateRecords<R>(q: Query, o: AggregateOptions<R>): Record<string, unknown>[] {
  const groups = groupByList(q);
  const groupKeys = new Set(groups.map((g) => (g.field ? key(g.field) : fnKey(g.fn!))));
  const outName = (path: string) => {
    const name = o.fieldName ? o.fieldName(path) : path;
    return name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  };
  type Group = { rows: R[]; set: Set<number>; record: Record<string, unknown> };
  const groupIndex = new Map(groups.map((g, i) => [g.field ? key(g.field) : fnKey(g.fn!), i]));
  /** A grouped field reads null on a subtotal row that rolls it up. */
  const rolledUp = (g: Pick<Group, 'set'>, k: string) => groupIndex.has(k) && !g.set.has(groupIndex.get(k)!);
  type Col = { name: string; eval: (g: Pick<Group, 'rows' | 'set'>) => unknown; fnKey?: string; path?: string };
  const cols: Col[] = [];
  let expr = 0;
  for (const f of q.fields ?? []) {
    const x = f as { type: string; field?: string; rawValue?: string; alias?: string } & Fn;
    if (x.type === 'Field' || x.type === 'FieldRelationship') {
      const path = x.type === 'Field' ? x.field! : x.rawValue!;
      if (!groupKeys.has(key(path))) throw new AggregateQueryError(`Field must be grouped or aggregated: ${outName(path)}`);
      cols.push({
        name: x.alias ?? outName(path),
        path,
        eval: (g) => (g.rows.length && !rolledUp(g, key(path)) ? o.value(g.rows[0], path) : null),
      });
    } else if (x.type === 'FieldFunctionExpression') {
      const name = x.functionName.toUpperCase();
      if (name === 'GROUPING') {
        const k = key(String(x.parameters?.[0]));
        if (!groupIndex.has(k)) throw new AggregateQueryError(`GROUPING(${String(x.parameters?.[0])}) needs a field of the GROUP BY`);
        cols.push({ name: x.alias ?? `expr${expr++}`, eval: (g) => (rolledUp(g, k) ? 1 : 0) });
        continue;
      }
      if (!AGGREGATES.has(name) && !DATE_FUNCTIONS.has(name))
        throw new AggregateQueryError(`${name} is not supported by the local platform`);
      if (DATE_FUNCTIONS.has(name) && !groupKeys.has(fnKey(x)))
        throw new AggregateQueryError(`Field must be grouped or aggregated: ${x.rawValue ?? name}`);
      if (x.parameters?.length && o.checkFunction) o.checkFunction(name, String(x.parameters[0]));
      cols.push({
        name: x.alias ?? `expr${expr++}`,
        fnKey: fnKey(x),
        eval: (g) => (rolledUp(g, fnKey(x)) ? null : evalFn(x, g.rows, o.value)),
      });
    } else if (x.type === 'FieldSubquery') {
      throw new AggregateQueryError('Nested queries are not supported in aggregate queries');
    } else throw new AggregateQueryError(`${x.type} is not supported in aggregate queries by the local platform`);
  }

  const buckets = new Map<string, { rows: R[]; set: Set<number>; first: number; values: unknown[] }>();
  const all = groups.map((_g, i) => i);
  if (groups.length === 0) buckets.set('', { rows: o.rows, set: new Set(), first: 0, values: [] });
  else {
    const sets = groupingSets(q, groups.length) ?? [all];
    o.rows.forEach((r, index) => {
      const values = groups.map((g) => {
        const v = g.field ? o.value(r, g.field) : evalFn(g.fn!, [r], o.value);
        return typeof v === 'string' ? v.toLowerCase() : (v ?? null);
      });
      for (const set of sets) {
        const k = JSON.stringify([set, values.map((v, i) => (set.includes(i) ? v : null))]);
        const b = buckets.get(k);
        if (b) b.rows.push(r);
        else buckets.set(k, { rows: [r], set: new Set(set), first: index, values });
      }
    });
  }
  let out: Group[] = orderSubtotals([...buckets.values()], groups.length).map(({ rows, set }) => {
    const record: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const c of cols) record[c.name] = c.eval({ rows, set });
    return { rows, set, record };
  });
  const valueOf = (g: Group, c: { field?: string; fn?: Fn }) => {
    if (c.fn) return rolledUp(g, fnKey(c.fn)) ? null : evalFn(c.fn, g.rows, o.value);
    if (!groupKeys.has(key(c.field!))) throw new AggregateQueryError(`Field must be grouped or aggregated: ${outName(c.field!)}`);
    return g.rows.length && !rolledUp(g, key(c.field!)) ? (o.value(g.rows[0], c.field!) ?? null) : null;
  };
  if (q.having) out = out.filter((g) => having(q.having, (c) => valueOf(g, c), o.binds ?? {}));
  const orders = orderByList(q);
  if (orders.length) {
    out.sort((a, b) => {
      for (const ob of orders) {
        const x = valueOf(a, ob);
        const y = valueOf(b, ob);
        const desc = String(ob.order ?? 'ASC').toUpperCase() === 'DESC';
        // nulls first unless NULLS LAST, whatever the direction (SOQL and SOSL Reference, "ORDER BY")
        const nullsFirst = ob.nulls ? String(ob.nulls).toUpperCase() === 'FIRST' : true;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === nullsFirst ? -1 : 1;
        }
        const c = compare(x, y);
        if (c) return desc ? -c : c;
      }
      return 0;
    });
  }
  let records = out.map((g) => g.record);
  if (q.offset !== undefined) records = records.slice(Number(q.offset));
  if (q.limit !== undefined) records = records.slice(0, Number(q.limit));
  return records;
}
