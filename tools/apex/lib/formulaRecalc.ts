/**
 * `Formula.recalculateFormulas(sobjects)`: "Updates (recalculates) all formula fields on the input sObjects"
 * (Apex Reference, "Formula Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_Formula.htm), in
 * memory, without DML; one `System.FormulaRecalcResult` per record (`isSuccess`, `getErrors`, `getSObject`).
 * The formulas are the fields' describe `calculatedFormula` (the project's field metadata), evaluated with the
 * formula engine of `Formula.builder` (lib/formula.ts); a blank number field reads as zero where the field
 * says so (`formulaTreatBlanksAs` BlankAsZero).
 */
import './formula.ts';
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, Dec, SObject } from '../run/values.ts';
import { throwNpe } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { FieldDescribe } from '../host.ts';
import { evaluate } from './formula.ts';
import { type FNode, parseFormula } from './formulaParser.ts';

const NUMBER_TYPES = new Set(['double', 'currency', 'percent']);

/** The formula's result as its field's type: numbers as Decimal (Integer for int), text as text. */
function asFieldType(v: unknown, field: FieldDescribe): unknown {
  const type = field.type;
  if (v === null || v === undefined) return type === 'boolean' ? false : null;
  const n = v instanceof Dec ? v.n : typeof v === 'number' ? v : undefined;
  if (NUMBER_TYPES.has(type) && n !== undefined) return new Dec(n, field.scale);
  if (type === 'int' && n !== undefined) return Math.trunc(n);
  if (['string', 'textarea', 'picklist', 'email', 'phone', 'url'].includes(type)) return v instanceof Dec ? v.toString() : String(v);
  return v;
}

async function formulaFields(f: Frame, sobject: string): Promise<{ field: FieldDescribe; tree: FNode }[]> {
  const key = `formulas:${sobject.toLowerCase()}`;
  const hit = f.tx.cacheLocal.get(key) as { field: FieldDescribe; tree: FNode }[] | undefined;
  if (hit) return hit;
  const host = f.tx.host;
  const d = host.describeSObject ? await f.tx.hostCall(() => host.describeSObject!(sobject)) : undefined;
  const out = (d?.fields ?? [])
    .filter((x) => x.calculatedFormula)
    .map((field) => ({ field, tree: parseFormula(field.calculatedFormula!) }));
  f.tx.cacheLocal.set(key, out);
  return out;
}

function result(so: SObject): NObj {
  const r = new NObj('System.FormulaRecalcResult');
  r.set('sobject', so);
  return r;
}

defineNative({
  name: 'System.FormulaRecalcResult',
  methods: {
    'Boolean isSuccess()': () => true,
    'List<System.FormulaRecalcFieldError> getErrors()': () =>
      new ApexList([], { name: 'System.FormulaRecalcFieldError', args: [], array: 0 }),
    'SObject getSObject()': (f, r: NObj) => r.get('sobject'),
  },
});

natives.get('system.formula')!.statics!['recalculateformulas'] = async (f: Frame, [records]: unknown[], site: Site) => {
  if (!(records instanceof ApexList)) return throwNpe(f, site);
  const out: NObj[] = [];
  for (const so of records.items) {
    if (!(so instanceof SObject)) throwNpe(f, site);
    for (const { field, tree } of await formulaFields(f, so.type)) {
      const v = await evaluate(tree, { f, site, root: so, nullAsZero: !!field.formulaTreatNullNumberAsZero, evaluate });
      so.put(field.name, asFieldType(v, field));
    }
    out.push(result(so));
  }
  return new ApexList(out, { name: 'System.FormulaRecalcResult', args: [], array: 0 });
};
