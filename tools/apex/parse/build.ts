/**
 * The tree builder's compilation units, members and statements (expressions: buildExpressions.ts).
 * With buildExpressions.ts, the only code that reads ANTLR's contexts: everything after parse/ reads
 * parse/ast.ts.
 */
import {
  type AnonymousUnitContext,
  BlockContext,
  BreakStatementContext,
  ClassDeclarationContext,
  type CompilationUnitContext,
  ConstructorDeclarationContext,
  ContinueStatementContext,
  DeleteStatementContext,
  DoWhileStatementContext,
  EnumDeclarationContext,
  ExpressionStatementContext,
  FieldDeclarationContext,
  ForStatementContext,
  type FormalParametersContext,
  IfStatementContext,
  InsertStatementContext,
  InterfaceDeclarationContext,
  type InterfaceMethodDeclarationContext,
  type LocalVariableDeclarationContext,
  LocalVariableDeclarationStatementContext,
  MergeStatementContext,
  MethodDeclarationContext,
  type ModifierContext,
  PropertyDeclarationContext,
  ReturnStatementContext,
  RunAsStatementContext,
  type StatementContext,
  SwitchStatementContext,
  ThrowStatementContext,
  TryStatementContext,
  UndeleteStatementContext,
  UpdateStatementContext,
  UpsertStatementContext,
  type VariableDeclaratorsContext,
  WhileStatementContext,
  type AnnotationContext,
  type ApexParserRuleContext as ParserRuleContext,
} from '@apexdevtools/apex-parser';
import type { Annotation } from '../model/classModel.ts';
import type {
  AnonymousUnit,
  Block,
  CompilationUnit,
  DmlOp,
  Expr,
  LocalVars,
  Member,
  MethodDecl,
  Modifiers,
  Param,
  Stmt,
  TypeDecl,
  VarDecl,
  WhenValue,
} from './ast.ts';
import { ExpressionBuilder, UnknownSyntaxNode, ident, posOf, typeNode } from './buildExpressions.ts';
import { unescapeApex } from './syntax.ts';

/** An annotation's element value as a constant: a string literal unescaped, true/false, a whole number, else its text. */
export function constValue(t: string): unknown {
  if (/^'.*'$/s.test(t)) return unescapeApex(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^\d+$/.test(t)) return Number(t);
  return t;
}

function annotation(a: AnnotationContext): Annotation {
  const params: Record<string, unknown> = {};
  for (const p of a.elementValuePairs()?.elementValuePair_list() ?? [])
    params[p.id().getText().toLowerCase()] = constValue(p.elementValue().getText());
  const single = a.elementValue();
  if (single) params[''] = constValue(single.getText());
  return { name: a.id().getText().toLowerCase(), params };
}

export function modifiers(list: ModifierContext[]): Modifiers {
  const mods: string[] = [];
  const annotations: Annotation[] = [];
  for (const m of list) {
    const a = m.annotation();
    if (a) annotations.push(annotation(a));
    else mods.push((m.children ?? []).map((c) => c.getText().toLowerCase()).join(' '));
  }
  return { mods, annotations };
}

const DML: [new (...a: never[]) => ParserRuleContext, DmlOp][] = [
  [InsertStatementContext, 'insert'],
  [UpdateStatementContext, 'update'],
  [DeleteStatementContext, 'delete'],
  [UpsertStatementContext, 'upsert'],
  [UndeleteStatementContext, 'undelete'],
  [MergeStatementContext, 'merge'],
];

export class TreeBuilder extends ExpressionBuilder {
  unit(ctx: CompilationUnitContext): CompilationUnit {
    const td = ctx.typeDeclaration();
    const decl = td.getChild(td.getChildCount() - 1) as ParserRuleContext;
    return { kind: 'CompilationUnit', type: this.typeDecl(decl, modifiers(td.modifier_list())) };
  }

  anonymous(ctx: AnonymousUnitContext): AnonymousUnit {
    const statements: Stmt[] = [];
    const members: Member[] = [];
    for (const mem of ctx.anonymousBlock().anonymousBlockMember_list()) {
      const st = mem.statement();
      if (st) {
        statements.push(this.stmt(st));
        continue;
      }
      const decl = mem.anonymousMemberDeclaration().getChild(0) as ParserRuleContext;
      // `Integer x = 1;` at the top of anonymous Apex is a local of the block, in statement order.
      if (decl instanceof FieldDeclarationContext)
        statements.push({ kind: 'LocalVars', ...posOf(decl), type: typeNode(decl.typeRef()), vars: this.vars(decl.variableDeclarators()) });
      else members.push(this.member(decl, modifiers(mem.modifier_list())));
    }
    return { kind: 'AnonymousUnit', statements, members };
  }

