/**
 * Builds describe results (host.ts `SObjectDescribe`) from an object's schema and the running user's
 * permissions, the same way for every host. Salesforce's rules applied here: fields outside field-level
 * security (Id, audit fields, the name field, required fields) are always readable; system, formula and
 * auto-number fields are never writable; object permissions do not change a field's own flags.
 */
import type { FieldDescribe, FieldSetDescribe, PicklistValue, SObjectDescribe } from './host.ts';

export interface SchemaField {
  name: string;
  /** REST describe type (the local platform's FieldType names are a subset). */
  type: string;
  label?: string;
  referenceTo?: string | string[];
  /** A polymorphic lookup's objects (data/schema.ts FieldDef.polymorphicTo): describe lists them all. */
  polymorphicTo?: string[];
  /** Parent relationship name (`Account`, `Parent__r`). */
  relationshipName?: string;
  /** Child relationship name of a custom lookup as its metadata gives it (`Junctions`; describe adds `__r`). */
  childRelationshipName?: string;
  /** Set by the platform only (Id, CreatedDate, …). */
  system?: boolean;
  required?: boolean;
  /** The lookup of a detail object to its master: required, cascade-deletes the children. */
  masterDetail?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  unique?: boolean;
  externalId?: boolean;
  autoNumber?: boolean;
  formula?: boolean;
  /** A formula field's formula text, and whether blank number fields read as zero in it. */
  calculatedFormula?: string;
  formulaTreatNullNumberAsZero?: boolean;
  picklistValues?: (string | { value: string; label?: string; default?: boolean; active?: boolean })[];
  defaultValue?: string;
  helpText?: string;
}

export interface SchemaObject {
  name: string;
  label?: string;
  labelPlural?: string;
  keyPrefix?: string | null;
  custom?: boolean;
  customSetting?: boolean;
  /** A platform event's publish behavior (`PublishImmediately` or `PublishAfterCommit`, the default). */
  publishBehavior?: string;
  fields: SchemaField[];
  /** Field sets of the object (`fieldSets/*.fieldSet-meta.xml`, or `<fieldSets>` of a deployed object). */
  fieldSets?: FieldSetDescribe[];
}

export interface ObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
}

export interface UserAccess {
  object: ObjectAccess;
  /** Field-level security for a field FLS applies to. */
  field(name: string): { read: boolean; edit: boolean };
}

const TEXT_LENGTH: Record<string, number> = {
  string: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  multipicklist: 4099,
  textarea: 32000,
  id: 18,
  reference: 18,
  combobox: 255,
  encryptedstring: 175,
};

