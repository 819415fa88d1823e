/**
 * A small in-memory ApexHost for the runtime's own tests, the `apex-test` command and benchmarks:
 * records in maps, a SOQL subset evaluated over them (fields, parent fields, child subqueries,
 * WHERE with AND/OR/NOT, =, !=, <, >, <=, >=, LIKE, IN, NOT IN, binds, ORDER BY, LIMIT, OFFSET,
 * aggregates with GROUP BY/HAVING, ALL ROWS), a recycle bin for undelete, nested begin/rollback
 * snapshots, a cache, real signing with PEM keys, and callouts through a handler (real HTTP by default).
 */
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { ApexClassSource, ApexHost, ApexTriggerSource, ApexUser, HttpCallout, HttpCalloutResult, QueryOptions, SObjectDescribe, SObjectRecord } from './host.ts';
import { aggregateRecords, isAggregateQuery, isPlainCount } from '../data/aggregate.ts';
import { childRelationshipsOf, describeObject, type ObjectAccess, type SchemaObject } from './describe.ts';
import { STANDARD_OBJECTS } from '../data/schema.ts';
import { dateLiteralRange } from '../data/soql.ts';
import { KEY_PREFIXES } from '../data/ids.ts';
import { MORE_STANDARD_PROFILES, STANDARD_PRICEBOOK, USER_LICENSES } from './standardRows.ts';

type Rec = Record<string, unknown> & { Id: string };
/** soql-parser-js takes ~100 ms per parse; queries repeat, so parses are kept. */
const parsedQueries = new Map<string, any>();  

export interface MemoryHostOptions {
  orgId?: string;
  instanceUrl?: string;
  user?: Partial<ApexUser>;
  classes?: ApexClassSource[];
  triggers?: ApexTriggerSource[];
  /** Lookups of the project's objects: parent → child relationship (`Things__r` → Thing__c.Parent__c). */
  childRelationships?: ChildRelationship[];
  /** certificate developer name → PEM private key */
  certificates?: Record<string, string>;
  /** Capacity of partition-less (default partition) keys. */
  cacheCapacityMb?: number;
  /** Deployed cache partitions: name (without `local.`) → org capacity in MB. */
  cachePartitions?: Record<string, number>;
  /** Deployed cache partitions: name → session capacity in MB. */
  sessionPartitions?: Record<string, number>;
  callout?: (req: HttpCallout) => Promise<HttpCalloutResult>;
  /** Custom objects, and custom fields of standard objects, beside the platform's standard objects (describe). */
  objects?: SchemaObject[];
  /** Custom labels: full name → value (System.Label). */
  labels?: Record<string, string>;
}

export interface ChildRelationship {
  parent: string;
  name: string;
  child: string;
  field: string;
}

/** Standard parent-to-child relationships (the project's own lookups come from MemoryHostOptions). */
const STANDARD_CHILDREN: ChildRelationship[] = [
  ['Account', 'Contacts', 'Contact', 'AccountId'], ['Account', 'Opportunities', 'Opportunity', 'AccountId'], ['Account', 'Cases', 'Case', 'AccountId'],
  ['Account', 'ChildAccounts', 'Account', 'ParentId'], ['Account', 'Tasks', 'Task', 'WhatId'], ['Account', 'Events', 'Event', 'WhatId'],
  ['Account', 'Notes', 'Note', 'ParentId'], ['Account', 'Attachments', 'Attachment', 'ParentId'], ['Account', 'AccountContactRelations', 'AccountContactRelation', 'AccountId'],
  ['Contact', 'Cases', 'Case', 'ContactId'], ['Contact', 'Tasks', 'Task', 'WhoId'], ['Contact', 'Events', 'Event', 'WhoId'], ['Contact', 'OpportunityContactRoles', 'OpportunityContactRole', 'ContactId'],
  ['Opportunity', 'OpportunityLineItems', 'OpportunityLineItem', 'OpportunityId'], ['Opportunity', 'OpportunityContactRoles', 'OpportunityContactRole', 'OpportunityId'],
  ['Opportunity', 'Tasks', 'Task', 'WhatId'], ['Case', 'CaseComments', 'CaseComment', 'ParentId'], ['Case', 'Tasks', 'Task', 'WhatId'],
  ['User', 'PermissionSetAssignments', 'PermissionSetAssignment', 'AssigneeId'], ['PermissionSet', 'Assignments', 'PermissionSetAssignment', 'PermissionSetId'],
  ['Profile', 'Users', 'User', 'ProfileId'],
].map(([parent, name, child, field]) => ({ parent, name, child, field }));

const KEY_PREFIX = new Map(Object.entries(KEY_PREFIXES).map(([k, v]) => [k.toLowerCase(), v]));

