/**
 * Schema describe and field-level security: SObjectType and SObjectField tokens, getGlobalDescribe,
 * describeSObjects, DescribeSObjectResult/DescribeFieldResult/PicklistEntry/ChildRelationship/
 * RecordTypeInfo, Id.getSObjectType, Security.stripInaccessible. Results come from the host's
 * describe of the org for the running user (runAs users and permission sets included), so FLS and
 * CRUD answers are the org's, not always true.
 */
import { randomUUID } from 'node:crypto';
import './primitives.ts'; // String and Id, which Id.getSObjectType extends below
import { defineEnum, NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, ApexMap, ApexSet, EnumValue, SObject, stringValueOf } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { FieldDescribe, SObjectDescribe } from '../host.ts';
import { loadDefaultValues } from './fieldDefaults.ts';
import { primeCheckboxes } from '../run/checkboxes.ts';
import { compoundFieldName } from './compoundFields.ts';
import { recordTypeInfoList, recordTypeInfoMap } from './recordTypeInfos.ts';

const STRING: TypeRef = { name: 'String', args: [], array: 0 };
const ref = (name: string, ...args: TypeRef[]): TypeRef => ({ name, args, array: 0 });
const str = (v: unknown) => stringValueOf(v);

/** Maps whose String keys Salesforce matches case-insensitively (getGlobalDescribe, fields.getMap()). */
export class CaseInsensitiveMap extends ApexMap {
  private low = (k: unknown) => (typeof k === 'string' ? k.toLowerCase() : k);
  bucketKey(k: unknown): unknown {
    return super.bucketKey(this.low(k));
  }
  put(k: unknown, v: unknown): unknown {
    return super.put(this.low(k), v);
  }
}

// ---------------------------------------------------------------- tokens

/** Tokens are interned so `==`, Set and Map compare them by identity, as Salesforce compares tokens. */
const typeTokens = new Map<string, NObj>();
const fieldTokens = new Map<string, NObj>();

export function sobjectTypeToken(name: string): NObj {
  const key = name.toLowerCase().replace(/^schema\./, '');
  let t = typeTokens.get(key);
  if (!t) {
    t = new NObj('Schema.SObjectType');
    t.set('name', name.replace(/^schema\./i, ''));
    typeTokens.set(key, t);
  }
  return t;
}

export function fieldToken(sobject: string, field: string): NObj {
  const key = `${sobject}.${field}`.toLowerCase();
  let t = fieldTokens.get(key);
  if (!t) {
    t = new NObj('Schema.SObjectField');
    t.set('name', field);
    t.set('sobject', sobject);
    fieldTokens.set(key, t);
  }
  return t;
}

// ---------------------------------------------------------------- describe from the host

/** The host's describe for the running user, once per transaction, user and object. */
async function describeOf(f: Frame, name: string, site: Site): Promise<SObjectDescribe | undefined> {
  const host = f.tx.host;
  if (!host.describeSObject) return unsupported(f, `Schema describe of ${name} (this org's host has no describe)`, site);
  const key = `describe.${host.user.id}.${name.toLowerCase()}`;
  if (f.tx.cacheLocal.has(key)) return f.tx.cacheLocal.get(key) as SObjectDescribe | undefined;
  const d = await f.tx.hostCall(() => host.describeSObject!(name));
  f.tx.cacheLocal.set(key, d);
  return d;
}

export async function requireDescribe(f: Frame, name: string, site: Site): Promise<SObjectDescribe> {
  const d = await describeOf(f, name, site);
  // The object is named in compiled code, so Salesforce knows it; the local schema does not.
  if (!d) return unsupported(f, `describe of ${name} (not in the local org's schema)`, site);
  return d;
}

async function globalList(f: Frame, site: Site): Promise<{ name: string; keyPrefix: string | null }[]> {
  const host = f.tx.host;
  if (!host.describeGlobal) return unsupported(f, 'Schema.getGlobalDescribe (this org host has no describe)', site);
  const key = 'describe.global';
  if (!f.tx.cacheLocal.has(key)) f.tx.cacheLocal.set(key, await f.tx.hostCall(() => host.describeGlobal!()));
  return f.tx.cacheLocal.get(key) as { name: string; keyPrefix: string | null }[];
}

