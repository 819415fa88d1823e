/**
 * Lowering of a declared class (or anonymous Apex) into closures: the declaration pass
 * (check/declarations.ts) left each body as parsed on the ClassDef; here they become the closures the
 * runtime calls. Locals are resolved to frame slots; names that depend on other classes are resolved
 * at run time.
 */
import type { ClassDef, FieldDef, InitStep, MethodDef, St } from '../model/classModel.ts';
import { NORMAL, Scope } from './scope.ts';
import { StatementLowering } from './statements.ts';
import type { Block, Stmt } from '../parse/ast.ts';

export class Lowering extends StatementLowering {
  /** Lowers every body of a class and its inner classes. */
  lowerClass(cls: ClassDef): void {
    this.lowerInit(cls, cls.staticInit, true);
    this.lowerInit(cls, cls.instanceInit, false);
    for (const list of cls.methods.values()) for (const m of list) if (m.node) this.methodBody(m, m.node);
    for (const m of cls.ctors) if (m.node) this.methodBody(m, m.node, true);
    for (const f of cls.fields) for (const m of [f.getter, f.setter]) if (m?.node) this.methodBody(m, m.node);
    for (const inner of cls.inner.values()) this.lowerClass(inner);
  }

  /** Anonymous Apex: the block's statements and top-level locals become its `execute` method. */
  lowerAnonymous(cls: ClassDef, main: MethodDef): void {
    this.lowerClass(cls);
    const scope = new Scope(cls, 'execute', true);
    const compiled: St[] = (main.anonymousNodes ?? []).map((s) => this.stmt(s, scope));
    main.body = async (f) => {
      for (const c of compiled) {
        const r = await c(f);
        if (r !== NORMAL) return r;
      }
      return NORMAL;
    };
    main.nSlots = scope.nSlots;
  }

  /** Field initializers and init blocks of one side, in source order: they share one slot space. */
  private lowerInit(cls: ClassDef, steps: InitStep[], isStatic: boolean): void {
    let slots = 0;
    for (const step of steps) {
      const scope = new Scope(cls, isStatic ? '<clinit>' : '<init>', isStatic);
      scope.nSlots = slots;
      if ('field' in step) {
        const f: FieldDef = step.field;
        if (!f.initNode) continue;
        f.init = this.expr(f.initNode, scope, f.type);
        cls.executableLines.add(f.line);
      } else step.block = this.block(step.node, scope);
      slots = scope.nSlots;
    }
    if (isStatic) cls.staticInitSlots = slots;
    else cls.instanceInitSlots = slots;
  }

  private methodBody(m: MethodDef, block: Block, isCtor = false): void {
    const scope = new Scope(m.cls, m.name, m.isStatic);
    for (const p of m.params) scope.declare(p.name, p.type);
    let stmts: Stmt[] = block.statements;
    const first = stmts[0];
    if (isCtor && first?.kind === 'ExpressionStmt' && first.expr.kind === 'ConstructorCall') {
      const call = first.expr;
      m.delegate = { kind: call.target, args: call.args.map((x) => this.expr(x, scope)), signature: this.site(call, m.cls).signature };
      m.cls.executableLines.add(first.line);
      stmts = stmts.slice(1);
    }
    m.body = this.stmtList(stmts, scope);
    m.nSlots = scope.nSlots;
  }
}
