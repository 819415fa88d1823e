/**
 * Reads a Salesforce DX project's object metadata (objects/<Obj>/<Obj>.object-meta.xml and
 * fields/*.field-meta.xml) into describe schemas for the in-memory org: custom objects with their
 * standard fields, and custom fields added to standard objects.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaField, SchemaObject } from './describe.ts';
import type { FieldSetDescribe } from './host.ts';

const TYPES: Record<string, string> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  Hierarchy: 'reference',
  AutoNumber: 'string',
  Summary: 'double',
  EncryptedText: 'encryptedstring',
  Location: 'location',
  MetadataRelationship: 'string',
  ExternalLookup: 'reference',
};

const tag = (xml: string, name: string): string | undefined => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1]?.trim();
const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function readField(xml: string): SchemaField {
  const name = tag(xml, 'fullName') ?? '';
  const mdType = tag(xml, 'type') ?? 'Text';
  // A metadata relationship to another custom metadata type is a lookup to its records (describe: reference).
  const toMdt = mdType === 'MetadataRelationship' && /__mdt$/i.test(tag(xml, 'referenceTo') ?? '');
  const type = toMdt ? 'reference' : (TYPES[mdType] ?? 'string');
  const num = (t: string) => (tag(xml, t) === undefined ? undefined : Number(tag(xml, t)));
  const values: SchemaField['picklistValues'] = [];
  const set = tag(xml, 'valueSetDefinition');
  if (set)
    for (const m of set.matchAll(/<value>([\s\S]*?)<\/value>/g)) {
      const v = unescape(tag(m[1], 'fullName') ?? '');
      values.push({
        value: v,
        label: unescape(tag(m[1], 'label') ?? v),
        default: tag(m[1], 'default') === 'true',
        active: tag(m[1], 'isActive') !== 'false',
      });
    }
  return {
    name,
    type,
    label: tag(xml, 'label') === undefined ? undefined : unescape(tag(xml, 'label')!),
    referenceTo: tag(xml, 'referenceTo'),
    relationshipName: type === 'reference' ? name.replace(/__c$/i, '__r') : undefined,
    childRelationshipName: tag(xml, 'relationshipName'),
    required: tag(xml, 'required') === 'true' || mdType === 'MasterDetail',
    masterDetail: mdType === 'MasterDetail',
    length: num('length'),
    precision: num('precision'),
    scale: num('scale'),
    unique: tag(xml, 'unique') === 'true',
    externalId: tag(xml, 'externalId') === 'true',
    autoNumber: mdType === 'AutoNumber',
    formula: tag(xml, 'formula') !== undefined || mdType === 'Summary',
    ...(tag(xml, 'formula') === undefined
      ? {}
      : {
          calculatedFormula: unescape(tag(xml, 'formula')!),
          formulaTreatNullNumberAsZero: tag(xml, 'formulaTreatBlanksAs') === 'BlankAsZero',
        }),
    picklistValues: values,
    defaultValue: tag(xml, 'defaultValue') === undefined ? undefined : unescape(tag(xml, 'defaultValue')!),
    helpText: tag(xml, 'inlineHelpText'),
  };
}

/**
 * Field sets in metadata XML: a source-format `<FieldSet>` file, or each `<fieldSets>` of an object file
 * (the Metadata API format). Members are the `displayedFields` in order; `availableFields` are only
 * offered to admins and are not in the set (Metadata API Developer Guide, "FieldSet").
 */
export function readFieldSets(xml: string): FieldSetDescribe[] {
  const blocks = /<FieldSet[\s>]/.test(xml) ? [xml] : [...xml.matchAll(/<fieldSets>([\s\S]*?)<\/fieldSets>/g)].map((m) => m[1]);
  return blocks.flatMap((block) => {
    const fields = [...block.matchAll(/<displayedFields>([\s\S]*?)<\/displayedFields>/g)].map((m) => ({
      field: tag(m[1], 'field') ?? '',
      required: tag(m[1], 'isRequired') === 'true',
    }));
    // the set's own tags, outside its member lists
    const own = block.replace(/<(displayedFields|availableFields)>[\s\S]*?<\/\1>/g, '');
    const name = tag(own, 'fullName');
    if (!name) return [];
    const description = tag(own, 'description');
    return [
      {
        name,
        label: unescape(tag(own, 'label') ?? name),
        description: description === undefined ? null : unescape(description),
        fields: fields.filter((x) => x.field),
      },
    ];
  });
}

