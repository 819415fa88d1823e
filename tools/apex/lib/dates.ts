/** Date, Datetime and Time: arithmetic, formatting (Java SimpleDateFormat patterns) and parsing, in GMT. */
import { defineNative } from '../model/natives.ts';
import { ApexDate, ApexDatetime, ApexTime } from '../run/values.ts';
import { throwEx, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { ADD_ERROR, n, str } from './primitives.ts';

const pad = (x: number, w = 2) => String(x).padStart(w, '0');

/** Java SimpleDateFormat subset, in GMT (the local runtime's user time zone). */
export function formatDate(ms: number, pattern: string): string {
  const d = new Date(ms);
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  // Java's SimpleDateFormat in the en_US locale: weeks start on Sunday, week 1 holds January 1
  const y0 = d.getUTCFullYear();
  const dayOfYear = Math.floor((Date.UTC(y0, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(y0, 0, 1)) / 86400000) + 1;
  const weekStart = Date.UTC(y0, d.getUTCMonth(), d.getUTCDate() - d.getUTCDay());
  const inNextYearsWeek1 = weekStart + 6 * 86400000 >= Date.UTC(y0 + 1, 0, 1);
  const weekYear = inNextYearsWeek1 ? y0 + 1 : y0;
  const weekOfYear = inNextYearsWeek1 ? 1 : Math.floor((dayOfYear - 1 + new Date(Date.UTC(y0, 0, 1)).getUTCDay()) / 7) + 1;
  return pattern.replace(/'([^']*)'|y+|Y+|M+|d+|D+|w+|W+|u+|F+|H+|h+|k+|K+|m+|s+|S+|a|E+|Z|X+|z/g, (t, lit) => {
    if (lit !== undefined) return lit;
    const c = t[0];
    const w = t.length;
    switch (c) {
      case 'Y':
        return w === 2 ? pad(weekYear % 100) : pad(weekYear, w);
      case 'D':
        return pad(dayOfYear, w);
      case 'w':
        return pad(weekOfYear, w);
      case 'W':
        return pad(Math.floor((d.getUTCDate() - 1 + new Date(Date.UTC(y0, d.getUTCMonth(), 1)).getUTCDay()) / 7) + 1, w);
      case 'u':
        return pad(d.getUTCDay() || 7, w);
      case 'F':
        return pad(Math.floor((d.getUTCDate() - 1) / 7) + 1, w);
      case 'k':
        return pad(d.getUTCHours() || 24, w);
      case 'K':
        return pad(d.getUTCHours() % 12, w);
      case 'y':
        return w === 2 ? pad(d.getUTCFullYear() % 100) : pad(d.getUTCFullYear(), w);
      case 'M':
        return w >= 4 ? MONTHS[d.getUTCMonth()] : w === 3 ? MONTHS[d.getUTCMonth()].slice(0, 3) : pad(d.getUTCMonth() + 1, w);
      case 'd':
        return pad(d.getUTCDate(), w);
      case 'H':
        return pad(d.getUTCHours(), w);
      case 'h':
        return pad(d.getUTCHours() % 12 || 12, w);
      case 'm':
        return pad(d.getUTCMinutes(), w);
      case 's':
        return pad(d.getUTCSeconds(), w);
      case 'S':
        return pad(d.getUTCMilliseconds(), 3).slice(0, w);
      case 'a':
        return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'E':
        return w >= 4 ? DAYS[d.getUTCDay()] : DAYS[d.getUTCDay()].slice(0, 3);
      case 'Z':
        return '+0000';
      case 'X':
        return 'Z';
      case 'z':
        return 'GMT';
    }
    return t;
  });
}

function parseDatetime(f: Frame, s: string): ApexDatetime {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s.trim());
  if (!m) throwEx(f, 'TypeException', `Invalid date/time: ${s}`);
  return new ApexDatetime(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
}

/**
 * `Datetime.parse` reads the user's locale format, what `Datetime.format()` writes (Apex Reference, "Datetime Class":
 * "Constructs a Datetime from the given String in the local time zone and in the format of the user locale",
 * example `Datetime.parse('10/14/2011 11:46 AM')`): en_US `M/d/yyyy h:mm a`, the local user's locale, in GMT.
 */
function parseLocaleDatetime(s: string): ApexDatetime | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?(AM|PM)$/i.exec(s.trim());
  if (!m || +m[4] < 1 || +m[4] > 12) return undefined;
  const hour = (+m[4] % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
  return new ApexDatetime(Date.UTC(+m[3], +m[1] - 1, +m[2], hour, +m[5], +(m[6] ?? 0)));
}

function addMonths(ms: number, k: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + k);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

