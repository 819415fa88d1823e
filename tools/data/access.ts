import type { DatabaseSync } from 'node:sqlite';
import type { PermissionSetInfo } from './types.ts';
import { invalidField, invalidType, noSuchColumnOnWrite, ApiError } from './errors.ts';
import { getRecord } from './records.ts';
import { statement } from './statements.ts';

/**
 * Object and field permissions for `WITH USER_MODE` and user-mode DML. The System Administrator
 * profile sees everything ("Modify All Data"); other users get what their profile grants plus the
 * union of their assigned permission sets, as deployed through the Metadata API (the Metadata
 * module's `findPermissionSet`). Setup objects every API user can read are always readable.
 *
 * Where deployed permission sets come from: the platform's Metadata module (its MetadataModule has this member).
 */
export interface PermissionSetSource {
  findPermissionSet?(db: DatabaseSync, orgId: string, name: string): PermissionSetInfo | undefined;
}
let metadata: PermissionSetSource = {};
/** An in-memory org's own source, beside the server's one for its file. */
const metadataOf = new WeakMap<DatabaseSync, PermissionSetSource>();
export function setMetadataModule(m: PermissionSetSource, db?: DatabaseSync): void {
  if (db) metadataOf.set(db, m);
  else metadata = m;
}

export const ADMIN_PROFILE = 'System Administrator';
export const API_ONLY_PROFILE = 'Minimum Access - API Only Integrations';

/**
 * System permissions of the standard profiles, by their Metadata API names (`userPermissions`).
 * System Administrator: everything this platform gates. Standard User: "API Enabled" is on by default
 * (field report, salesforcedictionary.com "API_DISABLED_FOR_ORG"). Minimum Access - API Only
 * Integrations: API only (Help `platform.integration_user.htm`). Minimum Access - Salesforce: none.
 * Mass edits from lists and macros: a Standard-type profile without "Manage Data Privacy" has both (field
 * report: trailheadapps/dreamhouse-lwc's TestPropertyController selects such a profile and passes on
 * Salesforce); "Manage Flow" (ManageInteraction) is an administrator's.
 * Unverified: the exact default lists beyond these gates; a custom profile grants nothing here.
 */
const PROFILE_PERMISSIONS: Record<string, string[]> = {
  [ADMIN_PROFILE]: [
    'ApiEnabled',
    'AuthorApex',
    'ModifyAllData',
    'ViewAllData',
    'ModifyMetadata',
    'CustomizeApplication',
    'ViewSetup',
    'ManageUsers',
    'ManageInteraction',
    'MassInlineEdit',
    'SubmitMacrosAllowed',
  ],
  'Standard User': ['ApiEnabled', 'MassInlineEdit', 'SubmitMacrosAllowed'],
  [API_ONLY_PROFILE]: ['ApiEnabled', 'ApiUserOnly'],
  'Minimum Access - Salesforce': [],
};

/**
 * A profile's system permissions as the boolean fields of its Profile row (`PermissionsModifyAllData`),
 * the form SOQL reads (SOAP API Object Reference, Profile: "Permissions*" fields).
 */
export function profilePermissionFields(profile: string): Record<string, boolean> {
  return Object.fromEntries((PROFILE_PERMISSIONS[profile] ?? []).map((p) => [`Permissions${p}`, true]));
}

/** The user's system permissions: the profile's plus every assigned permission set's. */
export function userPermissionsOf(db: DatabaseSync, orgId: string, userId: string): Set<string> {
  const out = new Set<string>(PROFILE_PERMISSIONS[profileNameOf(db, orgId, userId) ?? ''] ?? []);
  for (const ps of permissionSets(db, orgId, userId)) for (const p of ps.userPermissions) out.add(p);
  return out;
}

export function hasUserPermission(db: DatabaseSync, orgId: string, userId: string, ...anyOf: string[]): boolean {
  const perms = userPermissionsOf(db, orgId, userId);
  return anyOf.some((p) => perms.has(p));
}

/** Apex class access (profile or permission set `classAccesses`); Author Apex / Modify All Data see every class. */
export function hasClassAccess(db: DatabaseSync, orgId: string, userId: string, className: string): boolean {
  if (hasUserPermission(db, orgId, userId, 'ModifyAllData', 'AuthorApex')) return true;
  const lower = className.toLowerCase();
  return permissionSets(db, orgId, userId).some((ps) => ps.classAccesses.some((c) => c.toLowerCase() === lower));
}

/** Field-level security: can the user read this field? (Admins and "View All Data" read every field.) */
export function canReadField(db: DatabaseSync, orgId: string, userId: string, sobject: string, field: string): boolean {
  try {
    checkFieldAccess(db, orgId, userId, sobject, [field]);
    return true;
  } catch {
    return false;
  }
}

