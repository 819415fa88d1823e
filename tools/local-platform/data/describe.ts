import { maxLength, type ObjectDef, type FieldDef } from '../../data/schema.ts';
import { keyPrefixFor } from '../../data/ids.ts';
import { MASTER_RECORD_TYPE_ID, type RecordTypeRow } from '../../data/recordTypes.ts';

/** Describe results in the REST API's shape, for the fields tools read (sf data, jsforce, SDR). */
const SOAP: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function describeField(fd: FieldDef): Record<string, unknown> {
  const updateable = !fd.system && fd.name !== 'Name';
  return {
    name: fd.name,
    label: fd.name.replace(/__c$/, '').replace(/Id$/, (m) => (fd.type === 'reference' ? ' ID' : m)),
    type: fd.type,
    soapType: SOAP[fd.type] ?? 'xsd:string',
    length: maxLength(fd) ?? (fd.type === 'id' || fd.type === 'reference' ? 18 : 0),
    nillable: !fd.required && fd.type !== 'boolean' && fd.name !== 'Id',
    createable: !fd.system,
    updateable: !fd.system && updateable,
    filterable: true,
    sortable: fd.type !== 'textarea',
    groupable: true,
    custom: fd.name.endsWith('__c'),
    externalId: false,
    idLookup: fd.name === 'Id' || fd.name === 'Username' || fd.name === 'Name',
    nameField: fd.name === 'Name',
    unique: fd.name === 'Username',
    defaultedOnCreate: fd.system || fd.type === 'boolean' || fd.name === 'OwnerId',
    calculated: false,
    referenceTo: fd.polymorphicTo ?? (fd.referenceTo ? [fd.referenceTo] : []),
    relationshipName: fd.relationshipName ?? null,
    picklistValues: [],
    precision: 0,
    scale: 0,
    digits: 0,
  };
}

export function objectUrls(def: ObjectDef, v: string): Record<string, string> {
  const base = `/services/data/v${v}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function describeSummary(def: ObjectDef, v: string): Record<string, unknown> {
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.label + 's',
    keyPrefix: keyPrefixFor(def.name),
    custom: !!def.custom,
    customSetting: false,
    createable: true,
    deletable: true,
    updateable: true,
    queryable: true,
    retrieveable: true,
    searchable: !def.name.endsWith('__mdt'),
    layoutable: true,
    triggerable: true,
    replicateable: true,
    undeletable: true,
    mergeable: false,
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    isInterface: false,
    isSubtype: false,
    hasSubtypes: false,
    mruEnabled: false,
    urls: objectUrls(def, v),
  };
}

/**
 * The REST describe's recordTypeInfos: Master, then the object's record types (rows of RecordType), each
 * available (profiles' record type assignments are not modelled; FIDELITY.md) with Master the default.
 */
function recordTypeInfos(def: ObjectDef, v: string, rows: RecordTypeRow[]): Record<string, unknown>[] {
  const info = (id: string, name: string, developerName: string, active: boolean, master: boolean) => ({
    active,
    available: active,
    defaultRecordTypeMapping: master,
    developerName,
    master,
    name,
    recordTypeId: id,
    urls: { layout: `/services/data/v${v}/sobjects/${def.name}/describe/layouts/${id}` },
  });
  return [
    info(MASTER_RECORD_TYPE_ID, 'Master', 'Master', true, true),
    ...rows.map((r) => info(r.Id, r.Name, r.DeveloperName, r.IsActive, false)),
  ];
}

export function describeObject(def: ObjectDef, v: string, recordTypes: RecordTypeRow[] = []): Record<string, unknown> {
  return {
    ...describeSummary(def, v),
    fields: def.fields.map(describeField),
    childRelationships: [],
    recordTypeInfos: recordTypeInfos(def, v, recordTypes),
    supportedScopes: [],
    namedLayoutInfos: [],
    actionOverrides: [],
  };
}
