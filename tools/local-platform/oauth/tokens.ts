import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { to15 } from '../../data/ids.ts';

/**
 * OAuth tokens: random, stored only as SHA-256 hashes, bound to an org and user, expiring with the
 * session timeout and revocable. Access tokens start with the 15-character org Id and "!", as
 * Salesforce's do (some tools read the org Id from there).
 */
export type TokenKind = 'access' | 'refresh' | 'code';

export const hashToken = (raw: string): string => createHash('sha256').update(raw).digest('hex');

export function issueToken(
  db: DatabaseSync,
  kind: TokenKind,
  orgId: string,
  userId: string,
  clientId: string | undefined,
  ttlSeconds: number | undefined,
): string {
  const raw =
    kind === 'access'
      ? `${to15(orgId)}!AQ${randomBytes(45).toString('base64url')}`
      : kind === 'refresh'
        ? `5Aep${randomBytes(45).toString('base64url')}`
        : `aPrx${randomBytes(36).toString('base64url')}`;
  db.prepare('INSERT INTO tokens (hash, kind, org_id, user_id, client_id, expires_at) VALUES (?,?,?,?,?,?)').run(
    hashToken(raw),
    kind,
    orgId,
    userId,
    clientId ?? null,
    ttlSeconds === undefined ? null : Date.now() + ttlSeconds * 1000,
  );
  return raw;
}

export interface TokenRow {
  hash: string;
  kind: TokenKind;
  org_id: string;
  user_id: string;
  client_id: string | null;
  expires_at: number | null;
  revoked: number;
}

/** The live token row for a raw token, or undefined if unknown, expired or revoked. */
export function lookupToken(db: DatabaseSync, raw: string, kind?: TokenKind): TokenRow | undefined {
  const row = db.prepare('SELECT * FROM tokens WHERE hash = ?').get(hashToken(raw)) as TokenRow | undefined;
  if (!row || row.revoked) return undefined;
  if (kind && row.kind !== kind) return undefined;
  if (row.expires_at !== null && row.expires_at < Date.now()) return undefined;
  return row;
}

export function revokeToken(db: DatabaseSync, raw: string): boolean {
  const row = db.prepare('SELECT * FROM tokens WHERE hash = ?').get(hashToken(raw)) as TokenRow | undefined;
  if (!row) return false;
  db.prepare('UPDATE tokens SET revoked = 1 WHERE hash = ?').run(row.hash);
  if (row.kind === 'refresh') {
    // Revoking a refresh token ends the sessions it produced.
    db.prepare("UPDATE tokens SET revoked = 1 WHERE kind = 'access' AND org_id = ? AND user_id = ? AND client_id IS ?").run(
      row.org_id,
      row.user_id,
      row.client_id,
    );
  }
  return true;
}
