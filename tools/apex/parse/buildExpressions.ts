/**
 * The tree builder's expressions, type references and inline SOQL/SOSL: one walk over ANTLR's contexts
 * of Salesforce's grammar (@apexdevtools/apex-parser), each turned into a node of parse/ast.ts.
 * A grammar node the builder does not know is an internal error naming it (UnknownSyntaxNode).
 */
import {
  ArrayExpressionContext,
  ArrayCreatorRestContext,
  Arth1ExpressionContext,
  Arth2ExpressionContext,
  AssignExpressionContext,
  BitAndExpressionContext,
  BitExpressionContext,
  BitNotExpressionContext,
  BitOrExpressionContext,
  BoundExpressionContext,
  CastExpressionContext,
  ClassCreatorRestContext,
  CmpExpressionContext,
  CoalExpressionContext,
  CondExpressionContext,
  type CreatorContext,
  DotExpressionContext,
  EqualityExpressionContext,
  ExpressionContext,
  type ExpressionListContext,
  IdPrimaryContext,
  InstanceOfExpressionContext,
  type LiteralContext,
  LiteralPrimaryContext,
  LogAndExpressionContext,
  LogOrExpressionContext,
  MapCreatorRestContext,
  MethodCallExpressionContext,
  NegExpressionContext,
  NewExpressionContext,
  NoRestContext,
  PostOpExpressionContext,
  PreOpExpressionContext,
  type PrimaryContext,
  PrimaryExpressionContext,
  SetCreatorRestContext,
  type SoqlLiteralContext,
  SoqlPrimaryContext,
  type SoslLiteralContext,
  SoslPrimaryContext,
  SubExpressionContext,
  SuperPrimaryContext,
  ThisPrimaryContext,
  type TypeRefContext,
  TypeRefPrimaryContext,
  VoidPrimaryContext,
  type ApexParserRuleContext as ParserRuleContext,
} from '@apexdevtools/apex-parser';
import type { TypeRef } from '../model/typeRef.ts';
import { normType } from './syntax.ts';
import type { Bind, Binary, Expr, Ident, LiteralType, NewRest, Pos, Soql, Sosl, TypeNode } from './ast.ts';

/** A grammar node the builder has no case for: a bug of ours (a grammar update), never the user's. */
export class UnknownSyntaxNode extends Error {
  constructor(ctx: ParserRuleContext, file: string) {
    super(
      `internal error: the syntax tree builder does not know the grammar node ${ctx.constructor.name} ` +
        `(${file}:${ctx.start.line}:${ctx.start.column + 1}); add it to tools/apex/parse/ast.ts and parse/build*.ts`,
    );
    this.name = 'UnknownSyntaxNode';
  }
}

/** A context's start as a node position (1-based column). */
export const posOf = (ctx: ParserRuleContext): Pos => ({ line: ctx.start.line, column: ctx.start.column + 1 });

export const ident = (ctx: ParserRuleContext): Ident => ({ name: ctx.getText(), line: ctx.start.line, column: ctx.start.column + 1 });

/** The text of a context's own tokens (not its sub-rules), joined: an operator such as `>=` or `>>>`. */
function ownTokens(ctx: ParserRuleContext): string {
  let s = '';
  for (const c of ctx.children ?? []) if (!(c instanceof ExpressionContext)) s += c.getText();
  return s;
}

export function typeRef(ctx: TypeRefContext): TypeRef {
  // typeRef: typeName (DOT typeName)* arraySubscripts
  const parts: string[] = [];
  let args: TypeRef[] = [];
  for (const tn of ctx.typeName_list()) {
    const id = tn.id();
    parts.push(id ? id.getText() : tn.getChild(0).getText());
    const ta = tn.typeArguments();
    if (ta) args = ta.typeList().typeRef_list().map(typeRef);
  }
  const array = ctx.arraySubscripts()?.LBRACK_list().length ?? 0;
  return normType({ name: parts.join('.'), args, array });
}

export const typeNode = (ctx: TypeRefContext): TypeNode => ({ ...posOf(ctx), ref: typeRef(ctx) });

export class ExpressionBuilder {
  constructor(readonly file: string) {}

  list(el: ExpressionListContext | null | undefined): Expr[] {
    return el ? el.expression_list().map((e) => this.expr(e)) : [];
  }

