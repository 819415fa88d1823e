/**
 * The check phase: walks every method body of a linked program with the static type of each local,
 * field and expression, reports Salesforce's compile errors (with line and column) and binds call
 * sites to the overload their arguments' static types select. It refuses only what Salesforce
 * certainly refuses: a name or type it cannot know (an incomplete system library, a standard
 * object's fields) is accepted and left to the runtime.
 */
import { type ClassDef, type FieldDef, type MethodDef, signatureOf } from '../model/classModel.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';
import { cname, hasTok, isTerm, kids, rule, rules, text } from '../parse/tree.ts';
import { normType, parseTypeRef } from '../parse/syntax.ts';
import { CompileError } from '../errors.ts';
import { natives, type Signature } from '../lib/registry.ts';
import { isSObjectName } from '../model/sobjectNames.ts';
import type { TypeRef } from '../model/typeRef.ts';
import type { Program } from './program.ts';
import { fieldInScope, hasStaticVariable } from '../model/names.ts';
import { isSystemNamespace, systemTypeStatus } from '../model/catalogue.ts';
import { NULL_TYPE, T, fitDistance, illegalAssignment, isNumeric, resolveStatic, surelyFits, typeText, widerNumeric, type SType } from './staticTypes.ts';

type Ty = SType | undefined;

/**
 * The org's custom fields, where the caller knows them (a deploy knows the objects stored and being
 * deployed): lower-case `__c` field names of an object, or undefined for an object it does not know.
 * Standard fields are never judged: the local schema does not list them in full.
 */
export interface SchemaOracle {
  customFields(sobject: string): Set<string> | undefined;
  /** The standard fields the local platform knows for an object (lower case): a list that may be partial. */
  standardFields?(sobject: string): Set<string> | undefined;
}

const NO_SUCH_COLUMN = (field: string, entity: string) =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

/** A position for a declaration the check phase has no parse node of (a field without initializer). */
const atLine = (line: number): N => ({ start: { line, column: 0 } }) as unknown as N;

/** Block scopes of one method body: local name → declared type. */
class Locals {
  private scopes: Map<string, Ty>[] = [new Map()];
  push(): void {
    this.scopes.push(new Map());
  }
  pop(): void {
    this.scopes.pop();
  }
  has(name: string): boolean {
    return this.scopes.some((s) => s.has(name.toLowerCase()));
  }
  get(name: string): { found: boolean; type: Ty } {
    const k = name.toLowerCase();
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i].has(k)) return { found: true, type: this.scopes[i].get(k) };
    return { found: false, type: undefined };
  }
  declare(name: string, type: Ty): void {
    this.scopes[this.scopes.length - 1].set(name.toLowerCase(), type);
  }
}

interface Ctx {
  cls: ClassDef;
  isStatic: boolean;
  locals: Locals;
  returnType?: Ty;
  /** A method declared `void` (a constructor, initializer or anonymous block is not). */
  isVoid?: boolean;
}

/** Apex methods every exception has (System.Exception's members). */
const EXCEPTION_METHODS = new Set(['getmessage', 'setmessage', 'getcause', 'initcause', 'gettypename', 'getlinenumber', 'getstacktracestring', 'tostring', 'getdmlmessage', 'getnumdml', 'getdmltype', 'getdmlfieldnames', 'getdmlfields', 'getdmlid', 'getdmlindex', 'getdmlstatuscode']);
const OBJECT_METHODS = new Set(['tostring', 'equals', 'hashcode']);
/** An instance of an Apex class also has `clone()` (a shallow copy): apex-rollup and Query.apex call it and compile on Salesforce. */
const USER_OBJECT_METHODS = new Set([...OBJECT_METHODS, 'clone']);
/** Salesforce's Apex namespaces (Apex Reference Guide): their types are never the project's. */
const SYSTEM_NAMESPACES = new Set(
  'appLauncher approval auth cache canvas chatteranswers commercepayments commercetax communities compression connectapi database datasource datacloud datetime dataweave dom eventbus flow formula functions invocable kbmanagement lxscheduler messaging metadata process quickaction reports richmessaging schema search sfc site slack support system territorymgmt txnsecurity userprovisioning visualeditor wave'
    .toLowerCase()
    .split(' '),
);

