/**
 * Upsert by an external ID field (Apex Developer Guide, "Upserting Records"; Apex Reference, Database.upsert
 * with `externalIdField`): a record whose field value matches exactly one stored record updates it (the
 * sObject takes its Id); no match inserts it; several matches fail the row with DUPLICATE_EXTERNAL_ID.
 */
import { ApexList, type SObject } from './values.ts';
import { runSoql } from './data.ts';
import type { Frame } from './frame.ts';
import type { Site } from '../model/classModel.ts';

const STRING = { name: 'String', args: [], array: 0 };

/** Sets the Id of each row that matches a stored record; returns the rows that match several, with the message. */
export async function matchExternalIds(f: Frame, sobjs: SObject[], field: string, site: Site): Promise<Map<SObject, string>> {
  const failed = new Map<SObject, string>();
  const byType = new Map<string, SObject[]>();
  for (const so of sobjs) if (!so.get('Id') && so.get(field) !== null) byType.set(so.type, [...(byType.get(so.type) ?? []), so]);
  for (const [type, rows] of byType) {
    const values = new ApexList(
      rows.map((so) => String(so.get(field))),
      STRING,
    );
    const found = (await runSoql(
      f,
      `SELECT Id, ${field} FROM ${type} WHERE ${field} IN :vals`,
      { userMode: false, binds: { vals: values }, sobject: type, isCount: false },
      site,
    )) as ApexList;
    // the look-up is the DML's own, not a query of the caller's
    f.tx.counts.queries--;
    f.tx.counts.queryRows -= found.items.length;
    const ids = new Map<string, string[]>();
    for (const r of found.items as SObject[]) {
      const key = String(r.get(field)).toLowerCase();
      ids.set(key, [...(ids.get(key) ?? []), r.get('Id') as string]);
    }
    for (const so of rows) {
      const match = ids.get(String(so.get(field)).toLowerCase()) ?? [];
      // unverified wording of the several-matches error
      if (match.length > 1) failed.set(so, `${field}: more than one record found for external id field: [${match.join(', ')}]`);
      else if (match.length === 1) so.put('Id', match[0]);
    }
  }
  return failed;
}