export function findFieldOf(d: SObjectDescribe, name: string): FieldDescribe | undefined {
  const low = name.toLowerCase();
  return d.fields.find((x) => x.name.toLowerCase() === low);
}

export function fieldResult(d: SObjectDescribe, fd: FieldDescribe): NObj {
  const r = new NObj('Schema.DescribeFieldResult');
  r.set('__f', fd);
  r.set('__o', d.name);
  r.set('__d', d);
  return r;
}

/** DescribeSObjectResult: `fields.<Name>` and `fields.getMap()`, `fieldSets` (lib/fieldSets.ts). */
function objectResult(f: Frame, d: SObjectDescribe): NObj {
  const key = `describe.result.${f.tx.host.user.id}.${d.name.toLowerCase()}`;
  const hit = f.tx.cacheLocal.get(key) as NObj | undefined;
  if (hit) return hit;
  const r = new NObj('Schema.DescribeSObjectResult');
  r.set('__d', d);
  const fields = new NObj('Schema.SObjectTypeFields');
  fields.set('__d', d);
  for (const fd of d.fields) fields.set(fd.name, fieldResult(d, fd));
  r.set('fields', fields);
  const sets = new NObj('Schema.FieldSets');
  sets.set('__d', d);
  r.set('fieldSets', sets);
  f.tx.cacheLocal.set(key, r);
  return r;
}

const D = (o: NObj) => o.get<SObjectDescribe>('__d');
type Child = SObjectDescribe['childRelationships'][number];
const childResults = new WeakMap<Child, NObj>();
const F = (o: NObj) => o.get<FieldDescribe>('__f');

// ---------------------------------------------------------------- enums

const DISPLAY_TYPES = defineEnum(
  'Schema.DisplayType',
  (
    'ADDRESS ANYTYPE BASE64 BOOLEAN COMBOBOX COMPLEXVALUE CURRENCY DATACATEGORYGROUPREFERENCE DATE DATETIME DOUBLE EMAIL ' +
    'ENCRYPTEDSTRING ID INTEGER JSON LOCATION LONG MULTIPICKLIST PERCENT PHONE PICKLIST REFERENCE SOBJECT STRING TEXTAREA TIME URL'
  ).split(' '),
  'DisplayType',
);
const SOAP_TYPES = defineEnum(
  'Schema.SoapType',
  'ANYTYPE BASE64BINARY BOOLEAN DATE DATETIME DOUBLE ID INTEGER LONG STRING TIME'.split(' '),
  'SoapType',
);
const SOAP_OF: Record<string, string> = {
  id: 'ID',
  reference: 'ID',
  boolean: 'BOOLEAN',
  int: 'INTEGER',
  double: 'DOUBLE',
  currency: 'DOUBLE',
  percent: 'DOUBLE',
  date: 'DATE',
  datetime: 'DATETIME',
  time: 'TIME',
  base64: 'BASE64BINARY',
  long: 'LONG',
  location: 'ANYTYPE',
  address: 'ANYTYPE',
  anytype: 'ANYTYPE',
};
export const displayType = (t: string) => DISPLAY_TYPES.get(t === 'int' ? 'integer' : t) ?? DISPLAY_TYPES.get('string')!;
// describeSObjects(names, options) and getDescribe(options): DEFERRED describes child relationships and
// fields lazily; the answers are the same (Apex Reference, "SObjectDescribeOptions Enum")
defineEnum('Schema.SObjectDescribeOptions', ['DEFAULT', 'DEFERRED', 'FULL'], 'SObjectDescribeOptions');
defineEnum('System.AccessType', ['CREATABLE', 'READABLE', 'UPDATABLE', 'UPSERTABLE'], 'AccessType');

// ---------------------------------------------------------------- Schema namespace

defineNative({
  name: 'Schema',
  statics: {
    'Map<String, Schema.SObjectType> getGlobalDescribe()': async (f, _a, site) => {
      const m = new CaseInsensitiveMap(STRING, ref('Schema.SObjectType'));
      for (const o of await globalList(f, site)) m.put(o.name, sobjectTypeToken(o.name));
      return m;
    },
    describeSObjects: async (f, [names], site) => {
      if (names === null) throwNpe(f);
      const out = new ApexList([], ref('Schema.DescribeSObjectResult'));
      for (const n of (names as ApexList).items) {
        const d = await describeOf(f, str(n), site);
        // unverified: the exact text Salesforce uses for an unknown type in describeSObjects
        if (!d) throwEx(f, 'InvalidParameterValueException', `In describeSObjects(), invalid sObject type: ${str(n)}`);
        out.items.push(objectResult(f, d!));
      }
      return out;
    },
  },
});

