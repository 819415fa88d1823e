/**
 * CustomObject (custom metadata types `X__mdt`, custom objects and custom fields on standard objects) and
 * CustomMetadata records (`Type.Record`). Records become sObject rows of `Type__mdt` through the
 * RecordStore, so `SELECT … FROM Org_B_Connection__mdt WHERE DeveloperName = 'Default'` works like it
 * does on Salesforce. Field and type references are checked against this deploy and the org.
 */
import type { DeployEnv, Handler } from './handler.ts';
import { badApiName, customNameProblem, isApiName, MAX_API_NAME, readXml } from './handler.ts';
import type { DatabaseSync } from 'node:sqlite';
import { asArray, parseMetadataXml, text, type XmlNode } from '../metadataXml.ts';
import { readFieldSets } from '../../../apex/projectObjects.ts';
import type { FieldSetDescribe } from '../../../apex/host.ts';
import { insertRecord, updateRecord } from '../../../data/store.ts';
import { recordTypesOf } from '../../../data/recordTypes.ts';

export interface CustomFieldInfo {
  name: string;
  label?: string;
  type?: string;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  referenceTo?: string;
  /** Lookup/master-detail: the child relationship name on the parent (`Contacts` → `Contacts__r`). */
  relationshipName?: string;
}

export interface CustomObjectInfo {
  name: string;
  label?: string;
  pluralLabel?: string;
  fields: CustomFieldInfo[];
  /** Custom settings: 'Hierarchy' or 'List' (their rows have SetupOwnerId or only a Name). */
  customSettingsType?: string;
  /** The object's `<fieldSets>`, which describe and Apex's `fieldSets` show. */
  fieldSets?: FieldSetDescribe[];
}

const MDT_FIELD_TYPES = [
  'Checkbox',
  'Date',
  'DateTime',
  'Email',
  'MetadataRelationship',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Text',
  'TextArea',
  'LongTextArea',
  'Url',
];
const FIELD_TYPES = [
  ...MDT_FIELD_TYPES,
  'AutoNumber',
  'Currency',
  'EncryptedText',
  'Formula',
  'Html',
  'Location',
  'Lookup',
  'MasterDetail',
  'MultiselectPicklist',
  'Summary',
  'Time',
  'Hierarchy',
  'ExternalLookup',
  'IndirectLookup',
];

function readFields(root: XmlNode): CustomFieldInfo[] {
  return asArray<XmlNode>(root['fields']).map((f) => ({
    name: text(f['fullName']) ?? '',
    label: text(f['label']),
    type: text(f['type']),
    length: text(f['length']) ? Number(text(f['length'])) : undefined,
    precision: text(f['precision']) ? Number(text(f['precision'])) : undefined,
    scale: text(f['scale']) ? Number(text(f['scale'])) : undefined,
    required: text(f['required']) === 'true',
    referenceTo: text(f['referenceTo']),
    relationshipName: text(f['relationshipName']),
  }));
}

/**
 * The object's record types (`<recordTypes>`) as RecordType rows, inserted or updated by developer name,
 * so the object gets its RecordTypeId field and SOQL finds them (tools/data/recordTypes.ts).
 */
function saveRecordTypes(db: DatabaseSync, orgId: string, sobject: string, root: XmlNode): void {
  const existing = recordTypesOf(db, orgId, sobject);
  for (const rt of asArray<XmlNode>(root['recordTypes'])) {
    const developerName = text(rt['fullName']);
    if (!developerName) continue;
    const row = {
      Name: text(rt['label']) ?? developerName,
      DeveloperName: developerName,
      SobjectType: sobject,
      IsActive: text(rt['active']) === 'true',
      Description: text(rt['description']) ?? null,
      NamespacePrefix: null,
    };
    const found = existing.find((e) => e.DeveloperName.toLowerCase() === developerName.toLowerCase());
    if (found) updateRecord(db, orgId, 'RecordType', found.Id, row, { trusted: true });
    else insertRecord(db, orgId, 'RecordType', row, { trusted: true });
  }
}

