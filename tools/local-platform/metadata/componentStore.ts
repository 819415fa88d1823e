/** Reads and deletes stored components (md_components) — the org's deployed metadata. */
import type { DatabaseSync } from 'node:sqlite';
import type { RecordStore } from '../http/contracts.ts';
import type { StoredComponent } from './types/handler.ts';

interface Row {
  type: string;
  full_name: string;
  files: string;
  data: string;
  created_at: number;
  updated_at: number;
}

function toStored(r: Row): StoredComponent {
  return {
    type: r.type,
    fullName: r.full_name,
    files: JSON.parse(r.files),
    data: JSON.parse(r.data),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getStoredComponent(db: DatabaseSync, orgId: string, type: string, fullName: string): StoredComponent | undefined {
  const r = db.prepare('SELECT * FROM md_components WHERE org_id = ? AND type = ? AND full_name = ?').get(orgId, type, fullName) as
    Row | undefined;
  return r ? toStored(r) : undefined;
}

export function listStoredComponents(db: DatabaseSync, orgId: string, type?: string): StoredComponent[] {
  const rows = (type
    ? db.prepare('SELECT * FROM md_components WHERE org_id = ? AND type = ? ORDER BY full_name').all(orgId, type)
    : db.prepare('SELECT * FROM md_components WHERE org_id = ? ORDER BY type, full_name').all(orgId)) as unknown as Row[];
  return rows.map(toStored);
}

/** Removes a component and what it put elsewhere (sObject rows, keys, consumer keys). Call inside a transaction. */
export function deleteStoredComponent(db: DatabaseSync, records: RecordStore, orgId: string, type: string, fullName: string): boolean {
  const stored = getStoredComponent(db, orgId, type, fullName);
  if (!stored) return false;
  db.prepare('DELETE FROM md_components WHERE org_id = ? AND type = ? AND full_name = ?').run(orgId, type, fullName);
  db.prepare('DELETE FROM md_consumer_keys WHERE org_id = ? AND type = ? AND full_name = ?').run(orgId, type, fullName);
  if (type === 'Certificate') db.prepare('DELETE FROM md_certificate_keys WHERE org_id = ? AND dev_name = ?').run(orgId, fullName);
  if (type === 'ApexClass') records.deleteWhere(orgId, 'ApexClass', 'Name', fullName);
  if (type === 'ApexTrigger') records.deleteWhere(orgId, 'ApexTrigger', 'Name', fullName);
  if (type === 'PermissionSet') records.deleteWhere(orgId, 'PermissionSet', 'Name', fullName);
  if (type === 'CustomMetadata') {
    const d = stored.data as { type?: string; developerName?: string };
    if (d.type && d.developerName) records.deleteWhere(orgId, d.type, 'DeveloperName', d.developerName);
  }
  return true;
}
