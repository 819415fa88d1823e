/**
 * Lowering of expressions to closures: operators, literals and the expression forms; names, member
 * access, calls, construction, assignment targets and inline SOQL are in objects.ts.
 */
import { Dec } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { type ClassDef, type Ex, type Site } from '../model/classModel.ts';
import { type Frame } from '../run/frame.ts';
import { type LValue, type Scope, syncEx } from './scope.ts';
import { index } from '../run/members.ts';
import { arith, compare, negate, refEquals, valueEquals } from '../run/operators.ts';
import { cast, instanceOfOperator, typeValue } from '../run/types.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import { apexEquals, apexString, needsApexEquality, needsApexString } from '../run/equality.ts';
import { unescapeApex } from '../parse/syntax.ts';
import { lowerSosl } from './sosl.ts';
import { throwNpe, unsupported } from '../run/exceptions.ts';
import { isTextField } from '../run/checkboxes.ts';
import {
  unhandled,
  type Call,
  type Expr,
  type FieldAccess,
  type Literal,
  type MethodCall,
  type New,
  type Pos,
  type Soql,
} from '../parse/ast.ts';

/** Operators whose result is a Boolean, a number, a String or a date: never a user object. */
const PLAIN_RESULTS = new Set<Expr['kind']>([
  'Arithmetic',
  'Bitwise',
  'Comparison',
  'Equality',
  'Logical',
  'Negation',
  'Prefix',
  'Postfix',
  'InstanceOf',
]);
const PRIMITIVES = new Set('integer long decimal double string id boolean date datetime time blob'.split(' '));

/** A declared type whose values never have their own equals/toString: primitives, sObjects, collections of them. */
function plainType(t: TypeRef | undefined): boolean {
  if (!t) return false;
  if (t.array) return plainType({ ...t, array: 0 });
  const n = t.name.toLowerCase().replace(/^system\./, '');
  if (n === 'list' || n === 'set' || n === 'map') return t.args.length > 0 && t.args.every(plainType);
  return PRIMITIVES.has(n) || (isSObjectName(n) && !t.args.length);
}

/** String concatenation where an operand's class may have its own toString() (a promise only then). */
function concat(f: Frame, x: unknown, y: unknown, site: Site): unknown {
  if ((typeof x === 'string' || typeof y === 'string') && (needsApexString(x) || needsApexString(y)))
    return (async () => (await apexString(f, x, site)) + (await apexString(f, y, site)))(); // in order: toString() runs Apex
  return arith(f, '+', x, y, site);
}

export abstract class ExpressionLowering {
  constructor(
    readonly fileName: string,
    readonly source: string,
    /** The overload the check phase chose for a call site (parameter types), by syntax node. */
    readonly bindings: ReadonlyMap<Expr, string> = new Map(),
  ) {}

  /** Where a node runs, for errors and stack traces; `at` when the site is not where the node starts (`new`'s type). */
  site(n: Pos, cls: ClassDef, at: Pos = n): Site {
    const s: Site = { file: this.fileName, line: at.line, col: at.column, cls };
    const signature = this.bindings.get(n as Expr);
    if (signature !== undefined) s.signature = signature;
    return s;
  }

  /** `expected` is the declared type the value flows into, used by SOQL single-row assignment. */
  expr(n: Expr, scope: Scope, expected?: TypeRef): Ex {
    const ex = this.exprOf(n, scope, expected);
    if (PLAIN_RESULTS.has(n.kind)) ex.plain = true;
    return ex;
  }

