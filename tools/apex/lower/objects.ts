/**
 * Lowering of names and objects: dotted names resolved at run time, member access, method calls,
 * construction, assignment targets and inline SOQL.
 */
import { ApexList, type ApexMap, SObject } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { type Ex, type Site } from '../model/classModel.ts';
import { type Frame } from '../run/frame.ts';
import { type LValue, type Scope } from './scope.ts';
import { type NameResolution, assignName, evalName, getMember, index, resolveName, setIndex, setMember } from '../run/members.ts';
import {
  callMethod,
  callStatic,
  callSuper,
  callUnqualified,
  newCollection,
  newCollectionFrom,
  newObject,
  newWithFields,
} from '../run/calls.ts';
import { coerce, isPlainType, isTestDataObject } from '../run/types.ts';
import { mapPut } from '../run/equality.ts';
import { cname, hasTok, isTerm, kids, rule, rules, text } from '../parse/tree.ts';
import { normType, parseTypeRef } from '../parse/syntax.ts';
import { runSoql } from '../run/data.ts';
import { sourceSlice } from './sourceText.ts';
import { addSObjectError } from '../run/dml.ts';
import { unsupported } from '../run/exceptions.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';
import { natives, type NativeType } from '../model/natives.ts';
import { ExpressionLowering } from './expressions.ts';

export abstract class ObjectLowering extends ExpressionLowering {
  /** Identifiers a.b.c whose head is not a local: fields, statics, types, resolved at run time. */
  nameChain(parts: string[], scope: Scope, site: Site): Ex {
    let cache: NameResolution | undefined;
    return async (f) => {
      if (!cache) cache = resolveName(f, parts, site);
      return evalName(f, cache, parts, site);
    };
  }

  /** The system type a local's name also names, when that type has a static method `method`. */
  localShadowingType(n: N, method: string, scope: Scope): NativeType | undefined {
    if (cname(n) !== 'PrimaryExpressionContext' || cname(kids(n)[0]) !== 'IdPrimaryContext') return undefined;
    const name = text(rule(kids(n)[0], 'id'));
    if (scope.lookup(name) === undefined) return undefined;
    const nt = natives.get(name.toLowerCase());
    return nt?.statics?.[method.toLowerCase()] ? nt : undefined;
  }

  isSuper(n: N): boolean {
    return cname(n) === 'PrimaryExpressionContext' && cname(kids(n)[0]) === 'SuperPrimaryContext';
  }

  dotExpr(n: N, scope: Scope): Ex {
    const site = this.site(n, scope.cls);
    const leftN = rule(n, 'expression');
    const safe = hasTok(n, '?.');
    const dmc = rule(n, 'dotMethodCall');
    if (!dmc) {
      const chain = this.plainChain(n, scope);
      if (chain) return this.nameChain(chain, scope, site);
      const read = this.fieldRead(n, scope, site);
      return async (f) => (await read(f)).v;
    }
    const mname = text(rule(dmc, 'anyId'));
    if (
      mname.toLowerCase() === 'adderror' &&
      cname(leftN) === 'DotExpressionContext' &&
      !rule(leftN, 'dotMethodCall') &&
      !hasTok(leftN, '?.')
    ) {
      return this.fieldAddError(leftN, dmc, scope, site);
    }
    if (/^(query|countquery|getquerylocator|getcursor)$/i.test(mname)) site.locals = new Map(scope.scopes.flatMap((m) => [...m]));
    const el = rule(dmc, 'expressionList');
    const args: Ex[] = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
    const evalArgs = async (f: Frame): Promise<unknown[]> => {
      const out = new Array(args.length);
      for (let i = 0; i < args.length; i++) out[i] = await args[i](f);
      return out;
    };
    if (this.isSuper(leftN)) {
      return async (f) => callSuper(f, mname, await evalArgs(f), site);
    }
    // `String json = …; JSON.deserializeUntyped(json)`: a local named like a system type leaves the
    // type's static methods reachable (Salesforce compiles it; the variable's type lacks the method).
    const shadowed = this.localShadowingType(leftN, mname, scope);
    if (shadowed) return async (f) => callStatic(f, { kind: 'native', nt: shadowed }, mname, await evalArgs(f), site);
    const chain = this.plainChain(leftN, scope);
    if (chain) {
      let res: NameResolution | undefined;
      return async (f) => {
        if (!res) res = resolveName(f, chain, site, mname);
        if (res.kind === 'type' && res.consumed === chain.length) return callStatic(f, res.type, mname, await evalArgs(f), site);
        const t = await evalName(f, res, chain, site);
        if (t === null && safe) return null;
        return callMethod(f, t, mname, await evalArgs(f), site);
      };
    }
    if (spineHasSafe(leftN)) {
      const left = this.shortable(leftN, scope);
      return async (f) => {
        const r = await left(f);
        if (r.short || (r.v === null && safe)) return null;
        return callMethod(f, r.v, mname, await evalArgs(f), site);
      };
    }
    const left = this.expr(leftN, scope);
    return async (f) => {
      const t = await left(f);
      if (t === null && safe) return null;
      return callMethod(f, t, mname, await evalArgs(f), site);
    };
  }

