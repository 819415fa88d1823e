/**
 * System, Assert, Limits, UserInfo, Test, Database, LoggingLevel and Platform Cache.
 */
import { defineEnum, NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexDate, ApexDatetime, ApexList, ApexObject, Dec, EnumValue, SObject, TypeValue, stringValueOf } from '../run/values.ts';
import { asyncHooks } from '../run/calls.ts';
import { throwEx, throwNpe, unsupported, limitEx } from '../run/exceptions.ts';
import { instanceOf, runtimeTypeName } from '../run/types.ts';
import { runSoql } from '../run/data.ts';
import { dml, type DmlOp, type DmlRowError } from '../run/dml.ts';
import { mergeRecords } from '../run/merge.ts';
import { allowsTruncation } from '../run/dmlOptions.ts';
import { evalName, resolveName } from '../run/members.ts';
import type { LIMITS } from '../run/transaction.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { compileDynamicSoql } from './dynamicSoql.ts';
import { CompileError } from '../errors.ts';
import { apexString, equalsAsync } from '../run/equality.ts';
import { testInvokeContinuationMethod, testSetContinuationResponse } from './continuation.ts';
import { pageReference, setCurrentPage } from './visualforce.ts';

const str = (v: unknown) => stringValueOf(v);

// an enum like any other: one value per constant (so `==` and Map keys work), values() and valueOf()
// The order (so ordinal()) is not the Apex Reference's table order: ERROR is the highest ordinal and FINEST the
// lowest level above INTERNAL (NONE 0, INTERNAL 1, FINEST 2 … ERROR 8), what code that gates by
// `entry.ordinal() >= user.ordinal()` relies on (NebulaLogger's tests, passing on Salesforce; docs/salesforce-rules.md).
defineEnum('LoggingLevel', ['NONE', 'INTERNAL', 'FINEST', 'FINER', 'FINE', 'DEBUG', 'INFO', 'WARN', 'ERROR'], 'System.LoggingLevel');

function assertFail(f: Frame, msg: string, custom: unknown): never {
  throwEx(f, 'AssertException', custom === undefined || custom === null ? msg : `${msg}${str(custom)}`);
}

async function equalsMsg(f: Frame, expected: unknown, actual: unknown, site: Site): Promise<string> {
  return `Expected: ${await apexString(f, expected, site)}, Actual: ${await apexString(f, actual, site)}`;
}

/** System.assertEquals message: 'Assertion Failed: <msg>: Expected: x, Actual: y' (custom message first). */
async function assertEquals(f: Frame, exp: unknown, act: unknown, msg: unknown, negate: boolean, site: Site): Promise<null> {
  const eq = await equalsAsync(f, exp, act, site);
  if (eq === negate) {
    const base = negate ? `Same value: ${await apexString(f, act, site)}` : await equalsMsg(f, exp, act, site);
    throwEx(
      f,
      'AssertException',
      msg === undefined || msg === null ? `Assertion Failed: ${base}` : `Assertion Failed: ${str(msg)}: ${base}`,
    );
  }
  return null;
}