  private exprOf(n: Expr, scope: Scope, expected?: TypeRef): Ex {
    const cls = scope.cls;
    switch (n.kind) {
      case 'Literal':
      case 'Name':
      case 'This':
      case 'Super':
      case 'TypeLiteral':
      case 'VoidClass':
      case 'Soql':
      case 'Sosl':
        return this.primary(n, scope);
      case 'Paren':
        return this.expr(n.expr, scope, expected);
      case 'FieldAccess':
      case 'MethodCall':
        return this.dotExpr(n, scope);
      case 'Call':
      case 'ConstructorCall':
        return this.methodCall(n, scope);
      case 'Index': {
        const a = this.expr(n.target, scope);
        const i = this.expr(n.index, scope);
        const site = this.site(n, cls);
        return async (f) => index(f, await a(f), await i(f), site);
      }
      case 'New':
        return this.creator(n, scope);
      case 'Cast': {
        const type = n.type.ref;
        const e = this.expr(n.expr, scope);
        const site = this.site(n, cls);
        return async (f) => cast(f, await e(f), type, site);
      }
      case 'InstanceOf': {
        const type = n.type.ref;
        const e = this.expr(n.expr, scope);
        const site = this.site(n, cls);
        return async (f) => {
          const v = await e(f);
          return v !== null && instanceOfOperator(f, v, type, site);
        };
      }
      case 'Conditional': {
        const c = this.expr(n.cond, scope);
        const a = this.expr(n.then, scope);
        const b = this.expr(n.else, scope);
        const site = this.site(n, cls);
        if (c.sync && a.sync && b.sync) {
          const [cs, as, bs] = [c.sync, a.sync, b.sync];
          return syncEx((f) => {
            const cv = cs(f);
            if (cv === null) throwNpe(f, site);
            return cv ? as(f) : bs(f);
          });
        }
        return async (f) => {
          const cv = await c(f);
          if (cv === null) throwNpe(f, site);
          return cv ? a(f) : b(f);
        };
      }
      case 'Coalesce': {
        const a = this.expr(n.left, scope);
        const b = this.expr(n.right, scope);
        if (a.sync && b.sync) {
          const [as, bs] = [a.sync, b.sync];
          return syncEx((f) => {
            const v = as(f);
            return v === null || v === undefined ? bs(f) : v;
          });
        }
        return async (f) => {
          const v = await a(f);
          return v === null || v === undefined ? b(f) : v;
        };
      }
      case 'Logical': {
        const a = this.expr(n.left, scope);
        const b = this.expr(n.right, scope);
        const isAnd = n.op === '&&';
        const site = this.site(n, cls);
        if (a.sync && b.sync) {
          const [as, bs] = [a.sync, b.sync];
          return syncEx((f) => {
            const av = as(f);
            if (av === null) throwNpe(f, site);
            if (isAnd ? !av : av) return av;
            const bv = bs(f);
            if (bv === null) throwNpe(f, site);
            return bv;
          });
        }
        return async (f) => {
          const av = await a(f);
          if (av === null) throwNpe(f, site);
          if (isAnd ? !av : av) return av;
          const bv = await b(f);
          if (bv === null) throwNpe(f, site);
          return bv;
        };
      }
      case 'Negation': {
        const e = this.expr(n.expr, scope);
        const op = n.op;
        const site = this.site(n, cls);
        const neg = (f: Frame, v: unknown) => {
          if (v === null) throwNpe(f, site);
          return op === '!' ? !v : ~(v as number);
        };
        const es = e.sync;
        if (es) return syncEx((f) => neg(f, es(f)));
        return async (f) => neg(f, await e(f));
      }
      case 'Prefix':
      case 'Postfix': {
        const en = n.expr;
        const op = n.op;
        const site = this.site(n, cls);
        if (op === '+' || op === '-') {
          const e = this.expr(en, scope);
          const es = e.sync;
          if (es) return syncEx((f) => (op === '-' ? negate(f, es(f), site) : es(f)));
          return async (f) => {
            const v = await e(f);
            return op === '-' ? negate(f, v, site) : v;
          };
        }
        const lv = this.lvalue(en, scope);
        const delta = op === '++' ? 1 : -1;
        const post = n.kind === 'Postfix';
        if (lv.syncGet && lv.syncSet) {
          const [g, st] = [lv.syncGet, lv.syncSet];
          return syncEx((f) => {
            const old = g(f);
            if (old === null) throwNpe(f, site);
            const nv = arith(f, '+', old, delta, site);
            st(f, nv);
            return post ? old : nv;
          });
        }
        return async (f) => {
          const old = await lv.get(f);
          if (old === null) throwNpe(f, site);
          const nv = arith(f, '+', old, delta, site);
          await lv.set(f, nv);
          return post ? old : nv;
        };
      }
      case 'Arithmetic':
      case 'Bitwise':
      case 'Comparison':
      case 'Equality': {
        const a = this.expr(n.left, scope);
        const b = this.expr(n.right, scope);
        const op = n.op;
        const k = n.kind;
        const site = this.site(n, cls);
        let fn: (f: Frame, x: unknown, y: unknown) => unknown;
        // `==` may call a class's equals(), `+` a class's toString(): only plain operands stay synchronous
        let apex: ((f: Frame, x: unknown, y: unknown) => unknown) | undefined;
        if (k === 'Equality') {
          const neg = op === '!==' || (op !== '==' && op !== '===');
          if (op === '===' || op === '!==') fn = (f, x, y) => refEquals(x, y) !== neg;
          else {
            fn = (f, x, y) => valueEquals(x, y, false, f) !== neg;
            if (!(a.plain && b.plain) && !a.isNull && !b.isNull)
              apex = (f, x, y) =>
                needsApexEquality(x) || needsApexEquality(y) ? apexEquals(f, x, y, false, site).then((r) => r !== neg) : fn(f, x, y);
          }
        } else if (k === 'Comparison') fn = (f, x, y) => compare(f, op, x, y, site);
        else {
          fn = (f, x, y) => arith(f, op, x, y, site);
          // a String variable holding null concatenates as 'null' (`String s = null; s + 5` is 'null5')
          if (op === '+' && (a.isString || b.isString))
            fn = (f, x, y) => arith(f, op, x === null && a.isString ? 'null' : x, y === null && b.isString ? 'null' : y, site);
          if (op === '+' && !(a.plain && b.plain))
            apex = (f, x, y) => concat(f, x === null && a.isString ? 'null' : x, y === null && b.isString ? 'null' : y, site);
          // a String field of an sObject holding null does too (`meta.Op__c + meta.Where__c` is 'nullnull')
          const [af, bf] = [this.textFieldOperand(n.left, scope), this.textFieldOperand(n.right, scope)];
          if (op === '+' && (af || bf)) {
            const plainFn = fn;
            const inner = apex ?? ((f: Frame, x: unknown, y: unknown) => plainFn(f, x, y));
            apex = async (f, x, y) => {
              if (x === null && af && (await isTextField(f, af.sobject, af.field))) x = 'null';
              if (y === null && bf && (await isTextField(f, bf.sobject, bf.field))) y = 'null';
              return inner(f, x, y);
            };
          }
        }
        let ex: Ex;
        if (a.sync && b.sync && !apex) {
          const [as, bs] = [a.sync, b.sync];
          ex = syncEx((f) => fn(f, as(f), bs(f)));
        } else if (apex) {
          const g = apex;
          ex = async (f) => g(f, await a(f), await b(f));
        } else ex = async (f) => fn(f, await a(f), await b(f));
        ex.plain = true;
        return ex;
      }
      case 'Assign': {
        const ln = n.target;
        const rn = n.value;
        const op = n.op;
        const lv = this.lvalue(ln, scope);
        const r = this.expr(rn, scope);
        const site = this.site(n, cls);
        const bop = op.slice(0, -1);
        // `s += o` may call o's own toString()
        const combine =
          bop === '+' && !r.plain
            ? (f: Frame, x: unknown, y: unknown) => concat(f, x, y, site)
            : (f: Frame, x: unknown, y: unknown) => arith(f, bop, x, y, site);
        if (lv.syncGet && lv.syncSet && r.sync && (op === '=' || bop !== '+' || r.plain)) {
          const [g, st, rs] = [lv.syncGet, lv.syncSet, r.sync];
          if (op === '=')
            return syncEx((f) => {
              const v = rs(f);
              st(f, v);
              return v;
            });
          return syncEx((f) => {
            const old = g(f);
            const rv = rs(f);
            if (old === null && !(bop === '+' && typeof rv === 'string')) throwNpe(f, site);
            const nv = arith(f, bop, old, rv, site);
            st(f, nv);
            return nv;
          });
        }
        if (op === '=')
          return async (f) => {
            const v = await r(f);
            await lv.set(f, v);
            return v;
          };
        return async (f) => {
          const old = await lv.get(f);
          const rv = await r(f);
          if (old === null && !(bop === '+' && typeof rv === 'string')) throwNpe(f, site);
          let nv = combine(f, old, rv);
          if (nv instanceof Promise) nv = await nv;
          await lv.set(f, nv);
          return nv;
        };
      }
      default:
        return unhandled(n);
    }
  }

