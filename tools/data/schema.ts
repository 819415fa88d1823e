import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from './errors.ts';

/**
 * Field definitions of the sObjects this platform serves. Standard objects are fixed here; custom
 * objects and custom metadata types are registered at run time (by the Metadata API module, or
 * inferred when a record of an unknown `__c`/`__mdt` type is written through the RecordStore).
 * SOQL and DML validate names against these, case-insensitively, as Salesforce does.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** The object a lookup's relationship path (`Parent.Name`) reads through. */
  referenceTo?: string;
  /**
   * A polymorphic lookup's objects (describe's referenceTo, `isNamePointing()` true), `referenceTo` first;
   * relationship paths still read through `referenceTo`.
   */
  polymorphicTo?: string[];
  relationshipName?: string;
  /** Lookups: the parent's name for the list of children (`Contacts`, `Things__r`). */
  childRelationshipName?: string;
  /** Set by the platform only (Id, CreatedDate, …). */
  system?: boolean;
  required?: boolean;
  /** Standard picklist values in their default order (describe's picklistValues). */
  picklistValues?: string[];
  autoNumber?: boolean;
  /** Text length when it differs from the type's (see maxLength). */
  length?: number;
  /**
   * Describe attributes deployed metadata gives and the store does not check (label, precision, scale,
   * picklist entries with labels, master-detail, auto-number, help text): describe shows them as given.
   */
  describe?: Record<string, unknown>;
}

/**
 * A text field's maximum length: its own, else its type's. Phone 40 and Email 80 as Salesforce's
 * standard fields have them; text, picklist and URL 255; a (long) text area 32,000 (SOAP API Object
 * Reference, e.g. Account: AccountNumber 40, BillingCity 40, Name 255, Description 32,000).
 */
export function maxLength(fd: FieldDef): number | undefined {
  if (fd.length !== undefined) return fd.length;
  return ({ string: 255, picklist: 255, email: 80, phone: 40, url: 255, textarea: 32_000 } as Record<string, number>)[fd.type];
}

/** A field set as its metadata declares it: displayed field paths in order, each with the set's `isRequired`. */
export interface FieldSetDef {
  name: string;
  label: string;
  description: string | null;
  fields: { field: string; required: boolean }[];
}

export interface ObjectDef {
  name: string;
  label: string;
  fields: FieldDef[];
  /** Dev Hub only objects (ScratchOrgInfo, ActiveScratchOrg). */
  devHubOnly?: boolean;
  /** Accepts fields not listed (ScratchOrgInfo takes any definition-file option). */
  open?: boolean;
  custom?: boolean;
  /** Describe attributes of a deployed object (labelPlural, …), as for FieldDef.describe. */
  describe?: Record<string, unknown>;
  /** Deployed field sets (standard and custom objects alike). */
  fieldSets?: FieldSetDef[];
}

export { STANDARD_OBJECTS } from './standardObjects.ts';
import { STANDARD_OBJECTS } from './standardObjects.ts';
import { audit, f, len, ref, sys } from './fieldBuilders.ts';
import { statement } from './statements.ts';
import { withRecordTypeId } from './recordTypes.ts';
import { DEFINITION_TARGETS } from './definitionRelationships.ts';

const STANDARD = new Map(STANDARD_OBJECTS.map((o) => [o.name.toLowerCase(), o]));

