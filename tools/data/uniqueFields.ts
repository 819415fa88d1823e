/**
 * Unique custom fields (a field's `<unique>true</unique>`, Metadata API "CustomField"): a value another record
 * of the object already holds is refused with DUPLICATE_VALUE, "duplicate value found: <field> duplicates value
 * on record with id: <id>". Text compares case-insensitively, Salesforce's default for a unique Text field
 * ("Treat "ABC" and "abc" as duplicate values"); a field's `caseSensitive` setting is not read here.
 */
import type { DatabaseSync } from '../core/sqlite.ts';
import { statement } from './statements.ts';
import { ApiError } from './errors.ts';
import type { ObjectDef } from './schema.ts';

export function checkUniqueFields(db: DatabaseSync, orgId: string, def: ObjectDef, fields: Record<string, unknown>, id: string): void {
  for (const fd of def.fields) {
    if (fd.describe?.unique !== true) continue;
    const v = fields[fd.name];
    if (v === null || v === undefined || v === '') continue;
    const clash = statement(
      db,
      'SELECT id FROM records WHERE org_id = ? AND sobject = ? AND lower(json_extract(fields, ?)) = lower(?) AND id != ?',
    ).get(orgId, def.name, `$.${fd.name}`, typeof v === 'string' ? v : JSON.stringify(v), id) as { id: string } | undefined;
    if (clash)
      throw new ApiError(400, 'DUPLICATE_VALUE', `duplicate value found: ${fd.name} duplicates value on record with id: ${clash.id}`, [
        fd.name,
      ]);
  }
}
