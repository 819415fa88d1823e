/**
 * Our own syntax tree of Apex: what parse/ hands the later phases. parse/build*.ts builds it once from
 * Salesforce's grammar (the only code that reads ANTLR contexts); check/ and lower/ switch on `kind`.
 * Every node carries where it starts in its file (1-based line and column) for errors and stack traces.
 * To add a node: add its interface and its `kind` to the union here, build it in parse/build*.ts, then
 * let tsc's exhaustiveness errors (`never`) show each switch of check/ and lower/ that must handle it.
 */
import type { Annotation } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';

/** Where a node starts: 1-based line and column. */
export interface Pos {
  line: number;
  column: number;
}

/** A name as written, with its position. */
export interface Ident extends Pos {
  name: string;
}

/** A type reference as written (`List<String>`, `Outer.Inner[]`), normalized (`String[]` is `List<String>`). */
export interface TypeNode extends Pos {
  ref: TypeRef;
}

export interface Modifiers {
  /** Lower case, as written (`with sharing`, `public`, `static`). */
  mods: string[];
  annotations: Annotation[];
}

// ---------------------------------------------------------------- compilation units and members

export interface ClassDecl extends Pos {
  kind: 'Class';
  name: Ident;
  modifiers: Modifiers;
  superType?: TypeNode;
  interfaces: TypeNode[];
  members: Member[];
}

export interface InterfaceDecl extends Pos {
  kind: 'Interface';
  name: Ident;
  modifiers: Modifiers;
  /** `extends A, B` of an interface. */
  interfaces: TypeNode[];
  methods: MethodDecl[];
}

export interface EnumDecl extends Pos {
  kind: 'Enum';
  name: Ident;
  modifiers: Modifiers;
  values: string[];
}

export type TypeDecl = ClassDecl | InterfaceDecl | EnumDecl;

export interface Param {
  name: string;
  type: TypeNode;
}

export interface MethodDecl extends Pos {
  kind: 'Method';
  name: Ident;
  modifiers: Modifiers;
  /** Undefined for `void`. */
  returnType?: TypeNode;
  params: Param[];
  /** Undefined for an abstract or interface method. */
  body?: Block;
}

export interface ConstructorDecl extends Pos {
  kind: 'Constructor';
  name: Ident;
  modifiers: Modifiers;
  params: Param[];
  body: Block;
}

export interface VarDecl extends Pos {
  name: Ident;
  init?: Expr;
}

export interface FieldDecl extends Pos {
  kind: 'Field';
  modifiers: Modifiers;
  type: TypeNode;
  vars: VarDecl[];
}

export interface Accessor extends Pos {
  /** Undefined for an automatic accessor (`get;`). */
  body?: Block;
}

export interface PropertyDecl extends Pos {
  kind: 'Property';
  modifiers: Modifiers;
  type: TypeNode;
  name: Ident;
  getter?: Accessor;
  setter?: Accessor;
}

export interface InitializerDecl extends Pos {
  kind: 'Initializer';
  isStatic: boolean;
  body: Block;
}

export type Member = MethodDecl | ConstructorDecl | FieldDecl | PropertyDecl | InitializerDecl | TypeDecl;

export interface CompilationUnit {
  kind: 'CompilationUnit';
  type: TypeDecl;
}

/**
 * Anonymous Apex (and a trigger's body): statements in order, a top-level `Integer x = 1;` among them
 * as a local of the block, and member declarations (methods, classes) apart.
 */
export interface AnonymousUnit {
  kind: 'AnonymousUnit';
  statements: Stmt[];
  members: Member[];
}

// ---------------------------------------------------------------- statements

export interface Block extends Pos {
  kind: 'Block';
  statements: Stmt[];
}

export interface LocalVars extends Pos {
  kind: 'LocalVars';
  type: TypeNode;
  vars: VarDecl[];
}

export interface ExpressionStmt extends Pos {
  kind: 'ExpressionStmt';
  expr: Expr;
}

export interface If extends Pos {
  kind: 'If';
  cond: Expr;
  then: Stmt;
  else?: Stmt;
}

