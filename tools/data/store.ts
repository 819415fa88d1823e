import { DatabaseSync } from '../core/sqlite.ts';
import { statement } from './statements.ts';
import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgInfo, RecordStore } from './types.ts';
import { newId, to15, to18, isValidId } from './ids.ts';
import { ApiError, invalidField, invalidType, noSuchColumnOnWrite, notFound } from './errors.ts';
import { checkAssignmentLicense, checkLicenseAssignment } from './licenses.ts';
import { checkUniqueFields } from './uniqueFields.ts';
import {
  findField,
  getObjectDef,
  inferType,
  isMetadataRelationship,
  maxLength,
  registerObject,
  type FieldDef,
  type ObjectDef,
} from './schema.ts';

/**
 * The platform's state: one SQLite file. Orgs, OAuth apps and tokens have their own tables; every
 * sObject record (users, profiles, accounts, scratch org infos, …) lives in one `records` table as
 * JSON so SOQL can run over any object with json_extract. Every write goes through `tx` so a bad
 * request never leaves half its changes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('devhub','scratch')),
  port INTEGER NOT NULL, instance_url TEXT NOT NULL, edition TEXT NOT NULL,
  features TEXT NOT NULL DEFAULT '[]', settings TEXT NOT NULL DEFAULT '{}',
  hub_id TEXT, status TEXT NOT NULL DEFAULT 'Active', created_at TEXT NOT NULL, expires_at TEXT
);
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, sobject TEXT NOT NULL, fields TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_object ON records (org_id, sobject);
CREATE TABLE IF NOT EXISTS recycle_bin (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, sobject TEXT NOT NULL, fields TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sobject_fields (
  org_id TEXT NOT NULL, sobject TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, reference_to TEXT,
  PRIMARY KEY (org_id, sobject, name)
);
CREATE TABLE IF NOT EXISTS oauth_apps (
  org_id TEXT NOT NULL, consumer_key TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  certificate_pem TEXT, admin_approved INTEGER NOT NULL, profiles TEXT NOT NULL, permission_sets TEXT NOT NULL,
  deployed_at INTEGER NOT NULL, session_timeout_minutes INTEGER,
  PRIMARY KEY (org_id, consumer_key)
);
CREATE TABLE IF NOT EXISTS tokens (
  hash TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('access','refresh','code')),
  org_id TEXT NOT NULL, user_id TEXT NOT NULL, client_id TEXT, expires_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0
);
-- Deactivating or freezing a user ends its OAuth tokens at once, whoever writes the row (REST, Apex, Setup).
CREATE TRIGGER IF NOT EXISTS tokens_end_on_deactivate AFTER UPDATE OF fields ON records
WHEN NEW.sobject = 'User' AND json_extract(NEW.fields, '$.IsActive') = 0
BEGIN UPDATE tokens SET revoked = 1 WHERE org_id = NEW.org_id AND user_id = NEW.id AND revoked = 0; END;
CREATE TRIGGER IF NOT EXISTS tokens_end_on_freeze AFTER UPDATE OF fields ON records
WHEN NEW.sobject = 'UserLogin' AND json_extract(NEW.fields, '$.IsFrozen') = 1
BEGIN UPDATE tokens SET revoked = 1 WHERE org_id = NEW.org_id AND user_id = json_extract(NEW.fields, '$.UserId') AND revoked = 0; END;
CREATE TABLE IF NOT EXISTS cache_entries (
  org_id TEXT NOT NULL, partition TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, size INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, partition, key)
);
`;

export function openDatabase(home: string): DatabaseSync {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = join(home, 'platform.db');
  const db = new DatabaseSync(file);
  // WAL + synchronous=NORMAL: a crash can lose the last commits but never corrupts the file.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  prepareSchema(db);
  try {
    chmodSync(file, 0o600);
  } catch {
    /* best effort */
  }
  return db;
}

/** The same engine on `:memory:`: an org that lives as long as the process (the Apex tests, apex-test). */
export function openMemoryDatabase(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('PRAGMA foreign_keys = ON;');
  prepareSchema(db);
  return db;
}

