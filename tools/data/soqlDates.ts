/** SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER…) as UTC ranges and as SQL conditions. */
import type { SQLInputValue } from 'node:sqlite';
import { ApiError } from './errors.ts';

const malformed = (message: string) => new ApiError(400, 'MALFORMED_QUERY', message);

/**
 * [start, end) of a SOQL date literal in UTC (SOQL and SOSL Reference, "Date Formats and Date Literals",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 * Weeks start on Sunday (the en_US locale); the fiscal year is the calendar year (the default fiscal
 * year starts in January), so the FISCAL literals equal the calendar ones.
 */
export function dateLiteralRange(literal: string, now = new Date()): [Date, Date] {
  const [rawName, nRaw] = literal.toUpperCase().replace(/\s+/g, '').split(':');
  const name = rawName.replace('_FISCAL_', '_');
  const n = nRaw === undefined ? 0 : Number(nRaw);
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  const day = (offset: number) => new Date(Date.UTC(y, m, d + offset));
  const week = (offset: number) => new Date(Date.UTC(y, m, d - now.getUTCDay() + 7 * offset));
  const month = (offset: number) => new Date(Date.UTC(y, m + offset, 1));
  const quarter = (offset: number) => new Date(Date.UTC(y, m - (m % 3) + 3 * offset, 1));
  const year = (offset: number) => new Date(Date.UTC(y + offset, 0, 1));
  const units: Record<string, (offset: number) => Date> = { WEEK: week, MONTH: month, QUARTER: quarter, YEAR: year };
  switch (name) {
    case 'TODAY':
      return [day(0), day(1)];
    case 'YESTERDAY':
      return [day(-1), day(0)];
    case 'TOMORROW':
      return [day(1), day(2)];
    case 'LAST_90_DAYS':
      return [day(-90), day(1)];
    case 'NEXT_90_DAYS':
      return [day(1), day(91)];
    case 'LAST_N_DAYS':
      return [day(-n), day(1)];
    case 'NEXT_N_DAYS':
      return [day(1), day(1 + n)];
    case 'N_DAYS_AGO':
      return [day(-n), day(-n + 1)];
  }
  const one = /^(THIS|LAST|NEXT)_(WEEK|MONTH|QUARTER|YEAR)$/.exec(name);
  if (one) {
    const at = { THIS: 0, LAST: -1, NEXT: 1 }[one[1] as 'THIS' | 'LAST' | 'NEXT'];
    return [units[one[2]](at), units[one[2]](at + 1)];
  }
  const many = /^(LAST_N|NEXT_N|N)_(WEEK|MONTH|QUARTER|YEAR)S(_AGO)?$/.exec(name);
  if (many && nRaw !== undefined && Number.isInteger(n)) {
    const unit = units[many[2]];
    if (many[1] === 'LAST_N' && !many[3]) return [unit(-n), unit(0)];
    if (many[1] === 'NEXT_N' && !many[3]) return [unit(1), unit(1 + n)];
    if (many[1] === 'N' && many[3]) return [unit(-n), unit(-n + 1)];
  }
  throw malformed(`date literal ${literal} is not supported by the local platform`);
}

/** A date literal compared with a date or datetime column, as SQL with its values pushed onto `params`. */
export function dateLiteralCondition(params: SQLInputValue[], sql: string, type: string, op: string, literal: string): string {
  const [start, end] = dateLiteralRange(literal);
  const fmt = (d: Date) => (type === 'date' ? d.toISOString().slice(0, 10) : d.toISOString().replace('Z', '+0000'));
  const s = fmt(start);
  const e = fmt(end);
  const p = (v: string) => (params.push(v), '?');
  switch (op) {
    case '=':
      return `(${sql} >= ${p(s)} AND ${sql} < ${p(e)})`;
    case '!=':
    case '<>':
      return `(${sql} IS NULL OR ${sql} < ${p(s)} OR ${sql} >= ${p(e)})`;
    case '<':
      return `${sql} < ${p(s)}`;
    case '<=':
      return `${sql} < ${p(e)}`;
    case '>':
      return `${sql} >= ${p(e)}`;
    case '>=':
      return `${sql} >= ${p(s)}`;
    default:
      throw malformed(`operator ${op} cannot be used with ${literal}`);
  }
}

/**
 * A date function on the left of a WHERE condition (`CALENDAR_MONTH(CreatedDate) = 1`, `DAY_ONLY(CreatedDate) =
 * TODAY`): the SQL of its value, an integer (a date for DAY_ONLY), in the running user's time zone, which is
 * GMT for local users (SOQL and SOSL Reference, "Date Functions",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_date_functions.htm).
 * The fiscal year is the calendar year here, so FISCAL_* equal the CALENDAR_* values.
 */
export function dateFunctionField(
  fn: { functionName?: string; parameters?: unknown[]; rawValue?: string },
  field: (path: string) => { sql: string; type: string },
): { sql: string; type: string } {
  const name = (fn.functionName ?? '').toUpperCase().replace(/^FISCAL_/, 'CALENDAR_');
  const param = fn.parameters?.[0];
  if (typeof param !== 'string' || !DATE_PARTS[name])
    throw malformed(`${fn.rawValue ?? fn.functionName} in WHERE is not supported by the local platform`);
  const f = field(param);
  if (f.type !== 'date' && f.type !== 'datetime') throw malformed(`${fn.functionName}: the field ${param} is not a date or datetime field`);
  // stored as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS… in UTC: the first 19 characters are what SQLite reads
  return { sql: DATE_PARTS[name](`substr(${f.sql}, 1, 19)`), type: name === 'DAY_ONLY' ? 'date' : 'int' };
}

const part = (fmt: string) => (t: string) => `CAST(strftime('${fmt}', ${t}) AS INTEGER)`;
const DATE_PARTS: Record<string, (t: string) => string> = {
  CALENDAR_YEAR: part('%Y'),
  CALENDAR_MONTH: part('%m'),
  CALENDAR_QUARTER: (t) => `((${part('%m')(t)} + 2) / 3)`,
  DAY_IN_MONTH: part('%d'),
  DAY_IN_WEEK: (t) => `(${part('%w')(t)} + 1)`,
  DAY_IN_YEAR: part('%j'),
  DAY_ONLY: (t) => `date(${t})`,
  HOUR_IN_DAY: part('%H'),
  WEEK_IN_YEAR: (t) => `((${part('%j')(t)} - 1) / 7 + 1)`,
  WEEK_IN_MONTH: (t) => `((${part('%d')(t)} - 1) / 7 + 1)`,
};