/** Standard objects of a scratch org (the platform's list) merged with the project's objects and fields. */
function mergeSchema(extra: SchemaObject[]): SchemaObject[] {
  const out = new Map<string, SchemaObject>();
  for (const o of STANDARD_OBJECTS) if (!o.devHubOnly) out.set(o.name.toLowerCase(), { ...o, custom: false, fields: [...o.fields] });
  for (const o of extra) {
    const std = out.get(o.name.toLowerCase());
    if (std) std.fields.push(...o.fields.filter((x) => !std.fields.some((y) => y.name.toLowerCase() === x.name.toLowerCase())));
    else out.set(o.name.toLowerCase(), { ...o, fields: [...o.fields] });
  }
  return [...out.values()];
}

/** Turns an Apex/SOQL LIKE pattern into a case-insensitive RegExp. */
function likeToRegex(p: string): RegExp {
  return new RegExp('^' + p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');
}

function literal(value: unknown, type: string): unknown {
  if (Array.isArray(value)) return value.map((v) => literal(v, type));
  if (type === 'NULL') return null;
  if (type === 'STRING' && typeof value === 'string') return value.replace(/^'(.*)'$/s, '$1').replace(/\\'/g, "'");
  if (type === 'INTEGER' || type === 'DECIMAL') return Number(value);
  if (type === 'BOOLEAN') return String(value).toUpperCase() === 'TRUE';
  return value;
}

const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/** Datetimes are stored as `…+0000` and bound as `…Z` (toPlain): compare them as instants, not as text. */
function instant(v: unknown): number | undefined {
  return typeof v === 'string' && DATETIME_TEXT.test(v) ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : undefined;
}

/** A Date or Datetime field against a date literal (YESTERDAY, LAST_N_QUARTERS:2), as the SQLite engine reads them. */
function inDateLiteral(v: unknown, op: string, literal: string): boolean {
  const [start, end] = dateLiteralRange(literal);
  const at = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(v + 'T00:00:00Z') : instant(v);
  if (at === undefined) return op === '!=' || op === '<>';
  switch (op) {
    case '=': return at >= start.getTime() && at < end.getTime();
    case '!=': case '<>': return at < start.getTime() || at >= end.getTime();
    case '<': return at < start.getTime();
    case '<=': return at < end.getTime();
    case '>': return at >= end.getTime();
    case '>=': return at >= start.getTime();
  }
  throw new Error(`operator ${op} cannot be used with ${literal}`);
}

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const ia = instant(a);
  const ib = instant(b);
  if (ia !== undefined && ib !== undefined) return ia < ib ? -1 : ia > ib ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

 
type WhereToken = { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' } | { kind: 'cond'; cond: any };

/** A WHERE chain of soql-parser-js as tokens: parentheses (from openParen/closeParen), conditions, AND/OR/NOT. */
 
function whereTokens(w: any, out: WhereToken[] = []): WhereToken[] {
  if (!w) return out;
  const left = w.left;
  for (let n = 0; n < (left?.openParen ?? 0); n++) out.push({ kind: '(' });
  if (w.operator === 'NOT' && (!left || left.field === undefined)) {
    out.push({ kind: 'NOT' });
    for (let n = 0; n < (left?.closeParen ?? 0); n++) out.push({ kind: ')' });
    return whereTokens(w.right, out);
  }
  if (left) out.push({ kind: 'cond', cond: left });
  for (let n = 0; n < (left?.closeParen ?? 0); n++) out.push({ kind: ')' });
  if (w.right) {
    out.push({ kind: String(w.operator).toUpperCase() === 'OR' ? 'OR' : 'AND' });
    whereTokens(w.right, out);
  }
  return out;
}

function eq(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const ia = instant(a);
    const ib = instant(b);
    if (ia !== undefined && ib !== undefined) return ia === ib;
    if (/^[a-zA-Z0-9]{15,18}$/.test(a) && /^[a-zA-Z0-9]{15,18}$/.test(b)) return a.slice(0, 15) === b.slice(0, 15);
    return a.toLowerCase() === b.toLowerCase();
  }
  return a === b || (a === undefined && b === null);
}

/** Standard field spellings a new record's fields are matched against (case-insensitively). */
const STANDARD_FIELD_NAMES = ['Id', 'Name', 'OwnerId', 'ProfileId', 'UserRoleId', 'AccountId', 'ContactId', 'ParentId', 'FirstName', 'LastName', 'Email', 'Username', 'Alias', 'Phone', 'Industry', 'Type', 'Description', 'Subject', 'Status', 'StageName', 'CloseDate', 'Amount', 'IsActive', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'Title', 'Website', 'BillingCity', 'BillingStreet', 'ShippingStreet', 'RecordTypeId', 'WhatId', 'WhoId'];
const STANDARD_SPELLING = new Map(STANDARD_FIELD_NAMES.map((n) => [n.toLowerCase(), n]));

export class MemoryHost implements ApexHost {
  readonly orgId: string;
  readonly instanceUrl: string;
  readonly user: ApexUser;
  classes: ApexClassSource[];
  triggers: ApexTriggerSource[];
  childRelationships: ChildRelationship[];
  /** sobject (lower) → id → record */
  data = new Map<string, Map<string, Rec>>();
  /** Deleted records by Id, with IsDeleted = true, until undelete. */
  recycleBin = new Map<string, Rec>();
  snapshots: { data: Map<string, Map<string, Rec>>; bin: Map<string, Rec> }[] = [];
  cache = new Map<string, { value: unknown; expires: number }>();
  certificates: Record<string, string>;
  capacityMb: number;
  partitions: Record<string, number>;
  sessionPartitions: Record<string, number>;
  labels: Record<string, string>;
  calloutHandler?: (req: HttpCallout) => Promise<HttpCalloutResult>;
  calloutLog: HttpCallout[] = [];
  queryLog: { soql: string; options: QueryOptions }[] = [];
  private seq = 0;
  schema: SchemaObject[];
  /** Key prefixes of objects without a standard one: a00, a01, … (m00, m01 … for custom metadata), in order of first use. */
  private customPrefixes = new Map<string, string>();

  constructor(o: MemoryHostOptions = {}) {
    this.orgId = o.orgId ?? '00D000000000001AAA';
    this.instanceUrl = o.instanceUrl ?? 'http://127.0.0.1:6100';
    this.user = {
      id: '005000000000001AAA',
      username: 'admin@local.test',
      name: 'Local Admin',
      email: 'admin@local.test',
      profileName: 'System Administrator',
      orgId: this.orgId,
      ...o.user,
    };
    this.classes = o.classes ?? [];
    this.triggers = o.triggers ?? [];
    this.childRelationships = [...STANDARD_CHILDREN, ...(o.childRelationships ?? [])];
    this.certificates = o.certificates ?? {};
    this.capacityMb = o.cacheCapacityMb ?? 0;
    this.partitions = o.cachePartitions ?? {};
    this.sessionPartitions = o.sessionPartitions ?? {};
    this.labels = o.labels ?? {};
    // What every org has: the running user and the standard profiles.
    const licenses = new Map(USER_LICENSES.map((l) => [l.Name, this.seed('UserLicense', [l])[0]]));
    const sfdc = licenses.get('Salesforce');
    const profiles = this.seed('Profile', [{ Name: 'System Administrator', UserLicenseId: sfdc }, { Name: 'Standard User', UserLicenseId: sfdc }, { Name: 'Minimum Access - Salesforce', UserLicenseId: sfdc }]);
    this.seed('Profile', MORE_STANDARD_PROFILES.map((p) => ({ Name: p.name, UserLicenseId: licenses.get(p.license) })));
    this.seed('Pricebook2', [STANDARD_PRICEBOOK]);
    this.seed('User', [{ Id: this.user.id, Username: this.user.username, Name: this.user.name, Email: this.user.email, ProfileId: profiles[0], IsActive: true }]);
    // Every org has its Organization row (SELECT … FROM Organization), Id = the org Id.
    this.seed('Organization', [{ Id: this.orgId, Name: 'Local Org', OrganizationType: 'Developer Edition', IsSandbox: false, InstanceName: 'LOCAL', NamespacePrefix: null,
      TimeZoneSidKey: 'GMT', LanguageLocaleKey: 'en_US', DefaultLocaleSidKey: 'en_US', Country: 'US', TrialExpirationDate: null, IsReadOnly: false }]);
    // The org's Apex classes are rows of ApexClass too (SELECT Name, Body FROM ApexClass).
    this.seed('ApexClass', this.classes.map((c) => ({ Name: c.name, Body: c.body, ApiVersion: 65.0, Status: 'Active', IsValid: true, NamespacePrefix: null, LengthWithoutComments: c.body.length })));
    this.seed('ApexTrigger', this.triggers.map((t) => ({ Name: t.name, Body: t.body, ApiVersion: 65.0, Status: t.status ?? 'Active', IsValid: true, NamespacePrefix: null, LengthWithoutComments: t.body.length })));
    this.calloutHandler = o.callout;
    this.schema = mergeSchema(o.objects ?? []);
  }

  prefixFor(type: string): string {
    const low = type.toLowerCase();
    const std = KEY_PREFIX.get(low);
    if (std) return std;
    let p = this.customPrefixes.get(low);
    if (!p) {
      const lead = /__mdt$/i.test(type) ? 'm' : 'a';
      const n = [...this.customPrefixes.values()].filter((x) => x[0] === lead).length;
      this.customPrefixes.set(low, (p = lead + n.toString(36).toUpperCase().padStart(2, '0')));
    }
    return p;
  }

  private profileOf(userId: string): string {
    const user = this.table('User').get(userId) ?? [...this.table('User').values()].find((u) => u.Id.slice(0, 15) === userId.slice(0, 15));
    const profile = user?.ProfileId ? this.table('Profile').get(String(user.ProfileId)) : undefined;
    return String(profile?.Name ?? 'System Administrator');
  }

  /** ObjectPermissions / FieldPermissions rows of a permission set. */
  private permissionRows(sobject: 'ObjectPermissions' | 'FieldPermissions', permissionSetId: string): Rec[] {
    return [...this.table(sobject).values()].filter((r) => String(r.ParentId).slice(0, 15) === permissionSetId.slice(0, 15));
  }

  private permissionSetsOf(userId: string): Rec[] {
    const out: Rec[] = [];
    for (const psa of this.table('PermissionSetAssignment').values()) {
      if (String(psa.AssigneeId).slice(0, 15) !== userId.slice(0, 15)) continue;
      const ps = this.table('PermissionSet').get(String(psa.PermissionSetId));
      if (ps) out.push(ps);
    }
    return out;
  }

  /**
   * Field-level security: System Administrator edits every field; Standard User every field of a
   * standard object; other profiles only what an assigned permission set's FieldPermissions grant.
   */
  fieldAccess(userId: string, sobject: string, field: string): { read: boolean; edit: boolean } {
    const pname = this.profileOf(userId);
    if (pname === 'System Administrator' || (pname === 'Standard User' && !/__/.test(sobject))) return { read: true, edit: true };
    const key = `${sobject}.${field}`.toLowerCase();
    let read = false;
    let edit = false;
    for (const ps of this.permissionSetsOf(userId)) {
      const perms = (ps.FieldPermissions ?? {}) as Record<string, { readable?: boolean; editable?: boolean }>;
      const hit = Object.entries(perms).find(([k]) => k.toLowerCase() === key)?.[1];
      read ||= !!hit?.readable || !!hit?.editable;
      edit ||= !!hit?.editable;
      // FieldPermissions rows inserted by Apex (Field = 'Contact.Email')
      for (const fp of this.permissionRows('FieldPermissions', ps.Id)) {
        if (String(fp.Field).toLowerCase() !== key) continue;
        read ||= fp.PermissionsRead === true || fp.PermissionsEdit === true;
        edit ||= fp.PermissionsEdit === true;
      }
    }
    return { read, edit };
  }

  describeAs(userId: string, name: string): SObjectDescribe | undefined {
    const o = this.schema.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!o) return undefined;
    const object: ObjectAccess = {
      read: this.hasObjectAccess(userId, o.name, 'read'),
      create: this.hasObjectAccess(userId, o.name, 'create'),
      edit: this.hasObjectAccess(userId, o.name, 'edit'),
      delete: this.hasObjectAccess(userId, o.name, 'delete'),
    };
    const known = this.childRelationships.filter((c) => c.parent.toLowerCase() === o.name.toLowerCase()).map((c) => ({ name: c.name, childSObject: c.child, field: c.field }));
    const children = childRelationshipsOf(o.name, this.schema, known);
    return describeObject({ ...o, keyPrefix: this.prefixFor(o.name) }, { object, field: (f) => this.fieldAccess(userId, o.name, f) }, children);
  }

  async describeSObject(name: string): Promise<SObjectDescribe | undefined> {
    return this.describeAs(this.user.id, name);
  }

  async customLabel(name: string): Promise<string | undefined> {
    const hit = Object.entries(this.labels).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return hit?.[1];
  }

  async describeGlobal(): Promise<{ name: string; keyPrefix: string | null }[]> {
    return this.schema.map((o) => ({ name: o.name, keyPrefix: this.prefixFor(o.name) }));
  }

  /**
   * Object access of a user, for `WITH USER_MODE`: System Administrator and Standard User profiles
   * read and write standard objects; 'Minimum Access - Salesforce' has nothing; assigned permission
   * sets (PermissionSet.ObjectPermissions, a JSON map seeded by the caller, and ObjectPermissions rows) add access. Field-level
   * security and sharing are not modelled.
   */
  hasObjectAccess(userId: string, sobject: string, access: 'read' | 'create' | 'edit' | 'delete'): boolean {
    const user = this.table('User').get(userId) ?? [...this.table('User').values()].find((u) => u.Id.slice(0, 15) === userId.slice(0, 15));
    if (!user) return true;
    const profile = user.ProfileId ? this.table('Profile').get(String(user.ProfileId)) : undefined;
    const pname = String(profile?.Name ?? 'System Administrator');
    if (pname === 'System Administrator') return true;
    if (pname === 'Standard User' && !/__/.test(sobject)) return true;
    const column = { read: 'PermissionsRead', create: 'PermissionsCreate', edit: 'PermissionsEdit', delete: 'PermissionsDelete' }[access];
    for (const ps of this.permissionSetsOf(userId)) {
      const perms = (ps.ObjectPermissions ?? {}) as Record<string, Record<string, boolean>>;
      const hit = Object.entries(perms).find(([o]) => o.toLowerCase() === sobject.toLowerCase());
      if (hit?.[1][access]) return true;
      // ObjectPermissions rows inserted by Apex
      if (this.permissionRows('ObjectPermissions', ps.Id).some((op) => String(op.SobjectType).toLowerCase() === sobject.toLowerCase() && op[column] === true)) return true;
    }
    return false;
  }

  /** System.runAs: the same store seen as another user (by Id or Username). */
  async withUser(who: { id?: string; username?: string }): Promise<ApexHost> {
    const users = [...this.table('User').values()];
    const u = who.id ? users.find((x) => x.Id.slice(0, 15) === who.id!.slice(0, 15)) : users.find((x) => String(x.Username).toLowerCase() === String(who.username).toLowerCase());
    if (!u) throw new Error(`No user ${who.id ?? who.username} in this org`);
    const user: ApexUser = { ...this.user, id: u.Id, username: String(u.Username ?? ''), name: String(u.Name ?? u.LastName ?? ''), email: String(u.Email ?? '') };
    const parent = this;
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (prop === 'user') return user;
        if (prop === 'query') return (soql: string, o: QueryOptions) => parent.queryAs(user.id, soql, o);
        if (prop === 'describeSObject') return async (name: string) => parent.describeAs(user.id, name);
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }

  async listClasses(): Promise<ApexClassSource[]> {
    return this.classes;
  }

  async listTriggers(): Promise<ApexTriggerSource[]> {
    return this.triggers;
  }

  table(type: string): Map<string, Rec> {
    let t = this.data.get(type.toLowerCase());
    if (!t) this.data.set(type.toLowerCase(), (t = new Map()));
    return t;
  }

  /** Test helper: puts records straight into the store. */
  seed(type: string, records: Record<string, unknown>[]): string[] {
    return records.map((r) => {
      const id = (r.Id as string) ?? this.newId(type);
      this.table(type).set(id, { ...r, Id: id, attributes: { type } } as Rec);
      return id;
    });
  }

  newId(type: string): string {
    const n = String(++this.seq).padStart(12, '0');
    return this.prefixFor(type) + n + 'AAA';
  }

  private findById(id: string): Rec | undefined {
    for (const t of this.data.values()) {
      const r = t.get(id) ?? [...t.values()].find((x) => x.Id.slice(0, 15) === id.slice(0, 15));
      if (r) return r;
    }
    return undefined;
  }

  private getPath(rec: Rec, path: string[]): unknown {
    let cur: Rec | undefined = rec;
    for (let i = 0; i < path.length - 1; i++) {
      const rel = path[i];
      const fk = this.field(cur!, rel.endsWith('__r') ? rel.replace(/__r$/, '__c') : rel + 'Id');
      cur = typeof fk === 'string' ? this.findById(fk) : undefined;
      if (!cur) return null;
    }
    return this.field(cur!, path[path.length - 1]);
  }

  private field(rec: Rec, name: string): unknown {
    const k = Object.keys(rec).find((x) => x.toLowerCase() === name.toLowerCase());
    return k === undefined ? null : rec[k];
  }

  async query(soql: string, options: QueryOptions): Promise<SObjectRecord[]> {
    return this.queryAs(this.user.id, soql, options);
  }

  async queryAs(userId: string, soql: string, options: QueryOptions): Promise<SObjectRecord[]> {
    this.queryLog.push({ soql, options });
    // soql-parser-js has no WITH USER_MODE/SYSTEM_MODE in every position, nor Apex's ALL ROWS; both are flags.
    const allRows = /\s+ALL\s+ROWS\s*$/i.test(soql);
    let q = parsedQueries.get(soql);
    if (!q) {
      q = parseQuery(soql.replace(/\bWITH\s+(USER_MODE|SYSTEM_MODE|SECURITY_ENFORCED)\b/i, '').replace(/\s+ALL\s+ROWS\s*$/i, ''), { allowApexBindVariables: true });
      parsedQueries.set(soql, q);
    }
    const type: string = q.sObject;
    if (options.userMode && !this.hasObjectAccess(userId, type, 'read'))
      throw new Error(`sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
    return this.select(q, type, options, allRows);
  }

  /** Runs a parsed query (also a child subquery, with `within` restricting it to one parent). */
   
  private select(q: any, type: string, options: QueryOptions, allRows: boolean, within?: { field: string; id: string }): SObjectRecord[] {
    let rows = [...this.table(type).values()];
    if (allRows) rows.push(...[...this.recycleBin.values()].filter((r) => String((r.attributes as { type?: string } | undefined)?.type ?? '').toLowerCase() === type.toLowerCase()));
    if (within) rows = rows.filter((r) => eq(this.field(r, within.field), within.id));
    else if (options.onlyIds) {
      const only = new Set(options.onlyIds.map((id) => String(id).slice(0, 15)));
      rows = rows.filter((r) => only.has(String(r.Id).slice(0, 15)));
    }
    if (q.where) rows = rows.filter((r) => this.evalWhere(r, q.where, options.binds));
    if (isAggregateQuery(q)) {
      if (isPlainCount(q)) return rows.map((r) => ({ attributes: { type }, Id: r.Id }));
      return aggregateRecords(q, { rows, value: (r, path) => this.getPath(r, path.split('.')) }) as SObjectRecord[];
    }
    if (q.orderBy) {
      const obs = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
      rows.sort((a, b) => {
        for (const ob of obs) {
          const va = this.getPath(a, ob.field.split('.'));
          const vb = this.getPath(b, ob.field.split('.'));
          const aNull = va === null || va === undefined;
          const bNull = vb === null || vb === undefined;
          if (aNull !== bNull) {
            // Salesforce's default: nulls first for ASC, last for DESC; NULLS FIRST/LAST overrides it.
            const nullsFirst = ob.nulls ? String(ob.nulls).toUpperCase() === 'FIRST' : ob.order !== 'DESC';
            return aNull === nullsFirst ? -1 : 1;
          }
          const c = cmp(va, vb);
          if (c) return ob.order === 'DESC' ? -c : c;
        }
        return 0;
      });
    }
    if (q.offset) rows = rows.slice(Number(q.offset));
    if (q.limit !== undefined) rows = rows.slice(0, Number(q.limit));
    return rows.map((r) => this.project(r, q, type, options, allRows));
  }

   
  private subquery(parent: Rec, parentType: string, sub: any, options: QueryOptions, allRows: boolean): unknown {
    const rel = this.childRelationships.find((c) => c.parent.toLowerCase() === parentType.toLowerCase() && c.name.toLowerCase() === String(sub.relationshipName).toLowerCase());
    if (!rel)
      throw new Error(`Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
    const records = this.select({ ...sub, sObject: rel.child }, rel.child, options, allRows, { field: rel.field, id: parent.Id });
    // Apex sees an empty list for a parent without children (the REST API sends null there).
    return { totalSize: records.length, done: true, records };
  }

   
  private project(r: Rec, q: any, type: string, options: QueryOptions, allRows: boolean): SObjectRecord {
    const out: SObjectRecord = { attributes: { type, url: `/services/data/v65.0/sobjects/${type}/${r.Id}` } };
    for (const fld of q.fields) {
      if (fld.type === 'Field') {
        const name = Object.keys(r).find((k) => k.toLowerCase() === fld.field.toLowerCase()) ?? fld.field;
        out[name] = r[name] ?? null;
      } else if (fld.type === 'FieldRelationship') {
        const path = [...fld.relationships, fld.field];
        let target: Record<string, unknown> = out;
        for (const rel of fld.relationships) {
          if (!target[rel]) target[rel] = { attributes: { type: rel } };
          target = target[rel] as Record<string, unknown>;
        }
        target[fld.field] = this.getPath(r, path);
      } else if (fld.type === 'FieldFunctionExpression' && fld.functionName === 'FIELDS') {
        // every field of the object, set or not (Salesforce returns null for the unset ones)
        const def = this.schema.find((o) => o.name.toLowerCase() === type.toLowerCase());
        const which = String(fld.parameters?.[0] ?? 'ALL').toUpperCase();
        for (const x of def?.fields ?? []) if (which === 'ALL' || (which === 'CUSTOM') === /__c$/i.test(x.name)) out[x.name] = null;
        for (const [k, v] of Object.entries(r)) if (k !== 'attributes') out[Object.keys(out).find((o) => o.toLowerCase() === k.toLowerCase()) ?? k] = v;
      } else if (fld.type === 'FieldSubquery') {
        out[fld.subquery.relationshipName] = this.subquery(r, type, fld.subquery, options, allRows);
      } else throw new Error(`The in-memory host does not support ${fld.type} in SOQL`);
    }
    if (!('Id' in out)) out.Id = r.Id;
    return out;
  }

   
  private evalWhere(r: Rec, w: any, binds: Record<string, unknown>): boolean {
    if (!w) return true;
    let tokens = this.whereTokens.get(w);
    if (!tokens) this.whereTokens.set(w, (tokens = whereTokens(w)));
    const toks = tokens;
    let i = 0;
    // soql-parser-js chains conditions to the right and marks parentheses as counts on each condition;
    // grouping follows those marks (`A OR (B AND C) OR D`), not the chain.
    const expr = (): boolean => {
      let v = andExpr();
      while (toks[i]?.kind === 'OR') {
        i++;
        const rhs = andExpr();
        v = v || rhs;
      }
      return v;
    };
    const andExpr = (): boolean => {
      let v = unary();
      while (toks[i]?.kind === 'AND') {
        i++;
        const rhs = unary();
        v = v && rhs;
      }
      return v;
    };
    const unary = (): boolean => {
      if (toks[i]?.kind === 'NOT') {
        i++;
        return !unary();
      }
      const t = toks[i++];
      if (t?.kind === '(') {
        const v = expr();
        i++;
        return v;
      }
      return t?.kind === 'cond' ? this.evalCond(r, t.cond, binds) : true;
    };
    return expr();
  }

   
  private whereTokens = new WeakMap<object, WhereToken[]>();

   
  private evalCond(r: Rec, c: any, binds: Record<string, unknown>): boolean {
    const v = this.getPath(r, String(c.field).split('.'));
    if (c.valueQuery) {
      const op = String(c.operator).toUpperCase();
      const hit = this.semiJoin(c.valueQuery, binds).some((x) => eq(v, x));
      return op === 'NOT IN' ? !hit : hit;
    }
    if (c.literalType === 'DATE_LITERAL' || c.literalType === 'DATE_N_LITERAL') return inDateLiteral(v, String(c.operator), String(c.value));
    let rhs: unknown = c.literalType === 'APEX_BIND_VARIABLE' ? binds[c.value] : literal(c.value, Array.isArray(c.literalType) ? 'STRING' : c.literalType);
    if (c.literalType === 'APEX_BIND_VARIABLE' && !(c.value in binds)) throw new Error(`Variable does not exist: ${c.value}`);
    const op = String(c.operator).toUpperCase();
    if (rhs === 'NULL') rhs = null;
    switch (op) {
      case '=':
        return Array.isArray(rhs) ? rhs.some((x) => eq(v, x)) : rhs === null ? v === null || v === undefined : eq(v, rhs);
      case '!=':
      case '<>':
        return rhs === null ? v !== null && v !== undefined : !eq(v, rhs);
      case '<':
        return v !== null && cmp(v, rhs) < 0;
      case '>':
        return v !== null && cmp(v, rhs) > 0;
      case '<=':
        return v !== null && cmp(v, rhs) <= 0;
      case '>=':
        return v !== null && cmp(v, rhs) >= 0;
      case 'LIKE':
        return typeof v === 'string' && likeToRegex(String(rhs)).test(v);
      case 'IN':
        return (rhs as unknown[]).some((x) => eq(v, x));
      case 'NOT IN':
        return !(rhs as unknown[]).some((x) => eq(v, x));
    }
    throw new Error(`The in-memory host does not support the SOQL operator ${op}`);
  }

  private semiJoins = new WeakMap<object, WeakMap<object, unknown[]>>();

  /** `Id IN (SELECT AccountId FROM Contact …)`: the subquery's values, once per query and binds. */
   
  private semiJoin(sub: any, binds: Record<string, unknown>): unknown[] {
    let byBinds = this.semiJoins.get(sub);
    if (!byBinds) this.semiJoins.set(sub, (byBinds = new WeakMap()));
    const hit = byBinds.get(binds);
    if (hit) return hit;
    const field = String(sub.fields?.[0]?.field ?? sub.fields?.[0]?.rawValue ?? 'Id');
    const values = this.select(sub, sub.sObject, { userMode: false, binds }, false).map((rec) => this.getPath(rec as Rec, field.split('.')));
    byBinds.set(binds, values);
    return values;
  }

  /**
   * Field names are case-insensitive in Apex (`new Account(name = 'x')`, `profileId`): a record keeps
   * one spelling per field, the one the org already uses (a stored row's, else a standard field's).
   */
  private canonicalFields(type: string, input: Record<string, unknown>, existing?: Rec): Record<string, unknown> {
    const sample = existing ?? (type ? this.table(type).values().next().value : undefined);
    const stored = new Map(Object.keys(sample ?? {}).map((k) => [k.toLowerCase(), k]));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) out[stored.get(k.toLowerCase()) ?? STANDARD_SPELLING.get(k.toLowerCase()) ?? k] = v;
    return out;
  }

  async insert(records: SObjectRecord[]): Promise<string[]> {
    return records.map((r) => {
      const type = r.attributes!.type;
      if (/__mdt$/i.test(type)) throw Object.assign(new Error('DML operation Insert not allowed on ' + type), { code: 'INVALID_TYPE_FOR_OPERATION' });
      const { attributes, ...input } = r;
      void attributes;
      const fields = this.canonicalFields(type, input);
      if (type.toLowerCase() === 'account' && !fields.Name) throw Object.assign(new Error('Required fields are missing: [Name]'), { code: 'REQUIRED_FIELD_MISSING', fields: ['Name'] });
      const id = this.newId(type);
      const now = new Date().toISOString().replace('Z', '+0000');
      this.table(type).set(id, { CreatedDate: now, LastModifiedDate: now, IsDeleted: false, ...fields, Id: id, attributes: { type } } as Rec);
      return id;
    });
  }

  async update(records: SObjectRecord[]): Promise<void> {
    for (const r of records) {
      const existing = this.findById(String(r.Id));
      if (!existing) throw Object.assign(new Error('entity is deleted'), { code: 'ENTITY_IS_DELETED' });
      const { attributes, ...input } = r;
      void attributes;
      const fields = this.canonicalFields('', input, existing);
      Object.assign(existing, fields, { LastModifiedDate: new Date().toISOString().replace('Z', '+0000') });
    }
  }

  async delete(ids: string[]): Promise<void> {
    for (const id of ids) {
      const rec = this.findById(id);
      if (!rec) throw Object.assign(new Error('entity is deleted'), { code: 'ENTITY_IS_DELETED' });
      for (const [type, t] of this.data) {
        if (!t.delete(rec.Id)) continue;
        this.recycleBin.set(rec.Id, { ...rec, IsDeleted: true, attributes: { type: String((rec.attributes as { type?: string } | undefined)?.type ?? type) } });
      }
    }
  }

  async retrieve(ids: string[], options: { deleted?: boolean } = {}): Promise<SObjectRecord[]> {
    const out: SObjectRecord[] = [];
    for (const id of ids) {
      const rec = options.deleted ? (this.recycleBin.get(id) ?? [...this.recycleBin.values()].find((x) => x.Id.slice(0, 15) === id.slice(0, 15))) : this.findById(id);
      if (rec) out.push(structuredClone(rec) as SObjectRecord);
    }
    return out;
  }

  async undelete(ids: string[]): Promise<void> {
    for (const id of ids) {
      const rec = this.recycleBin.get(id) ?? [...this.recycleBin.values()].find((x) => x.Id.slice(0, 15) === id.slice(0, 15));
      if (!rec) {
        if (this.findById(id)) throw Object.assign(new Error('Entity is not in the recycle bin'), { code: 'UNDELETE_FAILED' });
        throw Object.assign(new Error('invalid cross reference id'), { code: 'INVALID_CROSS_REFERENCE_KEY' });
      }
      this.recycleBin.delete(rec.Id);
      this.table(String((rec.attributes as { type: string }).type)).set(rec.Id, { ...rec, IsDeleted: false });
    }
  }

  async callout(req: HttpCallout): Promise<HttpCalloutResult> {
    this.calloutLog.push(req);
    if (this.calloutHandler) return this.calloutHandler(req);
    const res = await fetch(req.endpoint, {
      method: req.method,
      headers: req.headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(Buffer.from(req.body)),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { statusCode: res.status, status: res.statusText, headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  async signWithCertificate(algorithm: string, data: Buffer, certDevName: string): Promise<Buffer> {
    const pem = this.certificates[certDevName];
    if (!pem) throw new Error(`Invalid Certificate name: ${certDevName}`);
    const hash = { 'RSA-SHA256': 'sha256', 'RSA-SHA1': 'sha1', RSA: 'sha1', 'RSA-SHA384': 'sha384', 'RSA-SHA512': 'sha512' }[algorithm.toUpperCase()];
    if (!hash) throw new Error(`Unsupported signing algorithm: ${algorithm}`);
    return cryptoSign(hash, data, createPrivateKey(pem));
  }

  async cacheGet(key: string): Promise<unknown | undefined> {
    const e = this.cache.get(key);
    if (!e || e.expires < Date.now()) return undefined;
    return e.value;
  }
  async cachePut(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.cache.set(key, { value, expires: Date.now() + ttlSeconds * 1000 });
  }
  async cacheKeys(): Promise<string[]> {
    return [...this.cache.entries()].filter(([, e]) => e.expires >= Date.now()).map(([k]) => k);
  }
  async cacheRemove(key: string): Promise<boolean> {
    return this.cache.delete(key);
  }
  async cacheCapacityMb(partition?: string): Promise<number> {
    if (!partition) return this.capacityMb;
    const name = partition.replace(/^local\./i, '');
    const hit = Object.keys(this.partitions).find((p) => p.toLowerCase() === name.toLowerCase());
    return hit ? this.partitions[hit] : 0;
  }

  /** The default partition exists when a default capacity is given; a named one when it is in cachePartitions. */
  async cachePartitionExists(partition?: string): Promise<boolean> {
    if (!partition) return this.capacityMb > 0;
    const name = partition.replace(/^local\./i, '');
    return Object.keys(this.partitions).some((p) => p.toLowerCase() === name.toLowerCase());
  }

  async sessionCacheCapacityMb(partition?: string): Promise<number> {
    if (!partition) return 0;
    const name = partition.replace(/^local\./i, '');
    const hit = Object.keys(this.sessionPartitions).find((p) => p.toLowerCase() === name.toLowerCase());
    return hit ? this.sessionPartitions[hit] : 0;
  }

  async begin(): Promise<void> {
    const data = new Map<string, Map<string, Rec>>();
    for (const [k, t] of this.data) data.set(k, new Map([...t].map(([id, r]) => [id, structuredClone(r)])));
    this.snapshots.push({ data, bin: new Map([...this.recycleBin].map(([id, r]) => [id, structuredClone(r)])) });
  }
  async commit(): Promise<void> {
    this.snapshots.pop();
  }
  async rollback(): Promise<void> {
    const snap = this.snapshots.pop();
    if (snap) {
      this.data = snap.data;
      this.recycleBin = snap.bin;
    }
  }
}
