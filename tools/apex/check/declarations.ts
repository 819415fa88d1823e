/**
 * The declaration pass: a parsed class (or anonymous Apex) becomes a ClassDef with its members'
 * headers and their bodies as parsed, before anything is checked or lowered. The check phase reads
 * these; lower/ then turns the same bodies into closures.
 */
import { ClassDef, type FieldDef, type MethodDef } from '../model/classModel.ts';
import type { AnonymousUnit, CompilationUnit, Member, MethodDecl, Modifiers, TypeDecl } from '../parse/ast.ts';

export class Declarations {
  constructor(readonly fileName: string) {}

  declareUnit(tree: CompilationUnit): ClassDef {
    return this.typeDecl(tree.type, undefined);
  }

  /** Anonymous Apex: members go on a synthetic class, statements into its `execute` method. */
  declareAnonymous(tree: AnonymousUnit, name = 'AnonymousBlock'): { cls: ClassDef; main: MethodDef } {
    const cls = new ClassDef(name, this.fileName);
    cls.modifiers = ['without sharing'];
    for (const mem of tree.members) {
      // Members of anonymous Apex are static (there is no instance of the block).
      let mods = mem.kind === 'Initializer' ? undefined : mem.modifiers;
      if (mods && !mods.mods.includes('static') && mem.kind !== 'Class') mods = { ...mods, mods: [...mods.mods, 'static'] };
      this.member(cls, mem, mods);
    }
    const main: MethodDef = {
      anonymousNodes: tree.statements,
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

  private typeDecl(decl: TypeDecl, outer: ClassDef | undefined): ClassDef {
    const cls = new ClassDef(decl.name.name, this.fileName);
    cls.outer = outer;
    cls.modifiers = decl.modifiers.mods;
    cls.annotations = decl.modifiers.annotations;
    switch (decl.kind) {
      case 'Class':
        if (decl.superType) cls.superRef = decl.superType.ref;
        if (decl.interfaces.length) cls.interfaceRefs = decl.interfaces.map((t) => t.ref);
        for (const m of decl.members) this.member(cls, m, m.kind === 'Initializer' ? undefined : m.modifiers);
        break;
      case 'Interface':
        cls.kind = 'interface';
        if (decl.interfaces.length) cls.interfaceRefs = decl.interfaces.map((t) => t.ref);
        for (const im of decl.methods) cls.addMethod(this.methodHeader(cls, im, im.modifiers, true));
        break;
      case 'Enum':
        cls.kind = 'enum';
        cls.enumValues = decl.values;
        break;
    }
    return cls;
  }

  private member(cls: ClassDef, decl: Member, mods: Modifiers | undefined): void {
    const m0: Modifiers = mods ?? { mods: [], annotations: [] };
    const isStatic = m0.mods.includes('static');
    switch (decl.kind) {
      case 'Initializer': {
        const step = { node: decl.body, isStatic: decl.isStatic };
        cls.initBlocks.push(step);
        (step.isStatic ? cls.staticInit : cls.instanceInit).push(step);
        return;
      }
      case 'Method': {
        const m = this.methodHeader(cls, decl, m0, false);
        m.node = decl.body;
        cls.addMethod(m);
        return;
      }
      case 'Constructor': {
        const m = this.methodHeader(cls, decl, m0, false);
        m.name = '<init>';
        m.key = '<init>';
        m.node = decl.body;
        cls.ctors.push(m);
        return;
      }
      case 'Class':
      case 'Interface':
      case 'Enum': {
        const inner = this.typeDecl({ ...decl, modifiers: m0 }, cls);
        cls.inner.set(inner.key, inner);
        return;
      }
      case 'Field': {
        const type = decl.type.ref;
        for (const vd of decl.vars) {
          const name = vd.name.name;
          this.addField(cls, {
            name,
            key: name.toLowerCase(),
            type,
            isStatic,
            isFinal: m0.mods.includes('final'),
            isTransient: m0.mods.includes('transient'),
            modifiers: m0.mods,
            annotations: m0.annotations,
            line: vd.line,
            isProperty: false,
            initNode: vd.init,
          });
        }
        return;
      }
      case 'Property': {
        const type = decl.type.ref;
        const name = decl.name.name;
        const f: FieldDef = {
          name,
          key: name.toLowerCase(),
          type,
          isStatic,
          isFinal: false,
          isTransient: m0.mods.includes('transient'),
          modifiers: m0.mods,
          annotations: m0.annotations,
          line: decl.line,
          isProperty: true,
        };
        for (const [acc, g] of [
          [decl.getter, true],
          [decl.setter, false],
        ] as const) {
          if (!acc?.body) continue; // none, or an auto accessor
          const m: MethodDef = {
            name: (g ? 'get' : 'set') + name,
            key: (g ? 'get_' : 'set_') + f.key,
            params: g ? [] : [{ name: 'value', type }],
            returnType: g ? type : null,
            isStatic,
            isAbstract: false,
            modifiers: m0.mods,
            annotations: [],
            cls,
            line: acc.line,
            nSlots: 0,
            propertyOf: f.key,
            node: acc.body,
          };
          if (g) f.getter = m;
          else f.setter = m;
        }
        this.addField(cls, f);
        return;
      }
    }
  }

  private addField(cls: ClassDef, f: FieldDef): void {
    f.owner = cls;
    cls.fields.push(f);
    cls.fieldMap.set(f.key, f);
    (f.isStatic ? cls.staticInit : cls.instanceInit).push({ field: f });
  }

  private methodHeader(
    cls: ClassDef,
    decl: MethodDecl | Extract<Member, { kind: 'Constructor' }>,
    mods: Modifiers,
    isInterface: boolean,
  ): MethodDef {
    const name = decl.name.name;
    const returnType = decl.kind === 'Method' && decl.returnType ? decl.returnType.ref : null;
    return {
      name,
      key: name.toLowerCase(),
      params: decl.params.map((p) => ({ name: p.name, type: p.type.ref })),
      returnType,
      isStatic: mods.mods.includes('static'),
      isAbstract: isInterface || mods.mods.includes('abstract'),
      modifiers: mods.mods,
      annotations: mods.annotations,
      cls,
      line: decl.line,
      nSlots: 0,
    };
  }
}
