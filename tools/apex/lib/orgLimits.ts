/**
 * `System.OrgLimits` and `System.OrgLimit` (Apex Reference, "OrgLimits Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_OrgLimits.htm,
 * and "OrgLimit Class"): the org's API limits by name, as the REST `limits` resource lists them. The
 * local org meters none of them: each reads its Developer Edition maximum and a usage of 0 (the
 * `/limits` resource of the local platform answers the same maximums).
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList, ApexMap } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';

const ref = (name: string, ...args: TypeRef[]): TypeRef => ({ name, args, array: 0 });

/** Maximums of a Developer Edition org (REST API Developer Guide, "Limits"); usage is 0 locally. */
const MAXIMUMS: Record<string, number> = {
  ActiveScratchOrgs: 3,
  AnalyticsExternalDataSizeMB: 40960,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentSyncReportRuns: 20,
  DailyAnalyticsDataflowJobExecutions: 60,
  DailyApiRequests: 15000,
  DailyAsyncApexExecutions: 250000,
  DailyAsyncApexTests: 500,
  DailyBulkApiBatches: 15000,
  DailyBulkV2QueryFileStorageMB: 976562,
  DailyBulkV2QueryJobs: 10000,
  DailyDurableGenericStreamingApiEvents: 10000,
  DailyDurableStreamingApiEvents: 10000,
  DailyGenericStreamingApiEvents: 10000,
  DailyScratchOrgs: 6,
  DailyStandardVolumePlatformEvents: 10000,
  DailyStreamingApiEvents: 10000,
  DailyWorkflowEmails: 405,
  DataStorageMB: 200,
  FileStorageMB: 50,
  HourlyAsyncReportRuns: 1200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5000,
  HourlyDashboardStatuses: 999999999,
  HourlyLongTermIdMapping: 100000,
  HourlyODataCallout: 10000,
  HourlyPublishedPlatformEvents: 50000,
  HourlyPublishedStandardVolumePlatformEvents: 1000,
  HourlyShortTermIdMapping: 100000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 10,
  MonthlyPlatformEventsUsageEntitlement: 0,
  Package2VersionCreates: 6,
  Package2VersionCreatesWithoutValidation: 500,
  PermissionSets: 1500,
  SingleEmail: 15,
  StreamingApiConcurrentClients: 20,
};

function orgLimit(name: string): NObj {
  const l = new NObj('System.OrgLimit');
  l.set('name', name);
  l.set('limit', MAXIMUMS[name]);
  l.set('value', 0);
  return l;
}

defineNative(
  {
    name: 'System.OrgLimits',
    statics: {
      'List<System.OrgLimit> getAll()': () => new ApexList(Object.keys(MAXIMUMS).map(orgLimit), ref('System.OrgLimit')),
      'Map<String, System.OrgLimit> getMap()': () => {
        const m = new ApexMap(ref('String'), ref('System.OrgLimit'));
        for (const name of Object.keys(MAXIMUMS)) m.put(name, orgLimit(name));
        return m;
      },
    },
    complete: true,
  },
  'OrgLimits',
);

defineNative(
  {
    name: 'System.OrgLimit',
    methods: {
      'String getName()': (f, l: NObj) => l.get('name'),
      'Integer getLimit()': (f, l: NObj) => l.get('limit'),
      'Integer getValue()': (f, l: NObj) => l.get('value'),
      // "OrgLimit[DailyBulkApiBatches: consumed 25 of 15000]" (OrgLimit Class, toString)
      'String toString()': (f, l: NObj) => `OrgLimit[${l.get('name')}: consumed ${l.get('value')} of ${l.get('limit')}]`,
    },
    complete: true,
  },
  'OrgLimit',
);
