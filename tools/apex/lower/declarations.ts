/**
 * Lowering of a class (or anonymous Apex) into a ClassDef whose members are closures. Locals are
 * resolved to frame slots here; names that depend on other classes are resolved at run time.
 */
import { ClassDef, type FieldDef, type MethodDef, type St } from '../model/classModel.ts';
import { CompileError } from '../errors.ts';
import { type Frame } from '../run/frame.ts';
import { type Modifiers, parseModifiers, parseTypeRef } from '../parse/syntax.ts';
import { NORMAL, Scope } from './scope.ts';
import { StatementLowering } from './statements.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { cname, hasTok, isTerm, kids, rule, rules, text } from '../parse/tree.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';

export class Lowering extends StatementLowering {
  compileUnit(tree: N): ClassDef {
    const td = rule(tree, 'typeDeclaration');
    if (!td) throw new CompileError('no type declaration', this.fileName, 1, 1);
    const m = parseModifiers(rules(td, 'modifier'));
    return this.compileTypeDecl(kids(td)[kids(td).length - 1], m, undefined);
  }

  /** Anonymous Apex: members go on a synthetic class, statements into its `execute` method. */
  compileAnonymous(tree: N, name = 'AnonymousBlock'): { cls: ClassDef; main: MethodDef } {
    const cls = new ClassDef(name, this.fileName);
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
      anonymousNodes: stmts,
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
      cls.initBlocks.push({ node: block, isStatic });
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
            f.initNode = init;
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
    m.node = block;
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

}
