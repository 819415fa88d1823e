/**
 * The check phase: walks every method body of a linked program with the static type of each local,
 * field and expression, reports Salesforce's compile errors (with line and column) and binds call
 * sites to the overload their arguments' static types select. It refuses only what Salesforce
 * certainly refuses: a name or type it cannot know (an incomplete system library, a standard
 * object's fields) is accepted and left to the runtime.
 */
import { type ClassDef, type FieldDef, type MethodDef } from '../model/classModel.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';
import { cname, hasTok, kids, rule, rules, text } from '../parse/tree.ts';
import { parseTypeRef } from '../parse/syntax.ts';
import { illegalAssignment, resolveStatic, typeText } from './staticTypes.ts';
import { ExpressionChecker } from './checkExpressions.ts';
import { atLine, type Ctx } from './checkContext.ts';

export type { SchemaOracle } from './checkContext.ts';

/** Checks classes and anonymous blocks: declarations, statements and control flow (expressions: checkExpressions.ts). */
export class Checker extends ExpressionChecker {
  /** Checks one top-level class and its inner classes; returns its errors. */
  checkClass(cls: ClassDef): void {
    this.currentFile = cls.fileName;
    for (const f of cls.fields) this.guard(cls, () => (f.initNode ? this.fieldInit(f, cls) : this.declared(f.type, cls, atLine(f.line))));
    for (const b of cls.initBlocks) this.guard(cls, () => this.block(b.node, this.ctx(cls, b.isStatic)));
    const methods = [
      ...[...cls.methods.values()].flat(),
      ...cls.ctors,
      ...cls.fields.flatMap((f) => [f.getter, f.setter].filter((m): m is MethodDef => !!m)),
    ];
    for (const m of methods) this.guard(cls, () => this.method(m));
    for (const inner of cls.inner.values()) this.checkClass(inner);
  }

  protected fieldInit(f: FieldDef, cls: ClassDef): void {
    this.currentFile = cls.fileName;
    const type = this.declared(f.type, cls, f.initNode);
    const vt = this.expr(f.initNode, this.ctx(cls, f.isStatic));
    if (illegalAssignment(vt, type) && !this.isQuery(f.initNode))
      this.fail(`Illegal assignment from ${typeText(vt)} to ${typeText(type)}`, f.initNode);
  }

  /** Anonymous Apex: its statements run as one static method. */
  checkAnonymous(cls: ClassDef, main: MethodDef): void {
    const ctx = this.ctx(cls, true);
    this.currentFile = cls.fileName;
    this.guard(cls, () => {
      for (const s of main.anonymousNodes ?? []) {
        if ('anonymousLocal' in s) this.localVars(s.anonymousLocal, ctx);
        else this.stmt(s, ctx);
      }
    });
    for (const m of [...cls.methods.values()].flat()) this.guard(cls, () => this.method(m));
  }

  protected method(m: MethodDef): void {
    if (!m.node) {
      // an abstract or interface method: its declared types still have to exist
      if (m.propertyOf) return; // the property's field carries its type
      for (const t of [...(m.returnType ? [m.returnType] : []), ...m.params.map((p) => p.type)])
        if (t.name.toLowerCase() !== 'void') this.declared(t, m.cls, atLine(m.line));
      return;
    }
    this.currentFile = m.cls.fileName;
    const ctx = this.ctx(m.cls, m.isStatic);
    const ret = m.returnType && m.returnType.name.toLowerCase() !== 'void' ? this.declared(m.returnType, m.cls, m.node) : undefined;
    ctx.returnType = ret;
    ctx.isVoid = !m.propertyOf && m.key !== '<init>' && (!m.returnType || m.returnType.name.toLowerCase() === 'void');
    for (const p of m.params) {
      if (ctx.locals.has(p.name)) this.fail(`Duplicate variable: ${p.name}`, m.node);
      ctx.locals.declare(p.name, this.declared(p.type, m.cls, m.node));
    }
    if (m.propertyOf && m.key.startsWith('set_') && !m.params.length) ctx.locals.declare('value', undefined);
    const completes = this.blockBody(m.node, ctx);
    const isVoid = !m.returnType || m.returnType.name.toLowerCase() === 'void';
    if (completes && !isVoid && m.key !== '<init>' && !m.propertyOf)
      this.fail(`Missing return statement required return type: ${typeText({ ref: m.returnType! })}`, m.node);
  }

  // ---------------------------------------------------------------- statements

  /** Returns whether the block can complete normally (for `Missing return statement`). */
  protected blockBody(n: N, ctx: Ctx): boolean {
    let completes = true;
    for (const s of rules(n, 'statement')) if (!this.stmt(s, ctx)) completes = false;
    return completes;
  }

  protected block(n: N, ctx: Ctx): boolean {
    ctx.locals.push();
    try {
      return this.blockBody(n, ctx);
    } finally {
      ctx.locals.pop();
    }
  }

  protected scoped(n: N | undefined, ctx: Ctx): boolean {
    if (!n) return true;
    ctx.locals.push();
    try {
      return this.stmt(n, ctx);
    } finally {
      ctx.locals.pop();
    }
  }

