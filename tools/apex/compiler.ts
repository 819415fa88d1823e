/**
 * Turns the ANTLR parse tree into ClassDefs whose bodies are async closures. Locals are resolved to
 * frame slots at compile time; everything that depends on other classes (names, overloads, types)
 * is resolved at run time and cached per call site, so classes compile independently.
 */
import { ExpressionContext, PrimaryContext } from '@apexdevtools/apex-parser';
import type { ParserRuleContext as N } from './parse.ts';
import { ClassDef, type Annotation, type Ex, type FieldDef, type MethodDef, type St } from './classModel.ts';
import type { Frame } from './frame.ts';
import { ApexList, ApexMap, ApexSet, Dec, EnumValue, TypeValue, type TypeRef } from './values.ts';
import { CompileError } from './errors.ts';
import * as ops from './ops.ts';

export interface Site {
  file: string;
  line: number;
  col: number;
  cls: ClassDef;
  /** Locals visible at the site (name → slot), kept for dynamic SOQL binds (Database.query). */
  locals?: Map<string, number>;
}

/** Builds an expression that also offers a synchronous evaluator (saves a microtask per node). */
function syncEx(fn: (f: Frame) => unknown): Ex {
  const ex = (async (f: Frame) => fn(f)) as Ex;
  ex.sync = fn;
  return ex;
}

/** Runs a statement and awaits only when it did not finish synchronously. */
async function runSt(st: St, f: Frame): Promise<number> {
  const r = st(f);
  return typeof r === 'number' ? r : await r;
}

const NORMAL = 0,
  BREAK = 1,
  CONTINUE = 2,
  RETURN = 3;

const cname = (n: N): string => n?.constructor?.name ?? '';
const kids = (n: N): N[] => n?.children ?? [];
const isTerm = (n: N): boolean => n && n.symbol !== undefined;
const ctxName = (name: string): string => name[0].toUpperCase() + name.slice(1) + 'Context';
/** `expression` and `primary` have labelled alternatives (DotExpressionContext …): match by class. */
const matcher = (name: string): ((c: N) => boolean) => {
  if (name === 'expression') return (c) => c instanceof ExpressionContext;
  if (name === 'primary') return (c) => c instanceof PrimaryContext;
  const want = ctxName(name);
  return (c) => cname(c) === want;
};
function rule(n: N, name: string): N | undefined {
  const m = matcher(name);
  for (const c of kids(n)) if (m(c)) return c;
  return undefined;
}
function rules(n: N, name: string): N[] {
  return kids(n).filter(matcher(name));
}
function hasTok(n: N, text: string): boolean {
  const t = text.toLowerCase();
  return kids(n).some((c: N) => isTerm(c) && c.getText().toLowerCase() === t);
}
const text = (n: N): string => n.getText();

/** Unescapes an Apex string literal including the quotes. */
export function unescapeApex(lit: string): string {
  const body = lit.startsWith("'''") ? lit.slice(3, -3) : lit.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c[0] === 'u' && c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return c;
    }
  });
}

export function parseTypeRef(n: N): TypeRef {
  // typeRef: typeName (DOT typeName)* arraySubscripts
  const names = rules(n, 'typeName');
  const parts: string[] = [];
  let args: TypeRef[] = [];
  for (const tn of names) {
    const first = kids(tn)[0];
    parts.push(isTerm(first) ? first.getText() : text(first));
    const ta = rule(tn, 'typeArguments');
    if (ta) args = rules(rule(ta, 'typeList'), 'typeRef').map(parseTypeRef);
  }
  const subs = rule(n, 'arraySubscripts');
  const array = subs ? kids(subs).filter((c: N) => c.getText() === '[').length : 0;
  return normType({ name: parts.join('.'), args, array });
}

/** `String[]` is `List<String>`; keep one spelling. */
function normType(t: TypeRef): TypeRef {
  let r: TypeRef = { name: t.name, args: t.args, array: 0 };
  for (let i = 0; i < t.array; i++) r = { name: 'List', args: [r], array: 0 };
  const low = r.name.toLowerCase();
  if (low === 'list' || low === 'set' || low === 'map') r.name = low[0].toUpperCase() + low.slice(1);
  return r;
}

function parseAnnotation(n: N, evalConst: (e: N) => unknown): Annotation {
  const name = text(rule(n, 'qualifiedName') ?? rule(n, 'id')).toLowerCase();
  const params: Record<string, unknown> = {};
  const pairs = rule(n, 'elementValuePairs');
  if (pairs)
    for (const p of rules(pairs, 'elementValuePair'))
      params[text(rule(p, 'id')).toLowerCase()] = evalConst(rule(p, 'elementValue'));
  const single = rule(n, 'elementValue');
  if (single) params[''] = evalConst(single);
  return { name, params };
}

