/**
 * The check phase's expressions: the static type of each expression, names and member access, literals,
 * object creation, and SOQL's columns and binds against the org's schema.
 */
import { type ClassDef, type FieldDef, signatureOf } from '../model/classModel.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';
import { cname, hasTok, isTerm, kids, rule, rules, text } from '../parse/tree.ts';
import { normType, parseTypeRef } from '../parse/syntax.ts';
import { natives } from '../model/natives.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import { fieldInScope, hasStaticVariable } from '../model/names.ts';
import { NULL_TYPE, T, illegalAssignment, isNumeric, resolveStatic, typeText, widerNumeric } from './staticTypes.ts';
import { CallChecker } from './checkCalls.ts';
import { type Ty, NO_SUCH_COLUMN, type Ctx } from './checkContext.ts';

export abstract class ExpressionChecker extends CallChecker {
  // ---------------------------------------------------------------- expressions

  protected expr(n: N, ctx: Ctx): Ty {
    const k = cname(n);
    const sub = () => rules(n, 'expression') as N[];
    switch (k) {
      case 'PrimaryExpressionContext':
        return this.primary(kids(n)[0], ctx, false);
      case 'SubExpressionContext':
        return this.expr(rule(n, 'expression'), ctx);
      case 'DotExpressionContext':
        return this.dot(n, ctx);
      case 'MethodCallExpressionContext':
        return this.unqualifiedCall(rule(n, 'methodCall'), ctx);
      case 'ArrayExpressionContext': {
        const [a, i] = sub().map((x) => this.expr(x, ctx));
        void i;
        return a && a.ref.name.toLowerCase() === 'list' && a.ref.args[0] ? resolveStatic(this.program, a.ref.args[0], ctx.cls) : undefined;
      }
      case 'NewExpressionContext':
        return this.creator(rule(n, 'creator'), ctx);
      case 'CastExpressionContext': {
        const tr = rule(n, 'typeRef');
        this.expr(rule(n, 'expression'), ctx);
        return this.declared(parseTypeRef(tr), ctx.cls, tr);
      }
      case 'InstanceOfExpressionContext': {
        const tr = rule(n, 'typeRef');
        this.expr(rule(n, 'expression'), ctx);
        this.declared(parseTypeRef(tr), ctx.cls, tr);
        return T.Boolean;
      }
      case 'CondExpressionContext': {
        const [, a, b] = sub().map((x) => this.expr(x, ctx));
        return a && b && typeText(a) === typeText(b) ? a : a === NULL_TYPE ? b : b === NULL_TYPE ? a : undefined;
      }
      case 'CoalExpressionContext': {
        const [a, b] = sub().map((x) => this.expr(x, ctx));
        return a && b && typeText(a) === typeText(b) ? a : undefined;
      }
      case 'LogAndExpressionContext':
      case 'LogOrExpressionContext':
      case 'CmpExpressionContext':
      case 'EqualityExpressionContext':
        for (const x of sub()) this.expr(x, ctx);
        return T.Boolean;
      case 'NegExpressionContext': {
        const v = this.expr(rule(n, 'expression'), ctx);
        return kids(n)[0].getText() === '!' ? T.Boolean : v;
      }
      case 'PreOpExpressionContext':
      case 'PostOpExpressionContext':
        return this.expr(rule(n, 'expression'), ctx);
      case 'Arth1ExpressionContext':
      case 'Arth2ExpressionContext': {
        const [a, b] = sub().map((x) => this.expr(x, ctx));
        const op = kids(n)
          .filter(isTerm)
          .map((x: N) => x.getText())
          .join('');
        if (op === '+' && ((a && a.ref.name === 'String') || (b && b.ref.name === 'String'))) return T.String;
        if (isNumeric(a) && isNumeric(b)) return widerNumeric(a!, b!);
        return undefined;
      }
      case 'BitExpressionContext':
      case 'BitAndExpressionContext':
      case 'BitOrExpressionContext':
      case 'BitNotExpressionContext': {
        const [a] = sub().map((x) => this.expr(x, ctx));
        return a;
      }
      case 'AssignExpressionContext': {
        const [l, r] = sub();
        const lt = this.expr(l, ctx);
        const rt = this.expr(r, ctx);
        if (kids(n)[1].getText() === '=' && illegalAssignment(rt, lt) && !this.isQuery(r))
          this.fail(`Illegal assignment from ${typeText(rt)} to ${typeText(lt)}`, n);
        return lt;
      }
    }
    for (const x of sub()) this.expr(x, ctx);
    return undefined;
  }

