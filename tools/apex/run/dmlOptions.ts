/**
 * Database.DMLOptions that change how a write treats its values. `sobject.setOptions(opts)` keeps them on
 * the sObject for the DML that later writes it (Apex Reference, SObject Class, "setOptions"); a
 * `Database.insert(records, opts)` call gives them for the whole statement. `allowFieldTruncation` cuts a
 * text value that is too long to the field's length instead of refusing it with STRING_TOO_LONG (Apex
 * Reference, "DMLOptions Class").
 */
import { NObj } from '../lib/nativeValues.ts';
import type { SObject } from './values.ts';
import type { Frame } from './frame.ts';

const optionsOf = new WeakMap<SObject, NObj>();

/** `setOptions`: the options this sObject is written with. */
export function setSObjectOptions(so: SObject, options: unknown): null {
  if (options instanceof NObj) optionsOf.set(so, options);
  else optionsOf.delete(so);
  return null;
}

/** Whether DMLOptions (a statement's, or null) allow truncating text. */
export const allowsTruncation = (options: unknown): boolean =>
  options instanceof NObj && options.typeName === 'Database.DMLOptions' && options.get('allowFieldTruncation') === true;

/** Whether the sObject's own options (setOptions) allow truncating text. */
export const truncates = (so: SObject): boolean => allowsTruncation(optionsOf.get(so) ?? null);

const TEXT = /^(string|textarea|email|phone|url|picklist|multipicklist|encryptedstring|combobox)$/;

/** Cuts each text value of `rec` (a record about to be written) to its field's length. */
export async function truncateText(f: Frame, type: string, rec: Record<string, unknown>): Promise<void> {
  const d = await f.tx.host.describeSObject?.(type);
  if (!d) return;
  const byName = new Map(d.fields.map((x) => [x.name.toLowerCase(), x]));
  for (const [k, v] of Object.entries(rec)) {
    const fd = byName.get(k.toLowerCase());
    if (typeof v === 'string' && fd && TEXT.test(fd.type) && fd.length > 0 && v.length > fd.length) rec[k] = v.slice(0, fd.length);
  }
}