export const customObject: Handler = (c, env) => {
  const xml = readXml(c, 'CustomObject');
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  const isCustom = /__(c|mdt|e|b|x)$/.test(c.fullName);
  const label = r.string('label', { required: isCustom });
  const pluralLabel = r.string('pluralLabel', { required: isCustom && !c.fullName.endsWith('__mdt') });
  if (isCustom) {
    const problem = customNameProblem(c.fullName, 'Object Name', 'Object');
    if (problem) r.fail(problem);
  } else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(c.fullName)) r.fail(badApiName('Object Name', 'Object'));
  const isMdt = c.fullName.endsWith('__mdt');
  const seen = new Set<string>();
  for (const f of r.subs('fields', 'CustomField')) {
    const name = f.string('fullName', { required: true }) ?? '';
    const type = f.string('type');
    f.string('label', { required: /__c$/.test(name) });
    if (name && !/__c$/.test(name) && isCustom) f.fail(`Invalid field name ${name}: custom field names end with __c.`, 'fullName');
    else if (/__c$/.test(name)) {
      const problem = customNameProblem(name, 'Field Name', 'Field');
      if (problem) f.fail(problem, 'fullName');
    } else if (name && !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) f.fail(badApiName('Field Name', 'Field'), 'fullName'); // a standard field's name
    const relationshipName = f.string('relationshipName');
    if (relationshipName && !isApiName(relationshipName)) f.fail(badApiName('Child Relationship Name', 'Relationship'), 'relationshipName');
    if (seen.has(name.toLowerCase())) f.fail(`Duplicate field ${name} on ${c.fullName}.`, 'fullName');
    seen.add(name.toLowerCase());
    if (type && !(isMdt ? MDT_FIELD_TYPES : FIELD_TYPES).includes(type)) {
      f.fail(`'${type}' is not a valid value for the enum 'FieldType'${isMdt ? ` on a custom metadata type` : ''}`, 'type');
    }
    if (type === 'Text') f.int('length', { required: true, min: 1, max: 255 });
    if (type === 'Number' || type === 'Percent' || type === 'Currency') {
      const precision = f.int('precision', { min: 1, max: 18 });
      const scale = f.int('scale', { min: 0 });
      if (precision !== undefined && scale !== undefined && scale > precision)
        f.fail(`Field ${name}: scale ${scale} is larger than precision ${precision}.`, 'scale');
    }
    f.bool('required');
    f.bool('unique');
    f.bool('externalId');
  }
  const info: CustomObjectInfo = {
    name: c.fullName,
    label,
    pluralLabel,
    fields: readFields(xml.reader.node),
    customSettingsType: text(xml.reader.node['customSettingsType']),
    fieldSets: readFieldSets(xml.source),
  };
  const root = xml.reader.node;
  return {
    problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })),
    data: { ...info },
    ...(root['recordTypes'] ? { apply: (db: DatabaseSync) => saveRecordTypes(db, env.org.id, c.fullName, root) } : {}),
  };
};

/** The fields of an object as this deploy will leave it: the deployed file wins over the stored one. */
export function objectInfo(env: DeployEnv, objectName: string): CustomObjectInfo | undefined {
  const inBatch = env.batch.get(`CustomObject#${objectName}`);
  if (inBatch?.xmlFileName) {
    const parsed = parseMetadataXml(inBatch.files.get(inBatch.xmlFileName)!.toString('utf8'), 'CustomObject');
    if ('root' in parsed) return { name: objectName, label: text(parsed.root['label']), fields: readFields(parsed.root) };
  }
  const stored = env.stored('CustomObject', objectName);
  return stored ? (stored.data as unknown as CustomObjectInfo) : undefined;
}

function convert(value: XmlNode | string | undefined, type: string | undefined): unknown {
  if (value === undefined) return null;
  if (typeof value === 'object' && (value['@_nil'] === 'true' || value['@_xsi:nil'] === 'true')) return null;
  const s = text(value) ?? '';
  switch (type) {
    case 'Checkbox':
      return s === 'true';
    case 'Number':
    case 'Percent':
    case 'Currency':
      return s === '' ? null : Number(s);
    default:
      return s;
  }
}

export const customMetadata: Handler = (c, env) => {
  const xml = readXml(c, 'CustomMetadata');
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly(['description', 'label', 'protected', 'values']);
  const dot = c.fullName.indexOf('.');
  const typeBase = dot > 0 ? c.fullName.slice(0, dot) : '';
  const developerName = dot > 0 ? c.fullName.slice(dot + 1) : c.fullName;
  const objectName = `${typeBase}__mdt`;
  const label = r.string('label', { required: true, max: 40 });
  const isProtected = r.bool('protected', { default: false });
  // Both texts as a live deploy gives them (field report).
  if (!isApiName(developerName)) r.fail(badApiName('Custom Metadata Record Name', objectName));
  else if (developerName.length > MAX_API_NAME) r.fail(`Value too long for field: fullName maximum length is:${MAX_API_NAME}`);
  const type = typeBase ? objectInfo(env, objectName) : undefined;
  const values: Record<string, unknown> = {};
  if (!type) {
    // Wording unverified.
    r.fail(`Custom metadata type ${objectName} doesn't exist in this deploy or the org.`);
  } else {
    for (const f of type.fields) values[f.name] = null;
    for (const v of r.children('values')) {
      const field = text(v['field']) ?? '';
      const def = type.fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
      if (!def) {
        r.fail(`In field: field - no CustomField named ${objectName}.${field} found`, 'field');
        continue;
      }
      const raw = v['value'] as XmlNode | string | undefined;
      const converted = convert(raw, def.type);
      if (def.type === 'Number' && typeof converted === 'number' && Number.isNaN(converted)) {
        r.fail(`Field ${def.name}: '${text(raw)}' is not a valid number.`, 'value');
        continue;
      }
      if (def.type === 'Checkbox' && raw !== undefined && !['true', 'false'].includes(text(raw) ?? '')) {
        r.fail(`Field ${def.name}: '${text(raw)}' is not a valid value for a checkbox.`, 'value');
        continue;
      }
      if (def.type === 'Text' && typeof converted === 'string' && def.length && converted.length > def.length) {
        r.fail(`Field ${def.name}: data value too large (max length=${def.length}).`, 'value');
        continue;
      }
      values[def.name] = converted;
    }
  }
  return {
    problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })),
    data: { type: objectName, developerName, label, protected: isProtected, values },
    apply: (_db, records) => {
      records.upsert(env.org.id, objectName, 'DeveloperName', {
        DeveloperName: developerName,
        MasterLabel: label,
        Label: label,
        QualifiedApiName: developerName,
        NamespacePrefix: null,
        ...values,
      });
    },
  };
};
