/**
 * The check phase's expressions: the static type of each expression, names and member access, literals,
 * object creation, and SOQL's columns and binds against the org's schema.
 */
import { type ClassDef, type FieldDef, NUMERIC_CAST, signatureOf } from '../model/classModel.ts';
import { unhandled, type Expr, type FieldAccess, type Ident, type MethodCall, type New, type Pos, type Soql } from '../parse/ast.ts';
import { natives } from '../model/natives.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import { fieldInScope, hasStaticVariable } from '../model/names.ts';
import { NULL_TYPE, T, illegalAssignment, isNumeric, resolveStatic, typeText, widerNumeric } from './staticTypes.ts';
import { CallChecker } from './checkCalls.ts';
import { type Ty, NO_SUCH_COLUMN, type Ctx } from './checkContext.ts';

export abstract class ExpressionChecker extends CallChecker {
  // ---------------------------------------------------------------- expressions

  protected expr(n: Expr, ctx: Ctx): Ty {
    switch (n.kind) {
      case 'Literal':
        return this.literal(n.text);
      case 'This':
        return { ref: { name: ctx.cls.fullName, args: [], array: 0 }, cls: ctx.cls };
      case 'Super':
        return ctx.cls.superClass ? { ref: { name: ctx.cls.superClass.fullName, args: [], array: 0 }, cls: ctx.cls.superClass } : undefined;
      case 'Name': {
        const local = ctx.locals.get(n.name);
        if (local.found) return local.type;
        const field = this.findField(ctx, n.name);
        if (field) return this.fieldType(field);
        if (!this.knowsAllFields(ctx.cls)) return undefined;
        this.fail(`Variable does not exist: ${n.name}`, n);
      }
      // falls through (fail never returns)
      case 'TypeLiteral':
        return { ref: { name: 'System.Type', args: [], array: 0 } };
      case 'Soql':
        this.soqlColumns(n);
        for (const b of n.binds) this.expr(b.expr, ctx);
        return undefined;
      case 'Sosl': // its binds are not checked (yet)
      case 'VoidClass':
        return undefined;
      case 'Paren':
        return this.expr(n.expr, ctx);
      case 'FieldAccess':
      case 'MethodCall':
        return this.dot(n, ctx);
      case 'Call':
        return this.unqualifiedCall(n, ctx);
      case 'ConstructorCall': {
        // this(...)/super(...) bind by the arguments' static types like `new` does: a null argument typed
        // Schema.SObjectType keeps the (SObjectType) overload rather than the first that takes null.
        const argTypes = n.args.map((a) => this.expr(a, ctx));
        const target = n.target === 'this' ? ctx.cls : ctx.cls.superClass;
        const ctors = target && !target.builtin ? target.ctors.filter((m) => m.params.length === n.args.length) : [];
        if (ctors.length > 1) {
          const best = this.closest(ctors, argTypes);
          if (best) this.bindings.set(n, signatureOf(best));
        }
        return undefined;
      }
      case 'Index': {
        const a = this.expr(n.target, ctx);
        this.expr(n.index, ctx);
        return a && a.ref.name.toLowerCase() === 'list' && a.ref.args[0] ? resolveStatic(this.program, a.ref.args[0], ctx.cls) : undefined;
      }
      case 'New':
        return this.creator(n, ctx);
      case 'Cast': {
        const from = this.expr(n.expr, ctx);
        const to = this.declared(n.type.ref, ctx.cls, n.type);
        if (isNumeric(from) && isNumeric(to)) this.bindings.set(n, NUMERIC_CAST);
        return to;
      }
      case 'InstanceOf':
        this.expr(n.expr, ctx);
        this.declared(n.type.ref, ctx.cls, n.type);
        return T.Boolean;
      case 'Conditional': {
        this.expr(n.cond, ctx);
        const a = this.expr(n.then, ctx);
        const b = this.expr(n.else, ctx);
        return a && b && typeText(a) === typeText(b) ? a : a === NULL_TYPE ? b : b === NULL_TYPE ? a : undefined;
      }
      case 'Coalesce': {
        const a = this.expr(n.left, ctx);
        const b = this.expr(n.right, ctx);
        return a && b && typeText(a) === typeText(b) ? a : undefined;
      }
      case 'Logical':
      case 'Comparison':
      case 'Equality':
        this.expr(n.left, ctx);
        this.expr(n.right, ctx);
        return T.Boolean;
      case 'Negation': {
        const v = this.expr(n.expr, ctx);
        return n.op === '!' ? T.Boolean : v;
      }
      case 'Prefix':
      case 'Postfix':
        return this.expr(n.expr, ctx);
      case 'Arithmetic': {
        const a = this.expr(n.left, ctx);
        const b = this.expr(n.right, ctx);
        if (n.op === '+' && ((a && a.ref.name === 'String') || (b && b.ref.name === 'String'))) return T.String;
        if (isNumeric(a) && isNumeric(b)) return widerNumeric(a!, b!);
        return undefined;
      }
      case 'Bitwise': {
        const a = this.expr(n.left, ctx);
        this.expr(n.right, ctx);
        return a;
      }
      case 'Assign': {
        const lt = this.expr(n.target, ctx);
        const rt = this.expr(n.value, ctx);
        if (n.op === '=' && illegalAssignment(rt, lt) && n.value.kind !== 'Soql')
          this.fail(`Illegal assignment from ${typeText(rt)} to ${typeText(lt)}`, n);
        return lt;
      }
      default:
        return unhandled(n);
    }
  }

