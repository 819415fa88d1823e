/** Text rules of Apex source every phase shares: string literals' escapes, one spelling of list types. */
import type { TypeRef } from '../model/typeRef.ts';

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

/** `String[]` is `List<String>`; keep one spelling. */
export function normType(t: TypeRef): TypeRef {
  let r: TypeRef = { name: t.name, args: t.args, array: 0 };
  for (let i = 0; i < t.array; i++) r = { name: 'List', args: [r], array: 0 };
  const low = r.name.toLowerCase();
  if (low === 'list' || low === 'set' || low === 'map') r.name = low[0].toUpperCase() + low.slice(1);
  return r;
}