export interface While extends Pos {
  kind: 'While';
  cond: Expr;
  body?: Stmt;
}

export interface DoWhile extends Pos {
  kind: 'DoWhile';
  body: Block;
  cond: Expr;
}

export interface ForEach extends Pos {
  kind: 'ForEach';
  type: TypeNode;
  name: Ident;
  iterable: Expr;
  body?: Stmt;
}

export interface For extends Pos {
  kind: 'For';
  init?: LocalVars | Expr[];
  cond?: Expr;
  update: Expr[];
  body?: Stmt;
  /** The statement's text mentions `break` (a `for (;;)` without it never completes). */
  mentionsBreak: boolean;
}

export interface Return extends Pos {
  kind: 'Return';
  value?: Expr;
}

export interface Throw extends Pos {
  kind: 'Throw';
  value: Expr;
}

export interface Break extends Pos {
  kind: 'Break';
}

export interface Continue extends Pos {
  kind: 'Continue';
}

export interface Catch extends Pos {
  /** The exception type as written (`DmlException`, `System.QueryException`). */
  type: string;
  name: Ident;
  body: Block;
}

export interface Try extends Pos {
  kind: 'Try';
  body: Block;
  catches: Catch[];
  finally?: Block;
}

/** `when else`, `when Account a`, or `when 'a', 'b'` (each literal's text as written, without spaces). */
export type WhenValue = { kind: 'else' } | { kind: 'type'; type: TypeNode; name: Ident } | { kind: 'values'; values: string[] };

export interface When extends Pos {
  value: WhenValue;
  body: Block;
}

export interface Switch extends Pos {
  kind: 'Switch';
  subject: Expr;
  whens: When[];
}

export type DmlOp = 'insert' | 'update' | 'delete' | 'upsert' | 'undelete' | 'merge';

export interface Dml extends Pos {
  kind: 'Dml';
  op: DmlOp;
  /** One operand; `merge` has two. */
  operands: Expr[];
  /** `insert as user …`. */
  userMode: boolean;
  /** `upsert records External_Id__c`. */
  externalId?: string;
}

export interface RunAs extends Pos {
  kind: 'RunAs';
  args: Expr[];
  body: Block;
}

export type Stmt =
  | Block
  | LocalVars
  | ExpressionStmt
  | If
  | While
  | DoWhile
  | ForEach
  | For
  | Return
  | Throw
  | Break
  | Continue
  | Try
  | Switch
  | Dml
  | RunAs;

// ---------------------------------------------------------------- expressions

export type LiteralType = 'Integer' | 'Long' | 'Number' | 'Boolean' | 'String' | 'Null';

export interface Literal extends Pos {
  kind: 'Literal';
  type: LiteralType;
  /** As written (`'it''s'` with its quotes, `5L`, `1.50`). */
  text: string;
}

export interface Name extends Pos {
  kind: 'Name';
  name: string;
}

export interface This extends Pos {
  kind: 'This';
}

export interface Super extends Pos {
  kind: 'Super';
}

/** `Account.class`. */
export interface TypeLiteral extends Pos {
  kind: 'TypeLiteral';
  type: TypeNode;
}

/** `void.class`. */
export interface VoidClass extends Pos {
  kind: 'VoidClass';
}

/** A bind in inline SOQL or SOSL (`:expr`), by code-point offsets of the `:` and of the expression's end. */
export interface Bind {
  from: number;
  to: number;
  expr: Expr;
}

/** Inline SOQL: kept as source text (offsets into the file), with its binds and the parts lowering edits. */
export interface Soql extends Pos {
  kind: 'Soql';
  /** Code-point offsets of the query (inside the brackets), first and last character. */
  start: number;
  stop: number;
  binds: Bind[];
  /** The WHERE condition's first and last character. */
  where?: { start: number; stop: number };
  /** The last character of `USING SCOPE …`, else of the FROM list (where a WHERE clause would go). */
  fromEnd?: number;
  userMode: boolean;
  /** The first name of the FROM list as written. */
  sobject?: string;
  /** Selected plain fields (`Name`, `Account.Name`) as written. */
  columns: Ident[];
}

