/**
 * Functions of the formula language (Salesforce Help, "Formula Operators and Functions by Context"; those a
 * validation rule may use are the ones `Formula.builder()` accepts). FORMULA_FUNCTIONS names every function
 * a formula may call, so `build()` refuses only a name Salesforce does not know; the ones implemented here
 * run, the others fail when they run ("not supported by the local runtime").
 */
import { ApexDate, ApexDatetime, ApexTime, Dec } from '../run/values.ts';
import { throwEx, unsupported } from '../run/exceptions.ts';
import type { FNode } from './formulaParser.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

/** What evaluating a formula needs: the object it reads, and the evaluator of its subtrees (formula.ts). */
export interface Evaluation {
  f: Frame;
  site: Site;
  root: unknown;
  nullAsZero: boolean;
  evaluate: (n: FNode, e: Evaluation) => Promise<unknown>;
}

export const FORMULA_FUNCTIONS = new Set(
  (
    'ABS ACOS ADDMONTHS AND ASCII ASIN ATAN ATAN2 BEGINS BLANKVALUE BR CASE CASESAFEID CEILING CONTAINS COS DATE ' +
    'DATETIMEVALUE DATEVALUE DAY DAYOFYEAR DISTANCE EXP FIND FLOOR FORMATDURATION GEOLOCATION GETSESSIONID HOUR ' +
    'HTMLENCODE HYPERLINK IF IMAGE INCLUDES INITCAP ISBLANK ISCHANGED ISNEW ISNULL ISNUMBER ISOWEEK ISOYEAR ' +
    'ISPICKVAL JSENCODE JSINHTMLENCODE LEFT LEN LN LOG LOWER LPAD MAX MCEILING MFLOOR MID MILLISECOND MIN MINUTE ' +
    'MOD MONTH NOT NOW NULLVALUE OR PI PRIORVALUE REGEX REVERSE RIGHT ROUND RPAD SECOND SIN SQRT SUBSTITUTE TAN ' +
    'TEXT TIMENOW TIMEVALUE TODAY TRIM UNIXTIMESTAMP UPPER URLENCODE VALUE WEEKDAY YEAR'
  ).split(' '),
);

const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : v instanceof Dec ? v.n : typeof v === 'number' ? v : Number(v);
const text = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Dec ? v.toString() : String(v));
const blank = (v: unknown) => v === null || v === undefined || v === '';

