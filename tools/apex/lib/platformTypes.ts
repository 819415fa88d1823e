/**
 * System types public Apex projects use that the other library files lack, each as the Apex Reference
 * describes it (https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/):
 * `Invocable.Action` and its `Result`/`Error` ("Invocable Namespace"), `EventBus.ChangeEventHeader`,
 * `Database.DMLOptions` (with its header classes), `TimeZone` (`getTimeZone`, `getOffset`), and the
 * limits the other modules do not count (SOSL, cursors, futures, queueables).
 * What cannot run locally (invoking a flow or a standard action) fails when it runs, with
 * "not supported by the local runtime".
 */
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexDatetime, ApexList, ApexMap, EnumValue, stringValueOf } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { runSoql } from '../run/data.ts';
import { compileDynamicSoql } from './dynamicSoql.ts';
import { throwNpe, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';

const ref = (name: string, ...args: TypeRef[]): TypeRef => ({ name, args, array: 0 });
const STRING = ref('String');
const OBJECT = ref('Object');

// ---------------------------------------------------------------- Invocable namespace

function newAction(type: unknown, namespace: unknown, name: unknown): NObj {
  const a = new NObj('Invocable.Action');
  a.set('type', type);
  a.set('namespace', namespace ?? null);
  a.set('name', name);
  a.set('invocations', new ApexList([], ref('Map', STRING, OBJECT)));
  return a;
}

const invocations = (a: NObj) => a.get<ApexList>('invocations');
const current = (a: NObj): ApexMap => {
  const list = invocations(a);
  if (!list.items.length) list.items.push(new ApexMap(STRING, OBJECT));
  return list.items[list.items.length - 1] as ApexMap;
};

defineNative({
  name: 'Invocable.Action',
  statics: {
    // createCustomAction(type, name) | createCustomAction(type, namespace, name)
    createCustomAction: (f, args) => (args.length >= 3 ? newAction(args[0], args[1], args[2]) : newAction(args[0], null, args[1])),
    createStandardAction: (f, [type]) => newAction(type, null, type),
  },
  methods: {
    getName: (f, a: NObj) => a.get('name'),
    getType: (f, a: NObj) => a.get('type'),
    getNamespace: (f, a: NObj) => a.get('namespace'),
    getInvocations: (f, a: NObj) => invocations(a),
    setInvocations: (f, a: NObj, [list]) => {
      if (list === null) throwNpe(f);
      a.set('invocations', new ApexList([...(list as ApexList).items], ref('Map', STRING, OBJECT)));
      return null;
    },
    addInvocation: (f, a: NObj) => {
      invocations(a).items.push(new ApexMap(STRING, OBJECT));
      return a;
    },
    setInvocationParameter: (f, a: NObj, [name, value]) => {
      current(a).put(name, value);
      return a;
    },
    getInvocationParameter: (f, a: NObj, [name]) => current(a).get(name),
    clearInvocations: (f, a: NObj) => {
      invocations(a).items.length = 0;
      return null;
    },
    // flows and standard actions run on Salesforce only
    invoke: (f, a: NObj, _args, site) =>
      unsupported(f, `Invocable.Action.invoke of ${stringValueOf(a.get('type'))} ${stringValueOf(a.get('name'))}`, site),
  },
});

defineNative({
  name: 'Invocable.Action.Result',
  json: {
    action: 'Invocable.Action',
    errors: 'List<Invocable.Action.Error>',
    success: 'Boolean',
    outputParameters: 'Map<String, Object>',
    invocationParameters: 'Map<String, Object>',
  },
  methods: {
    isSuccess: (f, r: NObj) => r.get('success') === true,
    getErrors: (f, r: NObj) => r.get('errors') ?? new ApexList([], ref('Invocable.Action.Error')),
    getOutputParameters: (f, r: NObj) => {
      if (r.get('outputParameters') === null) r.set('outputParameters', new ApexMap(STRING, OBJECT));
      return r.get('outputParameters');
    },
    getOutputParameter: (f, r: NObj, [name]) => r.get<ApexMap | null>('outputParameters')?.get(name) ?? null,
    getInvocationParameters: (f, r: NObj) => r.get('invocationParameters') ?? new ApexMap(STRING, OBJECT),
    getAction: (f, r: NObj) => r.get('action'),
  },
});

defineNative({
  name: 'Invocable.Action.Error',
  json: { code: 'String', message: 'String' },
  methods: { getCode: (f, e: NObj) => e.get('code'), getMessage: (f, e: NObj) => e.get('message') },
});

// ---------------------------------------------------------------- EventBus.ChangeEventHeader

const HEADER_FIELDS = [
  'entityName',
  'recordIds',
  'changeType',
  'changeOrigin',
  'transactionKey',
  'sequenceNumber',
  'commitTimestamp',
  'commitNumber',
  'commitUser',
  'nulledFields',
  'diffFields',
  'changedFields',
];
defineNative({
  name: 'EventBus.ChangeEventHeader',
  // a new header's list fields are empty lists, not null: apex-rollup's CDC test (passing on Salesforce) builds a
  // header without changedFields and adds them to a Set (tools/local-platform/FIDELITY.md)
  construct: () => {
    const h = new NObj('EventBus.ChangeEventHeader');
    for (const x of HEADER_FIELDS) if (/Ids|Fields$/.test(x)) h.set(x, new ApexList([], STRING));
    return h;
  },
  fields: HEADER_FIELDS.map((x) => x.toLowerCase()),
  json: Object.fromEntries(
    HEADER_FIELDS.map((x) => [x, /Ids|Fields$/.test(x) ? 'List<String>' : /Number|Timestamp/.test(x) ? 'Long' : 'String']),
  ),
  methods: Object.fromEntries(HEADER_FIELDS.map((x) => [`get${x[0].toUpperCase()}${x.slice(1)}`, (f: Frame, h: NObj) => h.get(x)])),
  instanceOf: (v) => v instanceof NObj && v.typeName === 'EventBus.ChangeEventHeader',
});

// ---------------------------------------------------------------- Database.DMLOptions

const DML_OPTION_FIELDS = [
  'allowFieldTruncation',
  'optAllOrNone',
  'localeOptions',
  'assignmentRuleHeader',
  'duplicateRuleHeader',
  'emailHeader',
];
defineNative({
  name: 'Database.DMLOptions',
  construct: () => {
    const o = new NObj('Database.DMLOptions');
    o.set('assignmentRuleHeader', header('Database.DMLOptions.AssignmentRuleHeader'));
    o.set('duplicateRuleHeader', header('Database.DMLOptions.DuplicateRuleHeader'));
    o.set('emailHeader', header('Database.DMLOptions.EmailHeader'));
    return o;
  },
  fields: DML_OPTION_FIELDS.map((x) => x.toLowerCase()),
  instanceOf: (v) => v instanceof NObj && v.typeName === 'Database.DMLOptions',
});
function header(name: string): NObj {
  return new NObj(name);
}
for (const [name, fields] of [
  ['Database.DMLOptions.AssignmentRuleHeader', ['assignmentRuleId', 'useDefaultRule']],
  ['Database.DMLOptions.DuplicateRuleHeader', ['allowSave', 'runAsCurrentUser']],
  ['Database.DMLOptions.EmailHeader', ['triggerAutoResponseEmail', 'triggerOtherEmail', 'triggerUserEmail']],
] as const) {
  defineNative({ name, construct: () => header(name), fields: fields.map((x) => x.toLowerCase()) });
}

// ---------------------------------------------------------------- TimeZone

/** Milliseconds the zone is ahead of GMT at that instant (Intl knows the IANA zones Salesforce uses). */
function offsetMs(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

function timeZone(id: string): NObj | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
  } catch {
    return null;
  }
  const tz = new NObj('TimeZone');
  tz.set('id', id);
  return tz;
}