defineNative(
  {
    name: 'Schema.SObjectType',
    construct: (f, [name]) => sobjectTypeToken(str(name)),
    // `Schema.SObjectType.Account` is Account's DescribeSObjectResult
    staticMember: async (f, name, site) => objectResult(f, await requireDescribe(f, name, site)),
    // `Account.SObjectType.fields.Name`: the field's token
    instanceMember: (f, t: NObj, name, site) => {
      if (name.toLowerCase() !== 'fields') return unsupported(f, `field ${name} on Schema.SObjectType`, site);
      const fields = new NObj('Schema.SObjectTypeTokenFields');
      fields.set('sobject', t.get('name'));
      return fields;
    },
    methods: {
      getDescribe: async (f, t: NObj, _a, site) => objectResult(f, await requireDescribe(f, t.get('name'), site)),
      newSObject: async (f, t: NObj, args, site) => {
        const name = t.get<string>('name');
        await primeCheckboxes(f, name);
        const so = new SObject(name);
        if (args.length && args[0] !== null) so.put(args.length === 2 ? 'RecordTypeId' : 'Id', args[0]);
        if (args[1] === true) await loadDefaultValues(f, so, await requireDescribe(f, name, site), site);
        // a platform event made with defaults carries its EventUuid before it is published, for publish
        // callbacks to correlate (Platform Events Developer Guide, Apex Publish Callbacks)
        if (args[1] === true && /__e$/i.test(name)) so.put('EventUuid', randomUUID());
        return so;
      },
      tostring: (f, t: NObj) => t.get('name'),
      equals: (f, t: NObj, [o]) => o === t,
      hashCode: (f, t: NObj) => hash(t.get('name')),
    },
  },
  'SObjectType',
);

defineNative(
  {
    name: 'Schema.SObjectField',
    construct: (f, [sobject, field]) => fieldToken(str(sobject), str(field)),
    methods: {
      tostring: (f, t: NObj) => t.get('name'),
      getDescribe: async (f, t: NObj, _a, site) => {
        const d = await requireDescribe(f, t.get('sobject'), site);
        const fd = findFieldOf(d, t.get('name'));
        if (!fd) return unsupported(f, `describe of ${t.get('sobject')}.${t.get('name')} (not in the local org's schema)`, site);
        return fieldResult(d, fd);
      },
      equals: (f, t: NObj, [o]) => o === t,
      hashCode: (f, t: NObj) => hash(`${t.get('sobject')}.${t.get('name')}`),
    },
    // Schema.X__Share.RowCause.Reason__c is the reason's name (Apex Developer Guide, "Sharing a Record Using Apex")
    instanceMember: async (f, t: NObj, name, site) => {
      if (String(t.get('name')).toLowerCase() !== 'rowcause' || !/share$/i.test(String(t.get('sobject'))))
        return unsupported(f, `field ${name} on Schema.SObjectField`, site);
      const fd = findFieldOf(await requireDescribe(f, t.get('sobject'), site), 'RowCause');
      const cause = fd?.picklistValues.find((p) => p.value.toLowerCase() === name.toLowerCase());
      return cause ? cause.value : unsupported(f, `sharing reason ${name} of ${t.get('sobject')}`, site);
    },
  },
  'SObjectField',
);

function hash(s: string): number {
  let h = 0;
  for (const c of s.toLowerCase()) h = (Math.imul(31, h) + c.charCodeAt(0)) | 0;
  return h;
}

defineNative({
  name: 'Schema.SObjectTypeFields',
  methods: {
    getMap: (f, o: NObj) => {
      const d = D(o);
      const m = new CaseInsensitiveMap(STRING, ref('Schema.SObjectField'));
      for (const fd of d.fields) m.put(fd.name, fieldToken(d.name, fd.name));
      return m;
    },
  },
});
defineNative({
  name: 'Schema.SObjectTypeTokenFields',
  instanceMember: async (f, o: NObj, name, site) => {
    const d = await requireDescribe(f, o.get('sobject'), site);
    const fd = findFieldOf(d, name);
    if (!fd) return unsupported(f, `field ${name} of ${d.name} (not in the local org's schema)`, site);
    return fieldToken(d.name, fd.name);
  },
});