/** What an object or field name may look like anywhere it is used (SQL JSON paths, SOQL). */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Deployed CustomObject definitions (the Metadata module's getCustomObject), set by the server. */
type CustomObjectSource = (
  db: DatabaseSync,
  orgId: string,
  name: string,
) =>
  | {
      name: string;
      label?: string;
      customSettingsType?: string;
      describe?: Record<string, unknown>;
      fieldSets?: FieldSetDef[];
      fields: {
        name: string;
        type?: string;
        length?: number;
        referenceTo?: string;
        relationshipName?: string;
        required?: boolean;
        describe?: Record<string, unknown>;
      }[];
    }
  | undefined;
let customObjects: CustomObjectSource | undefined;
/** An in-memory org's own source (its project's objects), beside the server's one for its file. */
const customObjectsOf = new WeakMap<DatabaseSync, CustomObjectSource>();
export function setCustomObjectSource(source: CustomObjectSource | undefined, db?: DatabaseSync): void {
  if (!db) customObjects = source;
  else if (source) customObjectsOf.set(db, source);
  else customObjectsOf.delete(db);
}

const METADATA_TYPES: Record<string, FieldType> = {
  checkbox: 'boolean',
  number: 'double',
  percent: 'double',
  currency: 'currency',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  email: 'email',
  phone: 'phone',
  url: 'url',
  picklist: 'picklist',
  lookup: 'reference',
  masterdetail: 'reference',
  textarea: 'textarea',
  longtextarea: 'textarea',
  metadatarelationship: 'string',
  text: 'string',
};

/** A deployed custom field's length: its own (Text, LongTextArea), else what its metadata type fixes (TextArea 255). */
function deployedLength(type: string, length: number | undefined): number | undefined {
  const t = type.toLowerCase();
  if (t === 'text' || t === 'longtextarea' || t === 'html') return length ?? (t === 'text' ? 255 : 32_768);
  return t === 'textarea' ? 255 : undefined;
}

function deployedFields(
  db: DatabaseSync,
  orgId: string,
  name: string,
):
  | {
      label?: string;
      apiName: string;
      customSettingsType?: string;
      describe?: Record<string, unknown>;
      fieldSets?: FieldSetDef[];
      fields: FieldDef[];
    }
  | undefined {
  const d = (customObjectsOf.get(db) ?? customObjects)?.(db, orgId, name);
  if (!d) return undefined;
  return {
    label: d.label,
    customSettingsType: d.customSettingsType,
    describe: d.describe,
    fieldSets: d.fieldSets,
    apiName: d.name,
    // A name Salesforce would refuse (deployed before names were checked) is left out, never handed to SQL.
    fields: d.fields
      .filter((x) => x.name && IDENTIFIER.test(x.name))
      .map((x) => {
        // A metadata relationship to another custom metadata type is a lookup (`Rollup__r.DeveloperName`, child
        // subqueries); one to EntityDefinition, FieldDefinition or EntityParticle stays the name text SOQL returns for it.
        const toMdt = /^metadatarelationship$/i.test(x.type ?? '') && /__mdt$/i.test(x.referenceTo ?? '');
        const type = toMdt ? 'reference' : (METADATA_TYPES[(x.type ?? 'text').toLowerCase()] ?? 'string');
        const length = deployedLength(x.type ?? 'text', x.length);
        const describe = x.describe ? { describe: x.describe } : {};
        if (DEFINITION_TARGETS.test(x.referenceTo ?? ''))
          return f(x.name, 'string', { referenceTo: x.referenceTo, relationshipName: x.name.replace(/__c$/, '__r'), ...describe });
        if (type !== 'reference' || !x.referenceTo) return f(x.name, type, length === undefined ? describe : { length, ...describe });
        return ref(
          x.name,
          x.referenceTo,
          x.name.replace(/__c$/, '__r'),
          x.relationshipName ? { childRelationshipName: `${x.relationshipName}__r`, ...describe } : describe,
        );
      }),
  };
}

/** The object definition visible in an org (standard + deployed/registered custom), or undefined. */
export function getObjectDef(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch', name: string): ObjectDef | undefined {
  const std = STANDARD.get(name.toLowerCase());
  if (std) {
    if (std.devHubOnly && kind !== 'devhub') return undefined;
    // Custom fields deployed on a standard object (Account.Foo__c, a geolocation's Where__Latitude__s) join its standard
    // fields, its field sets join it.
    const deployed = deployedFields(db, orgId, std.name);
    const extra = deployed?.fields.filter((x) => /__[cs]$/.test(x.name) && !findField(std, x.name)) ?? [];
    const sets = deployed?.fieldSets?.length ? { fieldSets: deployed.fieldSets } : {};
    return withRecordTypeId(db, orgId, extra.length || sets.fieldSets ? { ...std, fields: [...std.fields, ...extra], ...sets } : std);
  }
  const rows = statement(
    db,
    'SELECT sobject, name, type, reference_to FROM sobject_fields WHERE org_id = ? AND lower(sobject) = lower(?) ORDER BY rowid',
  ).all(orgId, name) as { sobject: string; name: string; type: FieldType; reference_to: string | null }[];
  const deployed = /__(c|mdt|e|share)$/i.test(name) ? deployedFields(db, orgId, name) : undefined;
  if (rows.length === 0 && !deployed) return undefined;
  const apiName = deployed?.apiName ?? rows[0].sobject;
  // A platform event has no Id, owner or modification stamps: its replay id, uuid and creation (Platform Events Developer Guide).
  // A custom object's share (X__Share) has no name, owner or creation stamps (Object Reference, "StandardObjectNameShare").
  const share = /__share$/i.test(apiName);
  const fields: FieldDef[] = share
    ? [
        sys('Id', 'id'),
        sys('IsDeleted', 'boolean'),
        sys('LastModifiedDate', 'datetime'),
        ref('LastModifiedById', 'User', 'LastModifiedBy', { system: true }),
      ]
    : apiName.endsWith('__e')
      ? [
          sys('ReplayId', 'string'),
          sys('EventUuid', 'string'),
          sys('CreatedDate', 'datetime'),
          ref('CreatedById', 'User', 'CreatedBy', { system: true }),
        ]
      : [...audit()];
  if (apiName.endsWith('__mdt')) {
    for (const n of ['DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix', 'Language']) fields.push(f(n));
  } else if (deployed?.customSettingsType) {
    // custom settings have no owner; a hierarchy setting's row belongs to the org, a profile or a user (as projectObjects.ts reads them for apex-test)
    fields.push(f('Name', 'string', len(38)));
    if (deployed.customSettingsType === 'Hierarchy') fields.push(f('SetupOwnerId', 'reference', { referenceTo: 'User' }));
  } else if (!apiName.endsWith('__e') && !share) fields.push(f('Name', 'string', len(80)), ref('OwnerId', 'User', 'Owner'));
  for (const d of deployed?.fields ?? []) {
    const base = fields.findIndex((x) => x.name.toLowerCase() === d.name.toLowerCase());
    if (base < 0) fields.push(d);
    else if (d.describe) fields[base] = { ...fields[base], describe: d.describe }; // an auto-number Name, a label of its own
  }
  for (const r of rows) {
    if (fields.some((x) => x.name.toLowerCase() === r.name.toLowerCase())) continue;
    fields.push(r.reference_to ? ref(r.name, r.reference_to, r.name.replace(/__c$/, '__r')) : f(r.name, r.type));
  }
  return withRecordTypeId(db, orgId, {
    name: apiName,
    label: deployed?.label ?? apiName.replace(/__(c|mdt)$/, '').replace(/_/g, ' '),
    fields,
    custom: true,
    ...(deployed?.describe ? { describe: deployed.describe } : {}),
    ...(deployed?.fieldSets?.length ? { fieldSets: deployed.fieldSets } : {}),
  });
}

/** Lists every object an org can use (global describe). */
export function listObjects(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch'): ObjectDef[] {
  const custom = statement(db, 'SELECT DISTINCT sobject FROM sobject_fields WHERE org_id = ?').all(orgId) as { sobject: string }[];
  return [
    ...STANDARD_OBJECTS.filter((o) => !o.devHubOnly || kind === 'devhub'),
    ...custom.map((c) => getObjectDef(db, orgId, kind, c.sobject)!).filter(Boolean),
  ];
}

/**
 * Registers (or extends) a custom object or custom metadata type. Idempotent: re-registering a
 * field updates its type. Custom metadata types always get Label, DeveloperName, MasterLabel,
 * QualifiedApiName, NamespacePrefix, Language as Salesforce does.
 */
export function registerObject(
  db: DatabaseSync,
  orgId: string,
  sobject: string,
  fields: { name: string; type?: FieldType; referenceTo?: string }[],
): void {
  const bad = [sobject, ...fields.map((x) => x.name)].find((n) => !IDENTIFIER.test(n));
  if (bad !== undefined)
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `Invalid name ${JSON.stringify(bad)}: letters, digits and underscores only, starting with a letter.`,
    );
  const all = [...fields];
  if (sobject.endsWith('__mdt')) {
    for (const n of ['DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix', 'Language'])
      all.unshift({ name: n, type: 'string' });
  } else all.unshift({ name: 'Name', type: 'string' });
  const stmt = db.prepare(
    'INSERT INTO sobject_fields (org_id, sobject, name, type, reference_to) VALUES (?, ?, ?, ?, ?) ON CONFLICT(org_id, sobject, name) DO UPDATE SET type = excluded.type, reference_to = excluded.reference_to',
  );
  for (const fd of all) stmt.run(orgId, sobject, fd.name, fd.type ?? 'string', fd.referenceTo ?? null);
}

