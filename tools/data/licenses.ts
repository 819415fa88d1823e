import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from './errors.ts';
import { getRecord } from './records.ts';
import { API_ONLY_PROFILE, permissionSetInfo, profileNameOf } from './access.ts';

/**
 * Permission set licenses (docs/salesforce-rules.md#integration-user-license). The Salesforce Integration user license "makes the Minimum Access -
 * API Only Integrations profile and the Salesforce API Integration permission set license available"
 * (Help, platform.integration_user.htm): a user on that profile gets object permissions only through a
 * permission set after `SalesforceAPIIntegrationPsl` is assigned to them (PermissionSetLicenseAssign).
 * Without it, assigning a permission set that grants an object permission fails with the field-reported
 * "The user license doesn't allow the permission: Read Accounts" (the sentence before it and the error
 * code are unverified; FIELD_INTEGRITY_EXCEPTION is our choice).
 */
export const API_INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';

function pslAssigned(db: DatabaseSync, orgId: string, userId: string, developerName: string): boolean {
  return !!db
    .prepare(
      `SELECT 1 FROM records a JOIN records l ON l.id = json_extract(a.fields,'$.PermissionSetLicenseId')
       WHERE a.org_id = ? AND a.sobject = 'PermissionSetLicenseAssign' AND json_extract(a.fields,'$.AssigneeId') = ?
         AND json_extract(l.fields,'$.DeveloperName') = ?`,
    )
    .get(orgId, userId, developerName);
}

const PLURAL: Record<string, string> = {
  Account: 'Accounts',
  Contact: 'Contacts',
  Opportunity: 'Opportunities',
  Case: 'Cases',
  Lead: 'Leads',
};

/** The first object permission a permission set grants, as Setup names it ("Read Accounts"). */
function firstObjectPermission(
  objectPermissions: Record<string, { read: boolean; create: boolean; edit: boolean; delete: boolean }>,
): string | undefined {
  for (const object of Object.keys(objectPermissions).sort()) {
    const p = objectPermissions[object]!;
    const op = p.read ? 'Read' : p.create ? 'Create' : p.edit ? 'Edit' : p.delete ? 'Delete' : undefined;
    if (op) return `${op} ${PLURAL[object] ?? `${object.replace(/__c$/, '')}s`}`;
  }
  return undefined;
}

/** Refuses a PermissionSetAssignment the assignee's license does not allow; called before the insert. */
export function checkAssignmentLicense(db: DatabaseSync, orgId: string, fields: Record<string, unknown>): void {
  const userId = String(fields.AssigneeId ?? '');
  if (profileNameOf(db, orgId, userId) !== API_ONLY_PROFILE || pslAssigned(db, orgId, userId, API_INTEGRATION_PSL)) return;
  const ps = getRecord(db, orgId, String(fields.PermissionSetId ?? ''));
  const name = ps?.fields.Name as string | undefined;
  const info = name ? permissionSetInfo(db, orgId, name) : undefined;
  const permission = info ? firstObjectPermission(info.objectPermissions) : undefined;
  if (!permission) return;
  const user = getRecord(db, orgId, userId);
  throw new ApiError(
    400,
    'FIELD_INTEGRITY_EXCEPTION',
    `Can't assign permission set ${String(ps?.fields.Label ?? name)} to user ${String(user?.fields.Name ?? userId)}. The user license doesn't allow the permission: ${permission}`,
    ['PermissionSetId'],
  );
}

/** One assignment per user and license; the license must exist in the org. */
export function checkLicenseAssignment(db: DatabaseSync, orgId: string, fields: Record<string, unknown>, id: string): void {
  const license = getRecord(db, orgId, String(fields.PermissionSetLicenseId ?? ''));
  if (!license || license.sobject !== 'PermissionSetLicense') {
    throw new ApiError(400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission Set License ID: id value of incorrect type', [
      'PermissionSetLicenseId',
    ]);
  }
  const clash = db
    .prepare(
      "SELECT id FROM records WHERE org_id = ? AND sobject = 'PermissionSetLicenseAssign' AND json_extract(fields,'$.AssigneeId') = ? AND json_extract(fields,'$.PermissionSetLicenseId') = ? AND id != ?",
    )
    .get(orgId, String(fields.AssigneeId), String(fields.PermissionSetLicenseId), id);
  if (clash) throw new ApiError(400, 'DUPLICATE_VALUE', 'duplicate value found: this user already has this permission set license');
}