  /**
   * A link of a chain holding `?.`: "If the left-hand-side of the chain expression evaluates to null, the
   * right-hand-side isn't evaluated" (Apex Developer Guide, "Safe Navigation Operator"), so `a?.b().c()` is
   * null when `a` is, while a null `b()` of a non-null `a` still throws at `.c()`. `short` says the chain was cut.
   */
  shortable(n: N, scope: Scope): (f: Frame) => Promise<{ v: unknown; short: boolean }> {
    if (cname(n) !== 'DotExpressionContext' || !spineHasSafe(n)) {
      const plain = this.expr(n, scope);
      return async (f) => ({ v: await plain(f), short: false });
    }
    const site = this.site(n, scope.cls);
    const left = this.shortable(rule(n, 'expression'), scope);
    const safe = hasTok(n, '?.');
    const dmc = rule(n, 'dotMethodCall');
    const name = text(dmc ? rule(dmc, 'anyId') : rule(n, 'anyId'));
    const el = dmc ? rule(dmc, 'expressionList') : undefined;
    const args: Ex[] = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
    return async (f) => {
      const r = await left(f);
      if (r.short || (r.v === null && safe)) return { v: null, short: true };
      if (!dmc) return { v: await getMember(f, r.v, name, site), short: false };
      const a: unknown[] = [];
      for (const x of args) a.push(await x(f));
      return { v: await callMethod(f, r.v, name, a, site), short: false };
    };
  }

  /**
   * `o.a.b` read as a value: after `?.` met null, or after an sObject field held null (`c.Account` of a
   * contact without one), the rest of the chain reads null rather than throwing (Apex Developer Guide,
   * "Accessing sObject Fields Through Relationships"). `through` says the chain is in that state.
   */
  fieldRead(n: N, scope: Scope, site: Site): (f: Frame) => Promise<{ v: unknown; through: boolean }> {
    const leftN = rule(n, 'expression');
    const name = text(rule(n, 'anyId'));
    const safe = hasTok(n, '?.');
    const leftIsRead = cname(leftN) === 'DotExpressionContext' && !rule(leftN, 'dotMethodCall') && !this.plainChain(leftN, scope);
    const left = leftIsRead ? this.fieldRead(leftN, scope, this.site(leftN, scope.cls)) : undefined;
    // `a?.b().c`: a cut chain reads null (see shortable)
    const cut = !leftIsRead && spineHasSafe(leftN) ? this.shortable(leftN, scope) : undefined;
    const plain = leftIsRead || cut ? undefined : this.expr(leftN, scope);
    return async (f) => {
      const r = left
        ? await left(f)
        : cut
          ? await cut(f).then((c) => ({ v: c.v, through: c.short }))
          : { v: await plain!(f), through: false };
      if (r.v === null && (safe || r.through)) return { v: null, through: true };
      const v = await getMember(f, r.v, name, site);
      return { v, through: v === null && r.v instanceof SObject };
    };
  }

  /** `acc.Name.addError('…')`: a field-level error on the record, not a call on the field's value. */
  fieldAddError(leftN: N, dmc: N, scope: Scope, site: Site): Ex {
    const owner = this.expr(rule(leftN, 'expression'), scope);
    const field = text(rule(leftN, 'anyId'));
    const el = rule(dmc, 'expressionList');
    const args: Ex[] = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
    return async (f) => {
      const so = await owner(f);
      const a: unknown[] = [];
      for (const x of args) a.push(await x(f));
      if (so instanceof SObject) return addSObjectError(so, [field, ...a]);
      return callMethod(f, await getMember(f, so, field, site), 'addError', a, site);
    };
  }

  methodCall(mc: N, scope: Scope): Ex {
    const site = this.site(mc, scope.cls);
    const head = kids(mc)[0];
    const el = rule(mc, 'expressionList');
    const args: Ex[] = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
    if (isTerm(head)) return async (f) => unsupported(f, head.getText() + '(...) outside a constructor start', site);
    const name = text(head);
    return async (f) => {
      const out = new Array(args.length);
      for (let i = 0; i < args.length; i++) out[i] = await args[i](f);
      return callUnqualified(f, name, out, site);
    };
  }

