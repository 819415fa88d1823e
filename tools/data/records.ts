import type { DatabaseSync } from 'node:sqlite';
import { to15, to18, isValidId } from './ids.ts';
import { statement } from './statements.ts';

/** Reading one record by Id: the one read that permission and license rules need, kept apart from the
 * write path in store.ts so those rules can sit below it without an import cycle. */
export interface StoredRecord {
  id: string;
  sobject: string;
  fields: Record<string, unknown>;
}

export function getRecord(db: DatabaseSync, orgId: string, id: string): StoredRecord | undefined {
  if (!isValidId(id)) return undefined;
  // By primary key first (stored Ids are 18 characters); a row stored under another spelling still matches on its 15.
  const r = (statement(db, 'SELECT id, sobject, fields FROM records WHERE id = ? AND org_id = ?').get(to18(id), orgId) ??
    statement(db, 'SELECT id, sobject, fields FROM records WHERE org_id = ? AND substr(id,1,15) = ?').get(orgId, to15(id))) as
    { id: string; sobject: string; fields: string } | undefined;
  return r ? { id: r.id, sobject: r.sobject, fields: JSON.parse(r.fields) } : undefined;
}