/** Inline SOSL: the whole literal's offsets (brackets included) and its binds. */
export interface Sosl extends Pos {
  kind: 'Sosl';
  start: number;
  stop: number;
  binds: Bind[];
}

export interface Paren extends Pos {
  kind: 'Paren';
  expr: Expr;
}

/** `a.b`, `a?.b`. */
export interface FieldAccess extends Pos {
  kind: 'FieldAccess';
  target: Expr;
  name: Ident;
  safe: boolean;
}

/** `a.m(…)`, `a?.m(…)`. */
export interface MethodCall extends Pos {
  kind: 'MethodCall';
  target: Expr;
  name: Ident;
  args: Expr[];
  safe: boolean;
}

/** `m(…)`. */
export interface Call extends Pos {
  kind: 'Call';
  name: Ident;
  args: Expr[];
}

/** `this(…)` or `super(…)`. */
export interface ConstructorCall extends Pos {
  kind: 'ConstructorCall';
  target: 'this' | 'super';
  args: Expr[];
}

export interface Index extends Pos {
  kind: 'Index';
  target: Expr;
  index: Expr;
}

/**
 * `new T…`: `type` is the created name (its position is the creator's); the rest says how.
 * `{}` (noRest), `[n]` or `[]{…}` (array), `{k => v}` (map), `{a, b}` (set or list), `(args)` (object).
 */
export type NewRest =
  | { kind: 'empty' }
  | { kind: 'array'; size?: Expr; items: Expr[] }
  | { kind: 'map'; pairs: [Expr, Expr][] }
  | { kind: 'set'; items: Expr[] }
  | { kind: 'args'; args: Expr[] };

export interface New extends Pos {
  kind: 'New';
  type: TypeNode;
  rest: NewRest;
}

export interface Cast extends Pos {
  kind: 'Cast';
  type: TypeNode;
  expr: Expr;
}

export interface InstanceOf extends Pos {
  kind: 'InstanceOf';
  expr: Expr;
  type: TypeNode;
}

export interface Conditional extends Pos {
  kind: 'Conditional';
  cond: Expr;
  then: Expr;
  else: Expr;
}

export interface Coalesce extends Pos {
  kind: 'Coalesce';
  left: Expr;
  right: Expr;
}

/** Binary operators by family; `op` is the operator as written (`>=`, `<<`, `>>>`, `<>`). */
export interface Binary extends Pos {
  kind: 'Arithmetic' | 'Bitwise' | 'Comparison' | 'Equality' | 'Logical';
  op: string;
  left: Expr;
  right: Expr;
}

/** `!x`, `~x`. */
export interface Negation extends Pos {
  kind: 'Negation';
  op: '!' | '~';
  expr: Expr;
}

/** `+x`, `-x`, `++x`, `--x`. */
export interface Prefix extends Pos {
  kind: 'Prefix';
  op: '+' | '-' | '++' | '--';
  expr: Expr;
}

export interface Postfix extends Pos {
  kind: 'Postfix';
  op: '++' | '--';
  expr: Expr;
}

/** `=`, `+=`, `<<=` … */
export interface Assign extends Pos {
  kind: 'Assign';
  op: string;
  target: Expr;
  value: Expr;
}

export type Expr =
  | Literal
  | Name
  | This
  | Super
  | TypeLiteral
  | VoidClass
  | Soql
  | Sosl
  | Paren
  | FieldAccess
  | MethodCall
  | Call
  | ConstructorCall
  | Index
  | New
  | Cast
  | InstanceOf
  | Conditional
  | Coalesce
  | Binary
  | Negation
  | Prefix
  | Postfix
  | Assign;

/** A node kind a switch did not handle: tsc reports the missing case where `x` is not `never`. */
export function unhandled(x: never): never {
  throw new Error(`internal error: syntax node ${(x as { kind?: string }).kind} not handled`);
}