  protected stmt(n: N, ctx: Ctx): boolean {
    const inner = kids(n)[0];
    const k = cname(inner);
    const e = (x: N | undefined) => (x ? this.expr(x, ctx) : undefined);
    switch (k) {
      case 'BlockContext':
        return this.block(inner, ctx);
      case 'LocalVariableDeclarationStatementContext':
        this.localVars(rule(inner, 'localVariableDeclaration'), ctx);
        return true;
      case 'ExpressionStatementContext':
        e(rule(inner, 'expression'));
        return true;
      case 'IfStatementContext': {
        e(rule(rule(inner, 'parExpression'), 'expression'));
        const sts = rules(inner, 'statement');
        const a = this.scoped(sts[0], ctx);
        const b = sts[1] ? this.scoped(sts[1], ctx) : true;
        return a || b;
      }
      case 'WhileStatementContext': {
        const cond = rule(rule(inner, 'parExpression'), 'expression');
        e(cond);
        this.scoped(rule(inner, 'statement'), ctx);
        return !/^true$/i.test(text(cond));
      }
      case 'DoWhileStatementContext': {
        const cond = rule(rule(inner, 'parExpression'), 'expression');
        this.block(rule(inner, 'block'), ctx);
        e(cond);
        return !/^true$/i.test(text(cond));
      }
      case 'ForStatementContext':
        return this.forStmt(inner, ctx);
      case 'ReturnStatementContext': {
        const valueN = rule(inner, 'expression');
        const v = e(valueN);
        // Texts as Salesforce's compiler words them; the positions (the value, or `return`) are unverified.
        if (valueN && ctx.isVoid) this.fail('Void method must not return a value', valueN);
        if (!valueN && ctx.returnType) this.fail(`Return value must be of type: ${typeText(ctx.returnType)}`, inner);
        if (valueN && illegalAssignment(v, ctx.returnType) && !this.isQuery(valueN))
          this.fail(`Illegal conversion from ${typeText(v)} to ${typeText(ctx.returnType)}`, valueN);
        return false;
      }
      case 'ThrowStatementContext':
        e(rule(inner, 'expression'));
        return false;
      case 'TryStatementContext': {
        let completes = this.block(rule(inner, 'block'), ctx);
        for (const cc of rules(inner, 'catchClause')) {
          ctx.locals.push();
          ctx.locals.declare(
            text(rule(cc, 'id')),
            resolveStatic(this.program, { name: text(rule(cc, 'qualifiedName')), args: [], array: 0 }, ctx.cls),
          );
          if (this.block(rule(cc, 'block'), ctx)) completes = true;
          ctx.locals.pop();
        }
        const fb = rule(inner, 'finallyBlock');
        if (fb && !this.block(rule(fb, 'block'), ctx)) return false;
        return completes;
      }
      case 'SwitchStatementContext':
        return this.switchStmt(inner, ctx);
      case 'InsertStatementContext':
      case 'UpdateStatementContext':
      case 'DeleteStatementContext':
      case 'UpsertStatementContext':
      case 'UndeleteStatementContext':
      case 'MergeStatementContext':
        for (const x of rules(inner, 'expression')) e(x);
        return true;
      case 'RunAsStatementContext': {
        const el = rule(inner, 'expressionList');
        if (el) for (const x of rules(el, 'expression')) e(x);
        return this.block(rule(inner, 'block'), ctx);
      }
    }
    return true;
  }

  protected localVars(n: N, ctx: Ctx): void {
    const tr = rule(n, 'typeRef');
    const type = this.declared(parseTypeRef(tr), ctx.cls, tr);
    for (const vd of rules(rule(n, 'variableDeclarators'), 'variableDeclarator')) {
      const idn = rule(vd, 'id');
      const name = text(idn);
      if (ctx.locals.has(name)) this.fail(`Duplicate variable: ${name}`, idn);
      const init = rule(vd, 'expression');
      if (init) {
        const vt = this.expr(init, ctx);
        if (illegalAssignment(vt, type) && !this.isQuery(init))
          this.fail(`Illegal assignment from ${typeText(vt)} to ${typeText(type)}`, vd);
      }
      ctx.locals.declare(name, type);
    }
  }

  protected forStmt(n: N, ctx: Ctx): boolean {
    const fc = rule(n, 'forControl');
    ctx.locals.push();
    try {
      const efc = rule(fc, 'enhancedForControl');
      if (efc) {
        const tr = rule(efc, 'typeRef');
        const type = this.declared(parseTypeRef(tr), ctx.cls, tr);
        this.expr(rule(efc, 'expression'), ctx);
        const idn = rule(efc, 'id');
        if (ctx.locals.has(text(idn))) this.fail(`Duplicate variable: ${text(idn)}`, idn);
        ctx.locals.declare(text(idn), type);
      } else {
        const fi = rule(fc, 'forInit');
        if (fi) {
          const lvd = rule(fi, 'localVariableDeclaration');
          if (lvd) this.localVars(lvd, ctx);
          else for (const x of rules(rule(fi, 'expressionList'), 'expression')) this.expr(x, ctx);
        }
        const ce = rule(fc, 'expression');
        if (ce) this.expr(ce, ctx);
        const fu = rule(fc, 'forUpdate');
        if (fu) for (const x of rules(rule(fu, 'expressionList'), 'expression')) this.expr(x, ctx);
        if (!ce && !text(n).toLowerCase().includes('break')) return false;
      }
      this.scoped(rule(n, 'statement'), ctx);
      return true;
    } finally {
      ctx.locals.pop();
    }
  }

  protected switchStmt(n: N, ctx: Ctx): boolean {
    this.expr(rule(n, 'expression'), ctx);
    let completes = false;
    let hasElse = false;
    for (const wc of rules(n, 'whenControl')) {
      const wv = rule(wc, 'whenValue');
      ctx.locals.push();
      if (hasTok(wv, 'else')) hasElse = true;
      const tr = rule(wv, 'typeRef');
      if (tr) ctx.locals.declare(text(rule(wv, 'id')), this.declared(parseTypeRef(tr), ctx.cls, tr));
      if (this.block(rule(wc, 'block'), ctx)) completes = true;
      ctx.locals.pop();
    }
    return completes || !hasElse;
  }
}
