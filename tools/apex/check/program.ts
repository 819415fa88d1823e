/**
 * A compiled set of Apex classes (an org's deployed classes, or the project's for local tests):
 * compiles each source, links superclasses and interfaces, and resolves type names the way Apex
 * does (inner classes of the current class and its outers, then top-level classes, then System).
 */
import { type ClassDef, type MethodDef } from '../model/classModel.ts';
import { Lowering } from '../lower/declarations.ts';
import { builtinExceptions } from '../lib/exceptions.ts';
import { parseApex, sourceHash, type ParserRuleContext } from '../parse/parse.ts';
import { readTriggerHeader, triggerBodyText } from '../parse/triggerSource.ts';
import { Checker, type SchemaOracle } from './checker.ts';
import type { Site } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';
import type { ApexClassSource } from '../host.ts';
import { CompileError } from '../errors.ts';
import { findType, type TypeTable } from '../model/names.ts';

export class Program implements TypeTable {
  readonly classes = new Map<string, ClassDef>();
  readonly errors: CompileError[] = [];
  /** Names the local runtime does not know: they deploy, and a run that reaches one fails. */
  readonly warnings: CompileError[] = [];
  /** Call sites by parse node, bound to their overloads by the check phase. */
  readonly sites = new Map<ParserRuleContext, Site>();

  /**
   * Compiles every class; a class that fails to compile is reported, the rest still run. `schema`
   * (the org's custom fields, when the caller knows them) lets the check phase refuse unknown ones.
   */
  constructor(
    sources: ApexClassSource[],
    readonly schema?: SchemaOracle,
  ) {
    for (const s of sources) {
      try {
        const tree = parseApex(s.body, 'class', s.name + '.cls');
        const cls = new Lowering(s.name + '.cls', s.body, this.sites).compileUnit(tree);
        this.classes.set(cls.key, cls);
      } catch (e) {
        if (e instanceof CompileError) this.errors.push(e);
        else throw e;
      }
    }
    for (const c of this.classes.values()) this.linkAll(c);
    const checker = new Checker(this, this.sites);
    for (const c of this.classes.values()) checker.checkClass(c);
    this.errors.push(...checker.errors);
    this.warnings.push(...checker.warnings);
  }

  /** Anonymous Apex against this program: lowered, linked and checked; throws its first compile error. */
  /**
   * Compiled anonymous blocks of this program by source text: the same block run again (a tool's
   * anonymous-Apex view, `sf apex run` in a loop) skips parsing and checking, which took tens of
   * milliseconds. Its class is shared like the program's own; statics live per transaction.
   */
  private readonly anonymous = new Map<string, { cls: ClassDef; main: MethodDef }>();

  compileAnonymous(source: string): { cls: ClassDef; main: MethodDef } {
    const hit = this.anonymous.get(source);
    if (hit) return hit;
    const compiled = this.compileAnonymousNow(source);
    if (this.anonymous.size >= 100) this.anonymous.delete(this.anonymous.keys().next().value!);
    this.anonymous.set(source, compiled);
    return compiled;
  }

  private compileAnonymousNow(source: string): { cls: ClassDef; main: MethodDef } {
    const tree = parseApex(source, 'anonymous', 'AnonymousBlock');
    const sites = new Map<ParserRuleContext, Site>();
    const anon = new Lowering('AnonymousBlock', source, sites).compileAnonymous(tree);
    this.linkAll(anon.cls);
    const checker = new Checker(this, sites);
    checker.checkAnonymous(anon.cls, anon.main);
    if (checker.errors.length) throw checker.errors[0];
    return anon;
  }

  /**
   * A trigger's body checked against this program as a class body is (its syntax is the deploy's own
   * check): compile errors, and warnings naming what the runtime does not know.
   */
  checkTrigger(name: string, source: string): { errors: CompileError[]; warnings: CompileError[] } {
    const parsed = readTriggerHeader(source);
    if ('error' in parsed) return { errors: [], warnings: [] };
    const fileName = `${name}.trigger`;
    const text = triggerBodyText(source, parsed.header);
    const sites = new Map<ParserRuleContext, Site>();
    const { cls, main } = new Lowering(fileName, text, sites).compileAnonymous(parseApex(text, 'anonymous', fileName), parsed.header.name);
    cls.trigger = true;
    this.linkAll(cls);
    const checker = new Checker(this, sites);
    checker.checkAnonymous(cls, main);
    return { errors: checker.errors, warnings: checker.warnings };
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
      if (!s && !c.superRef.name.includes('.'))
        this.errors.push(new CompileError(`Invalid type: ${c.superRef.name}`, c.fileName, 1, 1));
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

const programCache = new Map<string, Program>();

/** Programs are cached by the hash of all their sources: deploys produce a new program. */
export function programFor(sources: ApexClassSource[]): Program {
  const key = sourceHash(
    [...sources]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => s.name + '\u0000' + s.body)
      .join('\u0001'),
  );
  let p = programCache.get(key);
  if (!p) {
    p = new Program(sources);
    if (programCache.size > 50) programCache.clear();
    programCache.set(key, p);
  }
  return p;
}

export type { MethodDef, TypeRef };