/**
 * A geolocation field's latitude and longitude, the parts code reads and writes (`Where__Latitude__s`):
 * the compound `Where__c` itself is read-only (SOAP API Developer Guide, "Compound Field Considerations and
 * Limitations": https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/compound_fields_limitations.htm).
 */
function locationParts(field: SchemaField): SchemaField[] {
  if (field.type !== 'location' || !/__c$/i.test(field.name)) return [];
  const base = field.name.slice(0, -3);
  return ['Latitude', 'Longitude'].map((part) => ({
    name: `${base}__${part}__s`,
    type: 'double',
    label: `${field.label ?? base.replace(/_/g, ' ')} (${part})`,
    precision: 3 + (field.scale ?? 15),
    scale: field.scale ?? 15,
  }));
}

const AUDIT: SchemaField[] = [
  { name: 'Id', type: 'id', system: true },
  { name: 'IsDeleted', type: 'boolean', system: true },
  { name: 'CreatedDate', type: 'datetime', system: true },
  { name: 'CreatedById', type: 'reference', referenceTo: 'User', relationshipName: 'CreatedBy', system: true },
  { name: 'LastModifiedDate', type: 'datetime', system: true },
  { name: 'LastModifiedById', type: 'reference', referenceTo: 'User', relationshipName: 'LastModifiedBy', system: true },
  { name: 'SystemModstamp', type: 'datetime', system: true },
];

/** The standard fields every object of this kind has, before its custom fields. */
function baseFields(name: string, objectXml: string, fields: SchemaField[]): SchemaField[] {
  if (/__mdt$/i.test(name))
    return [
      { name: 'Id', type: 'id', system: true },
      ...['DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix', 'Language'].map((n) => ({
        name: n,
        type: 'string',
        required: n === 'DeveloperName' || n === 'MasterLabel',
      })),
    ];
  if (/__e$/i.test(name))
    return [
      { name: 'ReplayId', type: 'string', system: true },
      { name: 'EventUuid', type: 'string', system: true },
      { name: 'CreatedDate', type: 'datetime', system: true },
      { name: 'CreatedById', type: 'reference', referenceTo: 'User', relationshipName: 'CreatedBy', system: true },
    ];
  // custom settings: a Name, and hierarchy ones the level they belong to (org, profile or user)
  const settingType = tag(objectXml, 'customSettingsType');
  if (settingType)
    return [
      ...AUDIT,
      { name: 'Name', type: 'string', length: 38 },
      ...(settingType === 'Hierarchy' ? [{ name: 'SetupOwnerId', type: 'reference', referenceTo: 'User' }] : []),
    ];
  const nameField = tag(objectXml, 'nameField') ?? '';
  const autoNumber = tag(nameField, 'type') === 'AutoNumber';
  const out: SchemaField[] = [...AUDIT, { name: 'Name', type: 'string', label: tag(nameField, 'label'), autoNumber, length: 80 }];
  // a detail object of a master-detail has no owner
  if (!fields.some((x) => x.masterDetail)) out.push({ name: 'OwnerId', type: 'reference', referenceTo: 'User', relationshipName: 'Owner' });
  return out;
}

/**
 * The share object Salesforce keeps for a custom object whose org-wide default is Private or Public Read
 * Only (`X__Share`; Apex Developer Guide, "Sharing a Record Using Apex"; Object Reference,
 * "StandardObjectNameShare" for the fields). RowCause holds the standard causes and the object's Apex
 * sharing reasons (`Reason__c`).
 */