defineNative({
  name: 'Date',
  complete: true,
  statics: {
    'Date today()': () => {
      const d = new Date();
      return ApexDate.of(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    },
    'Date newInstance(Integer, Integer, Integer)': (f, [y, m, d]) => ApexDate.of(n(y), n(m), n(d)),
    'Date valueOf(Object) | Date valueOf(String)': (f, [v]) => {
      if (v instanceof ApexDatetime) return new ApexDate(Math.floor(v.ms / 86400000) * 86400000);
      const dt = parseDatetime(f, str(v));
      return new ApexDate(Math.floor(dt.ms / 86400000) * 86400000);
    },
    'Date parse(String)': (f, [v]) => {
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(str(v));
      if (!m) throwEx(f, 'TypeException', `Invalid date: ${str(v)}`);
      return ApexDate.of(+m[3], +m[1], +m[2]);
    },
    'Boolean isLeapYear(Integer)': (f, [y]) => new Date(Date.UTC(n(y), 1, 29)).getUTCMonth() === 1,
    'Integer daysInMonth(Integer, Integer)': (f, [y, m]) => new Date(Date.UTC(n(y), n(m), 0)).getUTCDate(),
  },
  methods: {
    ...ADD_ERROR,
    'Integer year()': (f, d: ApexDate) => d.y,
    'Integer month()': (f, d: ApexDate) => d.m,
    'Integer day()': (f, d: ApexDate) => d.d,
    'Date addDays(Integer)': (f, d: ApexDate, [k]) => new ApexDate(d.ms + n(k) * 86400000),
    'Date addMonths(Integer)': (f, d: ApexDate, [k]) => new ApexDate(addMonths(d.ms, n(k))),
    'Date addYears(Integer)': (f, d: ApexDate, [k]) => new ApexDate(addMonths(d.ms, 12 * n(k))),
    'Integer daysBetween(Date)': (f, d: ApexDate, [o]) => Math.round(((o as ApexDate).ms - d.ms) / 86400000),
    'String format()': (f, d: ApexDate) => `${d.m}/${d.d}/${d.y}`,
    'Boolean isSameDay(Date)': (f, d: ApexDate, [o]) => d.ms === (o as ApexDate).ms,
    'Integer dayOfYear()': (f, d: ApexDate) => Math.round((d.ms - Date.UTC(d.y, 0, 1)) / 86400000) + 1,
    'Date toStartOfMonth()': (f, d: ApexDate) => ApexDate.of(d.y, d.m, 1),
    'Date toStartOfWeek()': (f, d: ApexDate) => new ApexDate(d.ms - new Date(d.ms).getUTCDay() * 86400000),
    'Integer monthsBetween(Date)': (f, d: ApexDate, [o]) => ((o as ApexDate).y - d.y) * 12 + (o as ApexDate).m - d.m,
  },
});

defineNative({
  name: 'Datetime',
  complete: true,
  statics: {
    'Datetime now()': () => new ApexDatetime(Date.now()),
    'Datetime newInstance(Long) | Datetime newInstance(Date, Time) | Datetime newInstance(Integer, Integer, Integer) | Datetime newInstance(Integer, Integer, Integer, Integer, Integer, Integer)':
      (f, args) => {
        if (args.length === 1) return new ApexDatetime(n(args[0]));
        if (args.length === 2) return new ApexDatetime((args[0] as ApexDate).ms + ((args[1] as { ms: number })?.ms ?? 0));
        const [y, mo, d, h, mi, s] = args.map((a) => n(a ?? 0));
        return new ApexDatetime(Date.UTC(y, mo - 1, d, h || 0, mi || 0, s || 0));
      },
    'Datetime newInstanceGmt(Date, Time) | Datetime newInstanceGmt(Integer, Integer, Integer) | Datetime newInstanceGmt(Integer, Integer, Integer, Integer, Integer, Integer)':
      (f, args) => {
        if (args.length === 1) return new ApexDatetime(n(args[0]));
        if (args.length === 2) return new ApexDatetime((args[0] as ApexDate).ms + ((args[1] as { ms: number })?.ms ?? 0));
        const [y, mo, d, h, mi, s] = args.map((a) => n(a ?? 0));
        return new ApexDatetime(Date.UTC(y, mo - 1, d, h || 0, mi || 0, s || 0));
      },
    'Datetime valueOf(Object) | Datetime valueOf(String)': (f, [v]) =>
      typeof v === 'number' ? new ApexDatetime(v) : parseDatetime(f, str(v)),
    'Datetime valueOfGmt(String)': (f, [v]) => parseDatetime(f, str(v)),
    'Datetime parse(String)': (f, [v]) => parseLocaleDatetime(str(v)) ?? parseDatetime(f, str(v)),
  },
  methods: {
    ...ADD_ERROR,
    'Long getTime()': (f, d: ApexDatetime) => d.ms,
    'Datetime addSeconds(Integer)': (f, d: ApexDatetime, [k]) => new ApexDatetime(d.ms + n(k) * 1000),
    'Datetime addMinutes(Integer)': (f, d: ApexDatetime, [k]) => new ApexDatetime(d.ms + n(k) * 60000),
    'Datetime addHours(Integer)': (f, d: ApexDatetime, [k]) => new ApexDatetime(d.ms + n(k) * 3600000),
    'Datetime addDays(Integer)': (f, d: ApexDatetime, [k]) => new ApexDatetime(d.ms + n(k) * 86400000),
    'Datetime addMonths(Integer)': (f, d: ApexDatetime, [k]) => new ApexDatetime(addMonths(d.ms, n(k))),
    'Datetime addYears(Integer)': (f, d: ApexDatetime, [k]) => new ApexDatetime(addMonths(d.ms, 12 * n(k))),
    'Integer year() | Integer yearGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCFullYear(),
    'Integer month() | Integer monthGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCMonth() + 1,
    'Integer day() | Integer dayGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCDate(),
    'Integer dayOfYear() | Integer dayOfYearGmt()': (f, d: ApexDatetime) =>
      Math.floor((d.ms - Date.UTC(new Date(d.ms).getUTCFullYear(), 0, 1)) / 86400000) + 1,
    'Integer hour() | Integer hourGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCHours(),
    'Integer minute() | Integer minuteGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCMinutes(),
    'Integer second() | Integer secondGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCSeconds(),
    'Integer millisecond() | Integer millisecondGmt()': (f, d: ApexDatetime) => new Date(d.ms).getUTCMilliseconds(),
    'Time time() | Time timeGmt()': (f, d: ApexDatetime) => new ApexTime(((d.ms % 86400000) + 86400000) % 86400000),
    'Date date() | Date dateGmt()': (f, d: ApexDatetime) => new ApexDate(Math.floor(d.ms / 86400000) * 86400000),
    'String format(String?, String?)': (f, d: ApexDatetime, [p, tz], site: Site) =>
      tz !== undefined && !/^(GMT|UTC)$/i.test(str(tz))
        ? unsupported(f, `Datetime.format in time zone ${str(tz)}`, site)
        : p === undefined
          ? formatDate(d.ms, 'M/d/yyyy h:mm a')
          : formatDate(d.ms, str(p)),
    'String formatGmt(String)': (f, d: ApexDatetime, [p]) => formatDate(d.ms, str(p)),
    'String formatLong()': (f, d: ApexDatetime) => formatDate(d.ms, 'M/d/yyyy h:mm:ss a z'),
    'Boolean isSameDay(Datetime)': (f, d: ApexDatetime, [o]) =>
      Math.floor(d.ms / 86400000) === Math.floor((o as ApexDatetime).ms / 86400000),
  },
});

defineNative({
  name: 'Time',
  complete: true,
  statics: {
    'Time newInstance(Integer, Integer, Integer, Integer)': (f, [h, m, s, ms]) =>
      new ApexTime(((n(h) * 60 + n(m)) * 60 + n(s)) * 1000 + n(ms ?? 0)),
  },
  methods: {
    ...ADD_ERROR,
    'Integer hour()': (f, t: ApexTime) => Math.floor(t.ms / 3600000) % 24,
    'Integer minute()': (f, t: ApexTime) => Math.floor(t.ms / 60000) % 60,
    'Integer second()': (f, t: ApexTime) => Math.floor(t.ms / 1000) % 60,
    'Integer millisecond()': (f, t: ApexTime) => t.ms % 1000,
    'Time addHours(Integer)': (f, t: ApexTime, [k]) => new ApexTime((((t.ms + n(k) * 3600000) % 86400000) + 86400000) % 86400000),
    'Time addMinutes(Integer)': (f, t: ApexTime, [k]) => new ApexTime((((t.ms + n(k) * 60000) % 86400000) + 86400000) % 86400000),
    'Time addSeconds(Integer)': (f, t: ApexTime, [k]) => new ApexTime((((t.ms + n(k) * 1000) % 86400000) + 86400000) % 86400000),
    'Time addMilliseconds(Integer)': (f, t: ApexTime, [k]) => new ApexTime((((t.ms + n(k)) % 86400000) + 86400000) % 86400000),
  },
});

/** A Time from the text JSON.serialize writes (HH:mm:ss.SSSZ); the seconds, milliseconds and Z are optional. */
export function timeOfText(s: string): ApexTime | null {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(s);
  if (!m) return null;
  const [h, min, sec, ms] = [m[1], m[2], m[3] ?? '0', (m[4] ?? '0').padEnd(3, '0')].map(Number);
  return new ApexTime(((h * 60 + min) * 60 + sec) * 1000 + ms);
}