function prepareSchema(db: DatabaseSync): void {
  db.exec(SCHEMA);
  // SOQL's NUL-safe text comparisons (soql.ts): SQLite's text functions stop at a NUL, so the value comes as bytes.
  const utf8 = new TextDecoder();
  db.function('sf_text', { deterministic: true }, (v) => (v instanceof Uint8Array ? utf8.decode(v).replaceAll('\0', '\uE000') : v));
}

let savepoints = 0;
/** Runs `fn` atomically; inside an open transaction it nests with a savepoint so library calls compose. */
export function tx<T>(db: DatabaseSync, fn: () => T): T {
  const outer = !db.isTransaction;
  const name = `sp${++savepoints}`;
  db.exec(outer ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`);
  try {
    const result = fn();
    db.exec(outer ? 'COMMIT' : `RELEASE ${name}`);
    return result;
  } catch (e) {
    if (db.isTransaction) db.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`);
    throw e;
  }
}

export function nowIso(d = new Date()): string {
  // Salesforce's REST datetime format: 2024-01-31T10:20:30.000+0000
  return d.toISOString().replace('Z', '+0000');
}

interface OrgRow {
  id: string;
  name: string;
  kind: 'devhub' | 'scratch';
  port: number;
  instance_url: string;
  edition: string;
  features: string;
  settings: string;
  hub_id: string | null;
  status: string;
  created_at: string;
  expires_at: string | null;
}

export function rowToOrg(r: OrgRow): OrgInfo & { hubId?: string; status: string; createdAt: string; expiresAt?: string } {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    instanceUrl: r.instance_url,
    port: r.port,
    edition: r.edition,
    features: JSON.parse(r.features),
    settings: JSON.parse(r.settings),
    hubId: r.hub_id ?? undefined,
    status: r.status,
    createdAt: r.created_at,
    expiresAt: r.expires_at ?? undefined,
  };
}

export type StoredOrg = ReturnType<typeof rowToOrg>;

export function getOrg(db: DatabaseSync, id: string): StoredOrg | undefined {
  const r = statement(db, 'SELECT * FROM orgs WHERE id = ?').get(to18(id)) as OrgRow | undefined;
  return r ? rowToOrg(r) : undefined;
}

export function listOrgs(db: DatabaseSync, status = 'Active'): StoredOrg[] {
  return (db.prepare('SELECT * FROM orgs WHERE status = ? ORDER BY created_at').all(status) as unknown as OrgRow[]).map(rowToOrg);
}

export function getDevHub(db: DatabaseSync): StoredOrg | undefined {
  const r = db.prepare("SELECT * FROM orgs WHERE kind = 'devhub' LIMIT 1").get() as OrgRow | undefined;
  return r ? rowToOrg(r) : undefined;
}

export function insertOrg(db: DatabaseSync, org: OrgInfo & { hubId?: string; expiresAt?: string }): void {
  db.prepare(
    'INSERT INTO orgs (id, name, kind, port, instance_url, edition, features, settings, hub_id, status, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
  ).run(
    org.id,
    org.name,
    org.kind,
    org.port,
    org.instanceUrl,
    org.edition,
    JSON.stringify(org.features),
    JSON.stringify(org.settings),
    org.hubId ?? null,
    'Active',
    nowIso(),
    org.expiresAt ?? null,
  );
}

/**
 * Merges Metadata API `*Settings` (camelCase, as in a scratch definition) into an org's recorded
 * settings. The Metadata module calls this when it deploys a Settings component.
 */
export function updateOrgSettings(db: DatabaseSync, orgId: string, patch: Record<string, unknown>): void {
  tx(db, () => {
    const org = getOrg(db, orgId);
    if (!org) throw notFound(`No org ${orgId}`);
    const merged = { ...org.settings };
    for (const [k, v] of Object.entries(patch)) {
      merged[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...((merged[k] as object) ?? {}), ...(v as object) } : v;
    }
    db.prepare('UPDATE orgs SET settings = ? WHERE id = ?').run(JSON.stringify(merged), org.id);
  });
}

export { getRecord, type StoredRecord } from './records.ts';
import { getRecord, type StoredRecord } from './records.ts';

