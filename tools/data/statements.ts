import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Prepared statements kept per database: the store runs the same few statements for every record an
 * Apex test writes or reads, and preparing one costs about as much as running it.
 */
const cache = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

export function statement(db: DatabaseSync, sql: string): StatementSync {
  let byText = cache.get(db);
  if (!byText) cache.set(db, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) {
    // SOQL turns into SQL of as many shapes as there are queries (IN lists vary): keep the cache bounded.
    if (byText.size >= 1000) byText.clear();
    byText.set(sql, (s = db.prepare(sql)));
  }
  return s;
}
