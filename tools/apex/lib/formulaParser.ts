/**
 * The formula language of `Formula.builder()` (Apex Reference, "FormulaEval Namespace"; the operators and
 * functions of "Formula Operators and Functions by Context", those usable in validation rules): parsed
 * into a small tree once, at `build()`. A text the grammar does not accept is a FormulaError, which the
 * builder turns into System.FormulaValidationException.
 */

export type FNode =
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'ref'; path: string[] }
  | { k: 'call'; name: string; args: FNode[] }
  | { k: 'un'; op: string; a: FNode }
  | { k: 'bin'; op: string; a: FNode; b: FNode };

export class FormulaError extends Error {}

interface Tok {
  t: 'num' | 'str' | 'id' | 'op' | 'end';
  v: string;
  at: number;
}

const OPS = ['&&', '||', '==', '!=', '<>', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '^', '&', '!', '(', ')', ','];

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaError('Syntax error. Missing */');
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let s = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) s += text[j] === '\\' && j + 1 < text.length ? text[++j] : text[j];
      if (j >= text.length) throw new FormulaError(`Syntax error. Missing ${c}`);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)/.exec(text.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^\$?[A-Za-z_][\w]*(\.\$?[A-Za-z_][\w]*)*/.exec(text.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new FormulaError(`Syntax error. Found '${c}'`);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ t: 'end', v: '', at: text.length });
  return out;
}

/** Binary operators from the loosest to the tightest. */
const LEVELS: string[][] = [['||'], ['&&'], ['=', '==', '!=', '<>', '<', '<=', '>', '>='], ['+', '-', '&'], ['*', '/'], ['^']];

export function parseFormula(text: string): FNode {
  const toks = lex(text);
  let p = 0;
  const peek = () => toks[p];
  const expect = (v: string) => {
    if (peek().t !== 'op' || peek().v !== v) throw new FormulaError(`Syntax error. Missing '${v}'`);
    p++;
  };
  const level = (n: number): FNode => {
    if (n === LEVELS.length) return unary();
    let a = level(n + 1);
    while (peek().t === 'op' && LEVELS[n].includes(peek().v)) {
      const op = toks[p++].v;
      a = { k: 'bin', op, a, b: level(n + 1) };
    }
    return a;
  };
  const unary = (): FNode => {
    const t = peek();
    if (t.t === 'op' && (t.v === '-' || t.v === '+' || t.v === '!')) {
      p++;
      return { k: 'un', op: t.v, a: unary() };
    }
    return primary();
  };
  const primary = (): FNode => {
    const t = toks[p++];
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = level(0);
      expect(')');
      return e;
    }
    if (t.t === 'id') {
      const low = t.v.toLowerCase();
      if (peek().t === 'op' && peek().v === '(') {
        p++;
        const args: FNode[] = [];
        if (!(peek().t === 'op' && peek().v === ')')) {
          args.push(level(0));
          while (peek().t === 'op' && peek().v === ',') {
            p++;
            args.push(level(0));
          }
        }
        expect(')');
        return { k: 'call', name: t.v.toUpperCase(), args };
      }
      if (low === 'true' || low === 'false') return { k: 'lit', v: low === 'true' };
      if (low === 'null') return { k: 'lit', v: null };
      return { k: 'ref', path: t.v.split('.') };
    }
    throw new FormulaError(t.t === 'end' ? 'Syntax error. Unexpected end of formula' : `Syntax error. Found '${t.v}'`);
  };
  const tree = level(0);
  if (peek().t !== 'end') throw new FormulaError(`Syntax error. Extra '${peek().v}'`);
  return tree;
}

/** Every field reference of a tree (`record.Name`), as written. */
export function referencesOf(n: FNode, out: string[] = []): string[] {
  if (n.k === 'ref') out.push(n.path.join('.'));
  else if (n.k === 'call') n.args.forEach((a) => referencesOf(a, out));
  else if (n.k === 'un') referencesOf(n.a, out);
  else if (n.k === 'bin') [n.a, n.b].forEach((a) => referencesOf(a, out));
  return out;
}