defineNative(
  {
    name: 'Schema.DescribeSObjectResult',
    methods: {
      getName: (f, o: NObj) => D(o).name,
      getLocalName: (f, o: NObj) => D(o).name,
      getLabel: (f, o: NObj) => D(o).label,
      getLabelPlural: (f, o: NObj) => D(o).labelPlural,
      getKeyPrefix: (f, o: NObj) => D(o).keyPrefix,
      getSObjectType: (f, o: NObj) => sobjectTypeToken(D(o).name),
      isAccessible: (f, o: NObj) => D(o).accessible,
      isCreateable: (f, o: NObj) => D(o).createable,
      isUpdateable: (f, o: NObj) => D(o).updateable,
      isDeletable: (f, o: NObj) => D(o).deletable,
      isUndeletable: (f, o: NObj) => D(o).undeletable,
      isQueryable: (f, o: NObj) => D(o).queryable,
      isSearchable: (f, o: NObj) => D(o).searchable,
      isMergeable: (f, o: NObj) => ['account', 'contact', 'lead', 'case'].includes(D(o).name.toLowerCase()) && D(o).deletable,
      isCustom: (f, o: NObj) => D(o).custom,
      isCustomSetting: (f, o: NObj) => D(o).customSetting,
      isFeedEnabled: () => false,
      isMruEnabled: () => false,
      isDeprecatedAndHidden: () => false,
      isLayoutable: (f, o: NObj) => !/__(mdt|e)$/i.test(D(o).name),
      getHasSubtypes: () => false,
      isSubtype: () => false,
      getChildRelationships: (f, o: NObj) =>
        new ApexList(
          D(o).childRelationships.map((c) => {
            // one object per relationship, so a Map keyed by it finds it again (fflib_QueryFactory's subselects)
            let r = childResults.get(c);
            if (!r) childResults.set(c, (r = new NObj('Schema.ChildRelationship')));
            r.set('__c', c);
            return r;
          }),
          ref('Schema.ChildRelationship'),
        ),
      getRecordTypeInfos: (f, o: NObj) => recordTypeInfoList(D(o)),
      getRecordTypeInfosById: (f, o: NObj) => recordTypeInfoMap(D(o), 'recordTypeId'),
      getRecordTypeInfosByName: (f, o: NObj) => recordTypeInfoMap(D(o), 'name'),
      getRecordTypeInfosByDeveloperName: (f, o: NObj) => recordTypeInfoMap(D(o), 'developerName'),
    },
  },
  'DescribeSObjectResult',
);

defineNative(
  {
    name: 'Schema.ChildRelationship',
    methods: {
      getChildSObject: (f, o: NObj) => sobjectTypeToken(o.get<Child>('__c').childSObject),
      getField: (f, o: NObj) => fieldToken(o.get<Child>('__c').childSObject, o.get<Child>('__c').field),
      getRelationshipName: (f, o: NObj) => o.get<Child>('__c').relationshipName,
      isCascadeDelete: (f, o: NObj) => o.get<Child>('__c').cascadeDelete,
      isRestrictedDelete: () => false,
      isDeprecatedAndHidden: () => false,
    },
  },
  'ChildRelationship',
);