defineNative(
  {
    name: 'TimeZone',
    statics: { getTimeZone: (f, [id]) => (typeof id === 'string' ? timeZone(id) : null) },
    methods: {
      getID: (f, t: NObj) => t.get('id'),
      getDisplayName: (f, t: NObj) =>
        t.get('id') === 'GMT'
          ? 'Greenwich Mean Time'
          : (new Intl.DateTimeFormat('en-US', { timeZone: t.get('id'), timeZoneName: 'long' })
              .formatToParts(new Date())
              .find((p) => p.type === 'timeZoneName')?.value ?? t.get('id')),
      getOffset: (f, t: NObj, [dt]) => {
        if (!(dt instanceof ApexDatetime)) throwNpe(f);
        return offsetMs(t.get('id'), (dt as ApexDatetime).ms);
      },
      tostring: (f, t: NObj) => t.get('id'),
    },
  },
  'System.TimeZone',
);

// ---------------------------------------------------------------- Limits the transaction does not count

/**
 * Governor limits of features the local runtime does not meter (Apex Developer Guide, "Execution
 * Governors and Limits"): the maximum as Salesforce gives it, usage 0. SOSL (search.ts) and cursors
 * (cursor.ts) replace their own getters with counted ones.
 */
const UNMETERED: Record<string, number> = {
  soslqueries: 20,
  aggregatequeries: 300,
  futurecalls: 50,
  queueablejobs: 50,
  publishimmediatedml: 150,
  mobilepushapexcalls: 10,
  asynccalls: 200,
  querylocatorrows: 10_000_000,
  fetchcallsonapexcursor: 10,
  apexcursorrows: 50_000_000,
  findsimilarcalls: 0,
};
const limits = natives.get('limits')!;
for (const [k, max] of Object.entries(UNMETERED)) {
  limits.statics!['get' + k] ??= () => 0;
  limits.statics!['getlimit' + k] ??= () => max;
}

// ---------------------------------------------------------------- Database.countQueryWithBinds

/** `Database.countQueryWithBinds(query, Map<String, Object> binds, AccessLevel)`: the count of `SELECT COUNT() …` with binds from the map. */
natives.get('database')!.statics!['countquerywithbinds'] ??= async (f, [q, binds, mode], site) => {
  const c = compileDynamicSoql(stringValueOf(q));
  const b: Record<string, unknown> = {};
  if (binds instanceof ApexMap) for (const [k, v] of binds.map.values()) b[stringValueOf(k)] = v;
  const userMode = mode instanceof EnumValue && mode.name === 'USER_MODE';
  return runSoql(f, c.soql, { userMode: userMode || c.userMode, binds: b, sobject: c.sobject, isCount: true }, site);
};

// ---------------------------------------------------------------- Test.getStandardPricebookId

/** The org's standard price book, in a test too, where a query of Pricebook2 cannot see it (Apex Reference, "Test Class"). */
natives.get('test')!.statics!['getstandardpricebookid'] = async (f, _args, site) => {
  const list = (await runSoql(
    f,
    'SELECT Id FROM Pricebook2 WHERE IsStandard = true LIMIT 1',
    { userMode: false, binds: {}, sobject: 'Pricebook2', isCount: false, unsiloed: true },
    site,
  )) as ApexList;
  f.tx.counts.queries--;
  const pb = list.items[0] as { get(k: string): unknown } | undefined;
  return pb ? pb.get('Id') : unsupported(f, 'Test.getStandardPricebookId (this org has no standard price book)', site);
};