export async function callFunction(name: string, args: FNode[], e: Evaluation): Promise<unknown> {
  const evaluate = e.evaluate;
  const ev = (i: number) => evaluate(args[i], e);
  const all = () => Promise.all(args.map((a) => evaluate(a, e)));
  switch (name) {
    case 'AND':
      for (const a of args) if ((await evaluate(a, e)) !== true) return false;
      return true;
    case 'OR':
      for (const a of args) if ((await evaluate(a, e)) === true) return true;
      return false;
    case 'NOT': {
      const v = await ev(0);
      return v === null ? null : !v;
    }
    case 'IF':
      return (await ev(0)) === true ? ev(1) : args.length > 2 ? ev(2) : null;
    case 'CASE': {
      const v = await ev(0);
      for (let i = 1; i + 1 < args.length; i += 2) if (text(await ev(i)) === text(v)) return ev(i + 1);
      return args.length % 2 === 0 ? ev(args.length - 1) : null;
    }
    case 'ISBLANK':
    case 'ISNULL':
      return blank(await ev(0));
    case 'BLANKVALUE':
    case 'NULLVALUE': {
      const v = await ev(0);
      return blank(v) ? ev(1) : v;
    }
    case 'ISPICKVAL':
      return text(await ev(0)) === text(await ev(1));
    case 'CONTAINS':
      return text(await ev(0)).includes(text(await ev(1)));
    case 'BEGINS':
      return text(await ev(0)).startsWith(text(await ev(1)));
    case 'LEN':
      return text(await ev(0)).length;
    case 'LOWER':
      return text(await ev(0)).toLowerCase();
    case 'UPPER':
      return text(await ev(0)).toUpperCase();
    case 'TRIM':
      return text(await ev(0)).trim();
    case 'LEFT':
      return text(await ev(0)).slice(0, Math.max(0, num(await ev(1)) ?? 0));
    case 'RIGHT': {
      const s = text(await ev(0));
      return s.slice(Math.max(0, s.length - (num(await ev(1)) ?? 0)));
    }
    case 'MID': {
      const [s, start, len] = await all();
      return text(s).substr(Math.max(0, (num(start) ?? 1) - 1), num(len) ?? 0);
    }
    case 'FIND': {
      const [needle, hay] = await all();
      return text(hay).indexOf(text(needle)) + 1;
    }
    case 'SUBSTITUTE': {
      const [s, from, to] = await all();
      return text(from) ? text(s).split(text(from)).join(text(to)) : text(s);
    }
    case 'TEXT': {
      const v = await ev(0);
      return v === null ? '' : text(v);
    }
    case 'VALUE': {
      const s = text(await ev(0)).trim();
      if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) throwEx(e.f, 'FormulaEvaluationException', `Invalid number: ${s}`);
      return Number(s);
    }
    case 'ISNUMBER':
      return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text(await ev(0)).trim());
    case 'REGEX':
      return new RegExp('^(?:' + text(await ev(1)) + ')$').test(text(await ev(0)));
    case 'ABS':
    case 'FLOOR':
    case 'CEILING':
    case 'SQRT': {
      const x = num(await ev(0));
      if (x === null) return null;
      return name === 'ABS' ? Math.abs(x) : name === 'FLOOR' ? Math.floor(x) : name === 'CEILING' ? Math.ceil(x) : Math.sqrt(x);
    }
    case 'ROUND': {
      const [x, d] = await all();
      if (num(x) === null) return null;
      const m = Math.pow(10, num(d) ?? 0);
      return (Math.sign(num(x)!) * Math.round(Math.abs(num(x)!) * m)) / m;
    }
    case 'MOD': {
      const [x, y] = await all();
      return num(x) === null || num(y) === null ? null : num(x)! % num(y)!;
    }
    case 'MAX':
    case 'MIN': {
      const xs = (await all()).map(num);
      if (xs.some((x) => x === null)) return null;
      return name === 'MAX' ? Math.max(...(xs as number[])) : Math.min(...(xs as number[]));
    }
    case 'TODAY': {
      const now = new Date();
      return new ApexDate(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    }
    case 'NOW':
      return new ApexDatetime(Date.now());
    case 'DATE': {
      const [y, m, d] = (await all()).map(num);
      return y === null || m === null || d === null ? null : new ApexDate(Date.UTC(y, m - 1, d));
    }
    case 'ADDMONTHS': {
      // the last day of the month stays the last day; a day the new month lacks becomes its last day
      // (Salesforce Help, "Formula Operators and Functions": ADDMONTHS)
      const [v, k] = await all();
      if (!(v instanceof ApexDate) || num(k) === null) return null;
      const d = new Date(v.ms);
      const [y, m] = [d.getUTCFullYear(), d.getUTCMonth() + Math.trunc(num(k)!)];
      const lastOf = (yy: number, mm: number) => new Date(Date.UTC(yy, mm + 1, 0)).getUTCDate();
      const wasLast = d.getUTCDate() === lastOf(d.getUTCFullYear(), d.getUTCMonth());
      return new ApexDate(Date.UTC(y, m, wasLast ? lastOf(y, m) : Math.min(d.getUTCDate(), lastOf(y, m))));
    }
    // the time of day of a date/time, in GMT, or of a text `HH:MM:SS.MS` (Salesforce Help, "Formula Operators and Functions")
    case 'TIMEVALUE': {
      const v = await ev(0);
      if (v instanceof ApexDatetime) return new ApexTime(((v.ms % 86400000) + 86400000) % 86400000);
      const m = typeof v === 'string' ? /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(v.trim()) : null;
      return m ? new ApexTime(((+m[1] * 60 + +m[2]) * 60 + +(m[3] ?? 0)) * 1000 + +(m[4] ?? 0)) : null;
    }
    case 'HOUR':
    case 'MINUTE':
    case 'SECOND':
    case 'MILLISECOND': {
      const v = await ev(0);
      if (!(v instanceof ApexTime)) return null;
      const unit = { HOUR: 3600000, MINUTE: 60000, SECOND: 1000, MILLISECOND: 1 }[name];
      return Math.floor(v.ms / unit) % { HOUR: 24, MINUTE: 60, SECOND: 60, MILLISECOND: 1000 }[name];
    }
    case 'YEAR':
    case 'MONTH':
    case 'DAY': {
      const v = await ev(0);
      if (!(v instanceof ApexDate)) return null;
      const d = new Date(v.ms);
      return name === 'YEAR' ? d.getUTCFullYear() : name === 'MONTH' ? d.getUTCMonth() + 1 : d.getUTCDate();
    }
  }
  return unsupported(e.f, `formula function ${name}`, e.site);
}
