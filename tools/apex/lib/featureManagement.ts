/**
 * `FeatureManagement.checkPermission(apiName)` (Apex Reference, "FeatureManagement Class"): whether the
 * running user has the custom permission, through a permission set assigned to them that grants it
 * (a SetupEntityAccess row of the permission set naming the CustomPermission; SOAP API Object Reference,
 * "SetupEntityAccess"). A permission the org does not define answers false. Custom permissions granted
 * by a profile are not modelled locally (profiles carry no custom permissions here).
 * The reads are the platform's own: they count against no limit.
 */
import { defineNative } from '../model/natives.ts';
import { ApexDate, type ApexList, type SObject } from '../run/values.ts';
import { runSoql } from '../run/data.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import type { FeatureParameterSource } from '../host.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

async function ids(f: Frame, soql: string, sobject: string, binds: Record<string, unknown>, field: string, site: Site): Promise<string[]> {
  const list = (await runSoql(f, soql, { userMode: false, binds, sobject, isCount: false }, site)) as ApexList;
  f.tx.counts.queries--;
  f.tx.counts.queryRows -= list.items.length;
  return (list.items as SObject[]).map((r) => String(r.get(field)));
}

export async function checkPermission(f: Frame, apiName: unknown, site: Site): Promise<boolean> {
  if (apiName === null || apiName === undefined) throwNpe(f, site);
  const name = String(apiName);
  const [, ns, dev] = /^(?:(\w+?)__)?(\w+)$/.exec(name) ?? [undefined, undefined, name];
  const permissions = await ids(
    f,
    ns
      ? 'SELECT Id FROM CustomPermission WHERE DeveloperName = :dev AND NamespacePrefix = :ns'
      : 'SELECT Id FROM CustomPermission WHERE DeveloperName = :dev',
    'CustomPermission',
    ns ? { dev, ns } : { dev },
    'Id',
    site,
  );
  if (!permissions.length) return false;
  const sets = await ids(
    f,
    'SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = :uid',
    'PermissionSetAssignment',
    { uid: f.tx.host.user.id },
    'PermissionSetId',
    site,
  );
  if (!sets.length) return false;
  const grants = await ids(
    f,
    'SELECT Id FROM SetupEntityAccess WHERE SetupEntityId IN :perms AND ParentId IN :sets',
    'SetupEntityAccess',
    { perms: permissions, sets },
    'Id',
    site,
  );
  return grants.length > 0;
}

type Param = FeatureParameterSource & { current: unknown };

/**
 * The package's feature parameters, from their default values; a set value lasts for the transaction (a test
 * method) (Second-Generation Managed Packaging Developer Guide, "Track Preferences and Activation Metrics with
 * Subscriber-to-LMO Feature Parameters").
 */
async function featureParameter(f: Frame, apiName: unknown, site: Site): Promise<Param> {
  if (apiName === null || apiName === undefined) throwNpe(f, site);
  let params = f.tx.cacheLocal.get('featureParameters') as Map<string, Param> | undefined;
  if (!params) {
    const host = f.tx.host;
    if (!host.featureParameters) return unsupported(f, 'feature parameters (this org host has no package metadata)', site);
    const list = await f.tx.hostCall(() => host.featureParameters!());
    params = new Map(list.map((p) => [p.name.toLowerCase(), { ...p, current: initial(p) }]));
    f.tx.cacheLocal.set('featureParameters', params);
  }
  const name = String(apiName).toLowerCase();
  const p = params.get(name) ?? params.get(name.replace(/^\w+?__/, ''));
  // unverified: Salesforce's exception type and text for a parameter the package lacks
  if (!p) throwEx(f, 'NoDataFoundException', `No feature parameter named ${String(apiName)} exists in this package`);
  return p!;
}

function initial(p: FeatureParameterSource): unknown {
  if (p.value === null || p.value === '') return null;
  if (p.type === 'Boolean') return p.value === 'true';
  if (p.type === 'Integer') return Number(p.value);
  const [y, m, d] = p.value.split('-').map(Number);
  return ApexDate.of(y, m, d);
}

const check = (f: Frame, [apiName]: unknown[], site: Site) => featureParameter(f, apiName, site).then((p) => p.current);
const set = async (f: Frame, [apiName, value]: unknown[], site: Site) => {
  (await featureParameter(f, apiName, site)).current = value;
  return null;
};

defineNative(
  {
    name: 'System.FeatureManagement',
    statics: {
      'Boolean checkPermission(String)': (f, [apiName], site) => checkPermission(f, apiName, site),
      'Boolean checkPackageBooleanValue(String)': check,
      'Date checkPackageDateValue(String)': check,
      'Integer checkPackageIntegerValue(String)': check,
      'void setPackageBooleanValue(String, Boolean)': set,
      'void setPackageDateValue(String, Date)': set,
      'void setPackageIntegerValue(String, Integer)': set,
    },
  },
  'FeatureManagement',
);
