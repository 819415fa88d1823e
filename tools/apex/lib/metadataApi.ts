/**
 * The Metadata namespace's value types (Apex Reference, "Metadata Namespace"): `Metadata.DeployContainer`
 * (`addMetadata`, `getMetadata`, `removeMetadata`, `removeMetadataByFullName`), `Metadata.CustomMetadata` and
 * `Metadata.CustomMetadataValue`, `Metadata.DeployResult` with `Metadata.DeployStatus`, so code that builds a
 * deployment, and tests that call a `Metadata.DeployCallback` directly, run. Deploying
 * (`Metadata.Operations.enqueueDeployment`) is not done locally and fails as not supported.
 * Also `Test.setMock(WebServiceMock.class, mock)` with `WebServiceCallout.invoke`, which hands the callout to
 * the mock's `doInvoke` in tests (Apex Developer Guide, "Test Web Service Callouts").
 */
import { defineNative, natives } from '../model/natives.ts';
import { defineEnum, NObj } from './nativeValues.ts';
import { ApexList, ApexObject, TypeValue } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { callVirtual } from '../run/calls.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Transaction } from '../run/transaction.ts';
import type { Site } from '../model/classModel.ts';
import './system.ts'; // Test, which this file extends

const ref = (name: string): TypeRef => ({ name, args: [], array: 0 });

defineEnum('Metadata.DeployStatus', ['Pending', 'InProgress', 'Succeeded', 'SucceededPartial', 'Failed', 'Canceling', 'Canceled']);

const isType = (name: string) => (v: unknown) => v instanceof NObj && v.typeName === name;

/** Metadata components a container holds: CustomMetadata here; `fullName` names each. */
const COMPONENTS = ['Metadata.CustomMetadata'];
for (const [name, fields, init] of [
  [
    'Metadata.CustomMetadata',
    ['fullName', 'label', 'description', 'protected_x', 'values'],
    () => ({ values: new ApexList([], ref('Metadata.CustomMetadataValue')) }),
  ],
  ['Metadata.CustomMetadataValue', ['field', 'value'], () => ({})],
  [
    'Metadata.DeployResult',
    [
      'id',
      'status',
      'success',
      'done',
      'checkOnly',
      'createdDate',
      'completedDate',
      'errorMessage',
      'errorStatusCode',
      'numberComponentErrors',
      'numberComponentsDeployed',
      'numberComponentsTotal',
      'details',
    ],
    () => ({}),
  ],
  ['Metadata.DeployCallbackContext', [], () => ({})],
] as [string, string[], () => Record<string, unknown>][]) {
  defineNative({
    name,
    construct: () => {
      const o = new NObj(name);
      for (const [k, v] of Object.entries(init())) o.set(k.toLowerCase(), v);
      return o;
    },
    fields: fields.map((x) => x.toLowerCase()),
    instanceOf: (v) => isType(name)(v) || (name === 'Metadata.Metadata' && COMPONENTS.some((c) => isType(c)(v))),
  });
}
defineNative({ name: 'Metadata.Metadata', instanceOf: (v) => COMPONENTS.some((c) => isType(c)(v)) });

const items = (c: NObj) => c.get<ApexList>('items');
defineNative({
  name: 'Metadata.DeployContainer',
  construct: () => {
    const c = new NObj('Metadata.DeployContainer');
    c.set('items', new ApexList([], ref('Metadata.Metadata')));
    return c;
  },
  methods: {
    addMetadata: (f, c: NObj, [md]) => {
      if (md === null || md === undefined) throwNpe(f);
      items(c).items.push(md);
      return null;
    },
    getMetadata: (f, c: NObj) => new ApexList([...items(c).items], ref('Metadata.Metadata')),
    removeMetadata: (f, c: NObj, [md]) => {
      const list = items(c).items;
      const i = list.indexOf(md);
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    },
    removeMetadataByFullName: (f, c: NObj, [name]) => {
      const list = items(c).items;
      const i = list.findIndex((x) => x instanceof NObj && x.get('fullname') === name);
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    },
  },
});

defineNative({
  name: 'Metadata.Operations',
  statics: {
    enqueueDeployment: (f, _args, site) => unsupported(f, 'Metadata.Operations.enqueueDeployment (deploying from Apex)', site),
  },
});

// ---------------------------------------------------------------- WebServiceMock

const soapMocks = new WeakMap<Transaction, ApexObject>();
const test = natives.get('test')!.statics!;
const setMock = test['setmock'];
test['setmock'] = (f: Frame, args: unknown[], site: Site) => {
  const [type, mock] = args;
  if (!(type instanceof TypeValue) || !/(^|\.)webservicemock$/i.test(type.display)) return setMock(f, args, site);
  if (!f.tx.isTest) return unsupported(f, 'Test.setMock outside a test', site);
  if (!(mock instanceof ApexObject)) throwNpe(f);
  soapMocks.set(f.tx, mock as ApexObject);
  return null;
};

defineNative({
  name: 'WebServiceCallout',
  statics: {
    invoke: async (f, args, site) => {
      const mock = soapMocks.get(f.tx);
      if (!f.tx.isTest) return unsupported(f, 'WebServiceCallout.invoke (SOAP callouts)', site);
      // unverified: Salesforce's exact text for a SOAP callout in a test without a mock
      if (!mock) throwEx(f, 'CalloutException', 'Methods defined as TestMethod do not support Web service callouts');
      // WSDL2Apex passes [endpoint, soapAction, requestNS, requestName, responseNS, responseName, responseType];
      // doInvoke takes them without the request namespace
      const [stub, request, response, info] = args as [unknown, unknown, unknown, ApexList | null];
      const s = info?.items ?? [];
      await callVirtual(
        f,
        mock!,
        'doInvoke',
        [stub, request, response, s[0], s[1], s[3], s[4], s[5], s[6]].map((x) => x ?? null),
        site,
      );
      return null;
    },
  },
});
