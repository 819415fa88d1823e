/**
 * PermissionSet: its object, field, class and user permissions are what `WITH USER_MODE` and Apex REST
 * access are decided on, and its sObject row is what `sf org assign permset` finds
 * (`SELECT Id FROM PermissionSet WHERE Name = …`). References to classes and custom fields must exist,
 * with Salesforce's "In field: … - no … named … found" wording.
 */
import type { PermissionSetInfo } from '../../http/contracts.ts';
import type { Handler } from './handler.ts';
import { isApiName, readXml } from './handler.ts';
import { objectInfo } from './customMetadata.ts';

export const permissionSet: Handler = (c, env) => {
  const xml = readXml(c, 'PermissionSet');
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  const label = r.string('label', { required: true, max: 80 }) ?? c.fullName;
  const description = r.string('description');
  r.bool('hasActivationRequired');
  if (!isApiName(c.fullName)) r.fail(`Invalid Name ${c.fullName}: use letters, digits and single underscores, starting with a letter.`);
  const info: PermissionSetInfo = {
    name: c.fullName,
    label,
    objectPermissions: {},
    fieldPermissions: {},
    classAccesses: [],
    userPermissions: [],
  };
  for (const o of r.subs('objectPermissions', 'PermissionSetObjectPermissions')) {
    const object = o.string('object', { required: true });
    const perms = {
      read: o.bool('allowRead', { default: false })!,
      create: o.bool('allowCreate', { default: false })!,
      edit: o.bool('allowEdit', { default: false })!,
      delete: o.bool('allowDelete', { default: false })!,
    };
    o.bool('viewAllRecords');
    o.bool('modifyAllRecords');
    if ((perms.create || perms.edit || perms.delete) && !perms.read && object) {
      o.fail(`Permission Read ${object} depends on permission(s): Create ${object}, Edit ${object} or Delete ${object}`, 'object');
    }
    if (object && /__c$/.test(object) && !objectInfo(env, object))
      o.fail(`In field: object - no CustomObject named ${object} found`, 'object');
    if (object) info.objectPermissions[object] = perms;
  }
  for (const f of r.subs('fieldPermissions', 'PermissionSetFieldPermissions')) {
    const field = f.string('field', { required: true });
    const readable = f.bool('readable', { default: false })!;
    const editable = f.bool('editable', { default: false })!;
    if (!field) continue;
    const [object, name] = field.split('.');
    if (!object || !name) {
      f.fail(`In field: field - no CustomField named ${field} found`, 'field');
      continue;
    }
    if (/__c$/.test(name)) {
      const obj = objectInfo(env, object);
      // Standard objects may be absent from the store; only custom fields we know nothing about fail.
      if (/__(c|mdt)$/.test(object) || obj) {
        if (!obj?.fields.some((x) => x.name.toLowerCase() === name.toLowerCase()))
          f.fail(`In field: field - no CustomField named ${field} found`, 'field');
      }
    }
    if (editable && !readable) f.fail(`Permission Read ${field} depends on permission(s): Edit ${field}`, 'field');
    info.fieldPermissions[field] = { readable, editable };
  }
  for (const a of r.subs('classAccesses', 'PermissionSetApexClassAccess')) {
    const cls = a.string('apexClass', { required: true });
    const enabled = a.bool('enabled', { required: true });
    if (cls && !env.exists('ApexClass', cls)) a.fail(`In field: apexClass - no ApexClass named ${cls} found`, 'apexClass');
    if (cls && enabled) info.classAccesses.push(cls);
  }
  for (const u of r.subs('userPermissions', 'PermissionSetUserPermission')) {
    const name = u.string('name', { required: true });
    const enabled = u.bool('enabled', { required: true });
    if (name && enabled) info.userPermissions.push(name);
  }
  for (const t of r.subs('tabSettings', 'PermissionSetTabSetting')) {
    t.string('tab', { required: true });
    t.enumValue('visibility', 'PermissionSetTabVisibility', ['Available', 'None', 'Visible'] as const, { required: true });
  }
  const tabSettings = r
    .subs('tabSettings', 'PermissionSetTabSetting')
    .map((t) => ({ tab: t.string('tab'), visibility: t.string('visibility') }));
  const externalCredentialPrincipals = r
    .subs('externalCredentialPrincipalAccesses', 'PermissionSetExternalCredentialPrincipalAccess')
    .map((p) => ({
      principal: p.string('externalCredentialPrincipal'),
      enabled: p.bool('enabled'),
    }));
  // Named Credential path: each principal access must name `<ExternalCredential>-<principal>` of a deployed or deployed-now
  // External Credential (name format from retrieved permission sets, message wording ours — unverified).
  for (const access of externalCredentialPrincipals) {
    if (access.principal && !externalCredentialPrincipalExists(env, access.principal)) {
      r.fail(
        `In field: externalCredentialPrincipal - no ExternalCredentialPrincipal named ${access.principal} found`,
        'externalCredentialPrincipal',
      );
    }
  }
  return {
    problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })),
    data: { ...info, description, tabSettings, externalCredentialPrincipals },
    apply: (_db, records) => {
      records.upsert(env.org.id, 'PermissionSet', 'Name', {
        Name: c.fullName,
        Label: label,
        Description: description ?? null,
        IsOwnedByProfile: false,
        IsCustom: true,
        NamespacePrefix: null,
      });
    },
  };
};

/** `Ec-Principal` (or `Ec - Principal`): does External Credential `Ec` (in this deploy or the org) define that principal? */
function externalCredentialPrincipalExists(env: Parameters<Handler>[1], access: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9_]*)\s*-\s*(.+)$/.exec(access.trim());
  if (!m) return false;
  const [, ec, principal] = m as unknown as [string, string, string];
  const pending = env.batch.get(`ExternalCredential#${ec}`);
  if (pending) {
    const xml = pending.xmlFileName ? (pending.files.get(pending.xmlFileName)?.toString('utf8') ?? '') : '';
    return [...xml.matchAll(/<externalCredentialParameters>([\s\S]*?)<\/externalCredentialParameters>/g)].some(
      ([, body]) =>
        /<parameterType>(NamedPrincipal|PerUserPrincipal)<\/parameterType>/.test(body!) &&
        body!.includes(`<parameterName>${principal.trim()}</parameterName>`),
    );
  }
  const stored = env.stored('ExternalCredential', ec);
  const params = (stored?.data as { parameters?: { name?: string; type?: string }[] } | undefined)?.parameters ?? [];
  return params.some((p) => (p.type === 'NamedPrincipal' || p.type === 'PerUserPrincipal') && p.name === principal.trim());
}
