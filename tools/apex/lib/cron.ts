/**
 * The Apex Scheduler's cron expressions (Apex Developer Guide, "Apex Scheduler",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_scheduler.htm):
 * `Seconds Minutes Hours Day_of_month Month Day_of_week [Year]`, with `, - * / ?` everywhere the guide allows
 * them, `L` and `W` in Day_of_month, `L` and `#` in Day_of_week (1 = SUN … 7 = SAT), and the next time such an
 * expression fires after a given instant, in the user's time zone (GMT for the local user).
 */

export interface Cron {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  /** undefined: any year (the field is optional) */
  years?: Set<number>;
  /** whether a day of the month (UTC date) matches; one of Day_of_month and Day_of_week is `?` */
  day: (y: number, m: number, d: number) => boolean;
}

/** A malformed expression: the message a caller throws (unverified: Salesforce's exact texts). */
export class CronError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Range {
  name: string;
  min: number;
  max: number;
  names?: string[];
}
const SECONDS: Range = { name: 'Seconds', min: 0, max: 59 };
const MINUTES: Range = { name: 'Minutes', min: 0, max: 59 };
const HOURS: Range = { name: 'Hours', min: 0, max: 23 };
const DOM: Range = { name: 'Day_of_month', min: 1, max: 31 };
const MONTH: Range = { name: 'Month', min: 1, max: 12, names: MONTHS };
const DOW: Range = { name: 'Day_of_week', min: 1, max: 7, names: DAYS };
const YEAR: Range = { name: 'Year', min: 1970, max: 2099 };

function value(text: string, r: Range): number {
  const named = r.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= r.min && n <= r.max)) throw new CronError(`${r.name} values must be between ${r.min} and ${r.max}: ${text}`);
  return n;
}

/** `,`-separated items of `*`, `n`, `a-b`, each with an optional `/step`. */
function values(field: string, r: Range): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [span, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!(step >= 1) || !Number.isInteger(step)) throw new CronError(`Increment must be a positive whole number: ${item}`);
    let from: number;
    let to: number;
    if (span === '*') [from, to] = [r.min, r.max];
    else if (span.includes('-')) [from, to] = span.split('-').map((x) => value(x, r)) as [number, number];
    else [from, to] = [value(span, r), stepText === undefined ? value(span, r) : r.max];
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

/** The weekday (Mon–Fri) of the month nearest to day `d`, never crossing into another month. */
function nearestWeekday(y: number, m: number, d: number): number {
  const last = daysIn(y, m);
  const day = Math.min(d, last);
  const w = weekday(y, m, day);
  if (w === 7) return day === 1 ? 3 : day - 1;
  if (w === 1) return day === last ? day - 2 : day + 1;
  return day;
}

function dayOfMonth(field: string): Cron['day'] {
  const f = field.toUpperCase();
  if (f === '*') return () => true;
  if (f === 'L') return (y, m, d) => d === daysIn(y, m);
  if (f === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d+)W$/.exec(f);
  if (w) {
    const n = value(w[1], DOM);
    return (y, m, d) => d === nearestWeekday(y, m, n);
  }
  const set = values(f, DOM);
  return (y, m, d) => set.has(d);
}

function dayOfWeek(field: string): Cron['day'] {
  const f = field.toUpperCase();
  if (f === '*') return () => true;
  if (f === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^(\w+)L$/.exec(f);
  if (last) {
    const n = value(last[1], DOW);
    return (y, m, d) => weekday(y, m, d) === n && d + 7 > daysIn(y, m);
  }
  const nth = /^(\w+)#([1-5])$/.exec(f);
  if (nth) {
    const n = value(nth[1], DOW);
    const k = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) === n && Math.ceil(d / 7) === k;
  }
  const set = values(f, DOW);
  return (y, m, d) => set.has(weekday(y, m, d));
}

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length < 6) throw new CronError('Unexpected end of expression.');
  if (parts.length > 7) throw new CronError(`Illegal characters for this position: '${parts[7]}'`);
  const [s, mi, h, dom, mo, dow, y] = parts;
  const domAny = dom === '?';
  const dowAny = dow === '?';
  if (domAny === dowAny) throw new CronError('Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.');
  return {
    seconds: values(s, SECONDS),
    minutes: values(mi, MINUTES),
    hours: values(h, HOURS),
    months: values(mo, MONTH),
    years: y === undefined || y === '*' ? undefined : values(y, YEAR),
    day: domAny ? dayOfWeek(dow) : dayOfMonth(dom),
  };
}

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

/** The first instant (ms, UTC) strictly after `afterMs` that the expression names; undefined when none is left. */
export function nextFireTime(cron: Cron, afterMs: number): number | undefined {
  const start = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
  const times = sorted(cron.hours).flatMap((h) =>
    sorted(cron.minutes).flatMap((m) => sorted(cron.seconds).map((s) => (h * 60 + m) * 60 + s)),
  );
  const startOfDay = (start.getUTCHours() * 60 + start.getUTCMinutes()) * 60 + start.getUTCSeconds();
  let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  for (let first = true; ; first = false, day += 86_400_000) {
    const d = new Date(day);
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (y > YEAR.max) return undefined;
    if (cron.years && !cron.years.has(y)) continue;
    if (!cron.months.has(m) || !cron.day(y, m, dd)) continue;
    const t = first ? times.find((x) => x >= startOfDay) : times[0];
    if (t !== undefined) return day + t * 1000;
  }
}
