/**
 * The undo log of an applied deploy (see applyWithUndo.ts): kept, undone, or undone at the next start when
 * the process died before the deploy's verdict. Apart from applyWithUndo so that ensureMetadataSchema can
 * run the recovery without importing the apply.
 */
import type { DatabaseSync } from 'node:sqlite';
import { tx } from '../../data/store.ts';

export interface UndoEntry {
  table: string;
  /** I: the apply inserted row `rid`; U: it updated it (old values in `old`); D: it deleted it. */
  op: 'I' | 'U' | 'D';
  rid: number;
  old: Record<string, unknown> | null;
}

export interface UndoLog {
  /** The deploy's id: the key of its rows in md_deploy_undo. */
  id: string;
  entries: UndoEntry[];
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const fromJson = (v: unknown): string | number | null | Uint8Array =>
  v !== null && typeof v === 'object' && '$blob' in v
    ? Buffer.from(String((v as { $blob: string }).$blob), 'hex')
    : (v as string | number | null);

/** The deploy stays: forgets its undo log. */
export function keepApply(db: DatabaseSync, log: UndoLog): void {
  db.prepare('DELETE FROM md_deploy_undo WHERE deploy_id = ?').run(log.id);
}

/** Puts back every row `log` recorded, newest change first, in one SQLite transaction. */
export function undoApply(db: DatabaseSync, log: UndoLog): void {
  tx(db, () => {
    db.prepare('DELETE FROM md_deploy_undo WHERE deploy_id = ?').run(log.id);
    for (const e of [...log.entries].reverse()) {
      const t = quote(e.table);
      if (e.op === 'I') {
        db.prepare(`DELETE FROM main.${t} WHERE rowid = ?`).run(e.rid);
        continue;
      }
      const cols = Object.keys(e.old!);
      const values = cols.map((c) => fromJson(e.old![c]));
      if (e.op === 'U') {
        db.prepare(`UPDATE main.${t} SET ${cols.map((c) => `${quote(c)} = ?`).join(', ')} WHERE rowid = ?`).run(...values, e.rid);
      } else {
        db.prepare(
          `INSERT OR REPLACE INTO main.${t} (rowid, ${cols.map(quote).join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`,
        ).run(e.rid, ...values);
      }
    }
  });
}

/**
 * Undoes the deploys a previous process left between apply and verdict (it stopped while their tests ran).
 * Only safe before this connection applies a deploy of its own: ensureMetadataSchema runs it once per
 * connection, and every deploy goes through ensureMetadataSchema before it applies.
 */
export function undoInterruptedDeploys(db: DatabaseSync): string[] {
  const rows = db.prepare('SELECT deploy_id, tbl, op, rid, old FROM md_deploy_undo ORDER BY deploy_id, seq').all() as {
    deploy_id: string;
    tbl: string;
    op: UndoEntry['op'];
    rid: number;
    old: string | null;
  }[];
  const logs = new Map<string, UndoLog>();
  for (const r of rows) {
    const log = logs.get(r.deploy_id) ?? { id: r.deploy_id, entries: [] };
    log.entries.push({
      table: r.tbl,
      op: r.op,
      rid: Number(r.rid),
      old: r.old === null ? null : (JSON.parse(r.old) as Record<string, unknown>),
    });
    logs.set(r.deploy_id, log);
  }
  for (const log of logs.values()) undoApply(db, log);
  return [...logs.keys()];
}
