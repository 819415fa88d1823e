import type { DatabaseSync } from 'node:sqlite';
import { getRecord } from '../../data/records.ts';
import { hasUserPermission } from '../../data/access.ts';

/**
 * Whether a user may be signed in at all, checked on every request as well as when a token or session
 * is issued: a deactivated user (User.IsActive = false) or a frozen one (UserLogin.IsFrozen = true)
 * has no API access and no UI session. Salesforce documents that a frozen user "can't log in" (Object
 * Reference, UserLogin); that its existing tokens end at once is unverified, so the stricter is taken
 * (FIDELITY.md).
 */
export type SignInBlock = 'inactive' | 'frozen';

export function signInBlock(db: DatabaseSync, orgId: string, userId: string): SignInBlock | undefined {
  const user = getRecord(db, orgId, userId);
  if (!user || user.fields.IsActive === false) return 'inactive';
  const frozen = db
    .prepare(
      "SELECT 1 FROM records WHERE org_id = ? AND sobject = 'UserLogin' AND json_extract(fields, '$.UserId') = ? AND json_extract(fields, '$.IsFrozen') = 1 LIMIT 1",
    )
    .get(orgId, user.id);
  return frozen ? 'frozen' : undefined;
}

/** "API Only User" (profile or permission set): the user has the APIs and never a UI session. */
export function isApiOnlyUser(db: DatabaseSync, orgId: string, userId: string): boolean {
  return hasUserPermission(db, orgId, userId, 'ApiUserOnly');
}

/**
 * What the browser shows an "API Only User" who tries to open the UI. Field reports quote Salesforce's
 * page as "Access Restricted for API Only Users" (support.improveit360.com article 4423697638295);
 * older orgs said "Insufficient Privileges" (Salesforce Help, Knowledge Article 000003819).
 */
export const API_ONLY_TITLE = 'Access Restricted for API Only Users';
export const API_ONLY_MESSAGE = "You're not authorized to access this resource.";
