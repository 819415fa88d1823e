/**
 * `node:sqlite` without Node 22's one-line "SQLite is an experimental feature" warning, which every
 * command would otherwise print. Only that warning, only while the module loads: every other warning
 * (other experimental features included) still reaches stderr as Node prints it.
 */
import { createRequire } from 'node:module';
import type * as Sqlite from 'node:sqlite';

const SQLITE_WARNING = /^SQLite is an experimental feature/;

function loadQuietly(): typeof Sqlite {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    if (SQLITE_WARNING.test(typeof warning === 'string' ? warning : warning.message)) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // A require at run time: a static import would load the module (and warn) before this file runs.
    return createRequire(import.meta.url)('node:sqlite') as typeof Sqlite;
  } finally {
    process.emitWarning = emitWarning;
  }
}

export const DatabaseSync: typeof Sqlite.DatabaseSync = loadQuietly().DatabaseSync;
export type DatabaseSync = Sqlite.DatabaseSync;
