/**
 * `Database.emptyRecycleBin(Id[] | SObject | SObject[])` (Apex Reference, "Database Class" and
 * "EmptyRecycleBinResult Class"): removes deleted records from the Recycle Bin for good, one
 * `Database.EmptyRecycleBinResult` per Id or record, in order (a single one for a single record). It is a DML
 * operation: one statement, a row per record. A record that is not in the Recycle Bin gets a failed result;
 * Salesforce's status code and text for that case are not documented (tools/local-platform/FIDELITY.md).
 */
import './system.ts'; // Database, which this file extends
import './databaseResults.ts'; // Database.EmptyRecycleBinResult, with its JSON keys
import { natives } from '../model/natives.ts';
import { NObj } from './nativeValues.ts';
import { ApexList, SObject } from '../run/values.ts';
import { limitEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { LIMITS } from '../run/transaction.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { dmlError } from './system.ts';

function result(id: string | null, success: boolean): NObj {
  const r = new NObj('Database.EmptyRecycleBinResult');
  r.set('id', id);
  r.set('success', success);
  const errors = success
    ? []
    : [dmlError({ statusCode: 'UNKNOWN_EXCEPTION', message: 'Record is not in the Recycle Bin (local runtime)', fields: [] })];
  r.set('errors', new ApexList(errors, { name: 'Database.Error', args: [], array: 0 }));
  return r;
}

async function emptyRecycleBin(f: Frame, [arg]: unknown[], site: Site): Promise<unknown> {
  if (arg === null || arg === undefined) throwNpe(f, site);
  const single = !(arg instanceof ApexList);
  const items = single ? [arg] : (arg as ApexList).items;
  const ids = items.map((x) => (x instanceof SObject ? ((x.get('Id') as string | null) ?? null) : typeof x === 'string' ? x : null));
  if (++f.tx.counts.dml > LIMITS.dmlStatements) limitEx(f, `Too many DML statements: ${f.tx.counts.dml}`);
  f.tx.counts.dmlRows += ids.length;
  if (f.tx.counts.dmlRows > LIMITS.dmlRows) limitEx(f, `Too many DML rows: ${f.tx.counts.dmlRows}`);
  const host = f.tx.host;
  if (!host.emptyRecycleBin) unsupported(f, 'Database.emptyRecycleBin on this host', site);
  const known = ids.filter((x): x is string => x !== null);
  const done = await f.tx.hostCall(() => host.emptyRecycleBin!(known));
  let i = 0;
  const out = ids.map((id) => result(id, id === null ? false : done[i++]));
  return single ? out[0] : new ApexList(out, { name: 'Database.EmptyRecycleBinResult', args: [], array: 0 });
}

natives.get('database')!.statics!['emptyrecyclebin'] = emptyRecycleBin;
