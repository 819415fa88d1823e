/**
 * The merge statement and Database.merge (Apex Developer Guide, "Merging Records",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/langCon_apex_dml_examples_merge.htm;
 * "Triggers and Merge Statements",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_merge_statements.htm).
 * Only leads, contacts, cases and accounts merge; a main record takes up to two duplicates of its own type.
 * The main record is updated with its in-memory values (its update triggers fire), the duplicates' related
 * records are reparented to it (no triggers fire for them), and the duplicates are deleted with MasterRecordId
 * pointing at the main record (their delete triggers fire and see it in Trigger.old).
 */
import { ApexList, SObject, stringValueOf } from './values.ts';
import { dml, type DmlRowError } from './dml.ts';
import { throwEx, throwNpe, unsupported } from './exceptions.ts';
import { ApexThrow } from '../errors.ts';
import type { Frame } from './frame.ts';
import type { Site } from '../model/classModel.ts';
import type { SObjectRecord } from '../host.ts';

const MERGEABLE = new Set(['account', 'contact', 'lead', 'case']);

export interface MergeOutcome {
  id: string | null;
  success: boolean;
  errors: DmlRowError[];
  mergedRecordIds: string[];
  updatedRelatedIds: string[];
}

function duplicateIds(f: Frame, dups: unknown, type: string, site: Site): string[] {
  if (dups === null || dups === undefined) return throwNpe(f, site);
  const items = dups instanceof ApexList ? dups.items : [dups];
  return items.map((d) => {
    if (d === null || d === undefined) return throwNpe(f, site);
    if (d instanceof SObject) {
      if (d.type.toLowerCase() !== type.toLowerCase()) unsupported(f, `merge of a ${d.type} into a ${type} (Salesforce refuses it)`, site);
      const id = d.get('Id');
      return id
        ? String(id)
        : throwEx(f, 'DmlException', 'Merge failed. First exception on row 0; first error: MISSING_ARGUMENT, Id not specified: []');
    }
    return stringValueOf(d);
  });
}

/** Runs one merge; with allOrNone false a failure comes back in the outcome instead of as DmlException. */
export async function mergeRecords(f: Frame, master: unknown, dups: unknown, allOrNone: boolean, site: Site): Promise<MergeOutcome> {
  if (master === null || master === undefined) return throwNpe(f, site);
  if (!(master instanceof SObject)) return unsupported(f, 'merge of a main record that is not an sObject', site);
  const type = master.type;
  if (!MERGEABLE.has(type.toLowerCase()))
    return unsupported(f, `merge of ${type} records (only leads, contacts, cases and accounts merge)`, site);
  const ids = duplicateIds(f, dups, type, site);
  if (ids.length === 0 || ids.length > 2)
    return unsupported(
      f,
      `merge of ${ids.length} duplicate records (Salesforce takes one or two; its message for others is not known here)`,
      site,
    );
  try {
    return await mergeChecked(f, master, type, ids, site);
  } catch (e) {
    if (allOrNone || !(e instanceof ApexThrow) || e.ex.cls.name !== 'DmlException') throw e;
    const message = String(e.ex.fields.get('__message') ?? '');
    const m = /first error: ([A-Z_]+), (.*?)(?:: \[(.*)\])?$/.exec(message);
    const error = { statusCode: m?.[1] ?? 'UNKNOWN_EXCEPTION', message: m?.[2] ?? message, fields: m?.[3] ? m[3].split(', ') : [] };
    return { id: (master.get('Id') as string) ?? null, success: false, errors: [error], mergedRecordIds: [], updatedRelatedIds: [] };
  }
}

async function mergeChecked(f: Frame, master: SObject, type: string, ids: string[], site: Site): Promise<MergeOutcome> {
  const host = f.tx.host;
  const mainId = master.get('Id') ? String(master.get('Id')) : null;
  if (mainId && ids.some((i) => i.slice(0, 15) === mainId.slice(0, 15)))
    throwEx(
      f,
      'DmlException',
      `Merge failed. First exception on row 0 with id ${mainId}; first error: INVALID_ID_FIELD, Cannot merge with self: []`,
    );
  const found = await f.tx.hostCall(() => host.query(`SELECT Id FROM ${type} WHERE Id IN :ids`, { userMode: false, binds: { ids } }));
  const missing = ids.find((i) => !found.some((r) => String(r.Id).slice(0, 15) === i.slice(0, 15)));
  if (missing)
    throwEx(
      f,
      'DmlException',
      `Merge failed. First exception on row 0 with id ${missing}; first error: ENTITY_IS_DELETED, entity is deleted: []`,
    );
  const dupIds = found.map((r) => String(r.Id));
  // the main record keeps its own values and takes the in-memory ones (update triggers fire)
  await dml(f, 'update', master, { userMode: false, allOrNone: true }, site);
  const main = String(master.get('Id'));
  const updatedRelatedIds = await reparent(f, type, dupIds, main);
  const marks: SObjectRecord[] = dupIds.map((Id) => ({ attributes: { type }, Id, MasterRecordId: main }));
  if (host.writeSystemRecords) await f.tx.hostCall(() => host.writeSystemRecords!(marks));
  const losers = dupIds.map((Id) => {
    const so = new SObject(type);
    so.put('Id', Id);
    return so;
  });
  await dml(f, 'delete', new ApexList(losers), { userMode: false, allOrNone: true }, site);
  return { id: main, success: true, errors: [], mergedRecordIds: dupIds, updatedRelatedIds };
}

/** Points every record that looks up to a duplicate at the main record; no triggers fire for them. */
async function reparent(f: Frame, type: string, dupIds: string[], main: string): Promise<string[]> {
  const host = f.tx.host;
  const d = host.describeSObject ? await f.tx.hostCall(() => host.describeSObject!(type)) : undefined;
  const moved: string[] = [];
  for (const rel of d?.childRelationships ?? []) {
    if (rel.field === 'MasterRecordId') continue;
    const rows = await f.tx
      .hostCall(() =>
        host.query(`SELECT Id FROM ${rel.childSObject} WHERE ${rel.field} IN :ids`, { userMode: false, binds: { ids: dupIds } }),
      )
      .catch(() => [] as SObjectRecord[]); // a relationship the store cannot filter on (polymorphic, system)
    if (!rows.length) continue;
    const updates = rows.map((r) => ({ attributes: { type: rel.childSObject }, Id: r.Id, [rel.field]: main }) as SObjectRecord);
    if (host.writeSystemRecords) await f.tx.hostCall(() => host.writeSystemRecords!(updates));
    else await f.tx.hostCall(() => host.update(updates, { userMode: false }));
    moved.push(...rows.map((r) => String(r.Id)));
  }
  return moved;
}
