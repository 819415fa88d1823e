import type { SQLInputValue } from 'node:sqlite';
import { to18 } from './ids.ts';

/** Values of a SOQL condition as SQL: quoted literals, datetimes in one canonical form, NUL-safe text. */

export function unquote(s: string): string {
  if (s.startsWith("'") && s.endsWith("'")) s = s.slice(1, -1);
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Datetimes are stored as `…+0000` (REST writes, nowIso) or `…Z` (Apex DML, Test.setCreatedDate): both
 * sides of a comparison are brought to `YYYY-MM-DDTHH:MM:SS.mmm+0000`, so equal instants compare equal.
 */
export function canonicalDatetime(v: string): string {
  if (!DATETIME_TEXT.test(v)) return v;
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? v : new Date(ms).toISOString().replace('Z', '+0000');
}
export const canonicalDatetimeSql = (sql: string) =>
  `(CASE WHEN substr(${sql}, -1) = 'Z' THEN substr(${sql}, 1, length(${sql}) - 1) || '+0000' ELSE ${sql} END)`;

export function toSql(v: unknown, type: string): SQLInputValue {
  if (v === null || v === undefined) return null;
  if (type === 'datetime' && typeof v === 'string') return canonicalDatetime(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'bigint') return v as SQLInputValue;
  if (v instanceof Date) return v.toISOString().replace('Z', '+0000');
  if (type === 'id' || type === 'reference') return to18(String(v));
  return String(v);
}

export const isText = (type: string) => !['boolean', 'int', 'double', 'currency'].includes(type);

/**
 * SQLite's LIKE and NOCASE comparisons stop reading a value at a NUL character; Salesforce keeps and
 * compares the whole text (field reports of NUL in stored values). A value holding a NUL (found byte-wise)
 * goes through `sf_text` (store.ts), and the query's values too, with NUL as U+E000, a private-use
 * character no real text carries: `=`, `!=`, IN and LIKE (`_` included) see every character.
 */
export const nulSafeSql = (sql: string) =>
  `(CASE WHEN instr(CAST(${sql} AS BLOB), x'00') > 0 THEN sf_text(CAST(${sql} AS BLOB)) ELSE ${sql} END)`;
export const nulSafe = (v: SQLInputValue): SQLInputValue => (typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uE000') : v);
