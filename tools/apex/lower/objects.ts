/**
 * Lowering of names and objects: dotted names resolved at run time, member access, method calls,
 * construction, assignment targets and inline SOQL.
 */
import { ApexList, type ApexMap, SObject } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { type Ex, type Site } from '../model/classModel.ts';
import { type Frame } from '../run/frame.ts';
import { type LValue, type Scope } from './scope.ts';
import {
  type NameResolution,
  assignName,
  evalName,
  getMember,
  index,
  nullSObjectMember,
  resolveName,
  setIndex,
  setMember,
} from '../run/members.ts';
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
import { normType } from '../parse/syntax.ts';
import { runSoql } from '../run/data.ts';
import { sourceSlice } from './sourceText.ts';
import { addSObjectError } from '../run/dml.ts';
import { unsupported } from '../run/exceptions.ts';
import type { Call, Expr, FieldAccess, MethodCall, New, Soql } from '../parse/ast.ts';
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
  localShadowingType(n: Expr, method: string, scope: Scope): NativeType | undefined {
    if (n.kind !== 'Name') return undefined;
    const name = n.name;
    if (scope.lookup(name) === undefined) return undefined;
    const nt = natives.get(name.toLowerCase());
    return nt?.statics?.[method.toLowerCase()] ? nt : undefined;
  }

  isSuper(n: Expr): boolean {
    return n.kind === 'Super';
  }

  dotExpr(n: FieldAccess | MethodCall, scope: Scope): Ex {
    const site = this.site(n, scope.cls);
    const leftN = n.target;
    const safe = n.safe;
    if (n.kind === 'FieldAccess') {
      const chain = this.plainChain(n, scope);
      if (chain) return this.nameChain(chain, scope, site);
      const read = this.fieldRead(n, scope, site);
      return async (f) => (await read(f)).v;
    }
    const mname = n.name.name;
    if (mname.toLowerCase() === 'adderror' && leftN.kind === 'FieldAccess' && !leftN.safe) {
      return this.fieldAddError(leftN, n, scope, site);
    }
    if (/^(query|countquery|getquerylocator|getcursor)$/i.test(mname)) site.locals = new Map(scope.scopes.flatMap((m) => [...m]));
    const args: Ex[] = n.args.map((e) => this.expr(e, scope));
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
  shortable(n: Expr, scope: Scope): (f: Frame) => Promise<{ v: unknown; short: boolean }> {
    if ((n.kind !== 'FieldAccess' && n.kind !== 'MethodCall') || !spineHasSafe(n)) {
      const plain = this.expr(n, scope);
      return async (f) => ({ v: await plain(f), short: false });
    }
    const site = this.site(n, scope.cls);
    const left = this.shortable(n.target, scope);
    const safe = n.safe;
    const name = n.name.name;
    const args: Ex[] = n.kind === 'MethodCall' ? n.args.map((e) => this.expr(e, scope)) : [];
    const isCall = n.kind === 'MethodCall';
    return async (f) => {
      const r = await left(f);
      if (r.short || (r.v === null && safe)) return { v: null, short: true };
      if (!isCall) return { v: await getMember(f, r.v, name, site), short: false };
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
  fieldRead(n: FieldAccess, scope: Scope, site: Site): (f: Frame) => Promise<{ v: unknown; through: boolean; member?: boolean }> {
    const leftN = n.target;
    const name = n.name.name;
    const safe = n.safe;
    const leftIsRead = leftN.kind === 'FieldAccess' && !this.plainChain(leftN, scope);
    const left = leftIsRead ? this.fieldRead(leftN, scope, this.site(leftN, scope.cls)) : undefined;
    // `a?.b().c`: a cut chain reads null (see shortable)
    const cut = !leftIsRead && spineHasSafe(leftN) ? this.shortable(leftN, scope) : undefined;
    const plain = leftIsRead || cut ? undefined : this.expr(leftN, scope);
    type Read = { v: unknown; through: boolean; member?: boolean };
    return async (f) => {
      const r: Read = left
        ? await left(f)
        : cut
          ? await cut(f).then((c) => ({ v: c.v, through: c.short }))
          : { v: await plain!(f), through: false };
      // through a null sObject member of an object (`r.tc.Id`), the Id still throws (see nullSObjectMember)
      if (r.v === null && (safe || (r.through && !(r.member && /^id$/i.test(name))))) return { v: null, through: true, member: r.member };
      const v = await getMember(f, r.v, name, site);
      if (v !== null) return { v, through: false };
      if (r.v instanceof SObject) return { v, through: true };
      const member = nullSObjectMember(f, r.v, name);
      return { v, through: member, member };
    };
  }

  /** `acc.Name.addError('…')`: a field-level error on the record, not a call on the field's value. */
  fieldAddError(leftN: FieldAccess, call: MethodCall, scope: Scope, site: Site): Ex {
    const owner = this.expr(leftN.target, scope);
    const field = leftN.name.name;
    const args: Ex[] = call.args.map((e) => this.expr(e, scope));
    return async (f) => {
      const so = await owner(f);
      const a: unknown[] = [];
      for (const x of args) a.push(await x(f));
      if (so instanceof SObject) return addSObjectError(so, [field, ...a]);
      return callMethod(f, await getMember(f, so, field, site), 'addError', a, site);
    };
  }

  methodCall(mc: Call | Extract<Expr, { kind: 'ConstructorCall' }>, scope: Scope): Ex {
    const site = this.site(mc, scope.cls);
    const args: Ex[] = mc.args.map((e) => this.expr(e, scope));
    if (mc.kind === 'ConstructorCall') return async (f) => unsupported(f, mc.target + '(...) outside a constructor start', site);
    const name = mc.name.name;
    return async (f) => {
      const out = new Array(args.length);
      for (let i = 0; i < args.length; i++) out[i] = await args[i](f);
      return callUnqualified(f, name, out, site);
    };
  }

  creator(c: New, scope: Scope): Ex {
    const site = this.site(c, scope.cls, c.type);
    const type = normType(c.type.ref);
    const low = type.name.toLowerCase();
    const rest = c.rest;
    if (rest.kind === 'empty') {
      return async (f) => newCollection(f, type, [], site);
    }
    if (rest.kind === 'array') {
      // new String[3] or new String[]{...}
      const listType: TypeRef = { name: 'List', args: [type], array: 0 };
      if (rest.size) {
        const se = this.expr(rest.size, scope);
        return async (f) => new ApexList(new Array(Number(await se(f))).fill(null), type);
      }
      const items = rest.items.map((e) => this.expr(e, scope));
      return async (f) => {
        const vals = [];
        for (const e of items) vals.push(await e(f));
        return newCollection(f, listType, vals, site);
      };
    }
    if (rest.kind === 'map') {
      const ps = rest.pairs.map((p) => p.map((e) => this.expr(e, scope)));
      return async (f) => {
        const m = newCollection(f, type, [], site) as ApexMap;
        for (const [k, v] of ps) await mapPut(f, m, await k(f), await v(f), site);
        return m;
      };
    }
    if (rest.kind === 'set') {
      const items = rest.items.map((e) => this.expr(e, scope));
      return async (f) => {
        const vals = [];
        for (const e of items) vals.push(await e(f));
        return newCollection(f, type, vals, site);
      };
    }
    // classCreatorRest: arguments
    const exprs: Expr[] = rest.args;
    if (low === 'list' || low === 'set' || low === 'map') {
      const a = exprs.map((e) => this.expr(e, scope));
      return async (f) => {
        const vals = [];
        for (const e of a) vals.push(await e(f));
        return newCollectionFrom(f, type, vals, site);
      };
    }
    // new Account(Name = 'x', Industry = 'y'): name=value pairs
    const named = exprs.length > 0 && exprs.every((e) => e.kind === 'Assign' && e.op === '=' && e.target.kind === 'Name');
    if (named) {
      const pairsC = exprs.map((e) => {
        const a = e as Extract<Expr, { kind: 'Assign' }>;
        return { field: (a.target as Extract<Expr, { kind: 'Name' }>).name, value: this.expr(a.value, scope) };
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

  lvalue(n: Expr, scope: Scope): LValue {
    const site = this.site(n, scope.cls);
    if (n.kind === 'Paren') return this.lvalue(n.expr, scope);
    if (n.kind === 'Name') {
      const name = n.name;
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
    if (n.kind === 'FieldAccess') {
      const left = this.expr(n.target, scope);
      const name = n.name.name;
      return {
        get: async (f) => getMember(f, await left(f), name, site),
        set: async (f, v) => setMember(f, await left(f), name, v, site),
      };
    }
    if (n.kind === 'Index') {
      const a = this.expr(n.target, scope);
      const i = this.expr(n.index, scope);
      return {
        get: async (f) => index(f, await a(f), await i(f), site),
        set: async (f, v) => setIndex(f, await a(f), await i(f), v, site),
      };
    }
    const e = this.expr(n, scope);
    return {
      get: e,
      set: async (f) => {
        unsupported(f, 'assignment to ' + n.kind, site);
      },
    };
  }

  /** Inline SOQL: the query text is sent as written; bind expressions become named binds. */
  soql(q: Soql, scope: Scope): Ex {
    const site = this.site(q, scope.cls);
    const start = q.start;
    const stop = q.stop;
    let i = 0;
    const binds = q.binds.map((b) => ({
      from: b.from,
      to: b.to,
      name: b.expr.kind === 'Name' ? b.expr.name : `bind__${i++}`,
      ex: this.expr(b.expr, scope),
    }));
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
    const cond = q.where;
    let isolated: string | undefined;
    if (cond) {
      isolated = build([
        { from: cond.start, to: cond.start - 1, text: 'Id IN :bind__testIds AND (' },
        { from: cond.stop + 1, to: cond.stop, text: ')' },
      ]);
    } else if (q.fromEnd !== undefined) isolated = build([{ from: q.fromEnd + 1, to: q.fromEnd, text: ' WHERE Id IN :bind__testIds' }]);
    const userMode = q.userMode;
    const sobject = q.sobject ?? 'SObject';
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

/** Whether a dotted chain has a `?.` in any link of its left spine (`a?.b().c` → true at `.c`). */
function spineHasSafe(n: Expr): boolean {
  for (let x: Expr = n; x.kind === 'FieldAccess' || x.kind === 'MethodCall'; x = x.target) if (x.safe) return true;
  return false;
}

/** Removes Apex comments from a query, leaving string literals alone. */
function stripComments(s: string): string {
  return s.replace(/'(?:\\.|[^'\\])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m.startsWith("'") ? m : ' '));
}