defineNative(
  {
    name: 'System',
    statics: {
      debug: async (f, args, site) => {
        const [a, b] = args;
        const level = args.length === 2 && a instanceof EnumValue ? a.name : 'DEBUG';
        const v = args.length === 2 ? b : a;
        const line = f.tx.currentLine();
        f.tx.debug(line, level, await apexString(f, v, site));
        return null;
      },
      now: () => new ApexDatetime(Date.now()),
      today: () => {
        const d = new Date();
        return ApexDate.of(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      },
      currentTimeMillis: () => Date.now(),
      assert: (f, [c, msg]) => {
        if (c !== true) throwEx(f, 'AssertException', msg === undefined ? 'Assertion Failed' : `Assertion Failed: ${str(msg)}`);
        return null;
      },
      assertEquals: (f, [e, a, m], site) => assertEquals(f, e, a, m, false, site),
      assertNotEquals: (f, [e, a, m], site) => assertEquals(f, e, a, m, true, site),
      // isBatch, isFuture, isQueueable, enqueueJob: lib/async.ts
      isScheduled: () => false,
      requestVersion: () => '65.0',
      hashCode: () => 0,
      schedule: (f, a, site) => unsupported(f, 'System.schedule', site),
    },
  },
  'System.System',
);

// ---------------------------------------------------------------- custom labels

/**
 * `Label.get(namespace, name[, language])` reads a label chosen at run time ("Label Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_Label.htm). Only the
 * org's own labels are known here (a blank namespace or the project's); translations are not read, so a language
 * gets the label's own value. What Salesforce does for a label it lacks is not documented: it is reported as not
 * supported rather than guessed.
 */
async function dynamicLabel(f: Frame, [ns, name]: unknown[], site: Site): Promise<unknown> {
  if (name === null || name === undefined) return throwNpe(f);
  const v = f.tx.host.customLabel ? await f.tx.host.customLabel(String(name)) : undefined;
  if (v === undefined) return unsupported(f, `Label.get of a label this org lacks (${ns ? `${String(ns)}.` : ''}${String(name)})`, site);
  return v;
}

defineNative({
  name: 'Label',
  statics: {
    get: (f, args, site) => dynamicLabel(f, args, site),
    translationExists: (f, args, site) => unsupported(f, 'Label.translationExists (label translations are not read)', site),
  },
  // `System.Label.Name`: the org's custom label; Salesforce refuses to compile a name it lacks
  staticMember: async (f, name, site) => {
    if (!f.tx.host.customLabel) return unsupported(f, `System.Label.${name} (this org host has no custom labels)`, site);
    const v = await f.tx.host.customLabel(name);
    if (v === undefined) throw new CompileError(`Invalid field ${name} for Label`, site.file, site.line, site.col);
    return v;
  },
});

// ---------------------------------------------------------------- Request and Quiddity

const QUIDDITY = defineEnum(
  'System.Quiddity',
  (
    'ANONYMOUS AURA BATCH_ACS BATCH_APEX BATCH_CHUNK_PARALLEL BATCH_CHUNK_SERIAL BULK_API COMMERCE_INTEGRATION DISCOVERABLE_LOGIN DISCOVERY ' +
    'FUNCTION_CALLBACK FUTURE INBOUND_EMAIL_SERVICE INVOCABLE_ACTION IOT PLATFORM_EVENT_PUBLISH_CALLBACK POST_INSTALL_SCRIPT QUEUEABLE QUICK_ACTION ' +
    'REMOTE_ACTION REST RUNTEST_ASYNC RUNTEST_DEPLOY RUNTEST_SYNC SCHEDULED SOAP SYNCHRONOUS TRANSACTION_FINALIZER_QUEUEABLE VF'
  ).split(' '),
  'Quiddity',
);
defineNative(
  {
    name: 'System.Request',
    statics: { getCurrent: () => new NObj('System.Request') },
    methods: {
      getRequestId: (f) => f.tx.requestId,
      getQuiddity: (f) => QUIDDITY.get(f.tx.quiddity.toLowerCase()) ?? null,
    },
  },
  'Request',
);

// ---------------------------------------------------------------- ConnectApi

/**
 * Connect in Apex needs real org data: in a data-siloed test every method throws Salesforce's
 * UnsupportedOperationException (code that probes for SeeAllData relies on it); elsewhere it is not
 * supported by the local runtime.
 */
function connectApi(name: string): void {
  const any = (f: Frame, _a: unknown[], site: Site) => {
    if (f.tx.isTest && f.tx.testDataIds)
      throwEx(
        f,
        'UnsupportedOperationException',
        'ConnectApi methods are not supported in data siloed tests. Please use @IsTest(SeeAllData=true).',
      );
    return unsupported(f, name, site);
  };
  defineNative({ name, statics: new Proxy({}, { get: () => any }) });
}
for (const c of [
  'ChatterUsers',
  'ChatterFeeds',
  'ChatterGroups',
  'ChatterMessages',
  'Communities',
  'Organization',
  'RecordUi',
  'UserProfiles',
  'Topics',
  'Mentions',
])
  connectApi('ConnectApi.' + c);

defineNative(
  {
    name: 'Assert',
    statics: {
      areEqual: async (f, [e, a, m], site) => {
        if (!(await equalsAsync(f, e, a, site)))
          assertFail(f, `Assertion Failed: ${await equalsMsg(f, e, a, site)}`, m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
      areNotEqual: async (f, [e, a, m], site) => {
        if (await equalsAsync(f, e, a, site))
          assertFail(f, `Assertion Failed: Same value: ${await apexString(f, a, site)}`, m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
      isTrue: (f, [c, m]) => {
        if (c !== true) assertFail(f, 'Assertion Failed: Expected: true, Actual: ' + str(c), m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
      isFalse: (f, [c, m]) => {
        if (c !== false) assertFail(f, 'Assertion Failed: Expected: false, Actual: ' + str(c), m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
      isNull: (f, [v, m]) => {
        if (v !== null) assertFail(f, 'Assertion Failed: Expected: null, Actual: ' + str(v), m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
      isNotNull: (f, [v, m]) => {
        if (v === null) assertFail(f, 'Assertion Failed: Expected: not null, Actual: null', m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
      fail: (f, [m]) => assertFail(f, m === undefined ? 'Assertion Failed' : `Assertion Failed: ${str(m)}`, undefined),
      isInstanceOfType: (f, [v, t, m], site) => {
        if (!(t instanceof TypeValue) || !instanceOf(f, v, t.ref, site))
          assertFail(
            f,
            `Assertion Failed: Expected instance of ${t}, Actual: ${runtimeTypeName(v)}`,
            m === undefined ? undefined : `: ${str(m)}`,
          );
        return null;
      },
      isNotInstanceOfType: (f, [v, t, m], site) => {
        if (t instanceof TypeValue && instanceOf(f, v, t.ref, site))
          assertFail(f, `Assertion Failed: Unexpected instance of ${t}`, m === undefined ? undefined : `: ${str(m)}`);
        return null;
      },
    },
  },
  'System.Assert',
);

// each getLimitX() answers for the running execution: asynchronous jobs have higher limits (run/transaction.ts)
const limitFns: Record<string, [(f: Frame) => number, keyof typeof LIMITS]> = {
  queries: [(f) => f.tx.counts.queries, 'queries'],
  queryrows: [(f) => f.tx.counts.queryRows, 'queryRows'],
  dmlstatements: [(f) => f.tx.counts.dml, 'dmlStatements'],
  dmlrows: [(f) => f.tx.counts.dmlRows, 'dmlRows'],
  callouts: [(f) => f.tx.counts.callouts, 'callouts'],
  emailinvocations: [(f) => f.tx.counts.emails, 'emailInvocations'],
  publishimmediatedml: [(f) => f.tx.counts.publishImmediate, 'publishImmediateDml'],
  cputime: [(f) => f.tx.cpuMs(), 'cpuMs'],
  heapsize: [() => 0, 'heap'],
};
const limitStatics: Record<string, (f: Frame) => number> = {};
for (const [k, [get, name]] of Object.entries(limitFns)) {
  limitStatics['get' + k] = (f) => get(f);
  limitStatics['getlimit' + k] = (f) => f.tx.limit(name);
}
// time in the database layer: locally, the time spent in the data engine (Apex Reference, "Limits Class")
limitStatics['getdatabasetime'] = (f) => f.tx.hostMs;
defineNative({ name: 'Limits', statics: limitStatics as never });

defineNative({
  name: 'UserInfo',
  statics: {
    getUserId: (f) => f.tx.host.user.id,
    getUserName: (f) => f.tx.host.user.username,
    getName: (f) => f.tx.host.user.name,
    getFirstName: (f) => f.tx.host.user.name.split(' ')[0],
    getLastName: (f) => f.tx.host.user.name.split(' ').slice(1).join(' '),
    getUserEmail: (f) => f.tx.host.user.email,
    getOrganizationId: (f) => f.tx.host.orgId,
    getOrganizationName: (f) => f.tx.host.orgId,
    getProfileId: (f) => f.tx.host.user.profileId ?? null,
    // a session id of the org's shape (`<org id>!<token>`, Apex Reference, "UserInfo Class": getSessionId); a stand-in
    // the local API does not accept, so no real token reaches Apex code or its debug log (FIDELITY.md)
    'String getSessionId()': (f) => `${f.tx.host.orgId.slice(0, 15)}!LOCAL.${f.tx.host.user.id.slice(0, 15)}`,
    getUserType: () => 'Standard',
    getLanguage: () => 'en_US',
    getLocale: () => 'en_US',
    getTimeZone: () => {
      const tz = new NObj('TimeZone');
      tz.set('id', 'GMT');
      return tz;
    },
    isCurrentUserLicensed: () => true,
    // Lightning Experience, the default interface of a new org (Apex Reference, "UserInfo Class": Theme4d)
    'String getUiTheme()': () => 'Theme4d',
    'String getUiThemeDisplayed()': () => 'Theme4d',
    // the running user's role (a runAs user's too): the User row's UserRoleId, null without a role
    getUserRoleId: async (f) => {
      const id = f.tx.host.user.id;
      const rows = await f.tx.hostCall(() =>
        f.tx.host.query('SELECT UserRoleId FROM User WHERE Id = :id', { userMode: false, binds: { id } }),
      );
      return (rows[0]?.UserRoleId as string | undefined) ?? null;
    },
    // local orgs have one currency (Salesforce enables multi-currency per org, never by default)
    'Boolean isMultiCurrencyOrganization()': () => false,
    // a single-currency org answers its own currency: an en_US local org's is USD (Apex Reference, "UserInfo Class")
    'String getDefaultCurrency()': () => 'USD',
  },
});
// The internal org has no Experience Cloud site in context: getNetworkId(), communitiesLanding() and
// forwardToAuthPage() are null there (Apex Reference, "Network Class"). In an Apex test communitiesLanding() is an
// empty PageReference (public apps' tests assert it is not null, or null or empty: FIDELITY.md). Registered as
// System.Network only: a bare `Network` is the sObject Schema.Network.
defineNative({
  name: 'System.Network',
  statics: {
    'String getNetworkId()': () => null,
    'PageReference communitiesLanding()': (f) => (f.tx.isTest ? pageReference('') : null),
    'PageReference forwardToAuthPage(String, String?)': () => null,
  },
});
// Likewise no Salesforce Site serves the request: the site's name, Id and label are null ("Site Class",
// https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_classes_sites.htm). A bare `Site` is
// also the sObject Schema.Site, so the class is registered as System.Site.
defineNative({ name: 'System.Site', statics: { getName: () => null, getSiteId: () => null, getMasterLabel: () => null } });
defineNative({ name: 'TimeZone', methods: { getID: (f, t: NObj) => t.get('id'), getDisplayName: () => 'Greenwich Mean Time' } });

function requireTest(f: Frame, what: string, site: Site): void {
  if (!f.tx.isTest) unsupported(f, `${what} outside a test`, site);
}

defineNative({
  name: 'Test',
  statics: {
    isRunningTest: (f) => f.tx.isTest,
    startTest: (f, _a, site) => {
      requireTest(f, 'Test.startTest', site);
      if (f.tx.testStarted) throwEx(f, 'FinalException', 'Testing already started');
      f.tx.testStarted = true;
      // a fresh set of governor limits, CPU time included, until stopTest (Apex Reference, "Test Class"); the same
      // counts object returns at stopTest (limits kept beside it, e.g. SOSL, return with it)
      f.tx.restoreTestLimits = f.tx.freshLimits();
      f.tx.pendingDml = false;
      return null;
    },
    stopTest: async (f, _a, site) => {
      requireTest(f, 'Test.stopTest', site);
      if (f.tx.testStopped) throwEx(f, 'FinalException', 'Testing already stopped');
      f.tx.testStopped = true;
      // async Apex queued since startTest runs now, synchronously (Queueable, @future, Batch)
      await asyncHooks.runQueued?.(f);
      f.tx.restoreTestLimits?.();
      return null;
    },
    setMock: (f, [type, mock], site) => {
      requireTest(f, 'Test.setMock', site);
      const t = type instanceof TypeValue ? type.display.toLowerCase() : '';
      if (!t.endsWith('httpcalloutmock')) return unsupported(f, `Test.setMock(${type})`, site);
      if (!(mock instanceof ApexObject)) throwNpe(f);
      f.tx.mock = mock as ApexObject;
      return null;
    },
    setCreatedDate: async (f, [id, dt], site) => {
      requireTest(f, 'Test.setCreatedDate', site);
      if (id === null || !(dt instanceof ApexDatetime)) throwNpe(f);
      const iso = new Date((dt as ApexDatetime).ms).toISOString().replace('Z', '+0000');
      await f.tx.hostCall(() => f.tx.host.update([{ Id: id as string, CreatedDate: iso }], { userMode: false }));
      return null;
    },
    setContinuationResponse: (f, [label, response], site) => {
      requireTest(f, 'Test.setContinuationResponse', site);
      return testSetContinuationResponse(f, label, response);
    },
    invokeContinuationMethod: (f, [controller, request], site) => {
      requireTest(f, 'Test.invokeContinuationMethod', site);
      return testInvokeContinuationMethod(f, controller, request, site);
    },
    // the page ApexPages.currentPage() returns for the rest of the test (Apex Reference, "Test Class")
    'void setCurrentPage(PageReference) | void setCurrentPageReference(PageReference)': (f, [page], site) => {
      requireTest(f, 'Test.setCurrentPage', site);
      return setCurrentPage(f, page);
    },
    getStandardPricebookId: (f, a, site) => unsupported(f, 'Test.getStandardPricebookId', site),
    loadData: (f, a, site) => unsupported(f, 'Test.loadData', site),
    setFixedSearchResults: (f, a, site) => unsupported(f, 'Test.setFixedSearchResults', site),
    getEventBus: (f, a, site) => unsupported(f, 'Test.getEventBus', site),
  },
});

defineNative({
  name: 'Auth.HttpCalloutMockUtil',
  statics: {
    setHttpMock: (f, [mock], site) => {
      requireTest(f, 'Auth.HttpCalloutMockUtil.setHttpMock', site);
      f.tx.authMock = mock as ApexObject;
      return null;
    },
  },
});

// ---------------------------------------------------------------- Database

/**
 * Salesforce's StatusCode values the local platform reports (Database.Error.getStatusCode), and those
 * of the results it only makes from JSON (INVALID_ID_FIELD, MERGE_FAILED, NO_APPLICABLE_PROCESS).
 */
const STATUS_CODES = defineEnum(
  'System.StatusCode',
  [
    'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
    'DELETE_FAILED',
    'DUPLICATE_DEVELOPER_NAME',
    'DUPLICATE_USERNAME',
    'DUPLICATE_VALUE',
    'ENTITY_IS_DELETED',
    'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'INVALID_CROSS_REFERENCE_KEY',
    'INVALID_FIELD',
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    'INVALID_ID_FIELD',
    'INVALID_OPERATION',
    'INVALID_TYPE',
    'INVALID_TYPE_FOR_OPERATION',
    'MALFORMED_ID',
    'MERGE_FAILED',
    'MISSING_ARGUMENT',
    'NO_APPLICABLE_PROCESS',
    'REQUIRED_ARGUMENT_MISSING',
    'REQUIRED_FIELD_MISSING',
    'STRING_TOO_LONG',
    'UNDELETE_FAILED',
    'UNKNOWN_EXCEPTION',
  ],
  'StatusCode',
);

export function statusCode(code: string): EnumValue {
  return STATUS_CODES.get(code.toLowerCase()) ?? new EnumValue('System.StatusCode', code, -1);
}

/** Database.Error of one failed row: its own message, status code and fields, not the DmlException text. */
export function dmlError(e: DmlRowError): NObj {
  const err = new NObj('Database.Error');
  err.set('message', e.message);
  err.set('statusCode', statusCode(e.statusCode));
  err.set('fields', new ApexList(e.fields, { name: 'String', args: [], array: 0 }));
  return err;
}

/**
 * allOrNone of a Database.insert/update/… call's second argument: a Boolean (absent: true), or a
 * Database.DMLOptions' optAllOrNone, whose default is false (Apex Reference, "DMLOptions Class"): only `true` rolls back.
 */
function allOrNoneOf(opt: unknown): boolean {
  if (typeof opt === 'boolean') return opt;
  if (opt instanceof NObj && opt.typeName === 'Database.DMLOptions') return opt.get('optAllOrNone') === true;
  return true;
}

async function dbDml(f: Frame, op: DmlOp, args: unknown[], site: Site, type: string) {
  // Database.upsert(records, externalIdField, allOrNone): the field token comes before the options
  const ext = op === 'upsert' && args[1] instanceof NObj && args[1].typeName === 'Schema.SObjectField' ? args[1] : undefined;
  const [records, opt] = ext ? [args[0], args[2]] : args;
  const userMode = args.some((a) => a instanceof EnumValue && a.name === 'USER_MODE');
  const allOrNone = allOrNoneOf(opt);
  const extField = ext ? String(ext.get('name')) : undefined;
  const rows = await dml(f, op, records, { userMode, allOrNone, extField, truncate: allowsTruncation(opt) }, site);
  const out = rows.map((r) => {
    const o = new NObj(type);
    o.set('id', r.id);
    o.set('success', r.success);
    o.set('created', !!r.created);
    o.set('errors', new ApexList(r.errors.map(dmlError), { name: 'Database.Error', args: [], array: 0 }));
    return o;
  });
  const l = new ApexList(out, { name: type, args: [], array: 0 });
  return records instanceof ApexList ? l : l.items[0];
}

/** Database.merge(main, duplicate(s)[, allOrNone]): one MergeResult, in a list when the duplicates came as one. */
async function dbMerge(f: Frame, [main, dups, opt]: unknown[], site: Site) {
  const r = await mergeRecords(f, main, dups, allOrNoneOf(opt), site);
  const o = new NObj('Database.MergeResult');
  o.set('id', r.id);
  o.set('success', r.success);
  o.set('errors', new ApexList(r.errors.map(dmlError), { name: 'Database.Error', args: [], array: 0 }));
  o.set('mergedRecordIds', new ApexList(r.mergedRecordIds, { name: 'Id', args: [], array: 0 }));
  o.set('updatedRelatedIds', new ApexList(r.updatedRelatedIds, { name: 'Id', args: [], array: 0 }));
  return dups instanceof ApexList ? new ApexList([o], { name: 'Database.MergeResult', args: [], array: 0 }) : o;
}

/** `:name` binds of dynamic SOQL read the caller's locals, then its fields and statics. */
async function dynamicBinds(f: Frame, names: string[], site: Site): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const slot = site.locals?.get(name.toLowerCase());
    if (slot !== undefined) out[name] = f.locals[slot];
    else out[name] = await evalName(f, resolveName(f, [name], site), [name], site);
  }
  return out;
}

defineNative({
  name: 'Database',
  statics: {
    insert: (f, a, site) => dbDml(f, 'insert', a, site, 'Database.SaveResult'),
    update: (f, a, site) => dbDml(f, 'update', a, site, 'Database.SaveResult'),
    upsert: (f, a, site) => dbDml(f, 'upsert', a, site, 'Database.UpsertResult'),
    delete: (f, a, site) => dbDml(f, 'delete', a, site, 'Database.DeleteResult'),
    undelete: (f, a, site) => dbDml(f, 'undelete', a, site, 'Database.UndeleteResult'),
    merge: (f, a, site) => dbMerge(f, a, site),
    query: async (f, [q, mode], site) => {
      const userMode = mode instanceof EnumValue && mode.name === 'USER_MODE';
      const c = compileDynamicSoql(str(q));
      return runSoql(
        f,
        c.soql,
        { userMode: userMode || c.userMode, binds: await dynamicBinds(f, c.bindNames, site), sobject: c.sobject, isCount: c.isCount },
        site,
      );
    },
    queryWithBinds: async (f, [q, binds, mode], site) => {
      const userMode = mode instanceof EnumValue && mode.name === 'USER_MODE';
      const c = compileDynamicSoql(str(q));
      const b: Record<string, unknown> = {};
      if (binds && typeof binds === 'object' && 'map' in binds)
        for (const [k, v] of (binds as { map: Map<unknown, [unknown, unknown]> }).map.values()) b[str(k)] = v;
      return runSoql(f, c.soql, { userMode: userMode || c.userMode, binds: b, sobject: c.sobject, isCount: c.isCount }, site);
    },
    countQuery: async (f, [q, mode], site) => {
      const userMode = mode instanceof EnumValue && mode.name === 'USER_MODE';
      const c = compileDynamicSoql(str(q));
      return runSoql(f, c.soql, { userMode, binds: await dynamicBinds(f, c.bindNames, site), sobject: c.sobject, isCount: true }, site);
    },
    // Savepoints are nested host transactions; they count as DML statements as on Salesforce.
    setSavepoint: async (f) => {
      if (++f.tx.counts.dml > 150) limitEx(f, `Too many DML statements: ${f.tx.counts.dml}`);
      await f.tx.hostCall(() => f.tx.host.begin());
      const sp = new NObj('System.Savepoint');
      sp.set('depth', ++f.tx.savepointDepth);
      return sp;
    },
    rollback: async (f, [sp]) => {
      if (!(sp instanceof NObj)) throwNpe(f);
      const depth = (sp as NObj).get<number>('depth');
      if (depth > f.tx.savepointDepth) throwEx(f, 'TypeException', 'Savepoint does not exist in this context');
      if (++f.tx.counts.dml > 150) limitEx(f, `Too many DML statements: ${f.tx.counts.dml}`);
      while (f.tx.savepointDepth >= depth) {
        await f.tx.hostCall(() => f.tx.host.rollback());
        f.tx.savepointDepth--;
      }
      // the savepoint stays usable after a rollback to it
      await f.tx.hostCall(() => f.tx.host.begin());
      f.tx.savepointDepth = depth;
      return null;
    },
    // releases the savepoint and every later one, keeping their work (Apex Developer Guide, "Transaction Control")
    releaseSavepoint: async (f, [sp]) => {
      if (!(sp instanceof NObj)) throwNpe(f);
      const depth = (sp as NObj).get<number>('depth');
      if (depth > f.tx.savepointDepth) throwEx(f, 'TypeException', 'Savepoint does not exist in this context');
      for (; f.tx.savepointDepth >= depth; f.tx.savepointDepth--) await f.tx.hostCall(() => f.tx.host.commit());
      return null;
    },
  },
});
defineNative({ name: 'System.Savepoint' }, 'Savepoint');
for (const t of ['Database.SaveResult', 'Database.UpsertResult', 'Database.DeleteResult', 'Database.UndeleteResult'])
  defineNative({
    name: t,
    methods: {
      getId: (f, o: NObj) => o.get('id'),
      isSuccess: (f, o: NObj) => o.get('success'),
      isCreated: (f, o: NObj) => o.get('created'),
      getErrors: (f, o: NObj) => o.get('errors') ?? new ApexList([]),
    },
  });
defineNative({
  name: 'Database.Error',
  methods: {
    getMessage: (f, o: NObj) => o.get('message'),
    getStatusCode: (f, o: NObj) => o.get('statusCode'),
    getFields: (f, o: NObj) => o.get('fields') ?? new ApexList([]),
  },
});
// one value per level, so == and Assert.areEqual compare them as Salesforce does
const USER_MODE = new EnumValue('AccessLevel', 'USER_MODE', 0);
const SYSTEM_MODE = new EnumValue('AccessLevel', 'SYSTEM_MODE', 1);
defineNative(
  {
    name: 'AccessLevel',
    props: { user_mode: { get: () => USER_MODE }, system_mode: { get: () => SYSTEM_MODE } },
  },
  'System.AccessLevel',
);

export const _unused = [Dec, SObject, limitEx];
