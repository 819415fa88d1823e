/** JSON text as Apex writes it: a number keeps its source text; compact and Jackson's pretty layout. */

/** A JSON number kept as its source text. */
export class Num {
  constructor(readonly text: string) {}
}

export type J = null | string | boolean | Num | J[] | { [k: string]: J };

export function writeCompact(j: J): string {
  if (j === null) return 'null';
  if (j instanceof Num) return j.text;
  if (typeof j === 'string') return JSON.stringify(j);
  if (typeof j === 'boolean') return j ? 'true' : 'false';
  if (Array.isArray(j)) return '[' + j.map(writeCompact).join(',') + ']';
  return (
    '{' +
    Object.entries(j)
      .map(([k, v]) => JSON.stringify(k) + ':' + writeCompact(v))
      .join(',') +
    '}'
  );
}

/** Jackson's DefaultPrettyPrinter, which Apex uses: `"k" : v`, arrays as `[ a, b ]`. */
export function writePretty(j: J, ind = ''): string {
  if (j === null || j instanceof Num || typeof j !== 'object') return writeCompact(j);
  const inner = ind + '  ';
  if (Array.isArray(j)) {
    if (!j.length) return '[ ]';
    return '[ ' + j.map((x) => writePretty(x, ind)).join(', ') + ' ]';
  }
  const entries = Object.entries(j);
  if (!entries.length) return '{ }';
  return '{\n' + entries.map(([k, v]) => inner + JSON.stringify(k) + ' : ' + writePretty(v, inner)).join(',\n') + '\n' + ind + '}';
}