/** REST `API_CURRENTLY_DISABLED` (field report: "API_CURRENTLY_DISABLED: API is disabled for this User"; HTTP status unverified, 403 chosen). */
export const apiDisabled = (): ApiError => new ApiError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');

/** Metadata API without Modify All Data / Modify Metadata (field-reported SOAP fault text). */
export const METADATA_ACCESS_MESSAGE =
  'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions';
const ALWAYS_READABLE = new Set(['user', 'profile', 'organization', 'permissionset', 'permissionsetassignment']);
/** The object permissions the Standard User profile has out of the box (read/create/edit, no delete). */
const STANDARD_USER_OBJECTS = new Set(['account', 'contact']);

type Op = 'read' | 'create' | 'edit' | 'delete';

export function profileNameOf(db: DatabaseSync, orgId: string, userId: string): string | undefined {
  const user = getRecord(db, orgId, userId);
  const profile = user ? getRecord(db, orgId, String(user.fields.ProfileId)) : undefined;
  return profile?.fields.Name as string | undefined;
}

/** Names of the permission sets assigned to a user. */
export function permissionSetNamesOf(db: DatabaseSync, orgId: string, userId: string): string[] {
  const rows = db
    .prepare(
      `SELECT json_extract(p.fields,'$.Name') AS name FROM records a JOIN records p ON p.id = json_extract(a.fields,'$.PermissionSetId')
       WHERE a.org_id = ? AND a.sobject = 'PermissionSetAssignment' AND json_extract(a.fields,'$.AssigneeId') = ?`,
    )
    .all(orgId, userId) as { name: string }[];
  return rows.map((r) => r.name);
}

/**
 * The user's permission sets: each as deployed (the Metadata module's), plus the ObjectPermissions and
 * FieldPermissions rows written for it (by Apex, REST or `sf data`), which on Salesforce are the same
 * permissions seen as records (Object Reference: ObjectPermissions, FieldPermissions).
 */
function permissionSets(db: DatabaseSync, orgId: string, userId: string): PermissionSetInfo[] {
  const out: PermissionSetInfo[] = [];
  const assigned = statement(
    db,
    `SELECT p.id AS id, json_extract(p.fields,'$.Name') AS name FROM records a JOIN records p ON p.id = json_extract(a.fields,'$.PermissionSetId')
     WHERE a.org_id = ? AND a.sobject = 'PermissionSetAssignment' AND json_extract(a.fields,'$.AssigneeId') = ?`,
  ).all(orgId, userId) as { id: string; name: string }[];
  for (const { id, name } of assigned) {
    const deployed = (metadataOf.get(db) ?? metadata).findPermissionSet?.(db, orgId, name);
    const rows = statement(
      db,
      "SELECT sobject, fields FROM records WHERE org_id = ? AND sobject IN ('ObjectPermissions', 'FieldPermissions') AND json_extract(fields,'$.ParentId') = ?",
    ).all(orgId, id) as {
      sobject: string;
      fields: string;
    }[];
    if (!rows.length) {
      if (deployed) out.push(deployed);
      continue;
    }
    const info: PermissionSetInfo = deployed
      ? { ...deployed, objectPermissions: { ...deployed.objectPermissions }, fieldPermissions: { ...deployed.fieldPermissions } }
      : { name, label: name, objectPermissions: {}, fieldPermissions: {}, classAccesses: [], userPermissions: [] };
    for (const r of rows) {
      const f = JSON.parse(r.fields) as Record<string, unknown>;
      if (r.sobject === 'ObjectPermissions') {
        info.objectPermissions[String(f.SobjectType)] = {
          read: f.PermissionsRead === true,
          create: f.PermissionsCreate === true,
          edit: f.PermissionsEdit === true,
          delete: f.PermissionsDelete === true,
        };
      } else {
        info.fieldPermissions[String(f.Field)] = {
          readable: f.PermissionsRead === true || f.PermissionsEdit === true,
          editable: f.PermissionsEdit === true,
        };
      }
    }
    out.push(info);
  }
  return out;
}

function lookupCI<T>(map: Record<string, T>, key: string): T | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function hasObjectAccess(db: DatabaseSync, orgId: string, userId: string, sobject: string, op: Op): boolean {
  const profile = profileNameOf(db, orgId, userId);
  if (profile === ADMIN_PROFILE) return true;
  const perms = userPermissionsOf(db, orgId, userId);
  if (perms.has('ModifyAllData') || (op === 'read' && perms.has('ViewAllData'))) return true;
  if (op === 'read' && ALWAYS_READABLE.has(sobject.toLowerCase())) return true;
  if (profile === 'Standard User' && STANDARD_USER_OBJECTS.has(sobject.toLowerCase()) && op !== 'delete') return true;
  if (sobject.endsWith('__mdt') && op === 'read') {
    // Custom metadata types are readable by users with "View Setup"/"Customize Application";
    // USER_MODE on __mdt is allowed for users who can see the type — treat as readable.
    return true;
  }
  return permissionSets(db, orgId, userId).some((ps) => {
    const p = lookupCI(ps.objectPermissions, sobject);
    return !!p && (op === 'read' ? p.read : op === 'create' ? p.create : op === 'edit' ? p.edit : p.delete);
  });
}