  private typeDecl(decl: ParserRuleContext, m: Modifiers): TypeDecl {
    const at = posOf(decl);
    if (decl instanceof ClassDeclarationContext) {
      const members: Member[] = [];
      for (const cbd of decl.classBody().classBodyDeclaration_list()) {
        const block = cbd.block();
        if (block) members.push({ kind: 'Initializer', ...posOf(cbd), isStatic: !!cbd.STATIC(), body: this.block(block) });
        const md = cbd.memberDeclaration();
        if (md) members.push(this.member(md.getChild(0) as ParserRuleContext, modifiers(cbd.modifier_list())));
      }
      const sup = decl.typeRef();
      return {
        kind: 'Class',
        ...at,
        name: ident(decl.id()),
        modifiers: m,
        superType: sup ? typeNode(sup) : undefined,
        interfaces: decl.typeList()?.typeRef_list().map(typeNode) ?? [],
        members,
      };
    }
    if (decl instanceof InterfaceDeclarationContext)
      return {
        kind: 'Interface',
        ...at,
        name: ident(decl.id()),
        modifiers: m,
        interfaces: decl.typeList()?.typeRef_list().map(typeNode) ?? [],
        methods: decl
          .interfaceBody()
          .interfaceMethodDeclaration_list()
          .map((im) => this.method(im, modifiers(im.modifier_list()))),
      };
    if (decl instanceof EnumDeclarationContext)
      return {
        kind: 'Enum',
        ...at,
        name: ident(decl.id()),
        modifiers: m,
        values:
          decl
            .enumConstants()
            ?.id_list()
            .map((i) => i.getText()) ?? [],
      };
    throw new UnknownSyntaxNode(decl, this.file);
  }

  private member(decl: ParserRuleContext, m: Modifiers): Member {
    if (decl instanceof MethodDeclarationContext) return this.method(decl, m);
    if (decl instanceof ConstructorDeclarationContext)
      return {
        kind: 'Constructor',
        ...posOf(decl),
        name: ident(decl.qualifiedName()),
        modifiers: m,
        params: this.params(decl.formalParameters()),
        body: this.block(decl.block()),
      };
    if (decl instanceof FieldDeclarationContext)
      return { kind: 'Field', ...posOf(decl), modifiers: m, type: typeNode(decl.typeRef()), vars: this.vars(decl.variableDeclarators()) };
    if (decl instanceof PropertyDeclarationContext) {
      const p: Member = { kind: 'Property', ...posOf(decl), modifiers: m, type: typeNode(decl.typeRef()), name: ident(decl.id()) };
      for (const pb of decl.propertyBlock_list()) {
        const acc = pb.getter() ?? pb.setter();
        const block = acc.block();
        const accessor = { ...posOf(acc), body: block ? this.block(block) : undefined };
        if (pb.getter()) p.getter = accessor;
        else p.setter = accessor;
      }
      return p;
    }
    if (decl instanceof ClassDeclarationContext || decl instanceof InterfaceDeclarationContext || decl instanceof EnumDeclarationContext)
      return this.typeDecl(decl, m);
    throw new UnknownSyntaxNode(decl, this.file);
  }

  private method(decl: MethodDeclarationContext | InterfaceMethodDeclarationContext, m: Modifiers): MethodDecl {
    const tr = decl.typeRef();
    const block = decl instanceof MethodDeclarationContext ? decl.block() : null;
    return {
      kind: 'Method',
      ...posOf(decl),
      name: ident(decl.id()),
      modifiers: m,
      returnType: tr ? typeNode(tr) : undefined,
      params: this.params(decl.formalParameters()),
      body: block ? this.block(block) : undefined,
    };
  }

  private params(fps: FormalParametersContext): Param[] {
    return (
      fps
        .formalParameterList()
        ?.formalParameter_list()
        .map((fp) => ({ name: fp.id().getText(), type: typeNode(fp.typeRef()) })) ?? []
    );
  }

  private vars(vds: VariableDeclaratorsContext): VarDecl[] {
    return vds.variableDeclarator_list().map((vd) => {
      const init = vd.expression();
      return { ...posOf(vd), name: ident(vd.id()), init: init ? this.expr(init) : undefined };
    });
  }

  block(b: BlockContext): Block {
    return { kind: 'Block', ...posOf(b), statements: b.statement_list().map((s) => this.stmt(s)) };
  }