/** Label from an API name: `Account_Number__c` → `Account Number`, `AccountId` → `Account ID`. */
export function labelOf(name: string, type: string): string {
  if (name === 'Id') return 'Record ID';
  const base = name.replace(/__(c|r|mdt)$/i, '').replace(/_/g, ' ');
  if (type === 'reference' && /Id$/.test(base)) return base.replace(/Id$/, ' ID');
  return base.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function picklist(values: SchemaField['picklistValues']): PicklistValue[] {
  return (values ?? []).map((v) =>
    typeof v === 'string'
      ? { value: v, label: v, active: true, defaultValue: false }
      : { value: v.value, label: v.label ?? v.value, active: v.active ?? true, defaultValue: !!v.default },
  );
}

/** Fields Salesforce keeps out of field-level security: always readable when the object is. */
function outsideFls(fd: SchemaField): boolean {
  return fd.system === true || fd.name === 'Id' || fd.name === 'Name' || fd.name === 'OwnerId' || fd.required === true;
}

export function describeField(fd: SchemaField, access: UserAccess): FieldDescribe {
  const type = fd.type;
  const fls = outsideFls(fd) ? { read: true, edit: true } : access.field(fd.name);
  const writable = !fd.system && !fd.formula && !fd.autoNumber && fd.name !== 'Id';
  const numeric = ['double', 'currency', 'percent', 'int'].includes(type);
  const precision = type === 'double' || type === 'currency' || type === 'percent' ? (fd.precision ?? 18) : 0;
  return {
    name: fd.name,
    label: fd.label ?? labelOf(fd.name, type),
    type,
    length: numeric || ['boolean', 'date', 'datetime', 'time'].includes(type) ? 0 : (fd.length ?? TEXT_LENGTH[type] ?? 0),
    precision,
    scale: precision ? (fd.scale ?? 0) : 0,
    digits: type === 'int' ? (fd.precision ?? 9) : 0,
    accessible: fls.read,
    createable: writable && fls.edit,
    updateable: writable && fls.edit && fd.name !== 'CreatedById',
    nillable: !fd.required && type !== 'boolean' && !fd.system && fd.name !== 'Id' && !fd.autoNumber,
    custom: /__c$/i.test(fd.name),
    autoNumber: !!fd.autoNumber,
    calculated: !!fd.formula,
    ...(fd.calculatedFormula === undefined
      ? {}
      : { calculatedFormula: fd.calculatedFormula, formulaTreatNullNumberAsZero: !!fd.formulaTreatNullNumberAsZero }),
    unique: !!fd.unique,
    externalId: !!fd.externalId,
    idLookup: fd.name === 'Id' || !!fd.externalId || !!fd.unique,
    nameField: fd.name === 'Name',
    defaultedOnCreate: !!fd.system || type === 'boolean' || fd.name === 'OwnerId' || !!fd.autoNumber || fd.defaultValue !== undefined,
    filterable: type !== 'textarea' || (fd.length ?? 255) <= 255,
    sortable: type !== 'textarea' && type !== 'multipicklist',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime', 'multipicklist'].includes(type),
    cascadeDelete: false,
    referenceTo:
      fd.polymorphicTo ?? (fd.referenceTo === undefined ? [] : Array.isArray(fd.referenceTo) ? fd.referenceTo : [fd.referenceTo]),
    relationshipName: type === 'reference' ? (fd.relationshipName ?? fd.name.replace(/__c$/i, '__r').replace(/Id$/, '')) : null,
    picklistValues: picklist(fd.picklistValues),
    defaultValue: fd.defaultValue ?? null,
    inlineHelpText: fd.helpText ?? null,
  };
}

/**
 * Standard objects whose name field is not `Name` (describe's `nameField`; SOAP API Object Reference, each
 * object's fields: Case's CaseNumber, Task's Subject …; PMM's tests, passing on Salesforce, read Case's).
 */
const NAME_FIELDS: Record<string, string> = {
  case: 'CaseNumber',
  task: 'Subject',
  event: 'Subject',
  contract: 'ContractNumber',
  order: 'OrderNumber',
  solution: 'SolutionName',
  contentversion: 'Title',
  contentdocument: 'Title',
  note: 'Title',
  idea: 'Title',
  permissionsetlicense: 'DeveloperName',
};

/**
 * The describe of `o` for a user; `children` are the lookups other objects hold to it (child
 * relationships), `field` their relationship name.
 */
export function describeObject(o: SchemaObject, access: UserAccess, children: SObjectDescribe['childRelationships'] = []): SObjectDescribe {
  const mdt = /__mdt$/i.test(o.name);
  const label = o.label ?? labelOf(o.name, 'string');
  return {
    name: o.name,
    label,
    labelPlural: o.labelPlural ?? label + 's',
    keyPrefix: o.keyPrefix ?? null,
    custom: o.custom ?? /__(c|mdt|e)$/i.test(o.name),
    customSetting: !!o.customSetting,
    ...(o.publishBehavior ? { publishBehavior: o.publishBehavior } : {}),
    accessible: access.object.read,
    createable: access.object.create && !mdt,
    updateable: access.object.edit && !mdt,
    deletable: access.object.delete && !mdt,
    undeletable: access.object.delete && !mdt,
    queryable: access.object.read,
    searchable: access.object.read && !mdt,
    fields: o.fields.map((fd) => {
      const d = describeField(fd, access);
      const own = NAME_FIELDS[o.name.toLowerCase()];
      return own ? { ...d, nameField: d.name === own } : d;
    }),
    ...(o.fieldSets?.length ? { fieldSets: o.fieldSets } : {}),
    childRelationships: children,
  };
}

/** Child relationships of `parent` among `objects`: every lookup to it that has a relationship name. */
export function childRelationshipsOf(
  parent: string,
  objects: SchemaObject[],
  known: { name: string; childSObject: string; field: string }[] = [],
): SObjectDescribe['childRelationships'] {
  const out: SObjectDescribe['childRelationships'] = known.map((k) => ({
    childSObject: k.childSObject,
    field: k.field,
    relationshipName: k.name,
    cascadeDelete: false,
  }));
  for (const o of objects)
    for (const fd of o.fields) {
      const to = fd.referenceTo === undefined ? [] : Array.isArray(fd.referenceTo) ? fd.referenceTo : [fd.referenceTo];
      if (!to.some((t) => t.toLowerCase() === parent.toLowerCase())) continue;
      if (out.some((c) => c.childSObject === o.name && c.field === fd.name)) continue;
      // custom lookups name their child relationship `<relationshipName>__r`; standard ones without a listed name have none
      const rel = fd.childRelationshipName ? fd.childRelationshipName.replace(/__r$/i, '') + (/__c$/i.test(fd.name) ? '__r' : '') : null;
      out.push({ childSObject: o.name, field: fd.name, relationshipName: rel, cascadeDelete: !!fd.masterDetail });
    }
  return out;
}