function constValue(n: N): unknown {
  const t = n.getText();
  if (/^'.*'$/s.test(t)) return unescapeApex(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^\d+$/.test(t)) return Number(t);
  return t;
}

interface Modifiers {
  mods: string[];
  annotations: Annotation[];
}
function parseModifiers(list: N[]): Modifiers {
  const mods: string[] = [];
  const annotations: Annotation[] = [];
  for (const m of list) {
    const a = rule(m, 'annotation');
    if (a) annotations.push(parseAnnotation(a, constValue));
    else mods.push(kids(m).map((c: N) => c.getText().toLowerCase()).join(' '));
  }
  return { mods, annotations };
}

/** Per-method compile state: block scopes of local names → slot. */
class Scope {
  scopes: Map<string, number>[] = [new Map()];
  nSlots = 0;
  slotTypes: (TypeRef | undefined)[] = [];
  constructor(
    readonly cls: ClassDef,
    readonly methodName: string,
    readonly isStatic: boolean,
  ) {}
  push(): void {
    this.scopes.push(new Map());
  }
  pop(): void {
    this.scopes.pop();
  }
  declare(name: string, type?: TypeRef): number {
    const slot = this.nSlots++;
    this.slotTypes[slot] = type;
    this.scopes[this.scopes.length - 1].set(name.toLowerCase(), slot);
    return slot;
  }
  lookup(name: string): number | undefined {
    const k = name.toLowerCase();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i].get(k);
      if (s !== undefined) return s;
    }
    return undefined;
  }
}

interface LValue {
  get: Ex;
  set: (f: Frame, v: unknown) => Promise<void>;
  syncGet?: (f: Frame) => unknown;
  syncSet?: (f: Frame, v: unknown) => void;
}

export class Compiler {
  constructor(
    readonly fileName: string,
    readonly source: string,
  ) {}

  site(n: N, cls: ClassDef): Site {
    return { file: this.fileName, line: n.start?.line ?? 0, col: (n.start?.column ?? 0) + 1, cls };
  }

  // ---------------------------------------------------------------- declarations

  compileUnit(tree: N): ClassDef {
    const td = rule(tree, 'typeDeclaration');
    if (!td) throw new CompileError('no type declaration', this.fileName, 1, 1);
    const m = parseModifiers(rules(td, 'modifier'));
    return this.compileTypeDecl(kids(td)[kids(td).length - 1], m, undefined);
  }

  /** Anonymous Apex: members go on a synthetic class, statements into its `execute` method. */
  compileAnonymous(tree: N): { cls: ClassDef; main: MethodDef } {
    const cls = new ClassDef('AnonymousBlock', this.fileName);
    cls.modifiers = ['without sharing'];
    const block = rule(tree, 'anonymousBlock');
    const stmts: (N | { anonymousLocal: N })[] = [];
    for (const mem of rules(block, 'anonymousBlockMember')) {
      const st = rule(mem, 'statement');
      if (st) {
        stmts.push(st);
        continue;
      }
      const mods = parseModifiers(rules(mem, 'modifier'));
      const decl = kids(rule(mem, 'anonymousMemberDeclaration'))[0];
      // `Integer x = 1;` at the top of anonymous Apex is a local of the block, in statement order.
      if (cname(decl) === 'FieldDeclarationContext') {
        stmts.push({ anonymousLocal: decl });
        continue;
      }
      // Members of anonymous Apex are static (there is no instance of the block).
      if (!mods.mods.includes('static') && cname(decl) !== 'ClassDeclarationContext') mods.mods.push('static');
      this.compileMember(cls, decl, mods);
    }
    const scope = new Scope(cls, 'execute', true);
    const compiled: St[] = stmts.map((s) => {
      if (!('anonymousLocal' in s)) return this.stmt(s, scope);
      const decl = s.anonymousLocal;
      const line = decl.start.line;
      const col = decl.start.column + 1;
      cls.executableLines.add(line);
      const st = this.localVarDecl(decl, scope);
      return (f: Frame) => {
        f.tx.tick(cls, line, col);
        return st(f);
      };
    });
    const body: St = async (f) => {
      for (const c of compiled) {
        const r = await c(f);
        if (r !== NORMAL) return r;
      }
      return NORMAL;
    };
    const main: MethodDef = {
      name: 'execute',
      key: 'execute',
      params: [],
      returnType: null,
      isStatic: true,
      isAbstract: false,
      modifiers: [],
      annotations: [],
      cls,
      line: 1,
      nSlots: 0,
      body,
    };
    main.nSlots = scope.nSlots;
    return { cls, main };
  }

