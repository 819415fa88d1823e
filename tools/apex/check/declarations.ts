/**
 * The declaration pass: a parsed class (or anonymous Apex) becomes a ClassDef with its members'
 * headers and their bodies as parsed, before anything is checked or lowered. The check phase reads
 * these; lower/ then turns the same bodies into closures.
 */
import { ClassDef, type FieldDef, type InitBlock, type MethodDef } from '../model/classModel.ts';
import { CompileError } from '../errors.ts';
import { type Modifiers, parseModifiers, parseTypeRef } from '../parse/syntax.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { cname, hasTok, kids, rule, rules, text } from '../parse/tree.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';

export class Declarations {
  constructor(readonly fileName: string) {}

  declareUnit(tree: N): ClassDef {
    const td = rule(tree, 'typeDeclaration');
    if (!td) throw new CompileError('no type declaration', this.fileName, 1, 1);
    const m = parseModifiers(rules(td, 'modifier'));
    return this.typeDecl(kids(td)[kids(td).length - 1], m, undefined);
  }

  /** Anonymous Apex: members go on a synthetic class, statements into its `execute` method. */
  declareAnonymous(tree: N, name = 'AnonymousBlock'): { cls: ClassDef; main: MethodDef } {
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
      this.member(cls, decl, mods);
    }
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
    };
    return { cls, main };
  }

  private typeDecl(decl: N, m: Modifiers, outer: ClassDef | undefined): ClassDef {
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
      for (const cbd of rules(body, 'classBodyDeclaration')) this.bodyDecl(cls, cbd);
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

  private bodyDecl(cls: ClassDef, cbd: N): void {
    const block = rule(cbd, 'block');
    if (block) {
      const step: InitBlock = { node: block, isStatic: hasTok(cbd, 'static') };
      cls.initBlocks.push(step);
      (step.isStatic ? cls.staticInit : cls.instanceInit).push(step);
      return;
    }
    const md = rule(cbd, 'memberDeclaration');
    if (!md) return;
    const mods = parseModifiers(rules(cbd, 'modifier'));
    this.member(cls, kids(md)[0], mods);
  }

  private member(cls: ClassDef, decl: N, mods: Modifiers): void {
    const kind = cname(decl);
    const isStatic = mods.mods.includes('static');
    switch (kind) {
      case 'MethodDeclarationContext': {
        const m = this.methodHeader(cls, decl, mods, false);
        m.node = rule(decl, 'block');
        cls.addMethod(m);
        return;
      }
      case 'ConstructorDeclarationContext': {
        const m = this.methodHeader(cls, decl, mods, false);
        m.name = '<init>';
        m.key = '<init>';
        m.node = rule(decl, 'block');
        cls.ctors.push(m);
        return;
      }
      case 'ClassDeclarationContext':
      case 'InterfaceDeclarationContext':
      case 'EnumDeclarationContext': {
        const inner = this.typeDecl(decl, mods, cls);
        cls.inner.set(inner.key, inner);
        return;
      }
      case 'FieldDeclarationContext': {
        const type = parseTypeRef(rule(decl, 'typeRef'));
        for (const vd of rules(rule(decl, 'variableDeclarators'), 'variableDeclarator')) {
          const name = text(rule(vd, 'id'));
          this.addField(cls, {
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
            initNode: rule(vd, 'expression'),
          });
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
            node: block,
          };
          if (g) f.getter = m;
          else f.setter = m;
        }
        this.addField(cls, f);
        return;
      }
    }
    throw new CompileError('unexpected member ' + kind, this.fileName, decl.start.line, decl.start.column + 1);
  }

  private addField(cls: ClassDef, f: FieldDef): void {
    f.owner = cls;
    cls.fields.push(f);
    cls.fieldMap.set(f.key, f);
    (f.isStatic ? cls.staticInit : cls.instanceInit).push({ field: f });
  }

  private methodHeader(cls: ClassDef, decl: N, mods: Modifiers, isInterface: boolean): MethodDef {
    const idn = rule(decl, 'id') ?? rule(decl, 'qualifiedName');
    const name = text(idn);
    const tr = rule(decl, 'typeRef');
    const params: { name: string; type: TypeRef }[] = [];
    const fpl = rule(rule(decl, 'formalParameters'), 'formalParameterList');
    if (fpl)
      for (const fp of rules(fpl, 'formalParameter')) params.push({ name: text(rule(fp, 'id')), type: parseTypeRef(rule(fp, 'typeRef')) });
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
}