  creator(c: N, scope: Scope): Ex {
    const site = this.site(c, scope.cls);
    const cn = rule(c, 'createdName');
    const pairs = rules(cn, 'idCreatedNamePair');
    const name = pairs.map((p: N) => text(rule(p, 'anyId'))).join('.');
    const last = pairs[pairs.length - 1];
    const tl = rule(last, 'typeList');
    const args = tl ? rules(tl, 'typeRef').map(parseTypeRef) : [];
    const type = normType({ name, args, array: 0 });
    const low = type.name.toLowerCase();
    const rest = kids(c)[1];
    const rk = cname(rest);
    if (rk === 'NoRestContext') {
      return async (f) => newCollection(f, type, [], site);
    }
    if (rk === 'ArrayCreatorRestContext') {
      // new String[3] or new String[]{...}
      const sizeE = rule(rest, 'expression');
      const listType: TypeRef = { name: 'List', args: [type], array: 0 };
      if (sizeE) {
        const se = this.expr(sizeE, scope);
        return async (f) => new ApexList(new Array(Number(await se(f))).fill(null), type);
      }
      const ai = rule(rest, 'arrayInitializer');
      const items = ai ? rules(ai, 'expression').map((e: N) => this.expr(e, scope)) : [];
      return async (f) => {
        const vals = [];
        for (const e of items) vals.push(await e(f));
        return newCollection(f, listType, vals, site);
      };
    }
    if (rk === 'MapCreatorRestContext') {
      const ps = rules(rest, 'mapCreatorRestPair').map((p: N) => rules(p, 'expression').map((e: N) => this.expr(e, scope)));
      return async (f) => {
        const m = newCollection(f, type, [], site) as ApexMap;
        for (const [k, v] of ps) await mapPut(f, m, await k(f), await v(f), site);
        return m;
      };
    }
    if (rk === 'SetCreatorRestContext') {
      const items = rules(rest, 'expression').map((e: N) => this.expr(e, scope));
      return async (f) => {
        const vals = [];
        for (const e of items) vals.push(await e(f));
        return newCollection(f, type, vals, site);
      };
    }
    // classCreatorRest: arguments
    const argsN = rule(rest, 'arguments');
    const el = rule(argsN, 'expressionList');
    const exprs: N[] = el ? rules(el, 'expression') : [];
    if (low === 'list' || low === 'set' || low === 'map') {
      const a = exprs.map((e) => this.expr(e, scope));
      return async (f) => {
        const vals = [];
        for (const e of a) vals.push(await e(f));
        return newCollectionFrom(f, type, vals, site);
      };
    }
    // new Account(Name = 'x', Industry = 'y'): name=value pairs
    const isId = (e: N) => cname(e) === 'PrimaryExpressionContext' && cname(kids(e)[0]) === 'IdPrimaryContext';
    const named =
      exprs.length > 0 &&
      exprs.every((e) => cname(e) === 'AssignExpressionContext' && kids(e)[1].getText() === '=' && isId(rule(e, 'expression')));
    if (named) {
      const pairsC = exprs.map((e) => {
        const [l, r] = rules(e, 'expression');
        return { field: text(l), value: this.expr(r, scope) };
      });
      return async (f) => {
        const vals: [string, unknown][] = [];
        for (const p of pairsC) vals.push([p.field, await p.value(f)]);
        return newWithFields(f, type, vals, site);
      };
    }
    const a = exprs.map((e) => this.expr(e, scope));
    return async (f) => {
      const vals = [];
      for (const e of a) vals.push(await e(f));
      return newObject(f, type, vals, site);
    };
  }

  lvalue(n: N, scope: Scope): LValue {
    const k = cname(n);
    const site = this.site(n, scope.cls);
    if (k === 'SubExpressionContext') return this.lvalue(rule(n, 'expression'), scope);
    if (k === 'PrimaryExpressionContext' && cname(kids(n)[0]) === 'IdPrimaryContext') {
      const name = text(rule(kids(n)[0], 'id'));
      const slot = scope.lookup(name);
      if (slot !== undefined) {
        const type = scope.slotTypes[slot];
        const syncGet = (f: Frame) => f.locals[slot];
        const syncSet =
          type && !isPlainType(type)
            ? (f: Frame, v: unknown) => {
                f.locals[slot] = coerce(f, v, type, site);
              }
            : (f: Frame, v: unknown) => {
                f.locals[slot] = v;
              };
        return {
          get: async (f) => f.locals[slot],
          set: async (f, v) => syncSet(f, v),
          syncGet,
          syncSet,
        };
      }
    }
    const chain = this.plainChain(n, scope);
    if (chain) {
      let res: NameResolution | undefined;
      return {
        get: async (f) => {
          if (!res) res = resolveName(f, chain, site);
          return evalName(f, res, chain, site);
        },
        set: async (f, v) => {
          if (!res) res = resolveName(f, chain, site);
          await assignName(f, res, chain, v, site);
        },
      };
    }
    if (k === 'DotExpressionContext' && !rule(n, 'dotMethodCall')) {
      const left = this.expr(rule(n, 'expression'), scope);
      const name = text(rule(n, 'anyId'));
      return {
        get: async (f) => getMember(f, await left(f), name, site),
        set: async (f, v) => setMember(f, await left(f), name, v, site),
      };
    }
    if (k === 'ArrayExpressionContext') {
      const [a, i] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
      return {
        get: async (f) => index(f, await a(f), await i(f), site),
        set: async (f, v) => setIndex(f, await a(f), await i(f), v, site),
      };
    }
    const e = this.expr(n, scope);
    return {
      get: e,
      set: async (f) => {
        unsupported(f, 'assignment to ' + k.replace('Context', ''), site);
      },
    };
  }

