/**
 * Browser sessions of the local platform and the one-time front-door tokens that start them
 * (what `sf org open` gets from /services/oauth2/singleaccess). Like OAuth tokens, only SHA-256
 * hashes are stored; a front-door token is consumed by its first use.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { hashToken } from '../oauth/tokens.ts';
import { to15 } from '../../data/ids.ts';

/**
 * How long a front-door URL stays valid. Unverified: Salesforce documents single use but no lifetime;
 * five minutes leaves time to paste a `--url-only` URL and no more.
 */
export const FRONT_DOOR_SECONDS = 300;

const ensured = new WeakSet<DatabaseSync>();

function ensureSchema(db: DatabaseSync): void {
  if (ensured.has(db)) return;
  db.exec(`CREATE TABLE IF NOT EXISTS ui_sessions (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('frontdoor','browser')),
    org_id TEXT NOT NULL, user_id TEXT NOT NULL, start_url TEXT, csrf TEXT,
    expires_at INTEGER NOT NULL, used_at INTEGER
  )`);
  // Deactivating or freezing a user ends its browser sessions and unused front-door links at once (signIn.ts).
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'").get()) endSessionsWithUser(db);
  ensured.add(db);
}

function endSessionsWithUser(db: DatabaseSync): void {
  db.exec(`CREATE TRIGGER IF NOT EXISTS ui_sessions_end_on_deactivate AFTER UPDATE OF fields ON records
    WHEN NEW.sobject = 'User' AND json_extract(NEW.fields, '$.IsActive') = 0
    BEGIN DELETE FROM ui_sessions WHERE org_id = NEW.org_id AND user_id = NEW.id; END`);
  db.exec(`CREATE TRIGGER IF NOT EXISTS ui_sessions_end_on_freeze AFTER UPDATE OF fields ON records
    WHEN NEW.sobject = 'UserLogin' AND json_extract(NEW.fields, '$.IsFrozen') = 1
    BEGIN DELETE FROM ui_sessions WHERE org_id = NEW.org_id AND user_id = json_extract(NEW.fields, '$.UserId'); END`);
}

/** The cookie of an org's browser session: one per org, since every local org shares the host 127.0.0.1. */
export const sessionCookieName = (orgId: string): string => `sid_${to15(orgId)}`;

export function issueFrontDoorToken(db: DatabaseSync, orgId: string, userId: string, startUrl: string): string {
  ensureSchema(db);
  const raw = randomBytes(32).toString('base64url');
  db.prepare("INSERT INTO ui_sessions (hash, kind, org_id, user_id, start_url, expires_at) VALUES (?, 'frontdoor', ?, ?, ?, ?)").run(
    hashToken(raw),
    orgId,
    userId,
    startUrl,
    Date.now() + FRONT_DOOR_SECONDS * 1000,
  );
  return raw;
}

export type Redeemed = { userId: string; startUrl: string } | { refused: 'used' | 'expired' | 'unknown' };

/** Consumes a front-door token: the first call wins, every later one is refused. */
export function redeemFrontDoorToken(db: DatabaseSync, orgId: string, raw: string): Redeemed {
  ensureSchema(db);
  const hash = hashToken(raw);
  const row = db.prepare("SELECT * FROM ui_sessions WHERE hash = ? AND kind = 'frontdoor' AND org_id = ?").get(hash, orgId) as
    { user_id: string; start_url: string; expires_at: number; used_at: number | null } | undefined;
  if (!row) return { refused: 'unknown' };
  if (row.used_at !== null) return { refused: 'used' };
  if (row.expires_at < Date.now()) return { refused: 'expired' };
  // The WHERE makes the use atomic: of two concurrent redeems only one changes the row.
  const changed = db.prepare('UPDATE ui_sessions SET used_at = ? WHERE hash = ? AND used_at IS NULL').run(Date.now(), hash).changes;
  if (Number(changed) !== 1) return { refused: 'used' };
  return { userId: row.user_id, startUrl: row.start_url };
}

export interface BrowserSession {
  userId: string;
  /** Sent back with every Aura request, so another site cannot post actions with the cookie alone. */
  csrf: string;
}

export function createBrowserSession(
  db: DatabaseSync,
  orgId: string,
  userId: string,
  minutes: number,
): { sid: string; session: BrowserSession } {
  ensureSchema(db);
  const sid = `${to15(orgId)}!${randomBytes(36).toString('base64url')}`;
  const csrf = randomBytes(24).toString('base64url');
  db.prepare("INSERT INTO ui_sessions (hash, kind, org_id, user_id, csrf, expires_at) VALUES (?, 'browser', ?, ?, ?, ?)").run(
    hashToken(sid),
    orgId,
    userId,
    csrf,
    Date.now() + minutes * 60_000,
  );
  return { sid, session: { userId, csrf } };
}

export function findBrowserSession(db: DatabaseSync, orgId: string, sid: string | undefined): BrowserSession | undefined {
  if (!sid) return undefined;
  ensureSchema(db);
  const row = db
    .prepare("SELECT user_id, csrf, expires_at FROM ui_sessions WHERE hash = ? AND kind = 'browser' AND org_id = ?")
    .get(hashToken(sid), orgId) as { user_id: string; csrf: string; expires_at: number } | undefined;
  if (!row || row.expires_at < Date.now()) return undefined;
  return { userId: row.user_id, csrf: row.csrf };
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
