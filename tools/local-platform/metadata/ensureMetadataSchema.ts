/**
 * Tables the Metadata API owns (prefix `md_`), created idempotently so the server can call this on
 * every start. Components keep their files exactly as deployed so a retrieve gives them back; private
 * keys live apart from the components in `md_certificate_keys` and never leave through the API.
 */
import type { DatabaseSync } from 'node:sqlite';
import { undoInterruptedDeploys } from './undoLog.ts';

const recovered = new WeakSet<DatabaseSync>();

/**
 * For a second connection to a database another connection is live on (the Apex workers): its first
 * ensureMetadataSchema must not "recover" a deploy that is merely still running on the other one.
 */
export function skipDeployRecovery(db: DatabaseSync): void {
  recovered.add(db);
}

export function ensureMetadataSchema(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS md_components (
      org_id      TEXT NOT NULL,
      type        TEXT NOT NULL,
      full_name   TEXT NOT NULL,
      -- JSON { "<path in the mdapi zip, e.g. classes/A.cls>": "<base64>" }
      files       TEXT NOT NULL,
      -- JSON: the fields this platform reads back (consumer key, certificate, permissions, …)
      data        TEXT NOT NULL DEFAULT '{}',
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (org_id, type, full_name)
    );
    CREATE TABLE IF NOT EXISTS md_certificate_keys (
      org_id          TEXT NOT NULL,
      dev_name        TEXT NOT NULL,
      certificate_pem TEXT NOT NULL,
      private_key_pem TEXT NOT NULL,
      key_size        INTEGER NOT NULL,
      source          TEXT NOT NULL, -- 'generated' | 'keystore'
      created_at      INTEGER NOT NULL,
      PRIMARY KEY (org_id, dev_name)
    );
    -- Consumer keys are unique across every org of the platform, as Salesforce's are globally.
    CREATE TABLE IF NOT EXISTS md_consumer_keys (
      consumer_key TEXT PRIMARY KEY,
      org_id       TEXT NOT NULL,
      type         TEXT NOT NULL,
      full_name    TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS md_async_results (
      id          TEXT PRIMARY KEY,
      org_id      TEXT NOT NULL,
      kind        TEXT NOT NULL, -- 'deploy' | 'retrieve'
      status      TEXT NOT NULL,
      test_level  TEXT,
      check_only  INTEGER NOT NULL DEFAULT 0,
      -- JSON DeployResult / RetrieveResult without the zip
      result      TEXT NOT NULL,
      zip         BLOB,
      created_at  INTEGER NOT NULL
    );
    -- The undo log of a deploy whose tests are running (applyWithUndo.ts); empty between deploys.
    CREATE TABLE IF NOT EXISTS md_deploy_undo (
      deploy_id TEXT NOT NULL,
      seq       INTEGER NOT NULL,
      tbl       TEXT NOT NULL,
      op        TEXT NOT NULL, -- 'I' | 'U' | 'D'
      rid       INTEGER NOT NULL,
      old       TEXT, -- JSON of the row before the change
      PRIMARY KEY (deploy_id, seq)
    );
  `);
  // The first call on a connection comes before any deploy of this process applies anything.
  if (!recovered.has(db)) {
    recovered.add(db);
    undoInterruptedDeploys(db);
  }
}
