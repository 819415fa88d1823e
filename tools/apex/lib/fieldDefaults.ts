/**
 * `SObjectType.newSObject(recordTypeId, true)`: "loadDefaultValues … populate custom fields with their
 * predefined default values" (Apex Reference, "SObjectType Class"). A Checkbox takes its default, a
 * picklist its default value, and a field whose default is a formula takes the formula's value: the
 * literal formulas projects write (`"EVENT_BUS"`, `'FINEST'`, `100`, `true`) and TODAY()/NOW() directly; any
 * other formula with the formula engine of `Formula.builder` (lib/formula.ts), which names what it cannot
 * evaluate instead of leaving the field wrongly null.
 */
import { ApexDate, ApexDatetime, Dec, type SObject } from '../run/values.ts';
import { unsupported } from '../run/exceptions.ts';
import { evaluate } from './formula.ts';
import { FormulaError, parseFormula } from './formulaParser.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { FieldDescribe, SObjectDescribe } from '../host.ts';

const DECIMALS = new Set(['double', 'currency', 'percent']);

async function formulaValue(f: Frame, so: SObject, fd: FieldDescribe, formula: string, site: Site): Promise<unknown> {
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
  let tree;
  try {
    tree = parseFormula(t);
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    return unsupported(f, `the default value formula ${t} of ${fd.name} (newSObject with default values)`, site);
  }
  return asFieldType(await evaluate(tree, { f, site, root: so, nullAsZero: false, evaluate }), fd);
}

/** A formula's value as the field holds it: numbers as Decimal of the field's scale (Integer for int), text as text. */
function asFieldType(v: unknown, fd: FieldDescribe): unknown {
  if (v === null || v === undefined) return null;
  const n = v instanceof Dec ? v.n : typeof v === 'number' ? v : undefined;
  if (DECIMALS.has(fd.type) && n !== undefined) return new Dec(n, fd.scale);
  if (fd.type === 'int' && n !== undefined) return Math.trunc(n);
  if (['string', 'textarea', 'picklist', 'email', 'phone', 'url'].includes(fd.type)) return v instanceof Dec ? v.toString() : String(v);
  return v;
}

/** Puts each custom field's default (and each picklist's default value) on the new record. */
export async function loadDefaultValues(f: Frame, so: SObject, d: SObjectDescribe, site: Site): Promise<void> {
  for (const fd of d.fields) {
    if (!fd.custom || fd.calculated) continue;
    if (fd.defaultValue !== null && fd.defaultValue !== undefined) so.put(fd.name, await formulaValue(f, so, fd, fd.defaultValue, site));
    else if (fd.type === 'picklist') {
      const p = fd.picklistValues.find((v) => v.defaultValue && v.active);
      if (p) so.put(fd.name, p.value);
    }
  }
}
