/**
 * `SObjectType.newSObject(recordTypeId, true)`: "loadDefaultValues … populate custom fields with their
 * predefined default values" (Apex Reference, "SObjectType Class"). A Checkbox takes its default, a
 * picklist its default value, and a field whose default is a formula takes the formula's value: the
 * literal formulas projects write (`"EVENT_BUS"`, `'FINEST'`, `100`, `true`) and TODAY()/NOW(); any other
 * formula is not evaluated locally and fails loudly instead of leaving the field wrongly null.
 */
import { ApexDate, ApexDatetime, Dec, type SObject } from '../run/values.ts';
import { unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { FieldDescribe, SObjectDescribe } from '../host.ts';

const DECIMALS = new Set(['double', 'currency', 'percent']);

function formulaValue(f: Frame, fd: FieldDescribe, formula: string, site: Site): unknown {
  const t = formula.trim();
  if (fd.type === 'boolean') return /^true$/i.test(t);
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(t) ?? /^'((?:[^'\\]|\\.)*)'$/.exec(t);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    if (fd.type === 'int') return Number(t);
    if (DECIMALS.has(fd.type)) return new Dec(Number(t), t.includes('.') ? t.split('.')[1].length : 0);
  }
  if (/^today\(\)$/i.test(t) && fd.type === 'date') {
    const d = new Date();
    return ApexDate.of(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (/^now\(\)$/i.test(t) && fd.type === 'datetime') return new ApexDatetime(Date.now());
  return unsupported(f, `the default value formula ${t} of ${fd.name} (newSObject with default values)`, site);
}

/** Puts each custom field's default (and each picklist's default value) on the new record. */
export function loadDefaultValues(f: Frame, so: SObject, d: SObjectDescribe, site: Site): void {
  for (const fd of d.fields) {
    if (!fd.custom || fd.calculated) continue;
    if (fd.defaultValue !== null && fd.defaultValue !== undefined) so.put(fd.name, formulaValue(f, fd, fd.defaultValue, site));
    else if (fd.type === 'picklist') {
      const p = fd.picklistValues.find((v) => v.defaultValue && v.active);
      if (p) so.put(fd.name, p.value);
    }
  }
}