export class Checker {
  readonly errors: CompileError[] = [];
  /** Names the local runtime does not know (not a compile error: they deploy, and fail if they run). */
  readonly warnings: CompileError[] = [];

  constructor(
    private readonly program: Program,
    /** Call site (parse node) → the chosen overload's parameter types, for lowering to bind. */
    private readonly bindings: Map<N, string>,
  ) {}

  /** Checks one top-level class and its inner classes; returns its errors. */
  checkClass(cls: ClassDef): void {
    this.currentFile = cls.fileName;
    for (const f of cls.fields) this.guard(cls, () => (f.initNode ? this.fieldInit(f, cls) : this.declared(f.type, cls, atLine(f.line))));
    for (const b of cls.initBlocks) this.guard(cls, () => this.block(b.node, this.ctx(cls, b.isStatic)));
    const methods = [...[...cls.methods.values()].flat(), ...cls.ctors, ...cls.fields.flatMap((f) => [f.getter, f.setter].filter((m): m is MethodDef => !!m))];
    for (const m of methods) this.guard(cls, () => this.method(m));
    for (const inner of cls.inner.values()) this.checkClass(inner);
  }

  private fieldInit(f: FieldDef, cls: ClassDef): void {
    this.currentFile = cls.fileName;
    const type = this.declared(f.type, cls, f.initNode);
    const vt = this.expr(f.initNode, this.ctx(cls, f.isStatic));
    if (illegalAssignment(vt, type) && !this.isQuery(f.initNode)) this.fail(`Illegal assignment from ${typeText(vt)} to ${typeText(type)}`, f.initNode);
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

  /** The first error of a member stops its check (as Salesforce reports one per location). */
  private guard(cls: ClassDef, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof CompileError) this.errors.push(e);
      else throw e;
    }
  }

  private ctx(cls: ClassDef, isStatic: boolean): Ctx {
    return { cls, isStatic, locals: new Locals() };
  }

  private fail(message: string, n: N): never {
    throw new CompileError(message, this.fileOf(n), n.start?.line ?? 0, (n.start?.column ?? 0) + 1);
  }

  /** Once per file and name: `X.m` is unknown to the local runtime, so a run that reaches it fails. */
  private warn(what: string, n: N): void {
    const message = `not supported by the local runtime: ${what} (it deploys; running it fails)`;
    if (this.warnings.some((w) => w.fileName === this.currentFile && w.message === message)) return;
    this.warnings.push(new CompileError(message, this.currentFile, n.start?.line ?? 0, (n.start?.column ?? 0) + 1));
  }

  private currentFile = '';
  private fileOf(_n: N): string {
    return this.currentFile;
  }

  private method(m: MethodDef): void {
    if (!m.node) {
      // an abstract or interface method: its declared types still have to exist
      if (m.propertyOf) return; // the property's field carries its type
      for (const t of [...(m.returnType ? [m.returnType] : []), ...m.params.map((p) => p.type)]) if (t.name.toLowerCase() !== 'void') this.declared(t, m.cls, atLine(m.line));
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

  /** A declared type: `Invalid type: X` only where the program knows the type cannot exist. */
  private declared(ref: TypeRef, from: ClassDef, at: N): Ty {
    const st = resolveStatic(this.program, ref, from);
    if (!st) this.checkTypeExists(ref, from, at);
    for (const a of ref.args) this.declared(a, from, at);
    return st;
  }

  /**
   * A type name neither the program nor the library knows. `Outer.Missing` of a project class, or a
   * bare name that is no system type, standard sObject or object of the org (model/catalogue.ts), is
   * Salesforce's `Invalid type`; a system or namespaced type the local runtime lacks deploys with a
   * warning naming it (a managed package's `ns.Type` is never refused).
   */
  private checkTypeExists(ref: TypeRef, from: ClassDef, at: N): void {
    const problem = this.typeProblem(ref, from);
    if (problem === 'invalid') this.fail(`Invalid type: ${ref.name}`, at);
    if (problem === 'unsupported') this.warn(ref.name, at);
  }

  private typeProblem(ref: TypeRef, from: ClassDef): 'invalid' | 'unsupported' | undefined {
    const parts = ref.name.split('.');
    if (parts.length > 1) {
      // Outer.Missing: the outer type is the project's, so its inner types are known in full.
      // A project class named like a system namespace (`Database`, `Approval`) does not hide it.
      const head = this.program.findClass(parts[0], from);
      if (head && !head.builtin && !SYSTEM_NAMESPACES.has(parts[0].toLowerCase()) && !isSystemNamespace(parts[0]) && !natives.has(parts[0].toLowerCase())) return 'invalid';
      if (head) return undefined;
    }
    // objects of the org and of packages: `X__c`, `ns__X__mdt`, `X__kav`…; objects a deploy knows
    if (ref.name.includes('__') || this.program.schema?.customFields(ref.name.replace(/^schema\./i, ''))) return undefined;
    return systemTypeStatus(ref.name) === 'unknown' ? 'invalid' : 'unsupported';
  }

  // ---------------------------------------------------------------- statements

  /** Returns whether the block can complete normally (for `Missing return statement`). */
  private blockBody(n: N, ctx: Ctx): boolean {
    let completes = true;
    for (const s of rules(n, 'statement')) if (!this.stmt(s, ctx)) completes = false;
    return completes;
  }

  private block(n: N, ctx: Ctx): boolean {
    ctx.locals.push();
    try {
      return this.blockBody(n, ctx);
    } finally {
      ctx.locals.pop();
    }
  }

  private scoped(n: N | undefined, ctx: Ctx): boolean {
    if (!n) return true;
    ctx.locals.push();
    try {
      return this.stmt(n, ctx);
    } finally {
      ctx.locals.pop();
    }
  }

  private stmt(n: N, ctx: Ctx): boolean {
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
        if (valueN && illegalAssignment(v, ctx.returnType) && !this.isQuery(valueN)) this.fail(`Illegal conversion from ${typeText(v)} to ${typeText(ctx.returnType)}`, valueN);
        return false;
      }
      case 'ThrowStatementContext':
        e(rule(inner, 'expression'));
        return false;
      case 'TryStatementContext': {
        let completes = this.block(rule(inner, 'block'), ctx);
        for (const cc of rules(inner, 'catchClause')) {
          ctx.locals.push();
          ctx.locals.declare(text(rule(cc, 'id')), resolveStatic(this.program, { name: text(rule(cc, 'qualifiedName')), args: [], array: 0 }, ctx.cls));
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

  private localVars(n: N, ctx: Ctx): void {
    const tr = rule(n, 'typeRef');
    const type = this.declared(parseTypeRef(tr), ctx.cls, tr);
    for (const vd of rules(rule(n, 'variableDeclarators'), 'variableDeclarator')) {
      const idn = rule(vd, 'id');
      const name = text(idn);
      if (ctx.locals.has(name)) this.fail(`Duplicate variable: ${name}`, idn);
      const init = rule(vd, 'expression');
      if (init) {
        const vt = this.expr(init, ctx);
        if (illegalAssignment(vt, type) && !this.isQuery(init)) this.fail(`Illegal assignment from ${typeText(vt)} to ${typeText(type)}`, vd);
      }
      ctx.locals.declare(name, type);
    }
  }

  private isQuery(n: N): boolean {
    return /^\[\s*select\b/i.test(text(n));
  }

  private forStmt(n: N, ctx: Ctx): boolean {
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

  private switchStmt(n: N, ctx: Ctx): boolean {
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

  // ---------------------------------------------------------------- expressions

  private expr(n: N, ctx: Ctx): Ty {
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
        const op = kids(n).filter(isTerm).map((x: N) => x.getText()).join('');
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
        if (kids(n)[1].getText() === '=' && illegalAssignment(rt, lt) && !this.isQuery(r)) this.fail(`Illegal assignment from ${typeText(rt)} to ${typeText(lt)}`, n);
        return lt;
      }
    }
    for (const x of sub()) this.expr(x, ctx);
    return undefined;
  }

  private primary(p: N, ctx: Ctx, isQualifier: boolean): Ty {
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

  private literal(l: N): Ty {
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
  private checkField(sobject: string, fieldNode: N, refusal: string, at: N): void {
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
  private soqlColumns(p: N): void {
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

  private soqlBinds(p: N, ctx: Ctx): void {
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
  private findField(ctx: Ctx, name: string): FieldDef | undefined {
    return fieldInScope(ctx.cls, name, ctx.isStatic)?.field;
  }

  /** Every supertype of `cls` and of its outer classes is the project's (or Exception): names are known in full. */
  private knowsAllFields(cls: ClassDef): boolean {
    for (let scope: ClassDef | undefined = cls; scope; scope = scope.outer)
      for (let s: ClassDef | undefined = scope; s; s = s.superClass) if (s.superRef && !s.superClass) return false;
    return true;
  }

  private fieldType(f: FieldDef): Ty {
    return f.owner ? resolveStatic(this.program, f.type, f.owner) : undefined;
  }

  // ---------------------------------------------------------------- members and calls

  private dot(n: N, ctx: Ctx): Ty {
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
    if (left.kind === 'type' && left.native) return this.nativeCall({ ref: { name: left.native, args: [], array: 0 } }, name, args, true, at);
    return undefined;
  }

  /** The left of a dot: a value of some type, or a type (for statics), or unknown. */
  private qualifier(n: N, ctx: Ctx): { kind: 'value'; type: Ty } | { kind: 'type'; cls?: ClassDef; native?: string } | undefined {
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
  private unknownName(n: N, ctx: Ctx): string | undefined {
    const parts: string[] = [];
    let cur = n;
    while (cname(cur) === 'DotExpressionContext' && !rule(cur, 'dotMethodCall') && !hasTok(cur, '?.')) {
      parts.unshift(text(rule(cur, 'anyId')));
      cur = rule(cur, 'expression');
    }
    if (cname(cur) !== 'PrimaryExpressionContext' || cname(kids(cur)[0]) !== 'IdPrimaryContext') return undefined;
    const head = text(rule(kids(cur)[0], 'id'));
    if (ctx.locals.get(head).found || this.findField(ctx, head) || this.program.findClass(head, ctx.cls) || isSObjectName(head.toLowerCase())) return undefined;
    if (!this.knowsAllFields(ctx.cls)) return undefined; // an inherited field of an unknown supertype
    for (let k = parts.length; k >= 0; k--) if (natives.has([head, ...parts.slice(0, k)].join('.').toLowerCase())) return undefined;
    return [head, ...parts].join('.');
  }

  private memberType(left: ReturnType<Checker['qualifier']>, name: string, ctx: Ctx, at?: N): Ty {
    if (!left) return undefined;
    const cls = left.kind === 'type' ? left.cls : left.type?.cls;
    if (!cls) return undefined;
    if (cls.kind === 'enum' && left.kind === 'type' && cls.enumValues.some((v) => v.toLowerCase() === name.toLowerCase())) return { ref: { name: cls.fullName, args: [], array: 0 }, cls };
    const f = cls.findField(name.toLowerCase());
    if (f && at && !this.visible(f.owner ?? cls, f.modifiers, f.annotations, ctx.cls)) this.fail(`Variable is not visible: ${f.name}`, at);
    return f ? this.fieldType(f) : undefined;
  }

  /**
   * Apex access: public and global members are visible everywhere; private (the default) ones within
   * the top-level class that declares them (its inner classes too); protected ones there and in
   * subclasses; `@TestVisible` ones in test classes too.
   */
  private visible(owner: ClassDef, modifiers: string[], annotations: { name: string }[], from: ClassDef): boolean {
    if (owner.kind === 'interface' || owner.builtin || modifiers.some((m) => m === 'public' || m === 'global' || m === 'webservice')) return true;
    const top = (c: ClassDef) => {
      let t = c;
      while (t.outer) t = t.outer;
      return t;
    };
    if (top(owner) === top(from)) return true;
    if (annotations.some((a) => a.name === 'testvisible') && top(from).isTest) return true;
    if (modifiers.includes('protected')) for (let c: ClassDef | undefined = from; c; c = c.outer) if (c.isSubclassOf(owner)) return true;
    return false;
  }

  private unqualifiedCall(mc: N, ctx: Ctx): Ty {
    const head = kids(mc)[0];
    const el = rule(mc, 'expressionList');
    const args = el ? (rules(el, 'expression') as N[]).map((x) => this.expr(x, ctx)) : [];
    if (isTerm(head)) return undefined; // this(...) / super(...)
    const name = text(head);
    const key = name.toLowerCase();
    for (let scope: ClassDef | undefined = ctx.cls; scope; scope = scope.outer) {
      const cands = this.methodsNamed(scope, key);
      if (!cands.length) continue;
      const best = this.bind(cands, args, name, scope, mc, mc);
      // A static member (or anonymous Apex) calling an instance method of its own class by name.
      if (best && !best.isStatic && ctx.isStatic && scope === ctx.cls && !this.isAnonymous(ctx.cls))
        this.fail(`Non static method cannot be referenced from a static context: ${this.signatureText(best)}`, head);
      return this.returnOf(best);
    }
    if (!this.knowsAllMethods(ctx.cls)) return undefined;
    for (let scope: ClassDef | undefined = ctx.cls; scope; scope = scope.outer)
      if (scope.isException && (EXCEPTION_METHODS.has(key) || USER_OBJECT_METHODS.has(key))) return undefined;
    if (USER_OBJECT_METHODS.has(key)) return undefined;
    this.fail(`Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${ctx.cls.fullName}`, head);
  }

  private callOn(cls: ClassDef, name: string, args: Ty[], n: N, dmc: N, isStatic: boolean, ctx: Ctx): Ty {
    const key = name.toLowerCase();
    const at = rule(dmc, 'anyId');
    if (cls.kind === 'enum' && (key === 'values' || key === 'valueof' || key === 'name' || key === 'ordinal')) return undefined;
    if (cls.builtin) return undefined;
    const named = this.methodsNamed(cls, key);
    const cands = named.filter((m) => !isStatic || m.isStatic);
    if (!cands.length && named.length) {
      const best = this.bind(named, args, name, cls, n, at);
      if (best) this.fail(`Non static method cannot be referenced from a static context: ${this.signatureText(best)}`, at);
      return undefined;
    }
    if (cands.length) {
      const best = this.bind(cands, args, name, cls, n, at);
      if (best && !this.visible(best.cls, best.modifiers, best.annotations, ctx.cls)) this.fail(`Method is not visible: ${this.signatureText(best)}`, at);
      if (best && best.isStatic && !isStatic) this.fail(`Static method cannot be referenced from a non static context: ${this.signatureText(best)}`, at);
      return this.returnOf(best);
    }
    if (!this.knowsAllMethods(cls) || cls.isException || USER_OBJECT_METHODS.has(key)) return undefined;
    if (cls.kind === 'interface' || cls.modifiers.includes('abstract')) return undefined;
    this.fail(`Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${cls.fullName}`, rule(dmc, 'anyId'));
  }

  /** Methods named `key` in the class, its superclasses and (for abstract/interface types) interfaces. */
  private methodsNamed(cls: ClassDef, key: string): MethodDef[] {
    const out: MethodDef[] = [];
    const seen = new Set<ClassDef>();
    const walk = (c: ClassDef | undefined) => {
      if (!c || seen.has(c)) return;
      seen.add(c);
      out.push(...(c.methods.get(key) ?? []));
      walk(c.superClass);
      for (const i of c.interfaces) walk(i);
    };
    walk(cls);
    return out;
  }

  private knowsAllMethods(cls: ClassDef): boolean {
    const seen = new Set<ClassDef>();
    const known = (c: ClassDef | undefined): boolean => {
      if (!c || seen.has(c)) return true;
      seen.add(c);
      if (c.superRef && !c.superClass) return false;
      if (c.interfaceRefs.length !== c.interfaces.length) return false;
      return known(c.superClass) && c.interfaces.every(known);
    };
    for (let s: ClassDef | undefined = cls; s; s = s.outer) if (!known(s)) return false;
    return true;
  }

  /** Overload resolution by static types: the most specific fit wins; no fit, or two unrelated ones, is Salesforce's error. */
  private bind(cands: MethodDef[], args: Ty[], name: string, owner: ClassDef, siteNode: N, at: N): MethodDef | undefined {
    const byArity = cands.filter((m) => m.params.length === args.length);
    const best = this.closest(byArity, args, name, at);
    if (!best) {
      if ((byArity.length && args.some((a) => !a)) || !this.knowsAllMethods(owner)) return undefined;
      this.fail(`Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${owner.fullName}`, at);
    }
    if (byArity.length > 1) this.bindings.set(siteNode, signatureOf(best));
    return best;
  }

  private returnOf(m: MethodDef | undefined): Ty {
    return m?.returnType && m.returnType.name.toLowerCase() !== 'void' ? resolveStatic(this.program, m.returnType, m.cls) : undefined;
  }

  /** `void C.m(String, Integer)`, as Salesforce names a method in its messages. */
  private signatureText(m: MethodDef): string {
    const ret = m.returnType ? typeText({ ref: m.returnType }) : 'void';
    return `${ret} ${m.cls.fullName}.${m.name}(${m.params.map((p) => typeText({ ref: p.type })).join(', ')})`;
  }

  /** Anonymous Apex and trigger bodies: their statements run as one static block. */
  private isAnonymous(cls: ClassDef): boolean {
    return cls.fileName === 'AnonymousBlock' || cls.trigger;
  }

  /**
   * The overload for the arguments' static types: among those that fit, the one whose parameters all
   * fit every other's (String over Object for null). Two that fit and neither fits the other
   * (`f(String)` and `f(Boolean)` called with null) are ambiguous; where a type is unknown, the
   * closest fit wins instead.
   */
  private closest(cands: MethodDef[], args: Ty[], name?: string, at?: N): MethodDef | undefined {
    const params = (m: MethodDef) => m.params.map((p) => resolveStatic(this.program, p.type, m.cls));
    const fits: { m: MethodDef; score: number; ps: Ty[] }[] = [];
    for (const m of cands) {
      const ps = params(m);
      let score = 0;
      for (let i = 0; i < args.length && score >= 0; i++) {
        const d = fitDistance(args[i], ps[i]);
        score = d < 0 ? -1 : score + d;
      }
      if (score >= 0) fits.push({ m, score, ps });
    }
    if (fits.length <= 1) return fits[0]?.m;
    // a fits b: every parameter of a may be passed where b's is expected.
    const fitsInto = (a: Ty[], b: Ty[]) => a.every((p, i) => !illegalAssignment(p, b[i]));
    const maximal = fits.filter((a) => !fits.some((b) => b !== a && fitsInto(b.ps, a.ps) && !fitsInto(a.ps, b.ps)));
    const known = maximal.every((x) => x.ps.every((p, i) => surelyFits(args[i], p)));
    const unrelated = maximal.length > 1 && maximal.every((a) => maximal.every((b) => a === b || (!fitsInto(a.ps, b.ps) && !fitsInto(b.ps, a.ps))));
    if (known && unrelated && name && at) this.fail(`Ambiguous method signature: void ${name}(${args.map(typeText).join(', ')})`, at);
    return (maximal.length ? maximal : fits).reduce((x, y) => (y.score < x.score ? y : x)).m;
  }

  /**
   * A call on a system type: its declared signatures choose the overload and give the return type,
   * with the type variables T, K and V bound to the receiver's arguments (`List<String>.get` is a
   * String). On a type declared `complete`, a member it lacks, or arguments no signature takes, is
   * Salesforce's compile error; on another type an undeclared member is only warned about.
   */
  private nativeCall(recv: SType, name: string, args: Ty[], isStatic: boolean, at: N): Ty {
    const nt = natives.get(recv.ref.name.toLowerCase());
    if (!nt) return undefined;
    const key = name.toLowerCase();
    const side = isStatic ? 'statics' : 'methods';
    const sigs: Signature[] = nt.signatures?.[side].get(key) ?? [];
    const typeName = typeText(recv);
    if (!sigs.length) {
      if (nt.bare?.[side].has(key) || (!isStatic && OBJECT_METHODS.has(key))) return undefined;
      if (!nt.complete) {
        // An instance call runs on the value's own type, which may be a subtype (Cache.OrgPartition for a
        // Cache.Partition, a ListIterator for an Iterator): warn only when no system type has the method.
        const anywhere = !isStatic && [...natives.values()].some((t) => t.methods?.[key]);
        if (!nt[side]?.[key] && !anywhere) this.warn(`${nt.name}.${name}`, at);
        return undefined;
      }
      const other = nt.signatures?.[isStatic ? 'methods' : 'statics'].get(key)?.find((x) => x.params.length === args.length);
      if (other) {
        const sig = `${typeText({ ref: other.returns })} ${typeName.replace(/<.*$/, '')}.${other.name}(${other.params.map((p) => typeText({ ref: p })).join(', ')})`;
        this.fail(isStatic ? `Non static method cannot be referenced from a static context: ${sig}` : `Static method cannot be referenced from a non static context: ${sig}`, at);
      }
      this.fail(`Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${typeName}`, at);
    }
    const vars = this.typeVars(recv);
    const bound = (r: TypeRef): TypeRef | undefined => {
      if (/^[TKV]$/.test(r.name)) return vars.get(r.name);
      const a = r.args.map(bound);
      return a.every((x) => !!x) ? { ...r, args: a as TypeRef[] } : undefined;
    };
    const st = (r: TypeRef): Ty => {
      const b = bound(r);
      return b ? resolveStatic(this.program, b, undefined) : undefined;
    };
    let best: { sig: Signature; score: number } | undefined;
    for (const sig of sigs.filter((x) => x.params.length === args.length)) {
      let score = 0;
      for (let i = 0; i < args.length && score >= 0; i++) {
        const d = fitDistance(args[i], st(sig.params[i]));
        score = d < 0 ? -1 : score + d;
      }
      if (score >= 0 && (!best || score < best.score)) best = { sig, score };
    }
    if (!best) {
      if (nt.complete && args.every((a) => !!a) && !OBJECT_METHODS.has(key))
        this.fail(`Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${typeName}`, at);
      return undefined;
    }
    const ret = best.sig.returns;
    return ret.name.toLowerCase() === 'void' ? undefined : st(ret);
  }

  /** T of List<T> and Set<T>, K and V of Map<K, V>, from the receiver's static type. */
  private typeVars(recv: SType): Map<string, TypeRef> {
    const n = recv.ref.name.toLowerCase().replace(/^system\./, '');
    const a = recv.ref.args;
    if ((n === 'list' || n === 'set') && a[0]) return new Map([['T', a[0]]]);
    if (n === 'map' && a.length === 2) return new Map([['K', a[0]], ['V', a[1]]]);
    return new Map();
  }

  private creator(c: N, ctx: Ctx): Ty {
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
}