  compileTypeDecl(decl: N, m: Modifiers, outer: ClassDef | undefined): ClassDef {
    const kind = cname(decl);
    const name = text(rule(decl, 'id'));
    const cls = new ClassDef(name, this.fileName);
    cls.outer = outer;
    cls.modifiers = m.mods;
    cls.annotations = m.annotations;
    if (kind === 'ClassDeclarationContext') {
      const tr = rule(decl, 'typeRef');
      if (tr) cls.superRef = parseTypeRef(tr);
      const tl = rule(decl, 'typeList');
      if (tl) cls.interfaceRefs = rules(tl, 'typeRef').map(parseTypeRef);
      const body = rule(decl, 'classBody');
      for (const cbd of rules(body, 'classBodyDeclaration')) this.compileBodyDecl(cls, cbd);
      if (!cls.ctors.length) cls.ctors = [];
    } else if (kind === 'InterfaceDeclarationContext') {
      cls.kind = 'interface';
      const tl = rule(decl, 'typeList');
      if (tl) cls.interfaceRefs = rules(tl, 'typeRef').map(parseTypeRef);
      for (const im of rules(rule(decl, 'interfaceBody'), 'interfaceMethodDeclaration')) {
        const mm = parseModifiers(rules(im, 'modifier'));
        cls.addMethod(this.methodHeader(cls, im, mm, true));
      }
    } else if (kind === 'EnumDeclarationContext') {
      cls.kind = 'enum';
      const ec = rule(decl, 'enumConstants');
      cls.enumValues = ec ? rules(ec, 'id').map((i: N) => text(i)) : [];
    }
    return cls;
  }

  compileBodyDecl(cls: ClassDef, cbd: N): void {
    const block = rule(cbd, 'block');
    if (block) {
      const isStatic = hasTok(cbd, 'static');
      const scope = new Scope(cls, isStatic ? '<clinit>' : '<init>', isStatic);
      // init blocks share one slot space per class side
      scope.nSlots = isStatic ? cls.staticInitSlots : cls.instanceInitSlots;
      const st = this.block(block, scope);
      if (isStatic) {
        cls.staticInit.push({ block: st });
        cls.staticInitSlots = scope.nSlots;
      } else {
        cls.instanceInit.push({ block: st });
        cls.instanceInitSlots = scope.nSlots;
      }
      return;
    }
    const md = rule(cbd, 'memberDeclaration');
    if (!md) return;
    const mods = parseModifiers(rules(cbd, 'modifier'));
    this.compileMember(cls, kids(md)[0], mods);
  }

  compileMember(cls: ClassDef, decl: N, mods: Modifiers): void {
    const kind = cname(decl);
    const isStatic = mods.mods.includes('static');
    switch (kind) {
      case 'MethodDeclarationContext': {
        const m = this.methodHeader(cls, decl, mods, false);
        const block = rule(decl, 'block');
        if (block) this.methodBody(m, block);
        cls.addMethod(m);
        return;
      }
      case 'ConstructorDeclarationContext': {
        const m = this.methodHeader(cls, decl, mods, false);
        m.name = '<init>';
        m.key = '<init>';
        this.methodBody(m, rule(decl, 'block'), true);
        cls.ctors.push(m);
        return;
      }
      case 'ClassDeclarationContext':
      case 'InterfaceDeclarationContext':
      case 'EnumDeclarationContext': {
        const inner = this.compileTypeDecl(decl, mods, cls);
        cls.inner.set(inner.key, inner);
        return;
      }
      case 'FieldDeclarationContext': {
        const type = parseTypeRef(rule(decl, 'typeRef'));
        for (const vd of rules(rule(decl, 'variableDeclarators'), 'variableDeclarator')) {
          const name = text(rule(vd, 'id'));
          const f: FieldDef = {
            name,
            key: name.toLowerCase(),
            type,
            isStatic,
            isFinal: mods.mods.includes('final'),
            isTransient: mods.mods.includes('transient'),
            modifiers: mods.mods,
            annotations: mods.annotations,
            line: vd.start.line,
            isProperty: false,
          };
          const init = rule(vd, 'expression');
          if (init) {
            const scope = new Scope(cls, isStatic ? '<clinit>' : '<init>', isStatic);
            scope.nSlots = isStatic ? cls.staticInitSlots : cls.instanceInitSlots;
            f.init = this.expr(init, scope, type);
            cls.executableLines.add(vd.start.line);
            if (isStatic) cls.staticInitSlots = scope.nSlots;
            else cls.instanceInitSlots = scope.nSlots;
          }
          this.addField(cls, f);
        }
        return;
      }
      case 'PropertyDeclarationContext': {
        const type = parseTypeRef(rule(decl, 'typeRef'));
        const name = text(rule(decl, 'id'));
        const f: FieldDef = {
          name,
          key: name.toLowerCase(),
          type,
          isStatic,
          isFinal: false,
          isTransient: mods.mods.includes('transient'),
          modifiers: mods.mods,
          annotations: mods.annotations,
          line: decl.start.line,
          isProperty: true,
        };
        for (const pb of rules(decl, 'propertyBlock')) {
          const g = rule(pb, 'getter');
          const s = rule(pb, 'setter');
          const acc = g ?? s;
          const block = rule(acc, 'block');
          if (!block) continue; // auto accessor
          const m: MethodDef = {
            name: (g ? 'get' : 'set') + name,
            key: (g ? 'get_' : 'set_') + f.key,
            params: g ? [] : [{ name: 'value', type }],
            returnType: g ? type : null,
            isStatic,
            isAbstract: false,
            modifiers: mods.mods,
            annotations: [],
            cls,
            line: acc.start.line,
            nSlots: 0,
            propertyOf: f.key,
          };
          this.methodBody(m, block);
          if (g) f.getter = m;
          else f.setter = m;
        }
        this.addField(cls, f);
        return;
      }
    }
    throw new CompileError('unexpected member ' + kind, this.fileName, decl.start.line, decl.start.column + 1);
  }

