/**
 * Schema.RecordTypeInfo and DescribeSObjectResult's record type maps, from the host's describe. An object
 * without record types has the Master record type alone; one with record types lists Master and each of
 * them, active or not ("The current user is not required to have access to a record type to see it in
 * this list": Apex Reference, DescribeSObjectResult.getRecordTypeInfos,
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_sobject_describe.htm).
 * The infos are made once per describe result, so `byId.get(x) == byName.get(y)` compares them as the
 * same object, as the Apex Reference's RecordTypeInfo example asserts.
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList, ApexMap } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import type { RecordTypeInfo, SObjectDescribe } from '../host.ts';

const INFO: TypeRef = { name: 'Schema.RecordTypeInfo', args: [], array: 0 };
const STRING: TypeRef = { name: 'String', args: [], array: 0 };
const ID: TypeRef = { name: 'Id', args: [], array: 0 };

const MASTER: RecordTypeInfo = {
  recordTypeId: '012000000000000AAA',
  name: 'Master',
  developerName: 'Master',
  active: true,
  available: true,
  defaultRecordTypeMapping: true,
  master: true,
};

const made = new WeakMap<SObjectDescribe, NObj[]>();

function infosOf(d: SObjectDescribe): NObj[] {
  let out = made.get(d);
  if (!out) {
    out = (d.recordTypeInfos?.length ? d.recordTypeInfos : [MASTER]).map((i) => {
      const r = new NObj('Schema.RecordTypeInfo');
      r.set('__rt', i);
      return r;
    });
    made.set(d, out);
  }
  return out;
}

const I = (o: NObj) => o.get<RecordTypeInfo>('__rt');

export const recordTypeInfoList = (d: SObjectDescribe): ApexList => new ApexList(infosOf(d), INFO);

/** getRecordTypeInfosById/ByName/ByDeveloperName: the same infos keyed by Id, label or developer name. */
export function recordTypeInfoMap(d: SObjectDescribe, key: 'recordTypeId' | 'name' | 'developerName'): ApexMap {
  const m = new ApexMap(key === 'recordTypeId' ? ID : STRING, INFO);
  for (const o of infosOf(d)) m.put(I(o)[key], o);
  return m;
}

defineNative(
  {
    name: 'Schema.RecordTypeInfo',
    methods: {
      getName: (f, o: NObj) => I(o).name,
      getDeveloperName: (f, o: NObj) => I(o).developerName,
      getRecordTypeId: (f, o: NObj) => I(o).recordTypeId,
      isActive: (f, o: NObj) => I(o).active,
      isAvailable: (f, o: NObj) => I(o).available,
      isDefaultRecordTypeMapping: (f, o: NObj) => I(o).defaultRecordTypeMapping,
      isMaster: (f, o: NObj) => I(o).master,
      equals: (f, o: NObj, [other]) => other instanceof NObj && other.typeName === o.typeName && I(other) === I(o),
      hashCode: (f, o: NObj) => [...I(o).recordTypeId].reduce((h, c) => (Math.imul(31, h) + c.charCodeAt(0)) | 0, 0),
    },
  },
  'RecordTypeInfo',
);
