/**
 * A record's Id begins with its object's key prefix. DML that names a record of one object by an Id of
 * another (`new PermissionSetAssignment(Id = permissionSetId)`, `newSObject().put('Id', otherId)`) fails
 * with Salesforce's text, "Invalid id value for this SObject type: <id>" (docs/salesforce-rules.md#heldout-corpus-2).
 */
import type { Frame } from './frame.ts';
import type { SObject } from './values.ts';
import { throwEx } from './exceptions.ts';

async function prefixes(f: Frame): Promise<Map<string, string>> {
  const host = f.tx.host;
  const key = 'describe.global';
  if (!f.tx.cacheLocal.has(key) && host.describeGlobal) f.tx.cacheLocal.set(key, await f.tx.hostCall(() => host.describeGlobal!()));
  const list = (f.tx.cacheLocal.get(key) ?? []) as { name: string; keyPrefix: string | null }[];
  const byName = new Map<string, string>();
  for (const o of list) if (o.keyPrefix) byName.set(o.name.toLowerCase(), o.keyPrefix);
  return byName;
}

/** Refuses a row whose Id names a record of another object than the row's own (its type known). */
export async function checkIdPrefixes(f: Frame, rows: SObject[]): Promise<void> {
  const typed = rows.filter((so) => so.type !== 'SObject' && typeof so.get('Id') === 'string');
  if (!typed.length) return;
  const byName = await prefixes(f);
  for (const so of typed) {
    const id = so.get('Id') as string;
    const own = byName.get(so.type.toLowerCase());
    if (own && id.slice(0, 3) !== own) throwEx(f, 'StringException', `Invalid id value for this SObject type: ${id}`);
  }
}
