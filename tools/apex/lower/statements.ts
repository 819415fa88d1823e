/** Lowering of statements to closures that return NORMAL, BREAK, CONTINUE or RETURN. */
import { ApexList, ApexObject, Dec, EnumValue } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { callMethod } from '../run/calls.ts';
import { BREAK, CONTINUE, NORMAL, RETURN, type Scope, runSt } from './scope.ts';
import type { Ex, Site, St } from '../model/classModel.ts';
import { ObjectLowering } from './objects.ts';
import { cname, hasTok, kids, rule, rules, text } from '../parse/tree.ts';
import { coerce, instanceOf, isPlainType } from '../run/types.ts';
import { runAs } from '../run/dml.ts';
import { dml } from '../run/dml.ts';
import { iterate } from '../run/members.ts';
import { matchCatch, throwNpe, throwValue, unsupported } from '../run/exceptions.ts';
import { parseTypeRef, unescapeApex } from '../parse/syntax.ts';
import { valueEquals } from '../run/operators.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';

export class StatementLowering extends ObjectLowering {
  block(n: N, scope: Scope): St {
    scope.push();
    const st = this.stmtList(rules(n, 'statement'), scope);
    scope.pop();
    return st;
  }

  stmtList(list: N[], scope: Scope): St {
    const compiled = list.map((s) => this.stmt(s, scope));
    if (compiled.length === 1) return compiled[0];
    return async (f) => {
      for (let i = 0; i < compiled.length; i++) {
        let r = compiled[i](f);
        if (typeof r !== 'number') r = await r;
        if (r !== NORMAL) return r;
      }
      return NORMAL;
    };
  }

  stmt(n: N, scope: Scope): St {
    const inner = kids(n)[0];
    const k = cname(inner);
    if (k === 'BlockContext') return this.block(inner, scope);
    const line = n.start.line;
    const col = n.start.column + 1;
    const cls = scope.cls;
    cls.executableLines.add(line);
    const body = this.stmtInner(inner, k, scope);
    return (f) => {
      f.tx.tick(cls, line, col);
      return body(f);
    };
  }

