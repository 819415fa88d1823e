/**
 * The compiled form of Apex types: a ClassDef per class/interface/enum with its members turned into
 * closures. ClassDefs are built once per program (a set of class sources) and hold no transaction
 * state; statics live in the Transaction.
 */
import { type TypeRef, typeRefToString } from './typeRef.ts';
import type { Frame } from '../run/frame.ts';
import type { Block, Expr, Stmt } from '../parse/ast.ts';

/**
 * A compiled expression; `sync` is set when it can be evaluated without awaiting (no calls, no I/O).
 * `plain`: its value is never an object whose class has its own equals/toString (a literal, a local
 * of a primitive or sObject type, an operator's result), so `==` and `+` need no Apex call.
 */
export type Ex = ((f: Frame) => Promise<unknown>) & { sync?: (f: Frame) => unknown; plain?: boolean; isNull?: boolean; isString?: boolean };
/** Statement result: 0 normal, 1 break, 2 continue, 3 return (value in frame.ret); sync when possible. */
export type St = (f: Frame) => Promise<number> | number;

export interface Annotation {
  name: string; // lower-case
  params: Record<string, unknown>; // lower-case keys; single value under ''
}

export interface MethodDef {
  name: string;
  key: string;
  params: { name: string; type: TypeRef }[];
  returnType: TypeRef | null;
  isStatic: boolean;
  isAbstract: boolean;
  modifiers: string[];
  annotations: Annotation[];
  cls: ClassDef;
  line: number;
  nSlots: number;
  body?: St;
  /** Constructors: explicit `this(...)` / `super(...)` as first statement. */
  /** `this(...)`/`super(...)` as a constructor's first statement; `signature` is the overload the checker bound. */
  delegate?: { kind: 'this' | 'super'; args: Ex[]; signature?: string };
  /** Implemented in TypeScript (system classes). */
  native?: (f: Frame, self: unknown, args: unknown[]) => Promise<unknown> | unknown;
  /** Set on property accessors: the field key they belong to. */
  propertyOf?: string;
  /** The body as a syntax tree (parse/ast.ts), for the check phase and lowering. */
  node?: Block;
  /** Anonymous Apex: its statements (top-level locals among them), in order. */
  anonymousNodes?: Stmt[];
}

export interface FieldDef {
  name: string;
  key: string;
  type: TypeRef;
  isStatic: boolean;
  isFinal: boolean;
  isTransient: boolean;
  modifiers: string[];
  annotations: Annotation[];
  line: number;
  init?: Ex;
  /** The initializer as a syntax tree, for the check phase and lowering. */
  initNode?: Expr;
  getter?: MethodDef;
  setter?: MethodDef;
  isProperty: boolean;
  /** Declaring class (set when added). */
  owner?: ClassDef;
}

/** An initializer block as declared (`node`), with its closure once lowered (`block`). */
export interface InitBlock {
  node: Block;
  isStatic: boolean;
  block?: St;
}

/** Static or instance initialization step, in source order. */
export type InitStep = { field: FieldDef } | InitBlock;

export class ClassDef {
  kind: 'class' | 'interface' | 'enum' = 'class';
  outer?: ClassDef;
  superRef?: TypeRef;
  interfaceRefs: TypeRef[] = [];
  superClass?: ClassDef;
  interfaces: ClassDef[] = [];
  linked = false;
  fields: FieldDef[] = [];
  fieldMap = new Map<string, FieldDef>();
  methods = new Map<string, MethodDef[]>();
  ctors: MethodDef[] = [];
  staticInit: InitStep[] = [];
  instanceInit: InitStep[] = [];
  /** Slots for locals of init blocks. */
  staticInitSlots = 0;
  instanceInitSlots = 0;
  /** Initializer blocks as parsed, for the check phase (the same objects as in staticInit/instanceInit). */
  initBlocks: InitBlock[] = [];
  inner = new Map<string, ClassDef>();
  enumValues: string[] = [];
  annotations: Annotation[] = [];
  modifiers: string[] = [];
  /** Lines holding statements, for coverage. */
  executableLines = new Set<number>();
  /** The body of an Apex trigger (stack traces say `Trigger.Name`). */
  trigger = false;
  /** True for built-in System exceptions and Exception itself. */
  builtin = false;
  /** Namespace prefix for built-ins, e.g. 'System' → getTypeName 'System.NullPointerException'. */
  namespace?: string;