function shareObject(name: string, xml: string, reasons: string[]): SchemaObject | undefined {
  if (!/__c$/i.test(name) || tag(xml, 'customSettingsType') || !/^(Private|Read)$/.test(tag(xml, 'sharingModel') ?? '')) return undefined;
  const picklist = (values: string[]) => values.map((v) => ({ value: v, label: v, default: false, active: true }));
  const share = `${name.slice(0, -3)}__Share`;
  return {
    name: share,
    label: `${tag(xml, 'label') ?? name} Share`,
    custom: true,
    fields: [
      { name: 'Id', type: 'id', system: true },
      { name: 'ParentId', type: 'reference', referenceTo: name, relationshipName: 'Parent', required: true },
      { name: 'UserOrGroupId', type: 'reference', referenceTo: 'User', relationshipName: 'UserOrGroup', required: true },
      { name: 'AccessLevel', type: 'picklist', required: true, picklistValues: picklist(['Read', 'Edit', 'All']) },
      {
        name: 'RowCause',
        type: 'picklist',
        picklistValues: picklist(['Owner', 'Manual', 'Rule', 'ImplicitChild', 'ImplicitParent', 'Team', ...reasons]),
      },
      { name: 'IsDeleted', type: 'boolean', system: true },
      { name: 'LastModifiedDate', type: 'datetime', system: true },
      { name: 'LastModifiedById', type: 'reference', referenceTo: 'User', relationshipName: 'LastModifiedBy', system: true },
    ],
  };
}

/** Objects under each `objects/` folder of the source dirs (custom ones complete, standard ones as added fields). */
export function readProjectObjects(files: string[]): SchemaObject[] {
  type Parts = { xml: string; fields: SchemaField[]; reasons: string[]; fieldSets: FieldSetDescribe[] };
  const byObject = new Map<string, Parts>();
  const partsOf = (name: string): Parts => {
    const e = byObject.get(name) ?? { xml: '', fields: [], reasons: [], fieldSets: [] };
    byObject.set(name, e);
    return e;
  };
  for (const f of files) {
    let m = /\/objects\/([^/]+)\/sharingReasons\/([^/]+)\.sharingReason-meta\.xml$/.exec(f);
    if (m) {
      partsOf(m[1]).reasons.push(m[2]);
      continue;
    }
    m = /\/objects\/([^/]+)\/fieldSets\/[^/]+\.fieldSet-meta\.xml$/.exec(f);
    if (m) {
      partsOf(m[1]).fieldSets.push(...readFieldSets(readFileSync(f, 'utf8')));
      continue;
    }
    m = /\/objects\/([^/]+)\/[^/]+\.object-meta\.xml$/.exec(f);
    if (m) {
      partsOf(m[1]).xml = readFileSync(f, 'utf8');
      continue;
    }
    m = /\/objects\/([^/]+)\/fields\/[^/]+\.field-meta\.xml$/.exec(f);
    if (m) {
      const field = readField(readFileSync(f, 'utf8'));
      // a custom field of Activity is a field of Task and of Event (Salesforce Help, "Activity Custom Fields")
      for (const name of m[1].toLowerCase() === 'activity' ? ['Task', 'Event'] : [m[1]])
        partsOf(name).fields.push(field, ...locationParts(field));
    }
  }
  const out: SchemaObject[] = [];
  for (const [name, { xml, fields, reasons, fieldSets }] of byObject) {
    const share = shareObject(name, xml, reasons);
    if (share) out.push(share);
    const custom = /__(c|mdt|e|b|x)$/i.test(name);
    out.push({
      name,
      label: tag(xml, 'label'),
      labelPlural: tag(xml, 'pluralLabel'),
      custom,
      customSetting: tag(xml, 'customSettingsType') !== undefined,
      publishBehavior: tag(xml, 'publishBehavior'),
      fields: custom ? [...baseFields(name, xml, fields), ...fields.filter((x) => x.name)] : fields.filter((x) => x.name),
      ...(fieldSets.length ? { fieldSets } : {}),
    });
  }
  return out;
}

export function walkFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walkFiles(p, out);
    else out.push(p);
  }
  return out;
}