  private localVars(lvd: LocalVariableDeclarationContext): LocalVars {
    return { kind: 'LocalVars', ...posOf(lvd), type: typeNode(lvd.typeRef()), vars: this.vars(lvd.variableDeclarators()) };
  }

  stmt(st: StatementContext): Stmt {
    const n = st.getChild(0) as ParserRuleContext;
    const at = posOf(n);
    const opt = (s: StatementContext | null) => (s ? this.stmt(s) : undefined);
    if (n instanceof ExpressionStatementContext) return { kind: 'ExpressionStmt', ...at, expr: this.expr(n.expression()) };
    if (n instanceof LocalVariableDeclarationStatementContext) return this.localVars(n.localVariableDeclaration());
    if (n instanceof BlockContext) return this.block(n);
    if (n instanceof IfStatementContext) {
      const [a, b] = n.statement_list();
      return { kind: 'If', ...at, cond: this.expr(n.parExpression().expression()), then: this.stmt(a), else: opt(b ?? null) };
    }
    if (n instanceof ReturnStatementContext) {
      const e = n.expression();
      return { kind: 'Return', ...at, value: e ? this.expr(e) : undefined };
    }
    if (n instanceof ForStatementContext) {
      const fc = n.forControl();
      const efc = fc.enhancedForControl();
      if (efc)
        return {
          kind: 'ForEach',
          ...at,
          type: typeNode(efc.typeRef()),
          name: ident(efc.id()),
          iterable: this.expr(efc.expression()),
          body: opt(n.statement()),
        };
      const fi = fc.forInit();
      const lvd = fi?.localVariableDeclaration();
      const ce = fc.expression();
      return {
        kind: 'For',
        ...at,
        init: lvd ? this.localVars(lvd) : fi ? this.list(fi.expressionList()) : undefined,
        cond: ce ? this.expr(ce) : undefined,
        update: this.list(fc.forUpdate()?.expressionList()),
        body: opt(n.statement()),
        mentionsBreak: !ce && n.getText().toLowerCase().includes('break'),
      };
    }
    if (n instanceof WhileStatementContext)
      return { kind: 'While', ...at, cond: this.expr(n.parExpression().expression()), body: opt(n.statement()) };
    if (n instanceof DoWhileStatementContext)
      return { kind: 'DoWhile', ...at, body: this.block(n.block()), cond: this.expr(n.parExpression().expression()) };
    if (n instanceof ThrowStatementContext) return { kind: 'Throw', ...at, value: this.expr(n.expression()) };
    if (n instanceof BreakStatementContext) return { kind: 'Break', ...at };
    if (n instanceof ContinueStatementContext) return { kind: 'Continue', ...at };
    if (n instanceof TryStatementContext) {
      const fb = n.finallyBlock();
      return {
        kind: 'Try',
        ...at,
        body: this.block(n.block()),
        catches: n.catchClause_list().map((cc) => ({
          ...posOf(cc),
          type: cc.qualifiedName().getText(),
          name: ident(cc.id()),
          body: this.block(cc.block()),
        })),
        finally: fb ? this.block(fb.block()) : undefined,
      };
    }
    if (n instanceof SwitchStatementContext)
      return {
        kind: 'Switch',
        ...at,
        subject: this.expr(n.expression()),
        whens: n.whenControl_list().map((wc) => {
          const wv = wc.whenValue();
          const tr = wv.typeRef();
          const value: WhenValue = wv.ELSE()
            ? { kind: 'else' }
            : tr
              ? { kind: 'type', type: typeNode(tr), name: ident(wv.id()) }
              : { kind: 'values', values: wv.whenLiteral_list().map((wl) => wl.getText()) };
          return { ...posOf(wc), value, body: this.block(wc.block()) };
        }),
      };
    if (n instanceof RunAsStatementContext)
      return { kind: 'RunAs', ...at, args: this.list(n.expressionList()), body: this.block(n.block()) };
    for (const [cls, op] of DML)
      if (n instanceof cls) {
        const d = n as InsertStatementContext;
        const exprs: Expr[] =
          n instanceof MergeStatementContext ? n.expression_list().map((e) => this.expr(e)) : [this.expr(d.expression())];
        const qn = n instanceof UpsertStatementContext ? n.qualifiedName() : null;
        return {
          kind: 'Dml',
          ...at,
          op,
          operands: exprs,
          userMode: /user/i.test(d.accessLevel()?.getText() ?? ''),
          externalId: qn ? qn.getText() : undefined,
        };
      }
    throw new UnknownSyntaxNode(n, this.file);
  }
}