defineNative(
  {
    name: 'Schema.DescribeFieldResult',
    methods: {
      getName: (f, o: NObj) => F(o).name,
      getLocalName: (f, o: NObj) => F(o).name,
      getLabel: (f, o: NObj) => F(o).label,
      getType: (f, o: NObj) => displayType(F(o).type),
      getSoapType: (f, o: NObj) => SOAP_TYPES.get((SOAP_OF[F(o).type] ?? 'STRING').toLowerCase()),
      getLength: (f, o: NObj) => F(o).length,
      getByteLength: (f, o: NObj) => F(o).length * 3,
      getPrecision: (f, o: NObj) => F(o).precision,
      getScale: (f, o: NObj) => F(o).scale,
      getDigits: (f, o: NObj) => F(o).digits,
      isAccessible: (f, o: NObj) => F(o).accessible,
      isCreateable: (f, o: NObj) => F(o).createable,
      isUpdateable: (f, o: NObj) => F(o).updateable,
      isNillable: (f, o: NObj) => F(o).nillable,
      isCustom: (f, o: NObj) => F(o).custom,
      isAutoNumber: (f, o: NObj) => F(o).autoNumber,
      isCalculated: (f, o: NObj) => F(o).calculated,
      isUnique: (f, o: NObj) => F(o).unique,
      isExternalId: (f, o: NObj) => F(o).externalId,
      // Shield Platform Encryption is not available in local orgs: no field is encrypted
      isEncrypted: () => false,
      isIdLookup: (f, o: NObj) => F(o).idLookup,
      isNameField: (f, o: NObj) => F(o).nameField,
      isDefaultedOnCreate: (f, o: NObj) => F(o).defaultedOnCreate,
      isFilterable: (f, o: NObj) => F(o).filterable,
      isSortable: (f, o: NObj) => F(o).sortable,
      isGroupable: (f, o: NObj) => F(o).groupable,
      isCascadeDelete: (f, o: NObj) => F(o).cascadeDelete,
      isHtmlFormatted: () => false,
      isCaseSensitive: () => false,
      isDependentPicklist: () => false,
      isRestrictedPicklist: () => false,
      isPermissionable: (f, o: NObj) => !F(o).calculated && F(o).nillable,
      isDeprecatedAndHidden: () => false,
      isNamePointing: (f, o: NObj) => F(o).referenceTo.length > 1,
      getController: () => null,
      // A Checkbox's default is a Boolean; other fields' defaults are formulas, which getDefaultValue
      // does not evaluate (null) and getDefaultValueFormula gives as written.
      getDefaultValue: (f, o: NObj) => {
        const d = F(o).defaultValue;
        return F(o).type === 'boolean' && typeof d === 'string' ? d.trim().toLowerCase() === 'true' : null;
      },
      getDefaultValueFormula: (f, o: NObj) => (F(o).type === 'boolean' ? null : (F(o).defaultValue ?? null)),
      getInlineHelpText: (f, o: NObj) => F(o).inlineHelpText,
      getRelationshipName: (f, o: NObj) => F(o).relationshipName,
      getRelationshipOrder: () => null,
      getReferenceTo: (f, o: NObj) => new ApexList(F(o).referenceTo.map(sobjectTypeToken), ref('Schema.SObjectType')),
      getReferenceTargetField: () => null,
      getSObjectField: (f, o: NObj) => fieldToken(o.get('__o'), F(o).name),
      getSObjectType: (f, o: NObj) => sobjectTypeToken(o.get('__o')),
      getCompoundFieldName: (f, o: NObj) => compoundFieldName(D(o), F(o).name),
      getPicklistValues: (f, o: NObj) =>
        new ApexList(
          F(o).picklistValues.map((p) => {
            const e = new NObj('Schema.PicklistEntry');
            e.set('__p', p);
            for (const [k, v] of Object.entries({ active: p.active, defaultValue: p.defaultValue, label: p.label, value: p.value }))
              e.set(k, v);
            e.set('validFor', null);
            return e;
          }),
          ref('Schema.PicklistEntry'),
        ),
    },
  },
  'DescribeFieldResult',
);

type Pick = FieldDescribe['picklistValues'][number];
defineNative(
  {
    name: 'Schema.PicklistEntry',
    // JSON.serialize writes these keys (validFor: the controlling values of a dependent picklist, null here)
    json: { active: 'Boolean', defaultValue: 'Boolean', label: 'String', validFor: 'String', value: 'String' },
    methods: {
      getValue: (f, o: NObj) => o.get<Pick>('__p').value,
      getLabel: (f, o: NObj) => o.get<Pick>('__p').label,
      isActive: (f, o: NObj) => o.get<Pick>('__p').active,
      isDefaultValue: (f, o: NObj) => o.get<Pick>('__p').defaultValue,
    },
  },
  'PicklistEntry',
);

// ---------------------------------------------------------------- Id.getSObjectType

/** Id values are Strings at run time, so `someId.getSObjectType()` is a String method here. */
async function idSObjectType(f: Frame, id: string, site: Site): Promise<NObj | null> {
  const prefix = id.slice(0, 3);
  const hit = (await globalList(f, site)).find((o) => o.keyPrefix === prefix);
  if (!hit) throwEx(f, 'StringException', `Invalid id: ${id}`);
  return sobjectTypeToken(hit!.name);
}
natives.get('string')!.methods!['getsobjecttype'] = (f, s: string, _a, site) => idSObjectType(f, s, site);
natives.get('id')!.methods = { ...natives.get('id')!.methods, getsobjecttype: (f, s: string, _a, site) => idSObjectType(f, s, site) };

