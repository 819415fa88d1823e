/**
 * Custom settings read through their static methods (Apex Reference, "Custom Settings Methods",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_custom_settings.htm).
 * Hierarchy settings: `getInstance()`/`getInstance(userOrProfileId)` merge the org default, the
 * profile's and the user's rows (the lowest level that sets a field wins) and never return null;
 * `getOrgDefaults()` is the org's row or an empty one; `getValues(id)` is that level's own row or
 * null. List settings: `getAll()` by Name, `getInstance(name)`/`getValues(name)` one row or null.
 * Rows come from SOQL, so a test sees only the settings it inserted (Salesforce isolates custom
 * settings data from tests like other data), and the reads do not count against SOQL limits.
 */
import { type ApexList, ApexMap, SObject } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { runSoql } from '../run/data.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { primeCheckboxes } from '../run/checkboxes.ts';

const STRING: TypeRef = { name: 'String', args: [], array: 0 };

async function rows(f: Frame, type: string, site: Site): Promise<SObject[]> {
  // The setting a read builds is a new sObject: its Checkbox fields read false, not null.
  await primeCheckboxes(f, type);
  const list = (await runSoql(
    f,
    `SELECT FIELDS(ALL) FROM ${type}`,
    { userMode: false, binds: {}, sobject: type, isCount: false },
    site,
  )) as ApexList;
  f.tx.counts.queries--;
  f.tx.counts.queryRows -= list.items.length;
  return list.items as SObject[];
}

const prefixOf = (id: unknown) => (typeof id === 'string' ? id.slice(0, 3) : '');
/** A hierarchy argument is an Id of a user (005) or a profile (00e); anything else names a list setting's row. */
const isOwnerId = (v: unknown) =>
  typeof v === 'string' && /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(v) && ['005', '00e'].includes(v.slice(0, 3));
const sameId = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15);

/** Org-level rows have the org's Id as owner; a row inserted without SetupOwnerId is the org default too. */
function orgRow(all: SObject[]): SObject | undefined {
  return all.find((r) => r.get('SetupOwnerId') === null || prefixOf(r.get('SetupOwnerId')) === '00D');
}

async function profileOf(f: Frame, userId: string, site: Site): Promise<string | undefined> {
  const list = (await runSoql(
    f,
    'SELECT ProfileId FROM User WHERE Id = :id',
    { userMode: false, binds: { id: userId }, sobject: 'User', isCount: false },
    site,
  )) as ApexList;
  f.tx.counts.queries--;
  f.tx.counts.queryRows -= list.items.length;
  const p = (list.items[0] as SObject | undefined)?.get('ProfileId');
  return typeof p === 'string' ? p : undefined;
}

function copy(type: string, from: SObject | undefined): SObject {
  const so = new SObject(type);
  if (from) for (const fv of from.fields.values()) so.put(fv.name, fv.value);
  return so;
}

const ROW_FIELDS = ['name', 'isdeleted', 'createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp'];

/** Fields a level sets override the ones above it (a null leaves the higher level's value). */
function merge(type: string, levels: (SObject | undefined)[]): SObject {
  const out = new SObject(type);
  for (const level of levels) {
    if (!level) continue;
    for (const fv of level.fields.values()) if (fv.value !== null || !out.has(fv.name)) out.put(fv.name, fv.value);
  }
  return out;
}

export async function settingGetInstance(f: Frame, type: string, args: unknown[], site: Site): Promise<SObject | null> {
  const all = await rows(f, type, site);
  const [arg] = args;
  if (args.length && !isOwnerId(arg))
    return all.find((r) => String(r.get('Name') ?? '').toLowerCase() === String(arg).toLowerCase()) ?? null;
  const owner = args.length ? (arg as string) : f.tx.host.user.id;
  const isProfile = prefixOf(owner) === '00e';
  const profile = isProfile ? owner : await profileOf(f, owner, site);
  const own = all.find((r) => sameId(r.get('SetupOwnerId'), owner));
  const profileRow = isProfile ? own : all.find((r) => profile && sameId(r.get('SetupOwnerId'), profile));
  const merged = merge(type, [orgRow(all), profileRow, own]);
  // without a row of its own the answer is a new record: the levels' custom fields, none of their row's own
  // system fields (Apex Reference, Custom Settings Methods: "a new custom setting object … ID set to null")
  if (!own) for (const k of ROW_FIELDS) merged.fields.delete(k);
  // the most specific level's own Id, else none; the owner asked about (Apex Reference: "the SetupOwnerId field which contains the user ID")
  merged.put('Id', own?.get('Id') ?? null);
  merged.put('SetupOwnerId', owner);
  return merged;
}

export async function settingGetValues(f: Frame, type: string, args: unknown[], site: Site): Promise<SObject | null> {
  const all = await rows(f, type, site);
  const [arg] = args;
  if (isOwnerId(arg)) return all.find((r) => sameId(r.get('SetupOwnerId'), arg)) ?? null;
  return all.find((r) => String(r.get('Name') ?? '').toLowerCase() === String(arg).toLowerCase()) ?? null;
}

export async function settingGetOrgDefaults(f: Frame, type: string, site: Site): Promise<SObject> {
  const row = orgRow(await rows(f, type, site));
  return row ? copy(type, row) : new SObject(type);
}

export async function settingGetAll(f: Frame, type: string, site: Site): Promise<ApexMap> {
  const m = new ApexMap(STRING, { name: type, args: [], array: 0 });
  for (const r of await rows(f, type, site)) m.put(r.get('Name'), r);
  return m;
}
