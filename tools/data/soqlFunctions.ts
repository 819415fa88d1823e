import type { SQLInputValue } from 'node:sqlite';
import { ApiError } from './errors.ts';
import { findField, type FieldDef, type ObjectDef } from './schema.ts';

/**
 * SOQL pieces beside plain comparisons: INCLUDES / EXCLUDES on multi-select picklists, and the
 * toLabel() / FORMAT() select functions.
 */

/** A LIKE pattern that matches `text` literally (SQLite's LIKE with ESCAPE '\'). */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * `MSP__c INCLUDES ('AAA;BBB', 'CCC')`: the field holds AAA and BBB, or holds CCC; EXCLUDES is
 * the negation (SOQL and SOSL Reference, "Query Multi-Select Picklists",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_querying_multiselect_picklists.htm).
 * The stored value is the selected values joined by ';'; values compare without regard to case, as
 * picklist values do in SOQL. unverified: whether EXCLUDES returns rows whose field is empty; here it does
 * (an empty field does not contain the value).
 */
export function multiSelectCondition(params: SQLInputValue[], sql: string, op: 'INCLUDES' | 'EXCLUDES', values: unknown[]): string {
  const wrapped = `(';' || ${sql} || ';')`;
  const alternatives = values
    .filter((v) => v !== null && v !== undefined)
    .map((v) => {
      const all = String(v)
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (all.length === 0) return '0';
      return (
        '(' +
        all
          .map((one) => {
            params.push(`%;${likeLiteral(one)};%`);
            return `${wrapped} LIKE ? ESCAPE '\\'`;
          })
          .join(' AND ') +
        ')'
      );
    });
  const includes = alternatives.length ? `(${sql} IS NOT NULL AND (${alternatives.join(' OR ')}))` : '0';
  return op === 'INCLUDES' ? includes : `NOT ${includes}`;
}

/** A select function the record shaper applies after the row is read. */
export interface SelectFunction {
  /** The field's schema name. */
  field: string;
  /** Where the value goes in the record: the alias, else the field's name. */
  key: string;
  apply(value: unknown): unknown;
}

/** toLabel(): a picklist value's label (the value itself where the schema gives no other label). */
function labelOf(fd: FieldDef, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const entries = (fd.describe?.picklistValues ?? []) as ({ value?: string; label?: string } | string)[];
  const labelFor = (one: string) => {
    for (const e of entries) if (typeof e === 'object' && e.value === one) return e.label ?? one;
    return one;
  };
  return value.split(';').map(labelFor).join(';');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const grouped = (n: number, decimals?: number) =>
  n.toLocaleString(
    'en-US',
    decimals === undefined ? { maximumFractionDigits: 20 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals },
  );

/**
 * FORMAT(): the value as the user's locale shows it (SOQL and SOSL Reference, "FORMAT()",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_select_format.htm).
 * The local org's users have the en_US locale and GMT, as Date.format() and Datetime.format() of the
 * Apex runtime: 1/1/2001, 1/1/2001 3:31 PM, 1,234.5, $44,000.00 (a multi-select's labels stay joined by ';'). Returns undefined for a type it cannot format.
 */
function formatted(fd: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (fd.type === 'date' && typeof value === 'string') {
    const [y, m, d] = value.split('-').map(Number);
    return `${m}/${d}/${y}`;
  }
  if (fd.type === 'datetime' && typeof value === 'string') {
    const t = new Date(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
    if (Number.isNaN(t.getTime())) return value;
    const h = t.getUTCHours();
    return `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad2(t.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
  }
  if (typeof value === 'number') {
    if (fd.type === 'currency') return (value < 0 ? '-$' : '$') + grouped(Math.abs(value), 2);
    return grouped(value);
  }
  return value;
}

const FORMATTABLE = new Set<string>(['date', 'datetime', 'int', 'double', 'currency']);

/** The select function of `toLabel(Field)` / `FORMAT(Field) alias` on a field of the object, or undefined for another one. */
export function selectFunction(def: ObjectDef, name: string, params: unknown[] | undefined, alias?: string): SelectFunction | undefined {
  const fn = name.toUpperCase();
  const fd = params?.length === 1 && typeof params[0] === 'string' ? findField(def, params[0]) : undefined;
  if (!fd) return undefined;
  if (fn === 'TOLABEL' && (fd.type === 'picklist' || fd.describe?.type === 'multipicklist'))
    return { field: fd.name, key: alias ?? fd.name, apply: (v) => labelOf(fd, v) };
  if (fn === 'FORMAT' && FORMATTABLE.has(fd.type)) return { field: fd.name, key: alias ?? fd.name, apply: (v) => formatted(fd, v) };
  return undefined;
}

/**
 * Binds where the SOQL parser takes none: LIMIT/OFFSET binds (`LIMIT :rowLimit`) become their value; a
 * parenthesised bind of INCLUDES/EXCLUDES (`INCLUDES (:values)`, which Apex accepts) loses its parentheses.
 */
export function bindsForParser(soql: string, binds: Record<string, unknown> | undefined): string {
  return soql
    .replace(/\b(LIMIT|OFFSET)\s*:\s*([A-Za-z_]\w*)/gi, (m, kw: string, name: string) => {
      const v = binds?.[name];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw new ApiError(400, 'MALFORMED_QUERY', `${kw.toUpperCase()} bind :${name} must be a non-negative Integer`);
      return `${kw} ${v}`;
    })
    .replace(/\b(INCLUDES|EXCLUDES)\s*\(\s*:\s*([A-Za-z_][\w.]*)\s*\)/gi, (m, op: string, name: string) => `${op} :${name}`);
}

/** A bind that holds several values (a List or Set), as an array; undefined for one value. */
export function manyValues(bound: unknown): unknown[] | undefined {
  if (Array.isArray(bound)) return bound;
  if (bound instanceof Set) return [...bound];
  return undefined;
}

/**
 * `Name LIKE :patterns` with a List or Set bind matches a row that matches any of the patterns (Apex
 * accepts it; apex-dml-mocking's RepositoryTest, green on Salesforce, filters with `NOT Name LIKE :list`).
 * An empty list matches nothing.
 */
export function likeAny(conditions: string[]): string {
  return conditions.length ? `(${conditions.join(' OR ')})` : '0';
}
