/**
 * What every part of the check phase shares: the static types of locals (Locals, Ctx), the errors and
 * warnings it collects, and whether a declared type exists. checker.ts (declarations and statements),
 * checkExpressions.ts and checkCalls.ts build on it.
 */
import { type ClassDef } from '../model/classModel.ts';
import type { Expr, Pos } from '../parse/ast.ts';
import { CompileError } from '../errors.ts';
import { natives } from '../model/natives.ts';
import type { TypeRef } from '../model/typeRef.ts';
import type { Program } from './program.ts';
import { isSystemNamespace, systemTypeStatus } from '../model/catalogue.ts';
import { resolveStatic, type SType } from './staticTypes.ts';

export type Ty = SType | undefined;

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

export const NO_SUCH_COLUMN = (field: string, entity: string) =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

/** A position for a declaration the check phase has no syntax node of (a field without initializer). */
export const atLine = (line: number): Pos => ({ line, column: 1 });

/** Block scopes of one method body: local name → declared type. */
export class Locals {
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

export interface Ctx {
  cls: ClassDef;
  isStatic: boolean;
  locals: Locals;
  returnType?: Ty;
  /** A method declared `void` (a constructor, initializer or anonymous block is not). */
  isVoid?: boolean;
}

/** Apex methods every exception has (System.Exception's members). */
export const EXCEPTION_METHODS = new Set([
  'getmessage',
  'setmessage',
  'getcause',
  'initcause',
  'gettypename',
  'getlinenumber',
  'getstacktracestring',
  'tostring',
  'getdmlmessage',
  'getnumdml',
  'getdmltype',
  'getdmlfieldnames',
  'getdmlfields',
  'getdmlid',
  'getdmlindex',
  'getdmlstatuscode',
]);
export const OBJECT_METHODS = new Set(['tostring', 'equals', 'hashcode']);
/** An instance of an Apex class also has `clone()` (a shallow copy): apex-rollup and Query.apex call it and compile on Salesforce. */
export const USER_OBJECT_METHODS = new Set([...OBJECT_METHODS, 'clone']);
/** Salesforce's Apex namespaces (Apex Reference Guide): their types are never the project's. */
export const SYSTEM_NAMESPACES = new Set(
  'appLauncher approval auth cache canvas chatteranswers commercepayments commercetax communities compression connectapi database datasource datacloud datetime dataweave dom eventbus flow formula functions invocable kbmanagement lxscheduler messaging metadata process quickaction reports richmessaging schema search sfc site slack support system territorymgmt txnsecurity userprovisioning visualeditor wave'
    .toLowerCase()
    .split(' '),
);

export abstract class CheckerBase {
  readonly errors: CompileError[] = [];
  /** Names the local runtime does not know (not a compile error: they deploy, and fail if they run). */
  readonly warnings: CompileError[] = [];

  constructor(
    protected readonly program: Program,
    /** Call site (syntax node) → the chosen overload's parameter types, for lowering to bind. */
    protected readonly bindings: Map<Expr, string>,
  ) {}

  /** The first error of a member stops its check (as Salesforce reports one per location). */
  protected guard(cls: ClassDef, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof CompileError) this.errors.push(e);
      else throw e;
    }
  }

  protected ctx(cls: ClassDef, isStatic: boolean): Ctx {
    return { cls, isStatic, locals: new Locals() };
  }

  protected fail(message: string, n: Pos): never {
    throw new CompileError(message, this.currentFile, n.line, n.column);
  }

  /** Once per file and name: `X.m` is unknown to the local runtime, so a run that reaches it fails. */
  protected warn(what: string, n: Pos): void {
    const message = `not supported by the local runtime: ${what} (it deploys; running it fails)`;
    if (this.warnings.some((w) => w.fileName === this.currentFile && w.message === message)) return;
    this.warnings.push(new CompileError(message, this.currentFile, n.line, n.column));
  }

  protected currentFile = '';

  /** A declared type: `Invalid type: X` only where the program knows the type cannot exist. */
  protected declared(ref: TypeRef, from: ClassDef, at: Pos): Ty {
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
  protected checkTypeExists(ref: TypeRef, from: ClassDef, at: Pos): void {
    const problem = this.typeProblem(ref, from);
    if (problem === 'invalid') this.fail(`Invalid type: ${ref.name}`, at);
    if (problem === 'unsupported') this.warn(ref.name, at);
  }

  protected typeProblem(ref: TypeRef, from: ClassDef): 'invalid' | 'unsupported' | undefined {
    const parts = ref.name.split('.');
    if (parts.length > 1) {
      // Outer.Missing: the outer type is the project's, so its inner types are known in full.
      // A project class named like a system namespace (`Database`, `Approval`) does not hide it.
      const head = this.program.findClass(parts[0], from);
      if (
        head &&
        !head.builtin &&
        !SYSTEM_NAMESPACES.has(parts[0].toLowerCase()) &&
        !isSystemNamespace(parts[0]) &&
        !natives.has(parts[0].toLowerCase())
      )
        return 'invalid';
      if (head) return undefined;
    }
    // objects of the org and of packages: `X__c`, `ns__X__mdt`, `X__kav`…; objects a deploy knows
    if (ref.name.includes('__') || this.program.schema?.customFields(ref.name.replace(/^schema\./i, ''))) return undefined;
    return systemTypeStatus(ref.name) === 'unknown' ? 'invalid' : 'unsupported';
  }

  /** The static type of an expression (checkExpressions.ts). */
  protected abstract expr(n: Expr, ctx: Ctx): Ty;
}