export function orgKind(db: DatabaseSync, orgId: string): 'devhub' | 'scratch' {
  // Asked for every record the store writes or reads: the kind alone, not the whole org row (JSON settings).
  const r = statement(db, 'SELECT kind FROM orgs WHERE id = ?').get(to18(orgId)) as { kind: string } | undefined;
  return (r?.kind ?? 'scratch') as 'devhub' | 'scratch';
}

export function objectDef(db: DatabaseSync, orgId: string, sobject: string): ObjectDef {
  const def = getObjectDef(db, orgId, orgKind(db, orgId), sobject);
  if (!def) throw invalidType(sobject);
  return def;
}

/**
 * Salesforce refuses an over-long value: `STRING_TOO_LONG` "<field>: data value too large: <value> (max
 * length=N)" (REST; Apex DML raises the same). Platform writes (trusted) are not limited here.
 */
function checkLength(def: ObjectDef, fd: FieldDef, value: unknown): void {
  const max = maxLength(fd); // as describe reports it (describe.ts)
  if (max === undefined || typeof value !== 'string' || value.length <= max) return;
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  throw new ApiError(400, 'STRING_TOO_LONG', `${def.label} ${fd.name}: data value too large: ${shown} (max length=${max})`, [fd.name]);
}

/** Converts an incoming JSON value to the stored representation for a field type, or throws. */
function coerce(def: ObjectDef, name: string, value: unknown, trusted = false): unknown {
  const fd = findField(def, name)!;
  if (value === null || value === undefined || value === '') return null;
  const bad = () =>
    new ApiError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${fd.name}: value not of required type: ${JSON.stringify(value)}`, [fd.name]);
  switch (fd.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw bad();
    case 'int':
    case 'double':
    case 'currency': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw bad();
      return fd.type === 'int' ? Math.trunc(n) : n;
    }
    case 'time': {
      // The API's form of a Time value: HH:mm:ss.SSSZ (REST returns it so; Apex DML sends it so)
      const t = typeof value === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(value) : null;
      if (!t || Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3] ?? 0) > 59) throw bad();
      return `${t[1]}:${t[2]}:${t[3] ?? '00'}.${(t[4] ?? '').padEnd(3, '0')}Z`;
    }
    case 'datetime':
      // a Date written to a Datetime field (Apex converts it implicitly) is that day's midnight, GMT
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : String(value);
    case 'reference':
    case 'id':
      // A custom metadata record names its related record by DeveloperName; linkMetadataRelationships makes it an Id.
      if (trusted && typeof value === 'string' && isMetadataRelationship(def, fd)) return value;
      if (typeof value !== 'string' || !isValidId(value)) {
        throw new ApiError(400, 'MALFORMED_ID', `${fd.name}: id value of incorrect type: ${String(value)}`, [fd.name]);
      }
      return to18(value);
    default:
      if (typeof value === 'object') throw bad();
      return String(value);
  }
}

function computedFields(sobject: string, fields: Record<string, unknown>): void {
  if (sobject === 'User' || sobject === 'Contact') {
    fields.Name = [fields.FirstName, fields.LastName].filter((x) => x).join(' ');
  }
  // Activities: not archived until the platform archives them; a task's closed and high-priority flags follow
  // its Status and Priority (the default closed status is Completed; SOAP API Object Reference, Task).
  if (sobject === 'Task' || sobject === 'Event') fields.IsArchived ??= false;
  if (sobject === 'Task') {
    fields.IsClosed = fields.Status === 'Completed';
    fields.IsHighPriority = fields.Priority === 'High';
  }
}

export interface WriteOptions {
  userId?: string;
  /** Fields the platform itself sets (Status on ScratchOrgInfo, …) bypass the system-field check. */
  trusted?: boolean;
  /**
   * Apex DML: an update may carry read-only fields (CreatedDate, MasterRecordId …) the record was queried
   * with; a value equal to the stored one is no write and is skipped, as Apex skips it. A changed value
   * still fails. The API refuses even an unchanged one, so only the Apex host sets this.
   */
  skipUnchangedReadOnly?: boolean;
}

/** Whether a written value is the one the record already holds (after coercion to the field's type). */
function unchanged(def: ObjectDef, name: string, stored: unknown, written: unknown): boolean {
  const w = coerce(def, name, written, true);
  const s = stored === undefined ? null : stored;
  if (w === null || s === null) return w === s;
  return String(w) === String(s) || (typeof w === 'string' && typeof s === 'string' && Date.parse(w) === Date.parse(s));
}

/**
 * Copies the caller's values onto `fields` by their canonical names, coerced to the field types;
 * unknown fields and system fields (unless trusted) fail as Salesforce fails them. An update names
 * its record by Id, so there Id is skipped; an insert that sets it fails like any system field.
 */
function applyInput(
  def: ObjectDef,
  fields: Record<string, unknown>,
  input: Record<string, unknown>,
  opts: WriteOptions,
  isUpdate: boolean,
): Record<string, unknown> {
  for (const [k, v] of Object.entries(input)) {
    if (k === 'attributes' || (isUpdate && k === 'Id')) continue;
    const fd = findField(def, k);
    if (!fd) {
      if (def.open) {
        fields[k] = v;
        continue;
      }
      throw noSuchColumnOnWrite(k, def.name, !def.custom);
    }
    if (fd.system && !opts.trusted && isUpdate && opts.skipUnchangedReadOnly && unchanged(def, fd.name, fields[fd.name], v)) continue;
    if (fd.system && !opts.trusted) {
      throw new ApiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${fd.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [fd.name],
      );
    }
    fields[fd.name] = coerce(def, fd.name, v, opts.trusted);
    if (!opts.trusted) checkLength(def, fd, fields[fd.name]);
  }
  return fields;
}

/** Validates and inserts one record; returns its 18-character Id. Call inside `tx`. */
export function insertRecord(
  db: DatabaseSync,
  orgId: string,
  sobject: string,
  input: Record<string, unknown>,
  opts: WriteOptions = {},
): string {
  const def = objectDef(db, orgId, sobject);
  const fields = applyInput(def, {}, input, opts, false);
  const missing = def.fields
    .filter((fd) => fd.required && (fields[fd.name] === undefined || fields[fd.name] === null))
    .map((fd) => fd.name);
  if (missing.length) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  // A checkbox is never null on Salesforce: false unless the field defaults to true (User.IsActive).
  for (const fd of def.fields) {
    if (fd.type === 'boolean' && !fd.system && fields[fd.name] === undefined)
      fields[fd.name] = def.name === 'User' && fd.name === 'IsActive';
  }
  const id = (opts.trusted && typeof input.Id === 'string' ? input.Id : undefined) ?? newId(def.name);
  const now = nowIso();
  fields.Id = id;
  if (findField(def, 'CreatedDate')) {
    fields.CreatedDate ??= now;
    fields.LastModifiedDate = now;
    fields.SystemModstamp = now;
    fields.IsDeleted = false;
    if (opts.userId) {
      fields.CreatedById ??= opts.userId;
      fields.LastModifiedById = opts.userId;
    }
  }
  if (findField(def, 'OwnerId') && !fields.OwnerId && opts.userId) fields.OwnerId = opts.userId;
  computedFields(def.name, fields);
  checkUnique(db, orgId, def.name, fields, id);
  checkUniqueFields(db, orgId, def, fields, id);
  statement(db, 'INSERT INTO records (id, org_id, sobject, fields, created_at, updated_at) VALUES (?,?,?,?,?,?)').run(
    id,
    orgId,
    def.name,
    JSON.stringify(fields),
    now,
    now,
  );
  // Every user has its UserLogin row (where an admin freezes it), as on Salesforce.
  if (def.name === 'User')
    insertRecord(db, orgId, 'UserLogin', { UserId: id, IsFrozen: false, IsPasswordLocked: false }, { trusted: true });
  return id;
}

function checkUnique(db: DatabaseSync, orgId: string, sobject: string, fields: Record<string, unknown>, id: string): void {
  if (sobject === 'User' && typeof fields.Username === 'string') {
    // Usernames are unique across every org, as on Salesforce.
    const clash = statement(
      db,
      "SELECT id FROM records WHERE sobject = 'User' AND lower(json_extract(fields,'$.Username')) = lower(?) AND id != ?",
    ).get(fields.Username, id);
    if (clash)
      throw new ApiError(
        400,
        'DUPLICATE_USERNAME',
        "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
        ['Username'],
      );
    fields.Username = fields.Username.toLowerCase();
  }
  if (sobject === 'PermissionSetAssignment') {
    const clash = statement(
      db,
      "SELECT id FROM records WHERE org_id = ? AND sobject = 'PermissionSetAssignment' AND json_extract(fields,'$.AssigneeId') = ? AND json_extract(fields,'$.PermissionSetId') = ? AND id != ?",
    ).get(orgId, fields.AssigneeId as string, fields.PermissionSetId as string, id);
    if (clash)
      throw new ApiError(
        400,
        'DUPLICATE_VALUE',
        `Duplicate PermissionSetAssignment. Assignee: ${String(fields.AssigneeId)}; Permission Set: ${String(fields.PermissionSetId)}`,
      );
    checkAssignmentLicense(db, orgId, fields);
  }
  if (sobject === 'PermissionSetLicenseAssign') checkLicenseAssignment(db, orgId, fields, id);
  if (sobject === 'PermissionSet' && typeof fields.Name === 'string') {
    const clash = statement(
      db,
      "SELECT id FROM records WHERE org_id = ? AND sobject = 'PermissionSet' AND json_extract(fields,'$.Name') = ? AND id != ?",
    ).get(orgId, fields.Name, id);
    if (clash)
      throw new ApiError(400, 'DUPLICATE_DEVELOPER_NAME', 'The API Name you entered is already in use. Enter a unique name.', ['Name']);
  }
}

export function updateRecord(
  db: DatabaseSync,
  orgId: string,
  sobject: string | undefined,
  id: string,
  input: Record<string, unknown>,
  opts: WriteOptions = {},
): void {
  const existing = getRecord(db, orgId, id);
  if (!existing || (sobject && existing.sobject.toLowerCase() !== sobject.toLowerCase()))
    throw notFound('Provided external ID field does not exist or is not accessible: ' + id);
  const def = objectDef(db, orgId, existing.sobject);
  const fields = applyInput(def, { ...existing.fields }, input, opts, true);
  // an update that empties a required field fails as an insert without it does (an empty string is null)
  const named = new Set(Object.keys(input).map((k) => k.toLowerCase()));
  const emptied = def.fields
    .filter((fd) => fd.required && named.has(fd.name.toLowerCase()) && (fields[fd.name] === undefined || fields[fd.name] === null))
    .map((fd) => fd.name);
  if (emptied.length) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${emptied.join(', ')}]`, emptied);
  const now = nowIso();
  if (findField(def, 'LastModifiedDate')) {
    fields.LastModifiedDate = now;
    fields.SystemModstamp = now;
    if (opts.userId) fields.LastModifiedById = opts.userId;
  }
  computedFields(def.name, fields);
  checkUnique(db, orgId, def.name, fields, existing.id);
  checkUniqueFields(db, orgId, def, fields, existing.id);
  statement(db, 'UPDATE records SET fields = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(fields), now, existing.id);
}

