/**
 * Record types as an org holds them: one RecordType row per record type its metadata deployed
 * (SobjectType, DeveloperName, Name, IsActive). An object has the RecordTypeId field only once a record
 * type exists for it: SOQL and DML naming RecordTypeId on an object without record types fail with
 * "No such column 'RecordTypeId'" on Salesforce, and describe then lists the Master record type alone
 * (Apex Reference, "RecordTypeInfo Class": "The following example assumes at least one record type has
 * been created for the Account object":
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_Schema_RecordTypeInfo.htm).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { ObjectDef } from './schema.ts';
import { ref } from './fieldBuilders.ts';
import { statement } from './statements.ts';

export interface RecordTypeRow {
  Id: string;
  Name: string;
  DeveloperName: string;
  SobjectType: string;
  IsActive: boolean;
  Description?: string | null;
  NamespacePrefix?: string | null;
}

/** The Master record type's Id, the same in every org (describe's recordTypeInfos). */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

/** The record types of an object, in the order they were deployed. */
export function recordTypesOf(db: DatabaseSync, orgId: string, sobject: string): RecordTypeRow[] {
  const rows = statement(
    db,
    "SELECT id, fields FROM records WHERE org_id = ? AND sobject = 'RecordType' AND lower(json_extract(fields, '$.SobjectType')) = lower(?) ORDER BY rowid",
  ).all(orgId, sobject) as { id: string; fields: string }[];
  return rows.map((r) => ({ ...(JSON.parse(r.fields) as Omit<RecordTypeRow, 'Id'>), Id: r.id }));
}

function hasRecordTypes(db: DatabaseSync, orgId: string, sobject: string): boolean {
  return !!statement(
    db,
    "SELECT 1 FROM records WHERE org_id = ? AND sobject = 'RecordType' AND lower(json_extract(fields, '$.SobjectType')) = lower(?) LIMIT 1",
  ).get(orgId, sobject);
}

/** `def` with its RecordTypeId lookup (relationship `RecordType`) when the org has a record type for it. */
export function withRecordTypeId(db: DatabaseSync, orgId: string, def: ObjectDef): ObjectDef {
  if (def.fields.some((x) => x.name === 'RecordTypeId') || !hasRecordTypes(db, orgId, def.name)) return def;
  return { ...def, fields: [...def.fields, ref('RecordTypeId', 'RecordType', 'RecordType')] };
}
