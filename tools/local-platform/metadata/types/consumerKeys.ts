/**
 * Consumer keys are globally unique on Salesforce; here they are unique across every org of the local
 * platform. Re-deploying an app somewhere else with the same key fails with "The consumer key is already
 * taken" (field reports in docs/salesforce-rules.md#app-metadata).
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

export const CONSUMER_KEY_TAKEN = 'The consumer key is already taken';
/** Our wording for a redeploy that carries an existing app's key (docs/salesforce-rules.md#consumer-key-on-create; Salesforce's text is unverified). */
export const CONSUMER_KEY_IN_USE = 'The consumer key is already in use by this app: it can be set only when the app is created.';

/** A key shaped like Salesforce's (`3MVG9…`, 85 characters), alphanumeric so it fits every rule. */
export function generateConsumerKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(80);
  let out = '3MVG9';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function consumerKeyOwner(db: DatabaseSync, key: string): { org_id: string; type: string; full_name: string } | undefined {
  return db.prepare('SELECT org_id, type, full_name FROM md_consumer_keys WHERE consumer_key = ?').get(key) as
    { org_id: string; type: string; full_name: string } | undefined;
}

export function isKeyTakenByOther(db: DatabaseSync, key: string, orgId: string, type: string, fullName: string): boolean {
  const owner = consumerKeyOwner(db, key);
  if (owner && !(owner.org_id === orgId && owner.type === type && owner.full_name === fullName)) return true;
  // Apps the platform seeds itself (the Dev Hub's CLI app) live in the store's oauth_apps table.
  try {
    return !!db.prepare('SELECT 1 FROM oauth_apps WHERE consumer_key = ?').get(key);
  } catch {
    return false; // no such table: a store without seeded apps
  }
}

export function claimConsumerKey(db: DatabaseSync, key: string, orgId: string, type: string, fullName: string): void {
  db.prepare('DELETE FROM md_consumer_keys WHERE org_id = ? AND type = ? AND full_name = ?').run(orgId, type, fullName);
  db.prepare('INSERT INTO md_consumer_keys (consumer_key, org_id, type, full_name) VALUES (?, ?, ?, ?)').run(key, orgId, type, fullName);
}