  primary(
    p: Literal | Extract<Expr, { kind: 'Name' | 'This' | 'Super' | 'TypeLiteral' | 'VoidClass' | 'Soql' | 'Sosl' }>,
    scope: Scope,
  ): Ex {
    const cls = scope.cls;
    const site = this.site(p, cls);
    switch (p.kind) {
      case 'Literal':
        return this.literal(p);
      case 'This':
        return async (f) => f.self;
      case 'Name': {
        const name = p.name;
        const slot = scope.lookup(name);
        if (slot !== undefined) {
          const ex = syncEx((f) => f.locals[slot]);
          ex.plain = plainType(scope.slotTypes[slot]);
          ex.isString = /^(system\.)?string$/i.test(scope.slotTypes[slot]?.name ?? '') && !scope.slotTypes[slot]?.array;
          return ex;
        }
        return this.nameChain([name], scope, site);
      }
      case 'TypeLiteral': {
        const type = p.type.ref;
        return async (f) => typeValue(f, type, site);
      }
      case 'Soql':
        return this.soql(p, scope);
      case 'Sosl':
        return lowerSosl(this, p, scope);
      case 'Super':
        return async (f) => f.self;
      case 'VoidClass':
        return async (f) => unsupported(f, 'void.class', site);
      default:
        return unhandled(p);
    }
  }