  expr(ctx: ExpressionContext): Expr {
    const at = posOf(ctx);
    if (ctx instanceof PrimaryExpressionContext) return this.primary(ctx.primary(), at);
    if (ctx instanceof DotExpressionContext) {
      const target = this.expr(ctx.expression());
      const safe = !!ctx.QUESTIONDOT();
      const dmc = ctx.dotMethodCall();
      if (dmc) return { kind: 'MethodCall', ...at, target, name: ident(dmc.anyId()), args: this.list(dmc.expressionList()), safe };
      return { kind: 'FieldAccess', ...at, target, name: ident(ctx.anyId()), safe };
    }
    if (ctx instanceof MethodCallExpressionContext) {
      const mc = ctx.methodCall();
      const args = this.list(mc.expressionList());
      const id = mc.id();
      if (id) return { kind: 'Call', ...posOf(mc), name: ident(id), args };
      return { kind: 'ConstructorCall', ...posOf(mc), target: mc.THIS() ? 'this' : 'super', args };
    }
    if (ctx instanceof Arth1ExpressionContext || ctx instanceof Arth2ExpressionContext) return this.binary(ctx, 'Arithmetic', at);
    if (ctx instanceof EqualityExpressionContext) return this.binary(ctx, 'Equality', at);
    if (ctx instanceof CmpExpressionContext) return this.binary(ctx, 'Comparison', at);
    if (ctx instanceof LogAndExpressionContext || ctx instanceof LogOrExpressionContext) return this.binary(ctx, 'Logical', at);
    if (
      ctx instanceof BitExpressionContext ||
      ctx instanceof BitAndExpressionContext ||
      ctx instanceof BitOrExpressionContext ||
      ctx instanceof BitNotExpressionContext
    )
      return this.binary(ctx, 'Bitwise', at);
    if (ctx instanceof AssignExpressionContext) {
      const [l, r] = ctx.expression_list();
      return { kind: 'Assign', ...at, op: ctx.getChild(1).getText(), target: this.expr(l), value: this.expr(r) };
    }
    if (ctx instanceof NewExpressionContext) return this.creator(ctx.creator(), at);
    if (ctx instanceof SubExpressionContext) return { kind: 'Paren', ...at, expr: this.expr(ctx.expression()) };
    if (ctx instanceof ArrayExpressionContext) {
      const [a, i] = ctx.expression_list();
      return { kind: 'Index', ...at, target: this.expr(a), index: this.expr(i) };
    }
    if (ctx instanceof CastExpressionContext)
      return { kind: 'Cast', ...at, type: typeNode(ctx.typeRef()), expr: this.expr(ctx.expression()) };
    if (ctx instanceof InstanceOfExpressionContext)
      return { kind: 'InstanceOf', ...at, expr: this.expr(ctx.expression()), type: typeNode(ctx.typeRef()) };
    if (ctx instanceof CondExpressionContext) {
      const [c, a, b] = ctx.expression_list().map((e) => this.expr(e));
      return { kind: 'Conditional', ...at, cond: c, then: a, else: b };
    }
    if (ctx instanceof CoalExpressionContext) {
      const [a, b] = ctx.expression_list().map((e) => this.expr(e));
      return { kind: 'Coalesce', ...at, left: a, right: b };
    }
    if (ctx instanceof NegExpressionContext)
      return { kind: 'Negation', ...at, op: ctx.BANG() ? '!' : '~', expr: this.expr(ctx.expression()) };
    if (ctx instanceof PreOpExpressionContext)
      return { kind: 'Prefix', ...at, op: ctx.getChild(0).getText() as '+' | '-' | '++' | '--', expr: this.expr(ctx.expression()) };
    if (ctx instanceof PostOpExpressionContext)
      return { kind: 'Postfix', ...at, op: ctx.INC() ? '++' : '--', expr: this.expr(ctx.expression()) };
    throw new UnknownSyntaxNode(ctx, this.file);
  }

  private binary(ctx: ParserRuleContext & { expression_list(): ExpressionContext[] }, kind: Binary['kind'], at: Pos): Binary {
    const [a, b] = ctx.expression_list();
    return { kind, ...at, op: ownTokens(ctx), left: this.expr(a), right: this.expr(b) };
  }