  constructor(
    readonly name: string,
    readonly fileName: string,
  ) {}

  get key(): string {
    return this.name.toLowerCase();
  }

  /** Outer.Inner for inner classes. */
  get fullName(): string {
    return this.outer ? this.outer.fullName + '.' + this.name : this.name;
  }

  /** Name reported by getTypeName() and in stack traces. */
  get typeName(): string {
    return this.namespace ? this.namespace + '.' + this.fullName : this.fullName;
  }

  get isException(): boolean {
    for (let c: ClassDef | undefined = this; c; c = c.superClass) if (c.builtin && c.name === 'Exception') return true;
    return false;
  }

  hasAnnotation(name: string): boolean {
    return this.annotations.some((a) => a.name === name);
  }

  get isTest(): boolean {
    return this.hasAnnotation('istest');
  }

  sharing(): string | undefined {
    return this.modifiers.find((m) => m.endsWith('sharing'));
  }

  /** Instance fields of the whole hierarchy, base class first (JSON and toString order). */
  allInstanceFieldNames(): { key: string; display: string }[] {
    const chain: ClassDef[] = [];
    for (let c: ClassDef | undefined = this; c; c = c.superClass) chain.unshift(c);
    const out: { key: string; display: string }[] = [];
    for (const c of chain) for (const f of c.fields) if (!f.isStatic) out.push({ key: f.key, display: f.name });
    return out;
  }

  findField(key: string): FieldDef | undefined {
    for (let c: ClassDef | undefined = this; c; c = c.superClass) {
      const f = c.fieldMap.get(key);
      if (f) return f;
    }
    return undefined;
  }

  /** Is `this` the same as or a subtype of `other`? */
  isSubclassOf(other: ClassDef): boolean {
    const seen = new Set<ClassDef>();
    const walk = (c: ClassDef | undefined): boolean => {
      if (!c || seen.has(c)) return false;
      seen.add(c);
      if (c === other) return true;
      if (walk(c.superClass)) return true;
      return c.interfaces.some(walk);
    };
    return walk(this);
  }

  addMethod(m: MethodDef): void {
    const list = this.methods.get(m.key);
    if (list) list.push(m);
    else this.methods.set(m.key, [m]);
  }
}

/** Where a compiled node sits in its source: for stack traces, errors and dynamic SOQL binds. */
export interface Site {
  file: string;
  line: number;
  col: number;
  cls: ClassDef;
  /** Locals visible at the site (name → slot), kept for dynamic SOQL binds (Database.query). */
  locals?: Map<string, number>;
  /**
   * Set by the check phase on a call site: the parameter types (lower-case, comma-separated) of the
   * overload chosen by the arguments' static types; the runtime dispatches to that signature. On a
   * cast it is NUMERIC_CAST when the operand's static type is a number.
   */
  signature?: string;
}

/**
 * A cast site's binding when its operand is statically a number: `(Integer) aDecimal` and
 * `(Integer) Math.floor(x)` convert (truncating, as `intValue()` does), while `(Integer) anObject`
 * holding a Decimal throws TypeException.
 */
export const NUMERIC_CAST = 'numeric conversion';

/** The key a call site keeps for the overload the check phase chose: parameter types with their type arguments. */
export function signatureOf(m: MethodDef): string {
  return m.params.map((p) => typeRefToString(p.type).toLowerCase()).join(',');
}
