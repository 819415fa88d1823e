/**
 * `FeatureManagement.checkPermission(apiName)` (Apex Reference, "FeatureManagement Class"): whether the
 * running user has the custom permission, through a permission set assigned to them that grants it
 * (a SetupEntityAccess row of the permission set naming the CustomPermission; SOAP API Object Reference,
 * "SetupEntityAccess"). A permission the org does not define answers false. Custom permissions granted
 * by a profile are not modelled locally (profiles carry no custom permissions here).
 * The reads are the platform's own: they count against no limit.
 */
import { defineNative } from '../model/natives.ts';
import { type ApexList, type SObject } from '../run/values.ts';
import { runSoql } from '../run/data.ts';
import { throwNpe } from '../run/exceptions.ts';
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

defineNative(
  {
    name: 'System.FeatureManagement',
    statics: {
      'Boolean checkPermission(String)': (f, [apiName], site) => checkPermission(f, apiName, site),
    },
  },
  'FeatureManagement',
);
