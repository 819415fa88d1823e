/**
 * Formula evaluation in Apex (Apex Reference, "FormulaEval Namespace", "FormulaBuilder Class",
 * "FormulaInstance Class"): `Formula.builder().withType(T.class).withReturnType(...).withFormula(text)
 * .build()` validates the formula (syntax, functions, field references) and throws
 * System.FormulaValidationException when it fails; `evaluate(obj)` reads the fields and properties the
 * formula names from `obj`. The context type must be a global Apex class (or an sObject type), and a
 * property the formula names must be global. Functions the runtime knows but does not implement fail when
 * they run ("not supported by the local runtime"); template mode is not supported.
 */
import { defineNative } from '../model/natives.ts';
import { defineEnum, NObj } from './nativeValues.ts';
import { ApexDate, ApexDatetime, type ApexObject, ApexSet, ApexTime, Dec, EnumValue, SObject, TypeValue } from '../run/values.ts';
import { getMember } from '../run/members.ts';
import { resolveTypeName } from '../run/types.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { type FNode, FormulaError, parseFormula, referencesOf } from './formulaParser.ts';
import { type Evaluation, FORMULA_FUNCTIONS, callFunction } from './formulaFunctions.ts';

defineEnum(
  'FormulaEval.FormulaReturnType',
  ['BOOLEAN', 'DATE', 'DATETIME', 'DECIMAL', 'DOUBLE', 'ID', 'INTEGER', 'LONG', 'STRING', 'TIME'],
  'FormulaReturnType',
);
defineEnum(
  'FormulaEval.FormulaGlobal',
  ['CUSTOMMETADATA', 'LABEL', 'ORGANIZATION', 'PERMISSION', 'PROFILE', 'SETUP', 'SYSTEM', 'USER', 'USERROLE'],
  'FormulaGlobal',
);

const invalid = (f: Frame, message: string): never => throwEx(f, 'FormulaValidationException', message);

/** The context: a global Apex class, or an sObject type (`withType(Account.SObjectType)`). */
function contextOf(f: Frame, type: unknown): { cls?: ApexObject['cls']; sobject?: string } {
  if (type instanceof NObj && type.typeName === 'Schema.SObjectType') return { sobject: String(type.get('name')) };
  if (!(type instanceof TypeValue)) return invalid(f, 'The formula needs a context type: call withType()');
  const r = resolveTypeName(f, type.ref.name);
  if (r?.kind === 'sobject') return { sobject: r.name };
  if (r?.kind !== 'class') return invalid(f, `The context type ${type.display} must be a global Apex class`);
  if (!r.cls.modifiers.includes('global')) invalid(f, `The context type ${r.cls.fullName} must be a global Apex class`);
  return { cls: r.cls };
}

function validate(f: Frame, tree: FNode, ctx: { cls?: ApexObject['cls'] }): void {
  const walk = (n: FNode): void => {
    if (n.k === 'call') {
      if (!FORMULA_FUNCTIONS.has(n.name)) invalid(f, `Unknown function ${n.name}. Check spelling.`);
      n.args.forEach(walk);
    } else if (n.k === 'un') walk(n.a);
    else if (n.k === 'bin') [n.a, n.b].forEach(walk);
  };
  walk(tree);
  if (!ctx.cls) return;
  for (const path of referencesOf(tree)) {
    const head = path.split('.')[0];
    if (head.startsWith('$')) continue;
    const fd = ctx.cls.findField(head.toLowerCase());
    if (!fd || fd.isStatic) invalid(f, `Field ${head} does not exist. Check spelling.`);
    if (!fd!.modifiers.includes('global')) invalid(f, `Field ${head} must be global to be used in a formula`);
  }
}

async function read(f: Frame, root: unknown, path: string[], site: Site): Promise<unknown> {
  if (path[0].startsWith('$')) {
    if (path[0].toLowerCase() === '$user' && path[1]?.toLowerCase() === 'id') return f.tx.host.user.id;
    return unsupported(f, `formula global ${path.join('.')}`, site);
  }
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || v === undefined) return null;
    v = await getMember(f, v, seg, site);
  }
  return v;
}

const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : v instanceof Dec ? v.n : typeof v === 'number' ? v : Number(v);
const isText = (v: unknown) => typeof v === 'string';
const ms = (v: unknown) => (v instanceof ApexDate || v instanceof ApexDatetime || v instanceof ApexTime ? v.ms : undefined);

function equal(a: unknown, b: unknown): boolean {
  if ((a === null || a === '') && (b === null || b === '')) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (ms(a) !== undefined && ms(b) !== undefined) return ms(a) === ms(b);
  if (isText(a) || isText(b)) return String(a) === String(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  return num(a) === num(b);
}

function compare(a: unknown, b: unknown): number | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (ms(a) !== undefined && ms(b) !== undefined) return ms(a)! - ms(b)!;
  if (isText(a) && isText(b)) return a < b ? -1 : a > b ? 1 : 0;
  return num(a)! - num(b)!;
}