  literal(l: Literal): Ex {
    const s = l.text;
    let v: unknown;
    switch (l.type) {
      case 'Integer':
        v = Number(s);
        break;
      case 'Long':
        v = Number(s.slice(0, -1));
        break;
      case 'Number': {
        const isDouble = /[dD]$/.test(s);
        const num = s.replace(/[dD]$/, '');
        const dot = num.indexOf('.');
        v = new Dec(Number(num), isDouble || dot < 0 ? undefined : num.length - dot - 1, isDouble);
        break;
      }
      case 'Boolean':
        v = s.toLowerCase() === 'true';
        break;
      case 'String':
        v = unescapeApex(s);
        break;
      case 'Null':
        v = null;
    }
    const ex = syncEx(() => v);
    ex.plain = true;
    ex.isNull = v === null;
    return ex;
  }

  plainChain(n: Expr, scope: Scope): string[] | undefined {
    if (n.kind === 'Name') {
      if (scope.lookup(n.name) !== undefined) return undefined;
      return [n.name];
    }
    if (n.kind === 'FieldAccess' && !n.safe) {
      const left = this.plainChain(n.target, scope);
      if (!left) return undefined;
      return [...left, n.name.name];
    }
    return undefined;
  }

  /**
   * `rec.Field` where `rec` is a local declared as an sObject type (`Rollup__mdt meta`): the object and
   * field, whose text-ness the runtime looks up in the schema. Other operands: undefined.
   */
  textFieldOperand(n: Expr, scope: Scope): { sobject: string; field: string } | undefined {
    if (n.kind !== 'FieldAccess' || n.target.kind !== 'Name') return undefined;
    const slot = scope.lookup(n.target.name);
    const type = slot === undefined ? undefined : scope.slotTypes[slot];
    if (!type || type.array || type.args.length || !isSObjectName(type.name.toLowerCase()) || /^(schema\.)?sobject$/i.test(type.name))
      return undefined;
    return { sobject: type.name.replace(/^schema\./i, ''), field: n.name.name };
  }

  // objects.ts
  abstract nameChain(parts: string[], scope: Scope, site: Site): Ex;
  abstract dotExpr(n: FieldAccess | MethodCall, scope: Scope): Ex;
  abstract methodCall(mc: Call | Extract<Expr, { kind: 'ConstructorCall' }>, scope: Scope): Ex;
  abstract creator(c: New, scope: Scope): Ex;
  abstract lvalue(n: Expr, scope: Scope): LValue;
  abstract soql(lit: Soql, scope: Scope): Ex;
}