// ---------------------------------------------------------------- Security.stripInaccessible

function allows(fd: FieldDescribe, access: string): boolean {
  switch (access) {
    case 'READABLE':
      return fd.accessible;
    case 'CREATABLE':
      return fd.createable;
    case 'UPDATABLE':
      return fd.updateable;
    default:
      return fd.createable && fd.updateable;
  }
}

function objectAllows(d: SObjectDescribe, access: string): boolean {
  if (access === 'READABLE') return d.accessible;
  if (access === 'CREATABLE') return d.createable;
  if (access === 'UPDATABLE') return d.updateable;
  return d.createable && d.updateable;
}

interface Stripping {
  access: string;
  removed: Map<string, Set<string>>;
  site: Site;
}

/** A copy of `so` without the fields the user may not use; parents and child lists are stripped too. */
async function strip(f: Frame, so: SObject, st: Stripping): Promise<{ copy: SObject; changed: boolean }> {
  const d = await requireDescribe(f, so.type, st.site);
  const copy = new SObject(so.type);
  let changed = false;
  for (const { name, value } of so.fields.values()) {
    if (value instanceof SObject || value instanceof ApexList) {
      if (value instanceof SObject) {
        const r = await strip(f, value, st);
        copy.put(name, r.copy);
        changed ||= r.changed;
      } else {
        const items: unknown[] = [];
        for (const it of value.items) {
          if (!(it instanceof SObject)) {
            items.push(it);
            continue;
          }
          const r = await strip(f, it, st);
          items.push(r.copy);
          changed ||= r.changed;
        }
        copy.put(name, new ApexList(items, value.elemType));
      }
      continue;
    }
    const fd = findFieldOf(d, name);
    if (fd && fd.name !== 'Id' && !allows(fd, st.access)) {
      const set = st.removed.get(d.name) ?? new Set<string>();
      set.add(fd.name);
      st.removed.set(d.name, set);
      changed = true;
      continue;
    }
    copy.put(name, value);
  }
  (copy as SObject & { queried?: boolean }).queried = (so as SObject & { queried?: boolean }).queried;
  return { copy, changed };
}

defineNative(
  {
    name: 'Security',
    statics: {
      stripInaccessible: async (f, [access, records, enforceRootCrud], site) => {
        if (!(access instanceof EnumValue) || records === null) throwNpe(f);
        const list = records as ApexList;
        const st: Stripping = { access: (access as EnumValue).name, removed: new Map(), site };
        const out: unknown[] = [];
        const modified = new ApexSet(ref('Integer'));
        for (let i = 0; i < list.items.length; i++) {
          const so = list.items[i];
          if (!(so instanceof SObject)) throwEx(f, 'IllegalArgumentException', 'stripInaccessible works on sObjects only');
          if (enforceRootCrud !== false) {
            const d = await requireDescribe(f, (so as SObject).type, site);
            // unverified: Salesforce's NoAccessException text when the root object is not accessible
            if (!objectAllows(d, st.access)) throwEx(f, 'NoAccessException', `No access to entity: ${d.name}`);
          }
          const r = await strip(f, so as SObject, st);
          out.push(r.copy);
          if (r.changed) modified.add(i);
        }
        const decision = new NObj('System.SObjectAccessDecision');
        decision.set('records', new ApexList(out, list.elemType));
        const removed = new ApexMap(STRING, ref('Set', STRING));
        for (const [obj, fields] of st.removed) {
          const s = new ApexSet(STRING);
          for (const x of fields) s.add(x);
          removed.put(obj, s);
        }
        decision.set('removed', removed);
        decision.set('modified', modified);
        return decision;
      },
    },
  },
  'System.Security',
);

defineNative(
  {
    name: 'System.SObjectAccessDecision',
    methods: {
      getRecords: (f, o: NObj) => o.get('records'),
      getRemovedFields: (f, o: NObj) => o.get('removed'),
      getModifiedIndexes: (f, o: NObj) => o.get('modified'),
    },
  },
  'SObjectAccessDecision',
);
