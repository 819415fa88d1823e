/**
 * A value list of SOQL's IN in Apex may hold bind expressions (`WHERE Id IN (:a.Id, :b.Id)`, the Apex parser's
 * `valueList` of `value`s, a `boundExpression` among them). The data engine's parser takes a bind only as the
 * whole list (`IN :ids`), so each such list becomes one list bind holding the items in order: a bind's value (a
 * collection's items), a literal's value. Every query passes here at run time: inline SOQL, dynamic SOQL
 * (`Database.query`), and lists that mix binds with literals.
 */
const ITEM = String.raw`(?::[A-Za-z_]\w*|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|null|true|false)`;
const LIST = new RegExp(String.raw`\b(IN|INCLUDES|EXCLUDES)(\s*)\(\s*(${ITEM}(?:\s*,\s*${ITEM})*)\s*\)`, 'gi');
const ITEMS = new RegExp(ITEM, 'gi');

function literal(token: string): unknown {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
  if (/^null$/i.test(token)) return null;
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  return Number(token);
}

/** The query with each value list holding a bind turned into one list bind (added to `binds`). */
export function bindValueLists(soql: string, binds: Record<string, unknown>): string {
  let n = 0;
  return soql.replace(LIST, (whole, op: string, space: string, list: string, offset: number) => {
    if (!list.includes(':') || insideString(soql, offset)) return whole;
    const values: unknown[] = [];
    for (const token of list.match(ITEMS) ?? []) {
      if (!token.startsWith(':')) values.push(literal(token));
      else {
        const v = binds[token.slice(1)];
        if (Array.isArray(v)) values.push(...(v as unknown[]));
        else values.push(v);
      }
    }
    let name = `bind__list${n++}`;
    while (name in binds) name = `bind__list${n++}`;
    binds[name] = values;
    return `${op}${space}:${name}`;
  });
}

/** Whether the text before `offset` leaves an SOQL string literal open. */
function insideString(soql: string, offset: number): boolean {
  let open = false;
  for (let i = 0; i < offset; i++) {
    if (soql[i] === '\\') i++;
    else if (soql[i] === "'") open = !open;
  }
  return open;
}
