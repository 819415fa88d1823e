import type { DatabaseSync } from 'node:sqlite';
import { to15, isValidId } from './ids.ts';

/** Reading one record by Id: the one read that permission and license rules need, kept apart from the
 * write path in store.ts so those rules can sit below it without an import cycle. */
export interface StoredRecord {
  id: string;
  sobject: string;
  fields: Record<string, unknown>;
}

export function getRecord(db: DatabaseSync, orgId: string, id: string): StoredRecord | undefined {
  if (!isValidId(id)) return undefined;
  const r = db.prepare('SELECT id, sobject, fields FROM records WHERE org_id = ? AND substr(id,1,15) = ?').get(orgId, to15(id)) as
    | { id: string; sobject: string; fields: string }
    | undefined;
  return r ? { id: r.id, sobject: r.sobject, fields: JSON.parse(r.fields) } : undefined;
}

