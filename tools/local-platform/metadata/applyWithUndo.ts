/**
 * A deploy that runs Apex tests must apply its components first (the tests see the deployed state, as on
 * Salesforce) and keep them only if the tests pass. The tests are async and the platform has one SQLite
 * connection that keeps serving other requests meanwhile (Apex callouts between orgs of this process
 * among them), so the deploy cannot hold a SQLite transaction open across them — the same reason Apex
 * transactions use an undo journal (apexHost.ts). Instead the apply runs in a short synchronous
 * transaction while temporary triggers record the prior value of every row it inserts, updates or
 * deletes, in any table; `undoApply` puts those rows back, newest first, in another synchronous
 * transaction. Exactly the apply's writes are undone; what other requests wrote meanwhile stays (unless
 * it touched the very rows the apply wrote — those get their pre-deploy values back).
 *
 * The log is also written to `md_deploy_undo` in the apply's transaction and removed when the deploy is
 * kept or undone, so a deploy the process died in the middle of (tests still running) is undone the next
 * time the process opens the database (`undoInterruptedDeploys`, run once per connection by
 * ensureMetadataSchema).
 */
import type { DatabaseSync } from 'node:sqlite';
import { tx } from '../../data/store.ts';
import { ensureMetadataSchema } from './ensureMetadataSchema.ts';
import { quote, type UndoEntry, type UndoLog } from './undoLog.ts';

export { keepApply, undoApply, undoInterruptedDeploys, type UndoEntry, type UndoLog } from './undoLog.ts';

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The ordinary (rowid, not virtual) tables of the main database, with their columns. */
function journaledTables(db: DatabaseSync): { name: string; columns: string[] }[] {
  const tables = db.prepare("SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
    name: string;
    sql: string;
  }[];
  const out: { name: string; columns: string[] }[] = [];
  for (const t of tables) {
    if (/WITHOUT\s+ROWID/i.test(t.sql) || /^CREATE\s+VIRTUAL/i.test(t.sql) || t.name === 'md_deploy_undo') continue;
    const cols = db.prepare(`PRAGMA main.table_info(${quote(t.name)})`).all() as { name: string }[];
    out.push({ name: t.name, columns: cols.map((c) => c.name) });
  }
  return out;
}

/** A column's old value as JSON; BLOBs (which JSON cannot hold) as `{"$blob": "<hex>"}`. */
const oldValue = (c: string) =>
  `CASE typeof(OLD.${quote(c)}) WHEN 'blob' THEN json_object('$blob', hex(OLD.${quote(c)})) ELSE OLD.${quote(c)} END`;

/** Runs `fn` in one SQLite transaction and returns what undoes its writes. Nothing is written if `fn` throws. */
export function applyWithUndo(db: DatabaseSync, id: string, fn: () => void): UndoLog {
  ensureMetadataSchema(db);
  const tables = journaledTables(db);
  const recursive = (db.prepare('PRAGMA recursive_triggers').get() as { recursive_triggers: number }).recursive_triggers;
  // INSERT OR REPLACE deletes the row it replaces; only with recursive triggers on do delete triggers see that.
  db.exec('PRAGMA recursive_triggers = ON');
  try {
    return tx(db, () => {
      db.exec(
        'CREATE TEMP TABLE deploy_undo (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, rid INTEGER NOT NULL, old TEXT)',
      );
      for (const t of tables) {
        const old = `json_object(${t.columns.map((c) => `${literal(c)}, ${oldValue(c)}`).join(', ')})`;
        const tbl = literal(t.name);
        db.exec(`
          CREATE TEMP TRIGGER ${quote(`deploy_undo_i_${t.name}`)} AFTER INSERT ON main.${quote(t.name)}
          BEGIN INSERT INTO deploy_undo (tbl, op, rid, old) VALUES (${tbl}, 'I', NEW.rowid, NULL); END;
          CREATE TEMP TRIGGER ${quote(`deploy_undo_u_${t.name}`)} AFTER UPDATE ON main.${quote(t.name)}
          BEGIN INSERT INTO deploy_undo (tbl, op, rid, old) VALUES (${tbl}, 'U', NEW.rowid, ${old}); END;
          CREATE TEMP TRIGGER ${quote(`deploy_undo_d_${t.name}`)} AFTER DELETE ON main.${quote(t.name)}
          BEGIN INSERT INTO deploy_undo (tbl, op, rid, old) VALUES (${tbl}, 'D', OLD.rowid, ${old}); END;`);
      }
      let rows: { seq: number; tbl: string; op: UndoEntry['op']; rid: number; old: string | null }[];
      try {
        fn();
        rows = db.prepare('SELECT seq, tbl, op, rid, old FROM temp.deploy_undo ORDER BY seq').all() as typeof rows;
      } finally {
        for (const t of tables)
          for (const k of ['i', 'u', 'd']) db.exec(`DROP TRIGGER IF EXISTS temp.${quote(`deploy_undo_${k}_${t.name}`)}`);
        db.exec('DROP TABLE IF EXISTS temp.deploy_undo');
      }
      const save = db.prepare('INSERT INTO md_deploy_undo (deploy_id, seq, tbl, op, rid, old) VALUES (?, ?, ?, ?, ?, ?)');
      for (const r of rows) save.run(id, r.seq, r.tbl, r.op, r.rid, r.old);
      return {
        id,
        entries: rows.map((r) => ({
          table: r.tbl,
          op: r.op,
          rid: Number(r.rid),
          old: r.old === null ? null : (JSON.parse(r.old) as Record<string, unknown>),
        })),
      };
    });
  } finally {
    db.exec(`PRAGMA recursive_triggers = ${recursive ? 'ON' : 'OFF'}`);
  }
}