  private primary(p: PrimaryContext, at: Pos): Expr {
    // A primary's node keeps the primary's position (lowering's sites and the checker's errors point there).
    const pp = posOf(p);
    void at;
    if (p instanceof IdPrimaryContext) return { kind: 'Name', ...pp, name: p.id().getText() };
    if (p instanceof LiteralPrimaryContext) return this.literal(p.literal(), pp);
    if (p instanceof ThisPrimaryContext) return { kind: 'This', ...pp };
    if (p instanceof SuperPrimaryContext) return { kind: 'Super', ...pp };
    if (p instanceof TypeRefPrimaryContext) return { kind: 'TypeLiteral', ...pp, type: typeNode(p.typeRef()) };
    if (p instanceof SoqlPrimaryContext) return this.soql(p.soqlLiteral(), pp);
    if (p instanceof SoslPrimaryContext) return this.sosl(p.soslLiteral(), pp);
    if (p instanceof VoidPrimaryContext) return { kind: 'VoidClass', ...pp };
    throw new UnknownSyntaxNode(p, this.file);
  }

  private literal(l: LiteralContext, at: Pos): Expr {
    const text = l.getText();
    const type: LiteralType = l.IntegerLiteral()
      ? 'Integer'
      : l.LongLiteral()
        ? 'Long'
        : l.NumberLiteral()
          ? 'Number'
          : l.BooleanLiteral()
            ? 'Boolean'
            : l.StringLiteral() || l.MultilineStringLiteral()
              ? 'String'
              : 'Null';
    return { kind: 'Literal', ...at, type, text };
  }

  private creator(c: CreatorContext, at: Pos): Expr {
    const pairs = c.createdName().idCreatedNamePair_list();
    const name = pairs.map((p) => p.anyId().getText()).join('.');
    const tl = pairs[pairs.length - 1].typeList();
    const args = tl ? tl.typeRef_list().map(typeRef) : [];
    const type: TypeNode = { ...posOf(c), ref: normType({ name, args, array: 0 }) };
    const rest = c.getChild(1);
    let r: NewRest;
    if (rest instanceof NoRestContext) r = { kind: 'empty' };
    else if (rest instanceof ArrayCreatorRestContext) {
      const size = rest.expression();
      const items = rest.arrayInitializer()?.expression_list() ?? [];
      r = { kind: 'array', size: size ? this.expr(size) : undefined, items: items.map((e) => this.expr(e)) };
    } else if (rest instanceof MapCreatorRestContext)
      r = {
        kind: 'map',
        pairs: rest.mapCreatorRestPair_list().map((p) => {
          const [k, v] = p.expression_list();
          return [this.expr(k), this.expr(v)] as [Expr, Expr];
        }),
      };
    else if (rest instanceof SetCreatorRestContext) r = { kind: 'set', items: rest.expression_list().map((e) => this.expr(e)) };
    else if (rest instanceof ClassCreatorRestContext) r = { kind: 'args', args: this.list(rest.arguments().expressionList()) };
    else throw new UnknownSyntaxNode(rest as ParserRuleContext, this.file);
    return { kind: 'New', ...at, type, rest: r };
  }

  /** Every `:expr` bind under a context, in source order. */
  private binds(ctx: ParserRuleContext): Bind[] {
    const out: Bind[] = [];
    const walk = (n: ParserRuleContext): void => {
      if (n instanceof BoundExpressionContext) {
        out.push({ from: n.start.start, to: n.stop!.stop, expr: this.expr(n.expression()) });
        return;
      }
      for (const c of n.children ?? []) if (!('symbol' in c)) walk(c as ParserRuleContext);
    };
    walk(ctx);
    return out;
  }

  private soql(lit: SoqlLiteralContext, at: Pos): Soql {
    const q = lit.query();
    const from = q.fromNameList();
    const wh = q.whereClause();
    const cond = wh?.getChild(1) as ParserRuleContext | undefined;
    const anchor = q.usingScope() ?? from;
    const columns: Ident[] = [];
    for (const entry of q.selectList()?.selectEntry_list() ?? []) {
      const fn = entry.fieldName();
      if (fn && entry.getChildCount() === 1) columns.push(ident(fn));
    }
    return {
      kind: 'Soql',
      ...at,
      start: q.start.start,
      stop: q.stop!.stop,
      binds: this.binds(q),
      where: cond ? { start: cond.start.start, stop: cond.stop!.stop } : undefined,
      fromEnd: anchor ? anchor.stop!.stop : undefined,
      userMode: !!q.withClause()?.USER_MODE(),
      sobject: from ? from.getChild(0).getText() : undefined,
      columns,
    };
  }

  private sosl(lit: SoslLiteralContext, at: Pos): Sosl {
    return { kind: 'Sosl', ...at, start: lit.start.start, stop: lit.stop!.stop, binds: this.binds(lit) };
  }
}
