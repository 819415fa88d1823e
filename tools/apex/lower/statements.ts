/** Lowering of statements to closures that return NORMAL, BREAK, CONTINUE or RETURN. */
import { mergeRecords } from '../run/merge.ts';
import { ApexList, ApexObject, Dec, EnumValue } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { callMethod } from '../run/calls.ts';
import { BREAK, CONTINUE, NORMAL, RETURN, type Scope, runSt } from './scope.ts';
import type { Ex, Site, St } from '../model/classModel.ts';
import { ObjectLowering } from './objects.ts';
import { coerce, instanceOf, isPlainType } from '../run/types.ts';
import { runAs } from '../run/dml.ts';
import { dml } from '../run/dml.ts';
import { iterate } from '../run/members.ts';
import { matchCatch, throwNpe, throwValue, unsupported } from '../run/exceptions.ts';
import { unescapeApex } from '../parse/syntax.ts';
import { valueEquals } from '../run/operators.ts';
import { unhandled, type Block, type For, type ForEach, type LocalVars, type Stmt, type Switch, type Try } from '../parse/ast.ts';

export class StatementLowering extends ObjectLowering {
  block(n: Block, scope: Scope): St {
    scope.push();
    const st = this.stmtList(n.statements, scope);
    scope.pop();
    return st;
  }