export function checkObjectAccess(db: DatabaseSync, orgId: string, userId: string, sobject: string, op: Op): void {
  if (hasObjectAccess(db, orgId, userId, sobject, op)) return;
  if (op === 'read') throw invalidType(sobject);
  throw new ApiError(403, 'INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on object id`);
}

const ALWAYS_FIELDS = new Set([
  'id',
  'name',
  'createddate',
  'lastmodifieddate',
  'systemmodstamp',
  'createdbyid',
  'lastmodifiedbyid',
  'isdeleted',
  'ownerid',
]);

/** Throws INVALID_FIELD for the first field the user cannot read (names as written in the query). */
export function checkFieldAccess(db: DatabaseSync, orgId: string, userId: string, sobject: string, fields: string[]): void {
  const profile = profileNameOf(db, orgId, userId);
  if (profile === ADMIN_PROFILE || ALWAYS_READABLE.has(sobject.toLowerCase()) || sobject.endsWith('__mdt')) return;
  // "View All Data" opens every object's records, not hidden fields: field-level security still applies.
  if (hasUserPermission(db, orgId, userId, 'ModifyAllData')) return;
  if (profile === 'Standard User' && STANDARD_USER_OBJECTS.has(sobject.toLowerCase())) return;
  const sets = permissionSets(db, orgId, userId);
  for (const f of fields) {
    if (ALWAYS_FIELDS.has(f.toLowerCase()) || f.includes('.')) continue;
    const ok = sets.some((ps) => lookupCI(ps.fieldPermissions, `${sobject}.${f}`)?.readable);
    if (!ok) throw invalidField(f, sobject);
  }
}

export function checkFieldEdit(db: DatabaseSync, orgId: string, userId: string, sobject: string, fields: string[]): void {
  const profile = profileNameOf(db, orgId, userId);
  if (profile === ADMIN_PROFILE || hasUserPermission(db, orgId, userId, 'ModifyAllData')) return;
  if (profile === 'Standard User' && STANDARD_USER_OBJECTS.has(sobject.toLowerCase())) return;
  const sets = permissionSets(db, orgId, userId);
  for (const f of fields) {
    if (ALWAYS_FIELDS.has(f.toLowerCase()) || f === 'attributes') continue;
    const granted = sets.map((ps) => lookupCI(ps.fieldPermissions, `${sobject}.${f}`));
    if (granted.some((p) => p?.editable)) continue;
    // A field the user cannot see does not exist for them; one they only read is refused as read-only.
    if (!granted.some((p) => p?.readable)) throw noSuchColumnOnWrite(f, sobject);
    throw new ApiError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${f}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      [f],
    );
  }
}

/** Field-level security of one field for a user, as describe reports it (Apex Schema describe). */
export function fieldPermission(
  db: DatabaseSync,
  orgId: string,
  userId: string,
  sobject: string,
  field: string,
): { read: boolean; edit: boolean } {
  return fieldPermissionsOf(db, orgId, userId, sobject)(field);
}

/** fieldPermission for every field of one object: the user's profile and permission sets are read once (describe). */
export function fieldPermissionsOf(
  db: DatabaseSync,
  orgId: string,
  userId: string,
  sobject: string,
): (field: string) => { read: boolean; edit: boolean } {
  const profile = profileNameOf(db, orgId, userId);
  const all = { read: true, edit: true };
  if (profile === ADMIN_PROFILE || hasUserPermission(db, orgId, userId, 'ModifyAllData')) return () => all;
  if (profile === 'Standard User' && STANDARD_USER_OBJECTS.has(sobject.toLowerCase())) return () => all;
  const sets = permissionSets(db, orgId, userId);
  return (field) => {
    if (ALWAYS_FIELDS.has(field.toLowerCase())) return all;
    let read = false;
    let edit = false;
    for (const ps of sets) {
      const p = lookupCI(ps.fieldPermissions, `${sobject}.${field}`);
      read ||= !!p?.readable || !!p?.editable;
      edit ||= !!p?.editable;
    }
    return { read, edit };
  };
}

/** A deployed permission set's permissions by name (the Metadata module's), for rules outside this file. */
export function permissionSetInfo(db: DatabaseSync, orgId: string, name: string): PermissionSetInfo | undefined {
  return (metadataOf.get(db) ?? metadata).findPermissionSet?.(db, orgId, name);
}