  protected primary(p: N, ctx: Ctx, isQualifier: boolean): Ty {
    switch (cname(p)) {
      case 'LiteralPrimaryContext':
        return this.literal(rule(p, 'literal'));
      case 'ThisPrimaryContext':
        return { ref: { name: ctx.cls.fullName, args: [], array: 0 }, cls: ctx.cls };
      case 'SuperPrimaryContext':
        return ctx.cls.superClass ? { ref: { name: ctx.cls.superClass.fullName, args: [], array: 0 }, cls: ctx.cls.superClass } : undefined;
      case 'IdPrimaryContext': {
        const idn = rule(p, 'id');
        const name = text(idn);
        const local = ctx.locals.get(name);
        if (local.found) return local.type;
        const field = this.findField(ctx, name);
        if (field) return this.fieldType(field);
        if (isQualifier || !this.knowsAllFields(ctx.cls)) return undefined;
        this.fail(`Variable does not exist: ${name}`, idn);
      }
      // falls through (fail never returns)
      case 'TypeRefPrimaryContext':
        return { ref: { name: 'System.Type', args: [], array: 0 } };
      case 'SoqlPrimaryContext':
        this.soqlColumns(p);
        this.soqlBinds(p, ctx);
        return undefined;
    }
    return undefined;
  }

