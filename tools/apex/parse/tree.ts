/** Walking ANTLR parse trees by rule name (the grammar's context classes are matched by name). */
import { ExpressionContext, PrimaryContext } from '@apexdevtools/apex-parser';
import type { ParserRuleContext as N } from './parse.ts';

export const cname = (n: N): string => n?.constructor?.name ?? '';
export const kids = (n: N): N[] => n?.children ?? [];
export const isTerm = (n: N): boolean => n && n.symbol !== undefined;
const ctxName = (name: string): string => name[0].toUpperCase() + name.slice(1) + 'Context';
/** `expression` and `primary` have labelled alternatives (DotExpressionContext …): match by class. */
const matcher = (name: string): ((c: N) => boolean) => {
  if (name === 'expression') return (c) => c instanceof ExpressionContext;
  if (name === 'primary') return (c) => c instanceof PrimaryContext;
  const want = ctxName(name);
  return (c) => cname(c) === want;
};
export function rule(n: N, name: string): N | undefined {
  const m = matcher(name);
  for (const c of kids(n)) if (m(c)) return c;
  return undefined;
}
export function rules(n: N, name: string): N[] {
  return kids(n).filter(matcher(name));
}
export function hasTok(n: N, text: string): boolean {
  const t = text.toLowerCase();
  return kids(n).some((c: N) => isTerm(c) && c.getText().toLowerCase() === t);
}
export const text = (n: N): string => n.getText();
