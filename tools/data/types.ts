/** Shapes the data engine shares with the platform above it (re-exported by tools/local-platform/http/contracts.ts). */
export interface OrgInfo {
  id: string; // 00D… (18 chars)
  name: string;
  kind: 'devhub' | 'scratch';
  instanceUrl: string; // http://127.0.0.1:<port>
  port: number;
  edition: string;
  features: string[];
  settings: Record<string, unknown>;
}

/** sObject rows that other parts write (PermissionSet, ApexClass, custom metadata records, …). */
export interface RecordStore {
  /** Inserts or updates the record whose `keyField` equals `fields[keyField]`; returns its Id. */
  upsert(orgId: string, sobject: string, keyField: string, fields: Record<string, unknown>): string;
  deleteWhere(orgId: string, sobject: string, field: string, value: unknown): number;
  find(orgId: string, sobject: string, field: string, value: unknown): Record<string, unknown> | undefined;
}

export interface PermissionSetInfo {
  name: string;
  label: string;
  objectPermissions: Record<string, { read: boolean; create: boolean; edit: boolean; delete: boolean }>;
  /** `Account.Name` → readable/editable */
  fieldPermissions: Record<string, { readable: boolean; editable: boolean }>;
  classAccesses: string[];
  userPermissions: string[]; // e.g. ApiEnabled
}