  protected literal(l: N): Ty {
    const tok = kids(l)[0];
    const s: string = tok.getText();
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
  protected checkField(sobject: string, fieldNode: N, refusal: string, at: N): void {
    const field = text(fieldNode);
    if (field.includes('.')) return;
    const custom = /__c$/i.test(field);
    const name = sobject.replace(/^schema\./i, '');
    const known = custom ? this.program.schema?.customFields(name) : this.program.schema?.standardFields?.(name);
    if (!known || known.has(field.toLowerCase())) return;
    if (custom) this.fail(refusal, at);
    this.warn(`${sobject}.${field}`, fieldNode);
  }

  /** Selected fields of the queried object must exist (Salesforce points at the query). */
  protected soqlColumns(p: N): void {
    const q = rule(rule(p, 'soqlLiteral'), 'query');
    const from = rule(q, 'fromNameList');
    const list = rule(q, 'selectList');
    if (!from || !list) return;
    const entity = text(kids(from)[0]);
    for (const entry of rules(list, 'selectEntry')) {
      const fn = rule(entry, 'fieldName');
      if (fn && kids(entry).length === 1) this.checkField(entity, fn, NO_SUCH_COLUMN(text(fn), entity), p);
    }
  }

  protected soqlBinds(p: N, ctx: Ctx): void {
    const walk = (node: N): void => {
      if (cname(node) === 'BoundExpressionContext') {
        this.expr(rule(node, 'expression'), ctx);
        return;
      }
      for (const c of kids(node)) if (!isTerm(c)) walk(c);
    };
    walk(p);
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

  protected dot(n: N, ctx: Ctx): Ty {
    const leftN = rule(n, 'expression');
    const dmc = rule(n, 'dotMethodCall');
    const left = this.qualifier(leftN, ctx);
    if (!dmc) {
      const name = text(rule(n, 'anyId'));
      // `SObjectDescribeOptions.DEFERRED`: a system type the library lacks, named in a warning
      const unknown = left ? undefined : this.unknownName(leftN, ctx);
      if (unknown) this.warn(`${unknown}.${name}`, rule(n, 'anyId'));
      return this.memberType(left, name, ctx, rule(n, 'anyId'));
    }
    const el = rule(dmc, 'expressionList');
    const args = el ? (rules(el, 'expression') as N[]).map((x) => this.expr(x, ctx)) : [];
    const name = text(rule(dmc, 'anyId'));
    const at = rule(dmc, 'anyId');
    if (!left) {
      const unknown = this.unknownName(leftN, ctx);
      if (unknown) this.warn(`${unknown}.${name}`, at);
      return undefined;
    }
    if (left.kind === 'type' && left.cls) return this.callOn(left.cls, name, args, n, dmc, true, ctx);
    if (left.kind === 'value' && left.type?.cls) return this.callOn(left.type.cls, name, args, n, dmc, false, ctx);
    if (left.kind === 'value' && left.type) return this.nativeCall(left.type, name, args, false, at);
    if (left.kind === 'type' && left.native)
      return this.nativeCall({ ref: { name: left.native, args: [], array: 0 } }, name, args, true, at);
    return undefined;
  }

  /** The left of a dot: a value of some type, or a type (for statics), or unknown. */
  protected qualifier(n: N, ctx: Ctx): { kind: 'value'; type: Ty } | { kind: 'type'; cls?: ClassDef; native?: string } | undefined {
    if (cname(n) === 'PrimaryExpressionContext' && cname(kids(n)[0]) === 'IdPrimaryContext') {
      const name = text(rule(kids(n)[0], 'id'));
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
    if (cname(n) === 'DotExpressionContext' && !rule(n, 'dotMethodCall')) {
      const left = this.qualifier(rule(n, 'expression'), ctx);
      const name = text(rule(n, 'anyId'));
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
  protected unknownName(n: N, ctx: Ctx): string | undefined {
    const parts: string[] = [];
    let cur = n;
    while (cname(cur) === 'DotExpressionContext' && !rule(cur, 'dotMethodCall') && !hasTok(cur, '?.')) {
      parts.unshift(text(rule(cur, 'anyId')));
      cur = rule(cur, 'expression');
    }
    if (cname(cur) !== 'PrimaryExpressionContext' || cname(kids(cur)[0]) !== 'IdPrimaryContext') return undefined;
    const head = text(rule(kids(cur)[0], 'id'));
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

  protected memberType(left: ReturnType<ExpressionChecker['qualifier']>, name: string, ctx: Ctx, at?: N): Ty {
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
  protected creator(c: N, ctx: Ctx): Ty {
    const cn = rule(c, 'createdName');
    const pairs = rules(cn, 'idCreatedNamePair');
    const name = pairs.map((p: N) => text(rule(p, 'anyId'))).join('.');
    const last = pairs[pairs.length - 1];
    const tl = rule(last, 'typeList');
    const targs = tl ? rules(tl, 'typeRef').map(parseTypeRef) : [];
    const ref = normType({ name, args: targs, array: 0 });
    const rest = kids(c)[1];
    const type = this.declared(ref, ctx.cls, cn);
    // A namespaced type the library lacks (Messaging.SingleEmailMessage); a bare unknown name is most likely a standard sObject.
    if (!type && name.includes('.') && !isSObjectName(name)) this.warn(name, cn);
    const el = rule(rule(rest, 'arguments'), 'expressionList');
    const exprs: N[] = el ? rules(el, 'expression') : [];
    const named = exprs.length > 0 && exprs.every((e) => cname(e) === 'AssignExpressionContext' && kids(e)[1].getText() === '=');
    // `new X(Field = value)`: name=value pairs of an sObject (any type that is not the project's class).
    if (named && (isSObjectName(name) || !type?.cls)) {
      for (const e of exprs) {
        const fieldNode = rules(e, 'expression')[0];
        this.checkField(name, fieldNode, `Invalid field ${text(fieldNode)} for ${name}`, fieldNode);
        this.expr(rules(e, 'expression')[1], ctx);
      }
    } else {
      for (const e of exprs) this.expr(e, ctx);
      for (const e of rules(rest, 'expression')) this.expr(e, ctx);
      const ai = rule(rest, 'arrayInitializer');
      if (ai) for (const e of rules(ai, 'expression')) this.expr(e, ctx);
      for (const p of rules(rest, 'mapCreatorRestPair')) for (const e of rules(p, 'expression')) this.expr(e, ctx);
    }
    if (cname(rest) === 'ArrayCreatorRestContext') return { ref: { name: 'List', args: [ref], array: 0 } };
    const ctors = type?.cls && !type.cls.builtin ? type.cls.ctors.filter((m) => m.params.length === exprs.length) : [];
    if (ctors.length > 1 && !named) {
      const argTypes = exprs.map((e) => this.expr(e, ctx));
      const best = this.closest(ctors, argTypes);
      if (best) this.bindings.set(c, signatureOf(best));
    }
    return type;
  }

  protected isQuery(n: N): boolean {
    return /^\[\s*select\b/i.test(text(n));
  }
}