export function deleteRecord(db: DatabaseSync, orgId: string, sobject: string | undefined, id: string): StoredRecord {
  const existing = getRecord(db, orgId, id);
  if (!existing || (sobject && existing.sobject.toLowerCase() !== sobject.toLowerCase())) {
    throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  }
  moveToRecycleBin(db, existing.id);
  return existing;
}

/**
 * Deleted records go to the recycle bin with IsDeleted = true, where `ALL ROWS`, queryAll and
 * undelete find them (Salesforce keeps them 15 days; here until the org is deleted).
 */
export function moveToRecycleBin(db: DatabaseSync, id: string): void {
  statement(
    db,
    "INSERT OR REPLACE INTO recycle_bin (id, org_id, sobject, fields, created_at, updated_at, deleted_at) SELECT id, org_id, sobject, json_set(fields, '$.IsDeleted', json('true')), created_at, updated_at, ? FROM records WHERE id = ?",
  ).run(nowIso(), id);
  statement(db, 'DELETE FROM records WHERE id = ?').run(id);
}

/** A record in the recycle bin, by 15- or 18-character Id. */
export function getDeletedRecord(db: DatabaseSync, orgId: string, id: string): StoredRecord | undefined {
  if (!isValidId(id)) return undefined;
  const r = statement(db, 'SELECT id, sobject, fields FROM recycle_bin WHERE org_id = ? AND substr(id,1,15) = ?').get(orgId, to15(id)) as
    { id: string; sobject: string; fields: string } | undefined;
  return r ? { id: r.id, sobject: r.sobject, fields: JSON.parse(r.fields) } : undefined;
}

