/**
 * Apex cursors: `Database.getCursor`/`getCursorWithBinds` and `Database.Cursor` (Apex Reference,
 * "Cursor Class", https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_Database_Cursor.htm;
 * Apex Developer Guide, "Apex Cursors"). A cursor fixes its rows when it is created; `fetch(position,
 * count)` returns a slice of them, counting against the SOQL query and row limits, and
 * `Limits.getApexCursorRows`/`getFetchCallsOnApexCursor` count what this transaction used.
 */
import './async.ts'; // Database.QueryLocator, which getQueryLocatorWithBinds returns
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, ApexMap, Dec, EnumValue, stringValueOf } from '../run/values.ts';
import { runSoql } from '../run/data.ts';
import { compileDynamicSoql } from './dynamicSoql.ts';
import { limitEx, throwEx, throwNpe } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { Transaction } from '../run/transaction.ts';

const used = new WeakMap<Transaction, { rows: number; fetches: number }>();
const usage = (tx: Transaction) => {
  let u = used.get(tx);
  if (!u) used.set(tx, (u = { rows: 0, fetches: 0 }));
  return u;
};
const num = (v: unknown) => (v instanceof Dec ? v.n : Number(v));

async function open(f: Frame, q: unknown, binds: Record<string, unknown>, mode: unknown, site: Site): Promise<NObj> {
  if (q === null || q === undefined) throwNpe(f);
  const c = compileDynamicSoql(stringValueOf(q));
  const userMode = (mode instanceof EnumValue && mode.name === 'USER_MODE') || c.userMode;
  const rows = (await runSoql(f, c.soql, { userMode, binds, sobject: c.sobject, isCount: false }, site)) as ApexList;
  // creating the cursor is one query; its rows count when they are fetched
  f.tx.counts.queryRows -= rows.items.length;
  usage(f.tx).rows += rows.items.length;
  const cursor = new NObj('Database.Cursor');
  cursor.set('rows', rows);
  return cursor;
}

defineNative({
  name: 'Database.Cursor',
  methods: {
    'List<SObject> fetch(Integer, Integer)': (f, cursor: NObj, [position, count]) => {
      if (position === null || count === null) throwNpe(f);
      const rows = cursor.get<ApexList>('rows');
      const from = num(position);
      const n = num(count);
      if (from < 0 || n < 0 || from > rows.items.length)
        throwEx(f, 'InvalidParameterValueException', `Invalid position ${from} or count ${n} for a cursor of ${rows.items.length} rows`);
      const u = usage(f.tx);
      u.fetches++;
      if (++f.tx.counts.queries > 100) limitEx(f, `Too many SOQL queries: ${f.tx.counts.queries}`);
      const slice = rows.items.slice(from, from + n);
      f.tx.counts.queryRows += slice.length;
      if (f.tx.counts.queryRows > 50_000) limitEx(f, `Too many query rows: ${f.tx.counts.queryRows}`);
      return new ApexList(slice, rows.elemType);
    },
    'Integer getNumRecords()': (f, cursor: NObj) => cursor.get<ApexList>('rows').items.length,
  },
});

const database = natives.get('database')!.statics!;
// Database.getCursor(query, accessLevel?): binds read the caller's variables, as Database.query's do
const query = database['query'];
database['getcursor'] = async (f, [q, mode], site) => {
  const c = compileDynamicSoql(stringValueOf(q));
  if (!c.bindNames.length) return open(f, q, {}, mode, site);
  // the binds are read as Database.query reads them; the query runs through it once
  const rows = (await query(f, [q, mode], site)) as ApexList;
  f.tx.counts.queryRows -= rows.items.length;
  usage(f.tx).rows += rows.items.length;
  const cursor = new NObj('Database.Cursor');
  cursor.set('rows', rows);
  return cursor;
};
database['getcursorwithbinds'] = (f, [q, binds, mode], site) => {
  const b: Record<string, unknown> = {};
  if (binds instanceof ApexMap) for (const [k, v] of binds.map.values()) b[stringValueOf(k)] = v;
  return open(f, q, b, mode, site);
};

// Database.getQueryLocatorWithBinds(query, binds, accessLevel): a QueryLocator over queryWithBinds' rows
// (Apex Reference, "Database Class"), as getQueryLocator is one over query's
database['getquerylocatorwithbinds'] = async (f, [q, binds, mode], site) => {
  const records = await database['querywithbinds'](f, [q, binds, mode], site);
  const loc = new NObj('Database.QueryLocator');
  loc.set('records', records);
  loc.set('query', stringValueOf(q));
  return loc;
};

const limits = natives.get('limits')!.statics!;
limits['getapexcursorrows'] = (f) => usage(f.tx).rows;
limits['getfetchcallsonapexcursor'] = (f) => usage(f.tx).fetches;
