/**
 * A checked set of Apex classes (an org's deployed classes, or the project's for local tests):
 * declares each source's types and members, links superclasses and interfaces, resolves type names
 * the way Apex does (model/names.ts), and checks every body. Nothing is lowered here: compiler.ts
 * lowers what this phase accepted; a deploy's check (local-platform) needs only this.
 */
import type { ClassDef, MethodDef } from '../model/classModel.ts';
import { builtinExceptions } from '../model/exceptions.ts';
import { parseTree } from '../parse/parse.ts';
import type { Expr } from '../parse/ast.ts';
import { readTriggerHeader, triggerBodyText } from '../parse/triggerSource.ts';
import { Checker, type SchemaOracle } from './checker.ts';
import { Declarations } from './declarations.ts';
import type { ApexClassSource } from '../host.ts';
import { CompileError } from '../errors.ts';
import { findType, type TypeTable } from '../model/names.ts';

export class Program implements TypeTable {
  readonly classes = new Map<string, ClassDef>();
  readonly errors: CompileError[] = [];
  /** Names the local runtime does not know: they deploy, and a run that reaches one fails. */
  readonly warnings: CompileError[] = [];
  /** Call sites (syntax nodes) bound by the check phase to the parameter types of their overload. */
  readonly bindings = new Map<Expr, string>();

  /**
   * Declares and checks every class; a class that fails to compile is reported, the rest still run.
   * `schema` (the org's custom fields, when the caller knows them) lets the check phase refuse unknown ones.
   */
  constructor(
    sources: ApexClassSource[],
    readonly schema?: SchemaOracle,
  ) {
    for (const s of sources) {
      try {
        const tree = parseTree(s.body, 'class', s.name + '.cls');
        const cls = new Declarations(s.name + '.cls').declareUnit(tree);
        this.classes.set(cls.key, cls);
      } catch (e) {
        if (e instanceof CompileError) this.errors.push(e);
        else throw e;
      }
    }
    for (const c of this.classes.values()) this.linkAll(c);
    const checker = new Checker(this, this.bindings);
    for (const c of this.classes.values()) checker.checkClass(c);
    this.errors.push(...checker.errors);
    this.warnings.push(...checker.warnings);
  }

  /**
   * Anonymous Apex (or a trigger's body, `name` its trigger) declared, linked and checked against this
   * program: its compile errors and warnings, and the call sites' overloads for lowering.
   */
  checkBlock(
    source: string,
    fileName: string,
    name?: string,
    trigger = false,
  ): { cls: ClassDef; main: MethodDef; bindings: Map<Expr, string>; errors: CompileError[]; warnings: CompileError[] } {
    const { cls, main } = this.declareBlock(source, fileName, name, trigger);
    const bindings = new Map<Expr, string>();
    const checker = new Checker(this, bindings);
    checker.checkAnonymous(cls, main);
    return { cls, main, bindings, errors: checker.errors, warnings: checker.warnings };
  }

  /** Anonymous Apex (or a trigger's body) declared and linked against this program, not checked. */
  declareBlock(source: string, fileName: string, name?: string, trigger = false): { cls: ClassDef; main: MethodDef } {
    const tree = parseTree(source, 'anonymous', fileName);
    const { cls, main } = new Declarations(fileName).declareAnonymous(tree, name);
    cls.trigger = trigger;
    this.linkAll(cls);
    return { cls, main };
  }

  /**
   * A trigger's body checked against this program as a class body is (its syntax is the deploy's own
   * check): compile errors, and warnings naming what the runtime does not know.
   */
  checkTrigger(name: string, source: string): { errors: CompileError[]; warnings: CompileError[] } {
    const parsed = readTriggerHeader(source);
    if ('error' in parsed) return { errors: [], warnings: [] };
    const { errors, warnings } = this.checkBlock(triggerBodyText(source, parsed.header), `${name}.trigger`, parsed.header.name, true);
    return { errors, warnings };
  }

  linkAll(c: ClassDef): void {
    this.link(c);
    for (const i of c.inner.values()) this.linkAll(i);
  }

  link(c: ClassDef): void {
    if (c.linked) return;
    c.linked = true;
    if (c.superRef) {
      const s = this.findClass(c.superRef.name, c.outer ?? c);
      // A qualified system supertype (VisualEditor.DynamicPickList) is unknown here, not invalid.
      if (!s && !c.superRef.name.includes('.')) this.errors.push(new CompileError(`Invalid type: ${c.superRef.name}`, c.fileName, 1, 1));
      else if (s) {
        this.link(s);
        c.superClass = s;
      }
    }
    for (const r of c.interfaceRefs) {
      const i = this.findClass(r.name, c.outer ?? c);
      if (i) {
        this.link(i);
        c.interfaces.push(i);
      }
    }
  }

  /** Apex class lookup from inside `from` (undefined for top level), case-insensitive: model/names.ts's rules. */
  findClass(name: string, from?: ClassDef): ClassDef | undefined {
    return findType(this, name, from);
  }

  builtin(lowerName: string): ClassDef | undefined {
    return builtinExceptions.get(lowerName);
  }

  /** All classes including inner ones. */
  *allClasses(): Generator<ClassDef> {
    const walk = function* (c: ClassDef): Generator<ClassDef> {
      yield c;
      for (const i of c.inner.values()) yield* walk(i);
    };
    for (const c of this.classes.values()) yield* walk(c);
  }
}
