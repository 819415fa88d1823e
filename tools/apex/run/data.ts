/** SOQL and DML against the host, and System.runAs. */
import { ApexDate, ApexDatetime, ApexList, ApexSet, ApexTime, Blob, Dec, EnumValue, SObject } from './values.ts';
import '../errors.ts'; // evaluation order of the runtime's import cycle
import { type Frame } from './frame.ts';
import { LIMITS } from './transaction.ts';
import type { SObjectRecord } from '../host.ts';
import type { Site } from '../model/classModel.ts';
import { limitEx, throwEx } from './exceptions.ts';
import { isTestDataObject } from './types.ts';
import { bindValueLists } from './soqlBindLists.ts';

/** Turns Apex values into plain JSON-able bind values for the host's SOQL engine. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Dec) return v.n;
  if (v instanceof ApexDate) return v.toString();
  if (v instanceof ApexDatetime) return new Date(v.ms).toISOString();
  if (v instanceof ApexTime) return v.toString();
  if (v instanceof ApexList) return v.items.map((x) => (x instanceof SObject ? x.get('Id') : toPlain(x)));
  if (v instanceof ApexSet) return v.values().map(toPlain);
  if (v instanceof SObject) return v.get('Id');
  if (v instanceof EnumValue) return v.name;
  if (v instanceof Blob) return v.buf.toString('base64');
  return v;
}

/** Record JSON from the host → SObject, recursively (parents and child subqueries). */
export function recordToSObject(rec: SObjectRecord, fallbackType: string, queried = true): SObject {
  const type = rec.attributes?.type ?? fallbackType;
  const so = new SObject(type);
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'attributes') continue;
    so.put(k, fromRecordValue(v, k));
  }
  // Apex always has a queried record's Id, selected or not (parents and children too); the API gives it in the url.
  const url = rec.attributes?.url;
  if (queried && !('Id' in rec) && typeof url === 'string') {
    const id = /\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)$/.exec(url)?.[1];
    if (id) so.put('Id', id);
  }
  if (queried) (so as SObject & { queried?: boolean }).queried = true;
  return so;
}

function fromRecordValue(v: unknown, field: string): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return new ApexList(v.map((x) => fromRecordValue(x, field)));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.records)) {
      const l = new ApexList((o.records as SObjectRecord[]).map((r) => recordToSObject(r, field)));
      return l;
    }
    if (o.attributes) return recordToSObject(o as SObjectRecord, field);
    return v;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? v : new Dec(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(v))
    return new ApexDatetime(Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new ApexDate(Date.parse(v + 'T00:00:00Z'));
  // a Time field as the API returns it (HH:mm:ss.SSSZ)
  if (typeof v === 'string' && /^\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return new ApexTime(Date.parse('1970-01-01T' + v));
  return v;
}

/** SObject → record JSON for DML. */
export function sobjectToRecord(so: SObject): SObjectRecord {
  const rec: SObjectRecord = { attributes: { type: so.type } };
  for (const { name, value } of so.fields.values()) {
    if (value instanceof SObject || value instanceof ApexList) continue;
    rec[name] = toPlain(value);
  }
  return rec;
}

export async function runSoql(
  f: Frame,
  soql: string,
  /** `unsiloed`: the runtime's own look-up (Test.getStandardPricebookId), which a test's isolation does not hide. */
  opts: { userMode: boolean; binds: Record<string, unknown>; sobject: string; isCount: boolean; unsiloed?: boolean },
  site: Site,
): Promise<unknown> {
  const tx = f.tx;
  if (++tx.counts.queries > tx.limit('queries')) limitEx(f, `Too many SOQL queries: ${tx.counts.queries}`);
  const binds: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts.binds)) binds[k] = toPlain(v);
  // LIMIT/OFFSET binds are inlined: SOQL parsers (and the API) take literals there.
  let q = soql.replace(/\b(LIMIT|OFFSET)\s*:\s*([A-Za-z_][A-Za-z0-9_]*)/gi, (m, kw: string, name: string) => {
    const v = binds[name];
    if (typeof v !== 'number') throwEx(f, 'QueryException', `${kw.toUpperCase()} bind variable must be an Integer: ${name}`);
    return `${kw} ${Math.trunc(v)}`;
  });
  if (opts.isCount) q = soql.replace(/^\s*select\s+count\(\s*\)\s+from/i, 'SELECT Id FROM');
  q = bindValueLists(q, binds);
  let rows: SObjectRecord[];
  try {
    // Every query path of a data-siloed test (inline SOQL, Database.query, queryWithBinds, countQuery) sees
    // only the rows the test made, as Salesforce isolates them.
    const onlyIds = tx.testDataIds && !opts.unsiloed && isTestDataObject(opts.sobject) ? [...tx.testDataIds] : undefined;
    rows = await tx.hostCall(() => tx.host.query(q, { userMode: opts.userMode, binds, ...(onlyIds ? { onlyIds } : {}) }));
  } catch (e) {
    throwEx(f, 'QueryException', (e as Error).message);
  }
  tx.counts.queryRows += rows.length;
  if (tx.counts.queryRows > LIMITS.queryRows) limitEx(f, `Too many query rows: ${tx.counts.queryRows}`);
  if (opts.isCount) return rows.length;
  const items = rows.map((r) => recordToSObject(r, opts.sobject));
  // an aggregate query's list is a List<AggregateResult> at run time, whatever it is declared as (DLRS's
  // LREngine asks `instanceof List<AggregateResult>` of a List<SObject>)
  const aggregate = items.length ? items.every((r) => r.type === 'AggregateResult') : /\bgroup\s+by\b/i.test(soql);
  const list = new ApexList(items, { name: aggregate ? 'AggregateResult' : opts.sobject, args: [], array: 0 });
  list.fromQuery = true;
  void site;
  return list;
}