/** Infers a field type from a JSON value (for records written before their type is registered). */
export function inferType(value: unknown): FieldType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return 'string';
}

/** Parent-to-child relationship names of standard objects (SELECT …, (SELECT … FROM Contacts) FROM Account). */
const CHILD_RELATIONSHIPS: Record<string, ChildRelationship[]> = {
  account: [
    { name: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
    { name: 'ChildAccounts', childSObject: 'Account', field: 'ParentId' },
    { name: 'Opportunities', childSObject: 'Opportunity', field: 'AccountId' },
    { name: 'Cases', childSObject: 'Case', field: 'AccountId' },
    { name: 'Tasks', childSObject: 'Task', field: 'WhatId' },
  ],
  contact: [
    { name: 'Cases', childSObject: 'Case', field: 'ContactId' },
    { name: 'Opportunities', childSObject: 'Opportunity', field: 'ContactId' },
    { name: 'Tasks', childSObject: 'Task', field: 'WhoId' },
    { name: 'OpportunityContactRoles', childSObject: 'OpportunityContactRole', field: 'ContactId' },
  ],
  campaign: [
    { name: 'Opportunities', childSObject: 'Opportunity', field: 'CampaignId' },
    { name: 'ChildCampaigns', childSObject: 'Campaign', field: 'ParentId' },
  ],
  case: [
    { name: 'Cases', childSObject: 'Case', field: 'ParentId' },
    { name: 'CaseComments', childSObject: 'CaseComment', field: 'ParentId' },
  ],
  permissionset: [
    { name: 'Assignments', childSObject: 'PermissionSetAssignment', field: 'PermissionSetId' },
    { name: 'ObjectPerms', childSObject: 'ObjectPermissions', field: 'ParentId' },
    { name: 'FieldPerms', childSObject: 'FieldPermissions', field: 'ParentId' },
  ],
  opportunity: [
    { name: 'OpportunityLineItems', childSObject: 'OpportunityLineItem', field: 'OpportunityId' },
    { name: 'OpportunityContactRoles', childSObject: 'OpportunityContactRole', field: 'OpportunityId' },
  ],
  product2: [{ name: 'PricebookEntries', childSObject: 'PricebookEntry', field: 'Product2Id' }],
  pricebook2: [{ name: 'PricebookEntries', childSObject: 'PricebookEntry', field: 'Pricebook2Id' }],
  user: [{ name: 'PermissionSetAssignments', childSObject: 'PermissionSetAssignment', field: 'AssigneeId' }],
  profile: [{ name: 'Users', childSObject: 'User', field: 'ProfileId' }],
};

export interface ChildRelationship {
  name: string;
  childSObject: string;
  field: string;
  /** A master-detail: deleting the parent deletes the children. */
  cascadeDelete?: boolean;
}

/**
 * The child relationships of an object: the standard ones, plus every deployed lookup or
 * master-detail field pointing at it with a `relationshipName` (`Things` → `Things__r`).
 */
export function childRelationships(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch', def: ObjectDef): ChildRelationship[] {
  const out = [...(CHILD_RELATIONSHIPS[def.name.toLowerCase()] ?? [])];
  for (const listed of listObjects(db, orgId, kind)) {
    // Custom lookups deployed on a standard object (Contact.Thing__c) live in its full definition.
    const child = listed.custom ? listed : (getObjectDef(db, orgId, kind, listed.name) ?? listed);
    for (const fd of child.fields) {
      if (fd.childRelationshipName && fd.referenceTo?.toLowerCase() === def.name.toLowerCase())
        out.push({
          name: fd.childRelationshipName,
          childSObject: child.name,
          field: fd.name,
          ...(fd.describe?.masterDetail === true ? { cascadeDelete: true } : {}),
        });
    }
  }
  return out;
}

export function findChildRelationship(
  db: DatabaseSync,
  orgId: string,
  kind: 'devhub' | 'scratch',
  def: ObjectDef,
  name: string,
): ChildRelationship | undefined {
  return childRelationships(db, orgId, kind, def).find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** A custom metadata type's relationship to another custom metadata type (Rollup__mdt ← RollupOrderBy__mdt.Rollup__c). */
export function isMetadataRelationship(def: ObjectDef, fd: FieldDef): boolean {
  return fd.type === 'reference' && /__mdt$/i.test(def.name) && /__mdt$/i.test(fd.referenceTo ?? '');
}

export function findField(def: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return def.fields.find((x) => x.name.toLowerCase() === lower);
}

export function findRelationship(def: ObjectDef, rel: string): FieldDef | undefined {
  const lower = rel.toLowerCase();
  return def.fields.find((x) => x.relationshipName?.toLowerCase() === lower);
}