  protected literal(s: string): Ty {
    if (/^'/.test(s)) return T.String;
    if (/^(true|false)$/i.test(s)) return T.Boolean;
    if (/^null$/i.test(s)) return NULL_TYPE;
    if (/^\d+$/.test(s)) return T.Integer;
    if (/^\d+[lL]$/.test(s)) return T.Long;
    if (/[dD]$/.test(s)) return T.Double;
    if (/^[\d.]+$/.test(s)) return T.Decimal;
    return undefined;
  }

  /**
   * A field named in Apex. An unknown custom field is Salesforce's compile error (`refusal`, at `at`);
   * an unknown standard field only a warning, since the local standard field lists are partial (it
   * fails when it runs).
   */
  protected checkField(sobject: string, fieldNode: Ident, refusal: string, at: Pos): void {
    const field = fieldNode.name;
    if (field.includes('.')) return;
    const custom = /__c$/i.test(field);
    const name = sobject.replace(/^schema\./i, '');
    const known = custom ? this.program.schema?.customFields(name) : this.program.schema?.standardFields?.(name);
    if (!known || known.has(field.toLowerCase())) return;
    if (custom) this.fail(refusal, at);
    this.warn(`${sobject}.${field}`, fieldNode);
  }

  /** Selected fields of the queried object must exist (Salesforce points at the query). */
  protected soqlColumns(p: Soql): void {
    const entity = p.sobject;
    if (!entity) return;
    for (const fn of p.columns) this.checkField(entity, fn, NO_SUCH_COLUMN(fn.name, entity), p);
  }

  /** The field a simple name means in this context (model/names.ts); an instance field named from static code is accepted. */
  protected findField(ctx: Ctx, name: string): FieldDef | undefined {
    return fieldInScope(ctx.cls, name, ctx.isStatic)?.field;
  }

  /** Every supertype of `cls` and of its outer classes is the project's (or Exception): names are known in full. */
  protected knowsAllFields(cls: ClassDef): boolean {
    for (let scope: ClassDef | undefined = cls; scope; scope = scope.outer)
      for (let s: ClassDef | undefined = scope; s; s = s.superClass) if (s.superRef && !s.superClass) return false;
    return true;
  }

  protected fieldType(f: FieldDef): Ty {
    return f.owner ? resolveStatic(this.program, f.type, f.owner) : undefined;
  }

  // ---------------------------------------------------------------- members and calls

  protected dot(n: FieldAccess | MethodCall, ctx: Ctx): Ty {
    const leftN = n.target;
    const left = this.qualifier(leftN, ctx);
    const at = n.name;
    const name = at.name;
    if (n.kind === 'FieldAccess') {
      // `SObjectDescribeOptions.DEFERRED`: a system type the library lacks, named in a warning
      const unknown = left ? undefined : this.unknownName(leftN, ctx);
      if (unknown) this.warn(`${unknown}.${name}`, at);
      return this.memberType(left, name, ctx, at);
    }
    const args = n.args.map((x) => this.expr(x, ctx));
    if (!left) {
      const unknown = this.unknownName(leftN, ctx);
      if (unknown) this.warn(`${unknown}.${name}`, at);
      return undefined;
    }
    if (left.kind === 'type' && left.cls) return this.callOn(left.cls, name, args, n, true, ctx);
    if (left.kind === 'value' && left.type?.cls) return this.callOn(left.type.cls, name, args, n, false, ctx);
    if (left.kind === 'value' && left.type) return this.nativeCall(left.type, name, args, false, at);
    if (left.kind === 'type' && left.native)
      return this.nativeCall({ ref: { name: left.native, args: [], array: 0 } }, name, args, true, at);
    return undefined;
  }

  /** The left of a dot: a value of some type, or a type (for statics), or unknown. */
  protected qualifier(n: Expr, ctx: Ctx): { kind: 'value'; type: Ty } | { kind: 'type'; cls?: ClassDef; native?: string } | undefined {
    if (n.kind === 'Name') {
      const name = n.name;
      const local = ctx.locals.get(name);
      const field = local.found ? undefined : this.findField(ctx, name);
      // A variable named like a type (`String json; JSON.serialize(…)`): which one Salesforce takes is not known here.
      if ((local.found || field) && (natives.has(name.toLowerCase()) || this.program.findClass(name, ctx.cls))) return undefined;
      if (local.found) return { kind: 'value', type: local.type };
      if (field) return { kind: 'value', type: this.fieldType(field) };
      const cls = this.program.findClass(name, ctx.cls);
      if (cls) return { kind: 'type', cls };
      if (natives.has(name.toLowerCase())) return { kind: 'type', native: name };
      return undefined;
    }
    if (n.kind === 'FieldAccess') {
      const left = this.qualifier(n.target, ctx);
      const name = n.name.name;
      // Outer.Filter: Outer's static variable Filter before its inner type Filter (model/names.ts)
      if (left?.kind === 'type' && left.cls && !hasStaticVariable(left.cls, name)) {
        const inner = left.cls.inner.get(name.toLowerCase());
        if (inner) return { kind: 'type', cls: inner };
      }
      if (left?.kind === 'type' && left.native) {
        const q = `${left.native}.${name}`;
        if (natives.has(q.toLowerCase())) return { kind: 'type', native: q };
      }
      if (!left) return undefined;
      return { kind: 'value', type: this.memberType(left, name, ctx) };
    }
    return { kind: 'value', type: this.expr(n, ctx) };
  }

  /**
   * A dotted name none of whose parts the program knows (`Messaging.sendEmail`, `EventBus.publish`):
   * a system class the local library lacks. Undefined when the head is a local, field, class, sObject
   * or system type the library declares.
   */
  protected unknownName(n: Expr, ctx: Ctx): string | undefined {
    const parts: string[] = [];
    let cur = n;
    while (cur.kind === 'FieldAccess' && !cur.safe) {
      parts.unshift(cur.name.name);
      cur = cur.target;
    }
    if (cur.kind !== 'Name') return undefined;
    const head = cur.name;
    if (
      ctx.locals.get(head).found ||
      this.findField(ctx, head) ||
      this.program.findClass(head, ctx.cls) ||
      isSObjectName(head.toLowerCase())
    )
      return undefined;
    if (!this.knowsAllFields(ctx.cls)) return undefined; // an inherited field of an unknown supertype
    for (let k = parts.length; k >= 0; k--) if (natives.has([head, ...parts.slice(0, k)].join('.').toLowerCase())) return undefined;
    return [head, ...parts].join('.');
  }

  protected memberType(left: ReturnType<ExpressionChecker['qualifier']>, name: string, ctx: Ctx, at?: Pos): Ty {
    if (!left) return undefined;
    const cls = left.kind === 'type' ? left.cls : left.type?.cls;
    if (!cls) return undefined;
    if (cls.kind === 'enum' && left.kind === 'type' && cls.enumValues.some((v) => v.toLowerCase() === name.toLowerCase()))
      return { ref: { name: cls.fullName, args: [], array: 0 }, cls };
    const f = cls.findField(name.toLowerCase());
    if (f && at && !this.visible(f.owner ?? cls, f.modifiers, f.annotations, ctx.cls)) this.fail(`Variable is not visible: ${f.name}`, at);
    return f ? this.fieldType(f) : undefined;
  }

  /**
   * Apex access: public and global members are visible everywhere; private (the default) ones within
   * the top-level class that declares them (its inner classes too); protected ones there and in
   * subclasses; `@TestVisible` ones in test classes too.
   */
  protected creator(c: New, ctx: Ctx): Ty {
    const cn = c.type;
    const ref = cn.ref;
    const name = ref.name;
    const type = this.declared(ref, ctx.cls, cn);
    // A namespaced type the library lacks (Messaging.SingleEmailMessage); a bare unknown name is most likely a standard sObject.
    if (!type && name.includes('.') && !isSObjectName(name)) this.warn(name, cn);
    const rest = c.rest;
    const exprs: Expr[] = rest.kind === 'args' ? rest.args : [];
    const named = exprs.length > 0 && exprs.every((e) => e.kind === 'Assign' && e.op === '=');
    // `new X(Field = value)`: name=value pairs of an sObject (any type that is not the project's class).
    if (named && (isSObjectName(name) || !type?.cls)) {
      for (const e of exprs) {
        if (e.kind !== 'Assign') continue;
        const fieldNode: Ident = { name: exprText(e.target), line: e.target.line, column: e.target.column };
        this.checkField(name, fieldNode, `Invalid field ${fieldNode.name} for ${name}`, fieldNode);
        this.expr(e.value, ctx);
      }
    } else {
      for (const e of exprs) this.expr(e, ctx);
      if (rest.kind === 'array') {
        if (rest.size) this.expr(rest.size, ctx);
        for (const e of rest.items) this.expr(e, ctx);
      }
      if (rest.kind === 'set') for (const e of rest.items) this.expr(e, ctx);
      if (rest.kind === 'map')
        for (const [k, v] of rest.pairs) {
          this.expr(k, ctx);
          this.expr(v, ctx);
        }
    }
    if (rest.kind === 'array') return { ref: { name: 'List', args: [ref], array: 0 } };
    const ctors = type?.cls && !type.cls.builtin ? type.cls.ctors.filter((m) => m.params.length === exprs.length) : [];
    if (ctors.length > 1 && !named) {
      const argTypes = exprs.map((e) => this.expr(e, ctx));
      const best = this.closest(ctors, argTypes);
      if (best) this.bindings.set(c, signatureOf(best));
    }
    return type;
  }
}

/** The text of a field name on the left of `new X(Field = value)`: a name or a dotted path. */
function exprText(e: Expr): string {
  if (e.kind === 'Name') return e.name;
  if (e.kind === 'FieldAccess') return exprText(e.target) + (e.safe ? '?.' : '.') + e.name.name;
  return '';
}