  /** Inline SOQL: the query text is sent as written; bind expressions become named binds. */
  soql(lit: N, scope: Scope): Ex {
    const site = this.site(lit, scope.cls);
    const q = rule(lit, 'query');
    const start: number = q.start.start;
    const stop: number = q.stop.stop;
    const binds: { from: number; to: number; name: string; ex: Ex }[] = [];
    let i = 0;
    const walk = (node: N): void => {
      if (cname(node) === 'BoundExpressionContext') {
        const e = rule(node, 'expression');
        const chain = this.plainChain(e, scope);
        const plain = cname(e) === 'PrimaryExpressionContext' && cname(kids(e)[0]) === 'IdPrimaryContext';
        const name = plain ? text(e) : `bind__${i++}`;
        binds.push({ from: node.start.start, to: node.stop.stop, name, ex: this.expr(e, scope) });
        void chain;
        return;
      }
      for (const c of kids(node)) if (!isTerm(c)) walk(c);
    };
    walk(q);
    type Edit = { from: number; to: number; text: string };
    const build = (extra: Edit[]): string => {
      const edits: Edit[] = [...binds.map((b) => ({ from: b.from, to: b.to, text: ':' + b.name })), ...extra].sort(
        (a, b) => a.from - b.from || a.to - b.to,
      );
      let out = '';
      let pos = start;
      for (const e of edits) {
        out += sourceSlice(this.source, pos, e.from) + e.text;
        pos = e.to + 1;
      }
      // Comments inside inline SOQL compile on Salesforce; the query text sent on has none.
      return stripComments(out + sourceSlice(this.source, pos, stop + 1));
    };
    const soql = build([]);
    // Test isolation: in a test, data rows that existed before it are invisible. The variant adds
    // `Id IN :bind__testIds` (rows the test inserted) to the WHERE clause.
    const wh = rule(q, 'whereClause');
    const anchor = rule(q, 'usingScope') ?? rule(q, 'fromNameList');
    let isolated: string | undefined;
    if (wh) {
      const cond = kids(wh)[1];
      isolated = build([
        { from: cond.start.start, to: cond.start.start - 1, text: 'Id IN :bind__testIds AND (' },
        { from: cond.stop.stop + 1, to: cond.stop.stop, text: ')' },
      ]);
    } else if (anchor) isolated = build([{ from: anchor.stop.stop + 1, to: anchor.stop.stop, text: ' WHERE Id IN :bind__testIds' }]);
    const wc = rule(q, 'withClause');
    const userMode = !!wc && hasTok(wc, 'USER_MODE');
    const from = rule(q, 'fromNameList');
    const sobject = from ? text(kids(from)[0]) : 'SObject';
    const isCount = /^\s*select\s+count\(\s*\)\s+from/i.test(soql);
    return async (f) => {
      const values: Record<string, unknown> = {};
      for (const b of binds) values[b.name] = await b.ex(f);
      const testIds = f.tx.testDataIds;
      if (testIds && isolated && isTestDataObject(sobject)) {
        values['bind__testIds'] = [...testIds];
        return runSoql(f, isolated, { userMode, binds: values, sobject, isCount }, site);
      }
      return runSoql(f, soql, { userMode, binds: values, sobject, isCount }, site);
    };
  }
}

/** Removes Apex comments from a query, leaving string literals alone. */
/** Whether a dotted chain has a `?.` in any link of its left spine (`a?.b().c` → true at `.c`). */
function spineHasSafe(n: N): boolean {
  for (let x: N | undefined = n; x && cname(x) === 'DotExpressionContext'; x = rule(x, 'expression')) if (hasTok(x, '?.')) return true;
  return false;
}

function stripComments(s: string): string {
  return s.replace(/'(?:\\.|[^'\\])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m.startsWith("'") ? m : ' '));
}