  stmtList(list: Stmt[], scope: Scope): St {
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

  stmt(n: Stmt, scope: Scope): St {
    if (n.kind === 'Block') return this.block(n, scope);
    const line = n.line;
    const col = n.column;
    const cls = scope.cls;
    cls.executableLines.add(line);
    const body = this.stmtInner(n, scope);
    return (f) => {
      f.tx.tick(cls, line, col);
      return body(f);
    };
  }

  stmtInner(n: Exclude<Stmt, Block>, scope: Scope): St {
    const cls = scope.cls;
    switch (n.kind) {
      case 'LocalVars':
        return this.localVarDecl(n, scope);
      case 'ExpressionStmt': {
        const e = this.expr(n.expr, scope);
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
      case 'If': {
        const cond = this.expr(n.cond, scope);
        const thenS = this.scoped(n.then, scope);
        const elseS = n.else ? this.scoped(n.else, scope) : undefined;
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
      case 'While': {
        const cond = this.expr(n.cond, scope);
        const st = n.body;
        const body = st ? this.scoped(st, scope) : async () => NORMAL;
        const sc = cond.sync;
        const line = n.line;
        const col = n.column;
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
      case 'DoWhile': {
        const cond = this.expr(n.cond, scope);
        const body = this.block(n.body, scope);
        const line = n.line;
        const col = n.column;
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
      case 'For':
      case 'ForEach':
        return this.forStmt(n, scope);
      case 'Return': {
        const en = n.value;
        const e = en ? this.expr(en, scope) : undefined;
        return async (f) => {
          f.ret = e ? await e(f) : null;
          return RETURN;
        };
      }
      case 'Throw': {
        const e = this.expr(n.value, scope);
        const site = this.site(n, cls);
        return async (f) => {
          const v = await e(f);
          throwValue(f, v, site);
          return NORMAL;
        };
      }
      case 'Break':
        return async () => BREAK;
      case 'Continue':
        return async () => CONTINUE;
      case 'Try':
        return this.tryStmt(n, scope);
      case 'Switch':
        return this.switchStmt(n, scope);
      case 'Dml': {
        const op = n.op;
        const userMode = n.userMode;
        const exprs = n.operands.map((e) => this.expr(e, scope));
        const extField = n.externalId;
        const site = this.site(n, cls);
        if (op === 'merge') {
          const [main, dups] = exprs;
          if (!dups) return this.unsupportedSt('a merge statement without duplicate records', site);
          return async (f) => {
            await mergeRecords(f, await main(f), await dups(f), true, site);
            return NORMAL;
          };
        }
        return async (f) => {
          const v = await exprs[0](f);
          await dml(f, op as 'insert', v, { userMode, extField, allOrNone: true }, site);
          return NORMAL;
        };
      }
      case 'RunAs': {
        const args = n.args.map((e) => this.expr(e, scope));
        const body = this.block(n.body, scope);
        const site = this.site(n, cls);
        return async (f) => {
          const user = args.length ? await args[0](f) : null;
          return runAs(f, user, () => runSt(body, f), site);
        };
      }
      default:
        return unhandled(n);
    }
  }

  unsupportedSt(what: string, site: Site): St {
    return async (f) => {
      unsupported(f, what, site);
      return NORMAL;
    };
  }

  /** A statement in its own block scope (if/while bodies). */
  scoped(n: Stmt, scope: Scope): St {
    scope.push();
    const s = this.stmt(n, scope);
    scope.pop();
    return s;
  }

  localVarDecl(n: LocalVars, scope: Scope): St {
    const type = n.type.ref;
    const parts: { slot: number; init?: Ex }[] = [];
    for (const vd of n.vars) {
      const ex = vd.init ? this.expr(vd.init, scope, type) : undefined;
      const slot = scope.declare(vd.name.name, type);
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

  forStmt(n: For | ForEach, scope: Scope): St {
    const st = n.body;
    const cls = scope.cls;
    const line = n.line;
    const col = n.column;
    scope.push();
    try {
      if (n.kind === 'ForEach') {
        const type = n.type.ref;
        const src = this.expr(n.iterable, scope);
        const slot = scope.declare(n.name.name, type);
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
          // SOQL for with a List<T> variable runs its body once per list of 200 records (Apex Developer
          // Guide, "SOQL For Loops")
          const seq = isListVar && coll instanceof ApexList && coll.fromQuery ? soqlChunks(coll) : items;
          for (let i = 0; i < seq.length; i++) {
            f.locals[slot] = seq[i];
            const r = await runSt(body, f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          }
          return NORMAL;
        };
      }
      const fi = n.init;
      let init: St | undefined;
      if (fi) {
        if (!Array.isArray(fi)) init = this.localVarDecl(fi, scope);
        else {
          const es = fi.map((e) => this.expr(e, scope));
          init = async (f) => {
            for (const e of es) await e(f);
            return NORMAL;
          };
        }
      }
      const cond = n.cond ? this.expr(n.cond, scope) : undefined;
      const upd = n.update.map((e) => this.expr(e, scope));
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

  tryStmt(n: Try, scope: Scope): St {
    const body = this.block(n.body, scope);
    const catches = n.catches.map((cc) => {
      scope.push();
      const typeName = cc.type;
      const slot = scope.declare(cc.name.name);
      const blk = this.block(cc.body, scope);
      scope.pop();
      return { typeName, slot, blk };
    });
    const fin = n.finally ? this.block(n.finally, scope) : undefined;
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

  switchStmt(n: Switch, scope: Scope): St {
    const subject = this.expr(n.subject, scope);
    const site = this.site(n, scope.cls);
    type Arm =
      | { kind: 'else'; blk: St }
      | { kind: 'values'; values: (string | number | null | { enumName: string })[]; blk: St }
      | { kind: 'type'; type: TypeRef; slot: number; blk: St };
    const arms: Arm[] = n.whens.map((wc): Arm => {
      const wv = wc.value;
      scope.push();
      try {
        if (wv.kind === 'else') return { kind: 'else', blk: this.block(wc.body, scope) };
        if (wv.kind === 'type') {
          const type = wv.type.ref;
          const slot = scope.declare(wv.name.name);
          return { kind: 'type', type, slot, blk: this.block(wc.body, scope) };
        }
        const values = wv.values.map((wl) => {
          const t = wl.replace(/^\((.*)\)$/, '$1');
          if (/^'.*'$/s.test(t)) return unescapeApex(t);
          if (/^null$/i.test(t)) return null;
          // a Long literal's suffix (5L), not the last letter of an enum constant (LESS_THAN_OR_EQUAL)
          if (/^[-+\d]+[lL]?$/.test(t)) return Number(t.replace(/[lL]$/, ''));
          return { enumName: t.split('.').pop()!.toUpperCase() };
        });
        return { kind: 'values', values, blk: this.block(wc.body, scope) };
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

/** The lists a SOQL for loop with a list variable receives: 200 records each, at least one (maybe empty). */
function soqlChunks(rows: ApexList): ApexList[] {
  if (rows.items.length <= 200) return [rows];
  const out: ApexList[] = [];
  for (let i = 0; i < rows.items.length; i += 200) out.push(new ApexList(rows.items.slice(i, i + 200), rows.elemType));
  return out;
}
