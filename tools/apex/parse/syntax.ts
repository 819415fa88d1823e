/** Declarations as written: type references, modifiers, annotations, literals. */
import type { Annotation } from '../model/classModel.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { isTerm, kids, rule, rules, text } from './tree.ts';
import type { ParserRuleContext as N } from '../parse/parse.ts';

/** Unescapes an Apex string literal including the quotes. */
export function unescapeApex(lit: string): string {
  const body = lit.startsWith("'''") ? lit.slice(3, -3) : lit.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c[0] === 'u' && c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return c;
    }
  });
}

export function parseTypeRef(n: N): TypeRef {
  // typeRef: typeName (DOT typeName)* arraySubscripts
  const names = rules(n, 'typeName');
  const parts: string[] = [];
  let args: TypeRef[] = [];
  for (const tn of names) {
    const first = kids(tn)[0];
    parts.push(isTerm(first) ? first.getText() : text(first));
    const ta = rule(tn, 'typeArguments');
    if (ta) args = rules(rule(ta, 'typeList'), 'typeRef').map(parseTypeRef);
  }
  const subs = rule(n, 'arraySubscripts');
  const array = subs ? kids(subs).filter((c: N) => c.getText() === '[').length : 0;
  return normType({ name: parts.join('.'), args, array });
}

/** `String[]` is `List<String>`; keep one spelling. */
export function normType(t: TypeRef): TypeRef {
  let r: TypeRef = { name: t.name, args: t.args, array: 0 };
  for (let i = 0; i < t.array; i++) r = { name: 'List', args: [r], array: 0 };
  const low = r.name.toLowerCase();
  if (low === 'list' || low === 'set' || low === 'map') r.name = low[0].toUpperCase() + low.slice(1);
  return r;
}

export function parseAnnotation(n: N, evalConst: (e: N) => unknown): Annotation {
  const name = text(rule(n, 'qualifiedName') ?? rule(n, 'id')).toLowerCase();
  const params: Record<string, unknown> = {};
  const pairs = rule(n, 'elementValuePairs');
  if (pairs)
    for (const p of rules(pairs, 'elementValuePair')) params[text(rule(p, 'id')).toLowerCase()] = evalConst(rule(p, 'elementValue'));
  const single = rule(n, 'elementValue');
  if (single) params[''] = evalConst(single);
  return { name, params };
}

export function constValue(n: N): unknown {
  const t = n.getText();
  if (/^'.*'$/s.test(t)) return unescapeApex(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^\d+$/.test(t)) return Number(t);
  return t;
}

export interface Modifiers {
  mods: string[];
  annotations: Annotation[];
}
export function parseModifiers(list: N[]): Modifiers {
  const mods: string[] = [];
  const annotations: Annotation[] = [];
  for (const m of list) {
    const a = rule(m, 'annotation');
    if (a) annotations.push(parseAnnotation(a, constValue));
    else
      mods.push(
        kids(m)
          .map((c: N) => c.getText().toLowerCase())
          .join(' '),
      );
  }
  return { mods, annotations };
}