/**
 * Undelete: the record comes back from the recycle bin with IsDeleted = false. A live record fails
 * with UNDELETE_FAILED "Entity is not in the recycle bin", an unknown Id with
 * INVALID_CROSS_REFERENCE_KEY, as Salesforce answers.
 */
export function undeleteRecord(db: DatabaseSync, orgId: string, id: string): StoredRecord {
  const deleted = getDeletedRecord(db, orgId, id);
  if (!deleted) {
    if (getRecord(db, orgId, id)) throw new ApiError(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
    throw new ApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  }
  statement(
    db,
    "INSERT INTO records (id, org_id, sobject, fields, created_at, updated_at) SELECT id, org_id, sobject, json_set(fields, '$.IsDeleted', json('false')), created_at, updated_at FROM recycle_bin WHERE id = ?",
  ).run(deleted.id);
  statement(db, 'DELETE FROM recycle_bin WHERE id = ?').run(deleted.id);
  return { ...deleted, fields: { ...deleted.fields, IsDeleted: false } };
}

/** The RecordStore of the contracts: what the Metadata and Apex modules use to write sObject rows. */
export function createRecordStore(db: DatabaseSync): RecordStore {
  const ensureObject = (orgId: string, sobject: string, fields: Record<string, unknown>) => {
    if (getObjectDef(db, orgId, orgKind(db, orgId), sobject)) {
      const def = getObjectDef(db, orgId, orgKind(db, orgId), sobject)!;
      if (!def.custom) return;
      const unknown = Object.keys(fields).filter((k) => k !== 'attributes' && !findField(def, k));
      if (unknown.length)
        registerObject(
          db,
          orgId,
          def.name,
          unknown.map((k) => ({ name: k, type: inferType(fields[k]) })),
        );
      return;
    }
    if (!/__(c|mdt)$/.test(sobject)) throw invalidType(sobject);
    registerObject(
      db,
      orgId,
      sobject,
      Object.keys(fields)
        .filter((k) => k !== 'attributes')
        .map((k) => ({ name: k, type: inferType(fields[k]) })),
    );
  };
  const find = (orgId: string, sobject: string, field: string, value: unknown) => {
    const def = getObjectDef(db, orgId, orgKind(db, orgId), sobject);
    if (!def) return undefined;
    const fd = findField(def, field);
    if (!fd) return undefined;
    const r = (
      fd.name === 'Id'
        ? statement(db, 'SELECT fields FROM records WHERE org_id = ? AND sobject = ? AND substr(id,1,15) = ?').get(
            orgId,
            def.name,
            to15(String(value)),
          )
        : statement(db, `SELECT fields FROM records WHERE org_id = ? AND sobject = ? AND json_extract(fields, ?) = ?`).get(
            orgId,
            def.name,
            `$.${fd.name}`,
            value as string,
          )
    ) as { fields: string } | undefined;
    return r ? JSON.parse(r.fields) : undefined;
  };
  return {
    upsert(orgId, sobject, keyField, fields) {
      return tx(db, () => {
        ensureObject(orgId, sobject, fields);
        const existing = find(orgId, sobject, keyField, fields[keyField]);
        if (existing) {
          updateRecord(db, orgId, sobject, existing.Id as string, fields, { trusted: true });
          return existing.Id as string;
        }
        return insertRecord(db, orgId, sobject, fields, { trusted: true });
      });
    },
    deleteWhere(orgId, sobject, field, value) {
      return tx(db, () => {
        const def = getObjectDef(db, orgId, orgKind(db, orgId), sobject);
        if (!def) return 0;
        const fd = findField(def, field);
        if (!fd) throw invalidField(field, def.name, !def.custom);
        const res = statement(db, 'DELETE FROM records WHERE org_id = ? AND sobject = ? AND json_extract(fields, ?) = ?').run(
          orgId,
          def.name,
          `$.${fd.name}`,
          value as string,
        );
        return Number(res.changes);
      });
    },
    find,
  };
}