  stmtInner(n: N, k: string, scope: Scope): St {
    const cls = scope.cls;
    switch (k) {
      case 'LocalVariableDeclarationStatementContext':
        return this.localVarDecl(rule(n, 'localVariableDeclaration'), scope);
      case 'ExpressionStatementContext': {
        const e = this.expr(rule(n, 'expression'), scope);
        const se = e.sync;
        if (se)
          return (f) => {
            se(f);
            return NORMAL;
          };
        return async (f) => {
          await e(f);
          return NORMAL;
        };
      }
      case 'IfStatementContext': {
        const cond = this.expr(rule(rule(n, 'parExpression'), 'expression'), scope);
        const sts = rules(n, 'statement');
        const thenS = this.scoped(sts[0], scope);
        const elseS = sts[1] ? this.scoped(sts[1], scope) : undefined;
        const site = this.site(n, cls);
        const sc = cond.sync;
        if (sc)
          return (f) => {
            const c = sc(f);
            if (c === null) throwNpe(f, site);
            if (c) return thenS(f);
            return elseS ? elseS(f) : NORMAL;
          };
        return async (f) => {
          const c = await cond(f);
          if (c === null) throwNpe(f, site);
          if (c) return thenS(f);
          return elseS ? elseS(f) : NORMAL;
        };
      }
      case 'WhileStatementContext': {
        const cond = this.expr(rule(rule(n, 'parExpression'), 'expression'), scope);
        const st = rule(n, 'statement');
        const body = st ? this.scoped(st, scope) : async () => NORMAL;
        const sc = cond.sync;
        const line = n.start.line;
        const col = n.start.column + 1;
        return async (f) => {
          while (sc ? sc(f) : await cond(f)) {
            // Each iteration counts, so an empty body (`while (true) {}`) still meets the CPU limit.
            f.tx.tick(cls, line, col);
            const r = await runSt(body, f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          }
          return NORMAL;
        };
      }
      case 'DoWhileStatementContext': {
        const cond = this.expr(rule(rule(n, 'parExpression'), 'expression'), scope);
        const body = this.block(rule(n, 'block'), scope);
        const line = n.start.line;
        const col = n.start.column + 1;
        return async (f) => {
          do {
            f.tx.tick(cls, line, col);
            const r = await body(f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          } while (await cond(f));
          return NORMAL;
        };
      }
      case 'ForStatementContext':
        return this.forStmt(n, scope);
      case 'ReturnStatementContext': {
        const en = rule(n, 'expression');
        const e = en ? this.expr(en, scope) : undefined;
        return async (f) => {
          f.ret = e ? await e(f) : null;
          return RETURN;
        };
      }
      case 'ThrowStatementContext': {
        const e = this.expr(rule(n, 'expression'), scope);
        const site = this.site(n, cls);
        return async (f) => {
          const v = await e(f);
          throwValue(f, v, site);
          return NORMAL;
        };
      }
      case 'BreakStatementContext':
        return async () => BREAK;
      case 'ContinueStatementContext':
        return async () => CONTINUE;
      case 'TryStatementContext':
        return this.tryStmt(n, scope);
      case 'SwitchStatementContext':
        return this.switchStmt(n, scope);
      case 'InsertStatementContext':
      case 'UpdateStatementContext':
      case 'DeleteStatementContext':
      case 'UpsertStatementContext':
      case 'UndeleteStatementContext':
      case 'MergeStatementContext': {
        const op = k.replace('StatementContext', '').toLowerCase();
        const al = rule(n, 'accessLevel');
        const userMode = al ? /user/i.test(text(al)) : false;
        const exprs = rules(n, 'expression').map((e: N) => this.expr(e, scope));
        const qn = rule(n, 'qualifiedName');
        const extField = qn ? text(qn) : undefined;
        const site = this.site(n, cls);
        if (op === 'merge') return this.unsupportedSt('MERGE statement', site);
        return async (f) => {
          const v = await exprs[0](f);
          await dml(f, op as 'insert', v, { userMode, extField, allOrNone: true }, site);
          return NORMAL;
        };
      }
      case 'RunAsStatementContext': {
        const el = rule(n, 'expressionList');
        const args = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
        const body = this.block(rule(n, 'block'), scope);
        const site = this.site(n, cls);
        return async (f) => {
          const user = args.length ? await args[0](f) : null;
          return runAs(f, user, () => runSt(body, f), site);
        };
      }
    }
    return this.unsupportedSt(k.replace('Context', ''), this.site(n, cls));
  }

  unsupportedSt(what: string, site: Site): St {
    return async (f) => {
      unsupported(f, what, site);
      return NORMAL;
    };
  }

  /** A statement in its own block scope (if/while bodies). */
  scoped(n: N, scope: Scope): St {
    scope.push();
    const s = this.stmt(n, scope);
    scope.pop();
    return s;
  }

  localVarDecl(n: N, scope: Scope): St {
    const type = parseTypeRef(rule(n, 'typeRef'));
    const parts: { slot: number; init?: Ex }[] = [];
    for (const vd of rules(rule(n, 'variableDeclarators'), 'variableDeclarator')) {
      const init = rule(vd, 'expression');
      const ex = init ? this.expr(init, scope, type) : undefined;
      const slot = scope.declare(text(rule(vd, 'id')), type);
      parts.push({ slot, init: ex });
    }
    const site = this.site(n, scope.cls);
    if (parts.length === 1) {
      const { slot, init } = parts[0];
      if (!init)
        return async (f) => {
          f.locals[slot] = null;
          return NORMAL;
        };
      if (isPlainType(type))
        return async (f) => {
          f.locals[slot] = await init(f);
          return NORMAL;
        };
      return async (f) => {
        f.locals[slot] = coerce(f, await init(f), type, site);
        return NORMAL;
      };
    }
    return async (f) => {
      for (const p of parts) f.locals[p.slot] = p.init ? coerce(f, await p.init(f), type, site) : null;
      return NORMAL;
    };
  }

  forStmt(n: N, scope: Scope): St {
    const fc = rule(n, 'forControl');
    const st = rule(n, 'statement');
    const cls = scope.cls;
    const line = n.start.line;
    const col = n.start.column + 1;
    scope.push();
    try {
      const efc = rule(fc, 'enhancedForControl');
      if (efc) {
        const type = parseTypeRef(rule(efc, 'typeRef'));
        const src = this.expr(rule(efc, 'expression'), scope);
        const slot = scope.declare(text(rule(efc, 'id')), type);
        const body = st ? this.scoped(st, scope) : async () => NORMAL;
        const site = this.site(n, scope.cls);
        const isListVar = type.name === 'List';
        return async (f) => {
          const coll = await src(f);
          // a user class implementing Iterable<T>: iterator(), then hasNext()/next() until done
          if (coll instanceof ApexObject) {
            const it = await callMethod(f, coll, 'iterator', [], site);
            while ((await callMethod(f, it, 'hasNext', [], site)) === true) {
              f.locals[slot] = await callMethod(f, it, 'next', [], site);
              const r = await runSt(body, f);
              if (r === BREAK) break;
              if (r === RETURN) return r;
            }
            return NORMAL;
          }
          const items = iterate(f, coll, site);
          // SOQL for with a List<T> variable iterates in one chunk
          const seq = isListVar && coll instanceof ApexList && coll.fromQuery ? [coll] : items;
          for (let i = 0; i < seq.length; i++) {
            f.locals[slot] = seq[i];
            const r = await runSt(body, f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          }
          return NORMAL;
        };
      }
      const fi = rule(fc, 'forInit');
      let init: St | undefined;
      if (fi) {
        const lvd = rule(fi, 'localVariableDeclaration');
        if (lvd) init = this.localVarDecl(lvd, scope);
        else {
          const es = rules(rule(fi, 'expressionList'), 'expression').map((e: N) => this.expr(e, scope));
          init = async (f) => {
            for (const e of es) await e(f);
            return NORMAL;
          };
        }
      }
      const ce = rule(fc, 'expression');
      const cond = ce ? this.expr(ce, scope) : undefined;
      const fu = rule(fc, 'forUpdate');
      const upd = fu ? rules(rule(fu, 'expressionList'), 'expression').map((e: N) => this.expr(e, scope)) : [];
      const body = st ? this.scoped(st, scope) : async () => NORMAL;
      const sc = cond?.sync;
      const su = upd.every((u) => u.sync) ? upd.map((u) => u.sync!) : undefined;
      return async (f) => {
        if (init) await runSt(init, f);
        for (;;) {
          if (cond && !(sc ? sc(f) : await cond(f))) break;
          f.tx.tick(cls, line, col);
          let r = body(f);
          if (typeof r !== 'number') r = await r;
          if (r === BREAK) break;
          if (r === RETURN) return r;
          if (su) for (let i = 0; i < su.length; i++) su[i](f);
          else for (let i = 0; i < upd.length; i++) await upd[i](f);
        }
        return NORMAL;
      };
    } finally {
      scope.pop();
    }
  }

  tryStmt(n: N, scope: Scope): St {
    const body = this.block(rule(n, 'block'), scope);
    const catches = rules(n, 'catchClause').map((cc: N) => {
      scope.push();
      const typeName = text(rule(cc, 'qualifiedName'));
      const slot = scope.declare(text(rule(cc, 'id')));
      const blk = this.block(rule(cc, 'block'), scope);
      scope.pop();
      return { typeName, slot, blk };
    });
    const fb = rule(n, 'finallyBlock');
    const fin = fb ? this.block(rule(fb, 'block'), scope) : undefined;
    const site = this.site(n, scope.cls);
    return async (f) => {
      let result = NORMAL;
      try {
        result = await body(f);
      } catch (err) {
        const handler = matchCatch(f, err, catches, site);
        if (!handler) {
          if (fin) {
            const r = await fin(f);
            if (r !== NORMAL) return r;
          }
          throw err;
        }
        try {
          f.locals[handler.slot] = handler.ex;
          result = await handler.blk(f);
        } catch (err2) {
          if (fin) {
            const r = await fin(f);
            if (r !== NORMAL) return r;
          }
          throw err2;
        }
      }
      if (fin) {
        const saved = f.ret;
        const r = await fin(f);
        if (r !== NORMAL) return r;
        f.ret = saved;
      }
      return result;
    };
  }

  switchStmt(n: N, scope: Scope): St {
    const subject = this.expr(rule(n, 'expression'), scope);
    const site = this.site(n, scope.cls);
    type Arm =
      | { kind: 'else'; blk: St }
      | { kind: 'values'; values: (string | number | null | { enumName: string })[]; blk: St }
      | { kind: 'type'; type: TypeRef; slot: number; blk: St };
    const arms: Arm[] = rules(n, 'whenControl').map((wc: N): Arm => {
      const wv = rule(wc, 'whenValue');
      scope.push();
      try {
        if (hasTok(wv, 'else')) return { kind: 'else', blk: this.block(rule(wc, 'block'), scope) };
        const tr = rule(wv, 'typeRef');
        if (tr) {
          const type = parseTypeRef(tr);
          const slot = scope.declare(text(rule(wv, 'id')));
          return { kind: 'type', type, slot, blk: this.block(rule(wc, 'block'), scope) };
        }
        const values = rules(wv, 'whenLiteral').map((wl: N) => {
          const t = text(wl).replace(/^\((.*)\)$/, '$1');
          if (/^'.*'$/s.test(t)) return unescapeApex(t);
          if (/^null$/i.test(t)) return null;
          // a Long literal's suffix (5L), not the last letter of an enum constant (LESS_THAN_OR_EQUAL)
          if (/^[-+\d]+[lL]?$/.test(t)) return Number(t.replace(/[lL]$/, ''));
          return { enumName: t.split('.').pop()!.toUpperCase() };
        });
        return { kind: 'values', values, blk: this.block(rule(wc, 'block'), scope) };
      } finally {
        scope.pop();
      }
    });
    return async (f) => {
      const v = await subject(f);
      for (const arm of arms) {
        if (arm.kind === 'else') return arm.blk(f);
        if (arm.kind === 'type') {
          if (v !== null && instanceOf(f, v, arm.type, site)) {
            f.locals[arm.slot] = v;
            return arm.blk(f);
          }
          continue;
        }
        for (const w of arm.values) {
          if (w !== null && typeof w === 'object') {
            if (v instanceof EnumValue && v.name.toUpperCase() === w.enumName) return arm.blk(f);
          } else if (w === null ? v === null : valueEquals(v instanceof Dec ? v.n : v, w, true)) return arm.blk(f);
        }
      }
      return NORMAL;
    };
  }

  // ---------------------------------------------------------------- expressions
}
