/**
 * Inline SOSL (`[FIND 'acme*' IN NAME FIELDS RETURNING Account(Id, Name WHERE Industry = :industry)]`):
 * the statement's text with each bound expression replaced by a `:name` bind, evaluated when it runs.
 */
import type { Ex } from '../model/classModel.ts';
import type { Scope } from './scope.ts';
import type { Sosl } from '../parse/ast.ts';
import { runSosl } from '../lib/sosl.ts';
import { sourceSlice } from './sourceText.ts';
import type { ExpressionLowering } from './expressions.ts';

export function lowerSosl(lx: ExpressionLowering, lit: Sosl, scope: Scope): Ex {
  const site = lx.site(lit, scope.cls);
  const binds = lit.binds.map((b, i) => ({ from: b.from, to: b.to, name: `sosl__${i}`, ex: lx.expr(b.expr, scope) }));
  let text = '';
  let pos: number = lit.start;
  for (const b of binds) {
    text += sourceSlice(lx.source, pos, b.from) + ':' + b.name;
    pos = b.to + 1;
  }
  text += sourceSlice(lx.source, pos, lit.stop + 1);
  // the brackets and comments are Apex's, not the statement's
  const sosl = text
    .replace(/'(?:\\.|[^'\\])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m.startsWith("'") ? m : ' '))
    .trim()
    .replace(/^\[/, '')
    .replace(/\]$/, '');
  const userMode = /\bWITH\s+USER_MODE\b/i.test(sosl);
  return async (f) => {
    const values: Record<string, unknown> = {};
    for (const b of binds) values[b.name] = await b.ex(f);
    return runSosl(f, sosl.replace(/\bWITH\s+(USER|SYSTEM)_MODE\b/gi, ' '), values, userMode, site);
  };
}