export async function evaluate(n: FNode, e: Evaluation): Promise<unknown> {
  const { f, site } = e;
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'ref': {
      const v = await read(f, e.root, n.path, site);
      if (v instanceof EnumValue) return v.name;
      return e.nullAsZero && v === null ? null : v;
    }
    case 'call':
      return callFunction(n.name, n.args, e);
    case 'un': {
      const a = await evaluate(n.a, e);
      if (n.op === '!') return a === null ? null : !a;
      const x = num(a) ?? (e.nullAsZero ? 0 : null);
      return x === null ? null : n.op === '-' ? -x : x;
    }
    case 'bin': {
      if (n.op === '&&' || n.op === '||') {
        const a = await evaluate(n.a, e);
        if (n.op === '&&' && a === false) return false;
        if (n.op === '||' && a === true) return true;
        return (await evaluate(n.b, e)) === true;
      }
      const a = await evaluate(n.a, e);
      const b = await evaluate(n.b, e);
      switch (n.op) {
        case '&':
          return (a === null ? '' : String(a)) + (b === null ? '' : String(b));
        case '=':
        case '==':
          return equal(a, b);
        case '!=':
        case '<>':
          return !equal(a, b);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const c = compare(a, b);
          if (c === null) return false;
          return n.op === '<' ? c < 0 : n.op === '<=' ? c <= 0 : n.op === '>' ? c > 0 : c >= 0;
        }
      }
      if (n.op === '+' && (isText(a) || isText(b))) return (a === null ? '' : String(a)) + (b === null ? '' : String(b));
      if (a instanceof ApexDate && (n.op === '+' || n.op === '-') && typeof num(b) === 'number')
        return new ApexDate(a.ms + (n.op === '+' ? 1 : -1) * num(b)! * 86400000);
      // a date/time plus or minus a number of days, fractions included (Salesforce Help, "Using Date, Date/Time, and Time Values in Formulas")
      if (a instanceof ApexDatetime && (n.op === '+' || n.op === '-') && ms(b) === undefined && typeof num(b) === 'number')
        return new ApexDatetime(a.ms + (n.op === '+' ? 1 : -1) * num(b)! * 86400000);
      const x = num(a) ?? (e.nullAsZero ? 0 : null);
      const y = num(b) ?? (e.nullAsZero ? 0 : null);
      if (x === null || y === null) return null;
      if (n.op === '/' && y === 0) throwEx(f, 'FormulaEvaluationException', 'Division by zero');
      return n.op === '+' ? x + y : n.op === '-' ? x - y : n.op === '*' ? x * y : n.op === '/' ? x / y : Math.pow(x, y);
    }
  }
}

/** The value as the declared return type: numbers become Decimal, Integer or Long; a text stays text. */
function asReturnType(f: Frame, v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'BOOLEAN':
      if (typeof v !== 'boolean') throwEx(f, 'FormulaEvaluationException', 'The formula did not return a Boolean');
      return v;
    case 'DECIMAL':
    case 'DOUBLE':
      return new Dec(num(v)!, undefined, type === 'DOUBLE');
    case 'INTEGER':
    case 'LONG':
      return Math.trunc(num(v)!);
    case 'STRING':
    case 'ID':
      return typeof v === 'string' ? v : v instanceof Dec ? v.toString() : String(v);
    default:
      return v;
  }
}

const SETTERS = ['withtype', 'withreturntype', 'withformula', 'withglobalvariables', 'treatnumericnullaszero', 'parseastemplate'];
const newBuilder = () => new NObj('FormulaEval.FormulaBuilder');

defineNative(
  {
    name: 'FormulaEval.FormulaBuilder',
    statics: { builder: () => newBuilder() },
    methods: {
      ...Object.fromEntries(
        SETTERS.map((k) => [
          k,
          (f: Frame, b: NObj, [v]: unknown[]) => {
            b.set(k, v);
            return b;
          },
        ]),
      ),
      build: (f: Frame, b: NObj, _a: unknown[], site: Site) => {
        const text = b.get<string | null>('withformula');
        if (text === null || text === undefined) return invalid(f, 'The formula is required: call withFormula()');
        const rt = b.get<EnumValue | null>('withreturntype');
        if (!(rt instanceof EnumValue)) return invalid(f, 'The return type is required: call withReturnType()');
        if (b.get('parseastemplate') === true) return unsupported(f, 'Formula template mode (parseAsTemplate)', site);
        const ctx = contextOf(f, b.get('withtype') ?? null);
        let tree: FNode;
        try {
          tree = parseFormula(text);
        } catch (e) {
          if (e instanceof FormulaError) return invalid(f, e.message);
          throw e;
        }
        validate(f, tree, ctx);
        const inst = new NObj('FormulaEval.FormulaInstance');
        inst.set('tree', tree);
        inst.set('returnType', rt.name);
        inst.set('nullAsZero', b.get('treatnumericnullaszero') === true);
        inst.set('sobject', ctx.sobject ?? null);
        return inst;
      },
    },
  },
  'FormulaBuilder',
);

defineNative(
  {
    name: 'FormulaEval.FormulaInstance',
    methods: {
      evaluate: async (f: Frame, inst: NObj, [obj]: unknown[], site: Site) => {
        if (obj === null || obj === undefined) throwNpe(f, site);
        const sobject = inst.get<string | null>('sobject');
        if (sobject && !(obj instanceof SObject && obj.type.toLowerCase() === sobject.toLowerCase()))
          throwEx(f, 'FormulaEvaluationException', `The formula expects a ${sobject}`);
        const e: Evaluation = { f, site, root: obj, nullAsZero: inst.get('nullAsZero') === true, evaluate };
        return asReturnType(f, await evaluate(inst.get<FNode>('tree'), e), inst.get<string>('returnType'));
      },
      getReferencedFields: (f: Frame, inst: NObj) => {
        const set = new ApexSet({ name: 'String', args: [], array: 0 });
        for (const r of referencesOf(inst.get<FNode>('tree'))) set.add(r);
        return set;
      },
    },
  },
  'FormulaInstance',
);

defineNative({ name: 'System.Formula', statics: { builder: () => newBuilder() } }, 'Formula');