  addField(cls: ClassDef, f: FieldDef): void {
    f.owner = cls;
    cls.fields.push(f);
    cls.fieldMap.set(f.key, f);
    (f.isStatic ? cls.staticInit : cls.instanceInit).push({ field: f });
  }

  methodHeader(cls: ClassDef, decl: N, mods: Modifiers, isInterface: boolean): MethodDef {
    const idn = rule(decl, 'id') ?? rule(decl, 'qualifiedName');
    const name = text(idn);
    const tr = rule(decl, 'typeRef');
    const params: { name: string; type: TypeRef }[] = [];
    const fpl = rule(rule(decl, 'formalParameters'), 'formalParameterList');
    if (fpl)
      for (const fp of rules(fpl, 'formalParameter'))
        params.push({ name: text(rule(fp, 'id')), type: parseTypeRef(rule(fp, 'typeRef')) });
    return {
      name,
      key: name.toLowerCase(),
      params,
      returnType: tr ? parseTypeRef(tr) : null,
      isStatic: mods.mods.includes('static'),
      isAbstract: isInterface || mods.mods.includes('abstract'),
      modifiers: mods.mods,
      annotations: mods.annotations,
      cls,
      line: decl.start.line,
      nSlots: 0,
    };
  }

  methodBody(m: MethodDef, block: N, isCtor = false): void {
    const scope = new Scope(m.cls, m.name, m.isStatic);
    for (const p of m.params) scope.declare(p.name, p.type);
    let stmts: N[] = rules(block, 'statement');
    if (isCtor && stmts.length) {
      const first = stmts[0];
      const es = rule(first, 'expressionStatement');
      const e = es && rule(es, 'expression');
      if (e && cname(e) === 'MethodCallExpressionContext') {
        const mc = rule(e, 'methodCall');
        const head = kids(mc)[0];
        if (isTerm(head) && /^(this|super)$/i.test(head.getText())) {
          const el = rule(mc, 'expressionList');
          m.delegate = {
            kind: head.getText().toLowerCase() as 'this' | 'super',
            args: el ? rules(el, 'expression').map((x: N) => this.expr(x, scope)) : [],
          };
          m.cls.executableLines.add(first.start.line);
          stmts = stmts.slice(1);
        }
      }
    }
    m.body = this.stmtList(stmts, scope);
    m.nSlots = scope.nSlots;
  }

