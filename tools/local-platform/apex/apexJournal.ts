import type { DatabaseSync } from 'node:sqlite';
import { moveToRecycleBin } from '../../data/store.ts';
import { statement } from '../../data/statements.ts';
import { keyPrefixFor } from '../../data/ids.ts';

/**
 * The undo journal of Apex transactions, persisted. Each DML statement of an open transaction writes
 * its undo entry (the row's prior state) in the same SQLite transaction as the write itself; the
 * Apex commit deletes the transaction's entries (that delete is the commit point) and a rollback
 * replays them newest first. A process that dies mid-transaction leaves its entries behind, and
 * `recoverApexTransactions` replays them when the platform next starts, so a transaction is either
 * fully committed or leaves nothing — also after kill -9.
 */
export interface RawRow {
  id: string;
  org_id: string;
  sobject: string;
  fields: string;
  created_at: string;
  updated_at: string;
}
export type Undo =
  | { kind: 'insert'; id: string }
  | { kind: 'undelete'; id: string }
  | { kind: 'update'; row: RawRow }
  | { kind: 'delete'; row: RawRow }
  /** a row removed from the recycle bin (Database.emptyRecycleBin): it goes back there */
  | { kind: 'purge'; row: RawRow & { deleted_at: string } };

const ready = new WeakSet<DatabaseSync>();
function ensureTable(db: DatabaseSync): void {
  if (ready.has(db)) return;
  db.exec('CREATE TABLE IF NOT EXISTS apex_tx_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, tx TEXT NOT NULL, entry TEXT NOT NULL)');
  ready.add(db);
}

/** Records one undo entry; call inside the SQLite transaction of the write it undoes. Returns its seq. */
export function journalWrite(db: DatabaseSync, txId: string, undo: Undo): number {
  ensureTable(db);
  return Number(statement(db, 'INSERT INTO apex_tx_journal (tx, entry) VALUES (?, ?)').run(txId, JSON.stringify(undo)).lastInsertRowid);
}

/** The seq the next entry will get: marks where a transaction level begins. */
export function journalNextSeq(db: DatabaseSync): number {
  ensureTable(db);
  const row = statement(db, "SELECT seq FROM sqlite_sequence WHERE name = 'apex_tx_journal'").get() as { seq: number } | undefined;
  return (row?.seq ?? 0) + 1;
}

/** The commit point of an Apex transaction: its undo entries are gone. */
export function journalCommit(db: DatabaseSync, txId: string): void {
  ensureTable(db);
  statement(db, 'DELETE FROM apex_tx_journal WHERE tx = ?').run(txId);
}

export function applyUndo(db: DatabaseSync, u: Undo): void {
  if (u.kind === 'insert') {
    statement(db, 'DELETE FROM records WHERE id = ?').run(u.id);
    // A user's UserLogin row is made with it by the store (tools/data/store.ts), so it goes with it (only a
    // User's: the delete scans every UserLogin's JSON, and most undone inserts are of other objects).
    if (u.id.startsWith(keyPrefixFor('User')))
      statement(db, "DELETE FROM records WHERE sobject = 'UserLogin' AND json_extract(fields, '$.UserId') = ?").run(u.id);
  } else if (u.kind === 'undelete') moveToRecycleBin(db, u.id);
  else if (u.kind === 'purge')
    statement(
      db,
      'INSERT OR REPLACE INTO recycle_bin (id, org_id, sobject, fields, created_at, updated_at, deleted_at) VALUES (?,?,?,?,?,?,?)',
    ).run(u.row.id, u.row.org_id, u.row.sobject, u.row.fields, u.row.created_at, u.row.updated_at, u.row.deleted_at);
  else if (u.kind === 'update')
    statement(db, 'UPDATE records SET fields = ?, updated_at = ? WHERE id = ?').run(u.row.fields, u.row.updated_at, u.row.id);
  else {
    statement(db, 'INSERT OR REPLACE INTO records (id, org_id, sobject, fields, created_at, updated_at) VALUES (?,?,?,?,?,?)').run(
      u.row.id,
      u.row.org_id,
      u.row.sobject,
      u.row.fields,
      u.row.created_at,
      u.row.updated_at,
    );
    statement(db, 'DELETE FROM recycle_bin WHERE id = ?').run(u.row.id);
  }
}

/** Undoes the entries of `txId` from `fromSeq` on (all when omitted), newest first. Call inside a transaction. */
export function journalRollback(db: DatabaseSync, txId: string, fromSeq = 0): void {
  ensureTable(db);
  const rows = statement(db, 'SELECT entry FROM apex_tx_journal WHERE tx = ? AND seq >= ? ORDER BY seq DESC').all(txId, fromSeq) as {
    entry: string;
  }[];
  for (const r of rows) applyUndo(db, JSON.parse(r.entry) as Undo);
  statement(db, 'DELETE FROM apex_tx_journal WHERE tx = ? AND seq >= ?').run(txId, fromSeq);
}

/**
 * Undoes every transaction left open — by a process that died, or (with `txPrefix`) by one worker
 * that died. Returns how many entries were replayed. Run at start before anything else writes.
 */
export function recoverApexTransactions(db: DatabaseSync, txPrefix = ''): number {
  ensureTable(db);
  const rows = statement(db, "SELECT seq, entry FROM apex_tx_journal WHERE tx LIKE ? ESCAPE '\\' ORDER BY seq DESC").all(
    `${txPrefix.replace(/[\\%_]/g, '\\$&')}%`,
  ) as { seq: number; entry: string }[];
  if (!rows.length) return 0;
  const own = !db.isTransaction;
  if (own) db.exec('BEGIN IMMEDIATE');
  try {
    for (const r of rows) {
      applyUndo(db, JSON.parse(r.entry) as Undo);
      statement(db, 'DELETE FROM apex_tx_journal WHERE seq = ?').run(r.seq);
    }
    if (own) db.exec('COMMIT');
  } catch (e) {
    if (own) db.exec('ROLLBACK');
    throw e;
  }
  return rows.length;
}
