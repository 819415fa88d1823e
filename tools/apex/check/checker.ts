/**
 * The check phase: walks every method body of a linked program with the static type of each local,
 * field and expression, reports Salesforce's compile errors (with line and column) and binds call
 * sites to the overload their arguments' static types select. It refuses only what Salesforce
 * certainly refuses: a name or type it cannot know (an incomplete system library, a standard
 * object's fields) is accepted and left to the runtime.
 */
import { type ClassDef, type FieldDef, type MethodDef } from '../model/classModel.ts';
import { unhandled, type Block, type For, type ForEach, type LocalVars, type Stmt, type Switch } from '../parse/ast.ts';
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
    const type = this.declared(f.type, cls, f.initNode!);
    const vt = this.expr(f.initNode!, this.ctx(cls, f.isStatic));
    if (illegalAssignment(vt, type) && f.initNode!.kind !== 'Soql')
      this.fail(`Illegal assignment from ${typeText(vt)} to ${typeText(type)}`, f.initNode!);
  }

  /** Anonymous Apex: its statements run as one static method. */
  checkAnonymous(cls: ClassDef, main: MethodDef): void {
    const ctx = this.ctx(cls, true);
    this.currentFile = cls.fileName;
    this.guard(cls, () => {
      for (const s of main.anonymousNodes ?? []) this.stmt(s, ctx);
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
  protected blockBody(n: Block, ctx: Ctx): boolean {
    let completes = true;
    for (const s of n.statements) if (!this.stmt(s, ctx)) completes = false;
    return completes;
  }

  protected block(n: Block, ctx: Ctx): boolean {
    ctx.locals.push();
    try {
      return this.blockBody(n, ctx);
    } finally {
      ctx.locals.pop();
    }
  }

  protected scoped(n: Stmt | undefined, ctx: Ctx): boolean {
    if (!n) return true;
    ctx.locals.push();
    try {
      return this.stmt(n, ctx);
    } finally {
      ctx.locals.pop();
    }
  }

  protected stmt(n: Stmt, ctx: Ctx): boolean {
    switch (n.kind) {
      case 'Block':
        return this.block(n, ctx);
      case 'LocalVars':
        this.localVars(n, ctx);
        return true;
      case 'ExpressionStmt':
        this.expr(n.expr, ctx);
        return true;
      case 'If': {
        this.expr(n.cond, ctx);
        const a = this.scoped(n.then, ctx);
        const b = n.else ? this.scoped(n.else, ctx) : true;
        return a || b;
      }
      case 'While':
        this.expr(n.cond, ctx);
        this.scoped(n.body, ctx);
        return !isTrue(n.cond);
      case 'DoWhile':
        this.block(n.body, ctx);
        this.expr(n.cond, ctx);
        return !isTrue(n.cond);
      case 'ForEach':
      case 'For':
        return this.forStmt(n, ctx);
      case 'Return': {
        const valueN = n.value;
        const v = valueN ? this.expr(valueN, ctx) : undefined;
        // Texts as Salesforce's compiler words them; the positions (the value, or `return`) are unverified.
        if (valueN && ctx.isVoid) this.fail('Void method must not return a value', valueN);
        if (!valueN && ctx.returnType) this.fail(`Return value must be of type: ${typeText(ctx.returnType)}`, n);
        if (valueN && illegalAssignment(v, ctx.returnType) && valueN.kind !== 'Soql')
          this.fail(`Illegal conversion from ${typeText(v)} to ${typeText(ctx.returnType)}`, valueN);
        return false;
      }
      case 'Throw':
        this.expr(n.value, ctx);
        return false;
      case 'Try': {
        let completes = this.block(n.body, ctx);
        for (const cc of n.catches) {
          ctx.locals.push();
          ctx.locals.declare(cc.name.name, resolveStatic(this.program, { name: cc.type, args: [], array: 0 }, ctx.cls));
          if (this.block(cc.body, ctx)) completes = true;
          ctx.locals.pop();
        }
        if (n.finally && !this.block(n.finally, ctx)) return false;
        return completes;
      }
      case 'Switch':
        return this.switchStmt(n, ctx);
      case 'Dml':
        for (const x of n.operands) this.expr(x, ctx);
        return true;
      case 'RunAs':
        for (const x of n.args) this.expr(x, ctx);
        return this.block(n.body, ctx);
      case 'Break':
      case 'Continue':
        return true;
      default:
        return unhandled(n);
    }
  }

  protected localVars(n: LocalVars, ctx: Ctx): void {
    const type = this.declared(n.type.ref, ctx.cls, n.type);
    for (const vd of n.vars) {
      const name = vd.name.name;
      if (ctx.locals.has(name)) this.fail(`Duplicate variable: ${name}`, vd.name);
      if (vd.init) {
        const vt = this.expr(vd.init, ctx);
        if (illegalAssignment(vt, type) && vd.init.kind !== 'Soql')
          this.fail(`Illegal assignment from ${typeText(vt)} to ${typeText(type)}`, vd);
      }
      ctx.locals.declare(name, type);
    }
  }

  protected forStmt(n: For | ForEach, ctx: Ctx): boolean {
    ctx.locals.push();
    try {
      if (n.kind === 'ForEach') {
        const type = this.declared(n.type.ref, ctx.cls, n.type);
        this.expr(n.iterable, ctx);
        if (ctx.locals.has(n.name.name)) this.fail(`Duplicate variable: ${n.name.name}`, n.name);
        ctx.locals.declare(n.name.name, type);
      } else {
        if (Array.isArray(n.init)) for (const x of n.init) this.expr(x, ctx);
        else if (n.init) this.localVars(n.init, ctx);
        if (n.cond) this.expr(n.cond, ctx);
        for (const x of n.update) this.expr(x, ctx);
        if (!n.cond && !n.mentionsBreak) return false;
      }
      this.scoped(n.body, ctx);
      return true;
    } finally {
      ctx.locals.pop();
    }
  }

  protected switchStmt(n: Switch, ctx: Ctx): boolean {
    this.expr(n.subject, ctx);
    let completes = false;
    let hasElse = false;
    for (const wc of n.whens) {
      ctx.locals.push();
      if (wc.value.kind === 'else') hasElse = true;
      if (wc.value.kind === 'type') ctx.locals.declare(wc.value.name.name, this.declared(wc.value.type.ref, ctx.cls, wc.value.type));
      if (this.block(wc.body, ctx)) completes = true;
      ctx.locals.pop();
    }
    return completes || !hasElse;
  }
}

/** The literal `true` (a loop on it never completes normally). */
const isTrue = (e: { kind: string; text?: string }): boolean => e.kind === 'Literal' && /^true$/i.test(e.text ?? '');