  // ---------------------------------------------------------------- statements

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
            if (c === null) ops.throwNpe(f, site);
            if (c) return thenS(f);
            return elseS ? elseS(f) : NORMAL;
          };
        return async (f) => {
          const c = await cond(f);
          if (c === null) ops.throwNpe(f, site);
          if (c) return thenS(f);
          return elseS ? elseS(f) : NORMAL;
        };
      }
      case 'WhileStatementContext': {
        const cond = this.expr(rule(rule(n, 'parExpression'), 'expression'), scope);
        const st = rule(n, 'statement');
        const body = st ? this.scoped(st, scope) : async () => NORMAL;
        const sc = cond.sync;
        return async (f) => {
          while (sc ? sc(f) : await cond(f)) {
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
        return async (f) => {
          do {
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
          ops.throwValue(f, v, site);
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
        if (op === 'undelete' || op === 'merge') return this.unsupportedSt(op.toUpperCase() + ' statement', site);
        return async (f) => {
          const v = await exprs[0](f);
          await ops.dml(f, op as 'insert', v, { userMode, extField, allOrNone: true }, site);
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
          return ops.runAs(f, user, () => runSt(body, f), site);
        };
      }
    }
    return this.unsupportedSt(k.replace('Context', ''), this.site(n, cls));
  }

  unsupportedSt(what: string, site: Site): St {
    return async (f) => {
      ops.unsupported(f, what, site);
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
      if (ops.isPlainType(type))
        return async (f) => {
          f.locals[slot] = await init(f);
          return NORMAL;
        };
      return async (f) => {
        f.locals[slot] = ops.coerce(f, await init(f), type, site);
        return NORMAL;
      };
    }
    return async (f) => {
      for (const p of parts) f.locals[p.slot] = p.init ? ops.coerce(f, await p.init(f), type, site) : null;
      return NORMAL;
    };
  }

  forStmt(n: N, scope: Scope): St {
    const fc = rule(n, 'forControl');
    const st = rule(n, 'statement');
    scope.push();
    try {
      const efc = rule(fc, 'enhancedForControl');
      if (efc) {
        const type = parseTypeRef(rule(efc, 'typeRef'));
        const src = this.expr(rule(efc, 'expression'), scope);
        const slot = scope.declare(text(rule(efc, 'id')));
        const body = st ? this.scoped(st, scope) : async () => NORMAL;
        const site = this.site(n, scope.cls);
        const isListVar = type.name === 'List';
        return async (f) => {
          const coll = await src(f);
          const items = ops.iterate(f, coll, site);
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
        const handler = ops.matchCatch(f, err, catches, site);
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
          let t = text(wl).replace(/^\((.*)\)$/, '$1');
          if (/^'.*'$/s.test(t)) return unescapeApex(t);
          if (/^null$/i.test(t)) return null;
          t = t.replace(/[lL]$/, '');
          if (/^[-+\d]+$/.test(t)) return Number(t);
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
          if (v !== null && ops.instanceOf(f, v, arm.type, site)) {
            f.locals[arm.slot] = v;
            return arm.blk(f);
          }
          continue;
        }
        for (const w of arm.values) {
          if (w !== null && typeof w === 'object') {
            if (v instanceof EnumValue && v.name.toUpperCase() === w.enumName) return arm.blk(f);
          } else if (w === null ? v === null : ops.valueEquals(v instanceof Dec ? v.n : v, w, true)) return arm.blk(f);
        }
      }
      return NORMAL;
    };
  }

  // ---------------------------------------------------------------- expressions

  /** `expected` is the declared type the value flows into, used by SOQL single-row assignment. */
  expr(n: N, scope: Scope, expected?: TypeRef): Ex {
    const k = cname(n);
    const cls = scope.cls;
    switch (k) {
      case 'PrimaryExpressionContext':
        return this.primary(kids(n)[0], scope);
      case 'SubExpressionContext':
        return this.expr(rule(n, 'expression'), scope, expected);
      case 'DotExpressionContext':
        return this.dotExpr(n, scope);
      case 'MethodCallExpressionContext':
        return this.methodCall(rule(n, 'methodCall'), scope);
      case 'ArrayExpressionContext': {
        const [a, i] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
        const site = this.site(n, cls);
        return async (f) => ops.index(f, await a(f), await i(f), site);
      }
      case 'NewExpressionContext':
        return this.creator(rule(n, 'creator'), scope);
      case 'CastExpressionContext': {
        const type = parseTypeRef(rule(n, 'typeRef'));
        const e = this.expr(rule(n, 'expression'), scope);
        const site = this.site(n, cls);
        return async (f) => ops.cast(f, await e(f), type, site);
      }
      case 'InstanceOfExpressionContext': {
        const type = parseTypeRef(rule(n, 'typeRef'));
        const e = this.expr(rule(n, 'expression'), scope);
        const site = this.site(n, cls);
        return async (f) => {
          const v = await e(f);
          return v !== null && ops.instanceOf(f, v, type, site);
        };
      }
      case 'CondExpressionContext': {
        const [c, a, b] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
        const site = this.site(n, cls);
        if (c.sync && a.sync && b.sync) {
          const [cs, as, bs] = [c.sync, a.sync, b.sync];
          return syncEx((f) => {
            const cv = cs(f);
            if (cv === null) ops.throwNpe(f, site);
            return cv ? as(f) : bs(f);
          });
        }
        return async (f) => {
          const cv = await c(f);
          if (cv === null) ops.throwNpe(f, site);
          return cv ? a(f) : b(f);
        };
      }
      case 'CoalExpressionContext': {
        const [a, b] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
        if (a.sync && b.sync) {
          const [as, bs] = [a.sync, b.sync];
          return syncEx((f) => {
            const v = as(f);
            return v === null || v === undefined ? bs(f) : v;
          });
        }
        return async (f) => {
          const v = await a(f);
          return v === null || v === undefined ? b(f) : v;
        };
      }
      case 'LogAndExpressionContext':
      case 'LogOrExpressionContext': {
        const [a, b] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
        const isAnd = k === 'LogAndExpressionContext';
        const site = this.site(n, cls);
        if (a.sync && b.sync) {
          const [as, bs] = [a.sync, b.sync];
          return syncEx((f) => {
            const av = as(f);
            if (av === null) ops.throwNpe(f, site);
            if (isAnd ? !av : av) return av;
            const bv = bs(f);
            if (bv === null) ops.throwNpe(f, site);
            return bv;
          });
        }
        return async (f) => {
          const av = await a(f);
          if (av === null) ops.throwNpe(f, site);
          if (isAnd ? !av : av) return av;
          const bv = await b(f);
          if (bv === null) ops.throwNpe(f, site);
          return bv;
        };
      }
      case 'NegExpressionContext': {
        const e = this.expr(rule(n, 'expression'), scope);
        const op = kids(n)[0].getText();
        const site = this.site(n, cls);
        const neg = (f: Frame, v: unknown) => {
          if (v === null) ops.throwNpe(f, site);
          return op === '!' ? !v : ~(v as number);
        };
        const es = e.sync;
        if (es) return syncEx((f) => neg(f, es(f)));
        return async (f) => neg(f, await e(f));
      }
      case 'PreOpExpressionContext':
      case 'PostOpExpressionContext': {
        const en = rule(n, 'expression');
        const op = kids(n)[k === 'PreOpExpressionContext' ? 0 : 1].getText();
        const site = this.site(n, cls);
        if (op === '+' || op === '-') {
          const e = this.expr(en, scope);
          const es = e.sync;
          if (es) return syncEx((f) => (op === '-' ? ops.negate(f, es(f), site) : es(f)));
          return async (f) => {
            const v = await e(f);
            return op === '-' ? ops.negate(f, v, site) : v;
          };
        }
        const lv = this.lvalue(en, scope);
        const delta = op === '++' ? 1 : -1;
        const post = k === 'PostOpExpressionContext';
        if (lv.syncGet && lv.syncSet) {
          const [g, st] = [lv.syncGet, lv.syncSet];
          return syncEx((f) => {
            const old = g(f);
            if (old === null) ops.throwNpe(f, site);
            const nv = ops.arith(f, '+', old, delta, site);
            st(f, nv);
            return post ? old : nv;
          });
        }
        return async (f) => {
          const old = await lv.get(f);
          if (old === null) ops.throwNpe(f, site);
          const nv = ops.arith(f, '+', old, delta, site);
          await lv.set(f, nv);
          return post ? old : nv;
        };
      }
      case 'Arth1ExpressionContext':
      case 'Arth2ExpressionContext':
      case 'BitExpressionContext':
      case 'BitAndExpressionContext':
      case 'BitOrExpressionContext':
      case 'BitNotExpressionContext':
      case 'CmpExpressionContext':
      case 'EqualityExpressionContext': {
        const [a, b] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
        const op = kids(n)
          .filter(isTerm)
          .map((t: N) => t.getText())
          .join('');
        const site = this.site(n, cls);
        let fn: (f: Frame, x: unknown, y: unknown) => unknown;
        if (k === 'EqualityExpressionContext') {
          const neg = op === '!==' || op !== '==' && op !== '===';
          fn = op === '===' || op === '!==' ? (f, x, y) => ops.refEquals(x, y) !== neg : (f, x, y) => ops.valueEquals(x, y, false, f) !== neg;
        } else if (k === 'CmpExpressionContext') fn = (f, x, y) => ops.compare(f, op, x, y, site);
        else fn = (f, x, y) => ops.arith(f, op, x, y, site);
        if (a.sync && b.sync) {
          const [as, bs] = [a.sync, b.sync];
          return syncEx((f) => fn(f, as(f), bs(f)));
        }
        return async (f) => fn(f, await a(f), await b(f));
      }
      case 'AssignExpressionContext': {
        const [ln, rn] = rules(n, 'expression');
        const op = kids(n)[1].getText();
        const lv = this.lvalue(ln, scope);
        const r = this.expr(rn, scope);
        const site = this.site(n, cls);
        const bop = op.slice(0, -1);
        if (lv.syncGet && lv.syncSet && r.sync) {
          const [g, st, rs] = [lv.syncGet, lv.syncSet, r.sync];
          if (op === '=')
            return syncEx((f) => {
              const v = rs(f);
              st(f, v);
              return v;
            });
          return syncEx((f) => {
            const old = g(f);
            const rv = rs(f);
            if (old === null && !(bop === '+' && typeof rv === 'string')) ops.throwNpe(f, site);
            const nv = ops.arith(f, bop, old, rv, site);
            st(f, nv);
            return nv;
          });
        }
        if (op === '=')
          return async (f) => {
            const v = await r(f);
            await lv.set(f, v);
            return v;
          };
        return async (f) => {
          const old = await lv.get(f);
          const rv = await r(f);
          if (old === null && !(bop === '+' && typeof rv === 'string')) ops.throwNpe(f, site);
          const nv = ops.arith(f, bop, old, rv, site);
          await lv.set(f, nv);
          return nv;
        };
      }
    }
    const site = this.site(n, cls);
    return async (f) => ops.unsupported(f, k.replace('Context', ''), site);
  }

  primary(p: N, scope: Scope): Ex {
    const k = cname(p);
    const cls = scope.cls;
    const site = this.site(p, cls);
    switch (k) {
      case 'LiteralPrimaryContext':
        return this.literal(rule(p, 'literal'));
      case 'ThisPrimaryContext':
        return async (f) => f.self;
      case 'IdPrimaryContext': {
        const name = text(rule(p, 'id'));
        const slot = scope.lookup(name);
        if (slot !== undefined) return syncEx((f) => f.locals[slot]);
        return this.nameChain([name], scope, site);
      }
      case 'TypeRefPrimaryContext': {
        const type = parseTypeRef(rule(p, 'typeRef'));
        return async (f) => ops.typeValue(f, type, site);
      }
      case 'SoqlPrimaryContext':
        return this.soql(rule(p, 'soqlLiteral'), scope);
      case 'SuperPrimaryContext':
        return async (f) => f.self;
    }
    return async (f) => ops.unsupported(f, k.replace('PrimaryContext', '') === 'Sosl' ? 'SOSL' : k, site);
  }

  literal(l: N): Ex {
    const t = kids(l)[0];
    const s: string = t.getText();
    const type = t.symbol.type;
    let v: unknown;
    switch (type) {
      case 198: // IntegerLiteral
        v = Number(s);
        break;
      case 199: // LongLiteral
        v = Number(s.slice(0, -1));
        break;
      case 200: {
        // NumberLiteral
        const isDouble = /[dD]$/.test(s);
        const num = s.replace(/[dD]$/, '');
        const dot = num.indexOf('.');
        v = new Dec(Number(num), isDouble || dot < 0 ? undefined : num.length - dot - 1, isDouble);
        break;
      }
      case 201:
        v = s.toLowerCase() === 'true';
        break;
      case 202:
      case 203:
        v = unescapeApex(s);
        break;
      default:
        v = null;
    }
    return syncEx(() => v);
  }

  /** Identifiers a.b.c whose head is not a local: fields, statics, types, resolved at run time. */
  nameChain(parts: string[], scope: Scope, site: Site): Ex {
    let cache: ops.NameResolution | undefined;
    return async (f) => {
      if (!cache) cache = ops.resolveName(f, parts, site);
      return ops.evalName(f, cache, parts, site);
    };
  }

  plainChain(n: N, scope: Scope): string[] | undefined {
    const k = cname(n);
    if (k === 'PrimaryExpressionContext') {
      const p = kids(n)[0];
      if (cname(p) !== 'IdPrimaryContext') return undefined;
      const name = text(rule(p, 'id'));
      if (scope.lookup(name) !== undefined) return undefined;
      return [name];
    }
    if (k === 'DotExpressionContext' && !rule(n, 'dotMethodCall') && !hasTok(n, '?.')) {
      const left = this.plainChain(rule(n, 'expression'), scope);
      if (!left) return undefined;
      return [...left, text(rule(n, 'anyId'))];
    }
    return undefined;
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
      const left = this.expr(leftN, scope);
      const name = text(rule(n, 'anyId'));
      return async (f) => {
        const t = await left(f);
        if (t === null && safe) return null;
        return ops.getMember(f, t, name, site);
      };
    }
    const mname = text(rule(dmc, 'anyId'));
    if (/^(query|countquery|getquerylocator)$/i.test(mname)) site.locals = new Map(scope.scopes.flatMap((m) => [...m]));
    const el = rule(dmc, 'expressionList');
    const args: Ex[] = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
    const evalArgs = async (f: Frame): Promise<unknown[]> => {
      const out = new Array(args.length);
      for (let i = 0; i < args.length; i++) out[i] = await args[i](f);
      return out;
    };
    if (this.isSuper(leftN)) {
      return async (f) => ops.callSuper(f, mname, await evalArgs(f), site);
    }
    const chain = this.plainChain(leftN, scope);
    if (chain) {
      let res: ops.NameResolution | undefined;
      return async (f) => {
        if (!res) res = ops.resolveName(f, chain, site);
        if (res.kind === 'type' && res.consumed === chain.length)
          return ops.callStatic(f, res.type, mname, await evalArgs(f), site);
        const t = await ops.evalName(f, res, chain, site);
        if (t === null && safe) return null;
        return ops.callMethod(f, t, mname, await evalArgs(f), site);
      };
    }
    const left = this.expr(leftN, scope);
    return async (f) => {
      const t = await left(f);
      if (t === null && safe) return null;
      return ops.callMethod(f, t, mname, await evalArgs(f), site);
    };
  }

  methodCall(mc: N, scope: Scope): Ex {
    const site = this.site(mc, scope.cls);
    const head = kids(mc)[0];
    const el = rule(mc, 'expressionList');
    const args: Ex[] = el ? rules(el, 'expression').map((e: N) => this.expr(e, scope)) : [];
    if (isTerm(head)) return async (f) => ops.unsupported(f, head.getText() + '(...) outside a constructor start', site);
    const name = text(head);
    return async (f) => {
      const out = new Array(args.length);
      for (let i = 0; i < args.length; i++) out[i] = await args[i](f);
      return ops.callUnqualified(f, name, out, site);
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
      return async (f) => ops.newCollection(f, type, [], site);
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
        return ops.newCollection(f, listType, vals, site);
      };
    }
    if (rk === 'MapCreatorRestContext') {
      const ps = rules(rest, 'mapCreatorRestPair').map((p: N) =>
        rules(p, 'expression').map((e: N) => this.expr(e, scope)),
      );
      return async (f) => {
        const m = ops.newCollection(f, type, [], site) as ApexMap;
        for (const [k, v] of ps) m.put(await k(f), await v(f));
        return m;
      };
    }
    if (rk === 'SetCreatorRestContext') {
      const items = rules(rest, 'expression').map((e: N) => this.expr(e, scope));
      return async (f) => {
        const vals = [];
        for (const e of items) vals.push(await e(f));
        return ops.newCollection(f, type, vals, site);
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
        return ops.newCollectionFrom(f, type, vals, site);
      };
    }
    // new Account(Name = 'x', Industry = 'y'): name=value pairs
    const isId = (e: N) => cname(e) === 'PrimaryExpressionContext' && cname(kids(e)[0]) === 'IdPrimaryContext';
    const named = exprs.length > 0 && exprs.every((e) => cname(e) === 'AssignExpressionContext' && kids(e)[1].getText() === '=' && isId(rule(e, 'expression')));
    if (named) {
      const pairsC = exprs.map((e) => {
        const [l, r] = rules(e, 'expression');
        return { field: text(l), value: this.expr(r, scope) };
      });
      return async (f) => {
        const vals: [string, unknown][] = [];
        for (const p of pairsC) vals.push([p.field, await p.value(f)]);
        return ops.newWithFields(f, type, vals, site);
      };
    }
    const a = exprs.map((e) => this.expr(e, scope));
    return async (f) => {
      const vals = [];
      for (const e of a) vals.push(await e(f));
      return ops.newObject(f, type, vals, site);
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
          type && !ops.isPlainType(type)
            ? (f: Frame, v: unknown) => {
                f.locals[slot] = ops.coerce(f, v, type, site);
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
      let res: ops.NameResolution | undefined;
      return {
        get: async (f) => {
          if (!res) res = ops.resolveName(f, chain, site);
          return ops.evalName(f, res, chain, site);
        },
        set: async (f, v) => {
          if (!res) res = ops.resolveName(f, chain, site);
          await ops.assignName(f, res, chain, v, site);
        },
      };
    }
    if (k === 'DotExpressionContext' && !rule(n, 'dotMethodCall')) {
      const left = this.expr(rule(n, 'expression'), scope);
      const name = text(rule(n, 'anyId'));
      return {
        get: async (f) => ops.getMember(f, await left(f), name, site),
        set: async (f, v) => ops.setMember(f, await left(f), name, v, site),
      };
    }
    if (k === 'ArrayExpressionContext') {
      const [a, i] = rules(n, 'expression').map((e: N) => this.expr(e, scope));
      return {
        get: async (f) => ops.index(f, await a(f), await i(f), site),
        set: async (f, v) => ops.setIndex(f, await a(f), await i(f), v, site),
      };
    }
    const e = this.expr(n, scope);
    return {
      get: e,
      set: async (f) => {
        ops.unsupported(f, 'assignment to ' + k.replace('Context', ''), site);
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
      const edits: Edit[] = [...binds.map((b) => ({ from: b.from, to: b.to, text: ':' + b.name })), ...extra].sort((a, b) => a.from - b.from || a.to - b.to);
      let out = '';
      let pos = start;
      for (const e of edits) {
        out += this.source.slice(pos, e.from) + e.text;
        pos = e.to + 1;
      }
      return out + this.source.slice(pos, stop + 1);
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
      if (testIds && isolated && ops.isTestDataObject(sobject)) {
        values['bind__testIds'] = [...testIds];
        return ops.runSoql(f, isolated, { userMode, binds: values, sobject, isCount }, site);
      }
      return ops.runSoql(f, soql, { userMode, binds: values, sobject, isCount }, site);
    };
  }
}

export { NORMAL, BREAK, CONTINUE, RETURN, TypeValue, ApexSet };
