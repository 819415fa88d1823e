/**
 * parse/ builds our own syntax tree (parse/ast.ts) from Salesforce's grammar. The builder must know every
 * grammar node real code uses: it builds the tree of every class and trigger of force-app, and of the
 * corpus checkouts named in APEX_TREE_CORPUS (folders separated by `:`, e.g. the `npm run corpus` dirs).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassBodyContext, StatementContext } from '@apexdevtools/apex-parser';
import { parseTree } from '../../tools/apex/parse/parse.ts';
import { TreeBuilder } from '../../tools/apex/parse/build.ts';
import { checkApexSyntax } from '../../tools/apex/parse/syntaxErrors.ts';
import { readTriggerHeader, triggerBodyText } from '../../tools/apex/parse/triggerSource.ts';
import type { AnonymousUnit, CompilationUnit, Expr, Stmt } from '../../tools/apex/parse/ast.ts';

function apexFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (e === 'node_modules' || e.startsWith('.')) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(cls|trigger)$/.test(e)) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Every node (a capitalized `kind`) below the unit has a position a person can find (line and column from 1). */
function positionless(tree: unknown): string[] {
  const bad: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.kind === 'string' && /^[A-Z]/.test(o.kind) && !/Unit$/.test(o.kind) && !(Number(o.line) >= 1 && Number(o.column) >= 1))
      bad.push(o.kind);
    for (const v of Object.values(o)) walk(v);
  };
  walk(tree);
  return bad;
}

function build(file: string): CompilationUnit | AnonymousUnit | undefined {
  const src = readFileSync(file, 'utf8');
  if (file.endsWith('.cls')) return parseTree(src, 'class', file);
  const h = readTriggerHeader(src);
  if ('error' in h) return undefined;
  return parseTree(triggerBodyText(src, h.header), 'anonymous', file);
}

describe('syntax tree builder', () => {
  const corpus = (process.env.APEX_TREE_CORPUS ?? '').split(':').filter((d) => d && existsSync(d));
  for (const root of ['force-app', ...corpus])
    it(`builds the tree of every class and trigger under ${root}`, { timeout: 600_000 }, () => {
      const files = apexFiles(root);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const tree = build(f);
        expect(positionless(tree), f).toEqual([]);
      }
    });

  it('gives each node its kind and position', () => {
    const src = [
      'public class C {',
      '  public static Integer m(List<Account> accs) {',
      '    Integer n = [SELECT COUNT() FROM Account WHERE Name = :accs[0].Name];',
      '    for (Account a : accs) if (a?.Name != null) n += a.Name.length();',
      '    return n;',
      '  }',
      '}',
    ].join('\n');
    const unit = parseTree(src, 'class', 'C.cls');
    expect(unit.type.kind).toBe('Class');
    if (unit.type.kind !== 'Class') return;
    const m = unit.type.members[0];
    expect(m).toMatchObject({ kind: 'Method', name: { name: 'm', line: 2 }, returnType: { ref: { name: 'Integer' } } });
    if (m.kind !== 'Method') return;
    expect(m.params[0].type.ref).toEqual({ name: 'List', args: [{ name: 'Account', args: [], array: 0 }], array: 0 });
    const [decl, loop] = m.body!.statements as [Stmt, Stmt];
    expect(decl).toMatchObject({ kind: 'LocalVars', line: 3, column: 5 });
    const soql = decl.kind === 'LocalVars' ? (decl.vars[0].init as Expr) : undefined;
    expect(soql).toMatchObject({ kind: 'Soql', sobject: 'Account', userMode: false, line: 3, column: 17 });
    if (soql?.kind !== 'Soql') return;
    expect(soql.binds.map((b) => b.expr.kind)).toEqual(['FieldAccess']);
    expect(src.slice(soql.binds[0].from, soql.binds[0].to + 1)).toBe(':accs[0].Name');
    expect(loop).toMatchObject({ kind: 'ForEach', name: { name: 'a' }, body: { kind: 'If', cond: { kind: 'Equality', op: '!=' } } });
    if (loop.kind !== 'ForEach' || loop.body?.kind !== 'If') return;
    expect(loop.body.cond).toMatchObject({ left: { kind: 'FieldAccess', safe: true, name: { name: 'Name' } } });
    expect(loop.body.then).toMatchObject({
      kind: 'ExpressionStmt',
      expr: { kind: 'Assign', op: '+=', value: { kind: 'MethodCall', name: { name: 'length' }, args: [] } },
    });
  });

  it('an anonymous block keeps top-level locals among its statements and members apart', () => {
    const unit = parseTree('Integer x = 1;\nvoid f() {}\nSystem.debug(x);', 'anonymous', 'AnonymousBlock');
    expect(unit.statements.map((s) => s.kind)).toEqual(['LocalVars', 'ExpressionStmt']);
    expect(unit.members.map((m) => m.kind)).toEqual(['Method']);
  });

  it('a syntax error reads the same in a deploy and in the runtime: Salesforce wording, 1-based column', () => {
    const broken = 'public class B {\n  Integer x = 1\n}';
    expect(checkApexSyntax(broken)).toEqual({ problem: "Missing ';' at '}'", lineNumber: 3, columnNumber: 1 });
    expect(() => parseTree(broken, 'class', 'B.cls')).toThrow(
      expect.objectContaining({ message: expect.stringContaining("Missing ';' at '}'") }),
    );
    expect(() => parseTree('Integer y = ;', 'anonymous', 'AnonymousBlock')).toThrow(/Unexpected token ';'\./);
  });

  it('a grammar node the builder does not know is an internal error that names it', () => {
    const st = new StatementContext();
    const odd = new ClassBodyContext();
    (odd as unknown as { start: unknown }).start = { line: 4, column: 2 };
    st.children = [odd];
    expect(() => new TreeBuilder('X.cls').stmt(st)).toThrow(/does not know the grammar node ClassBodyContext \(X\.cls:4:3\)/);
  });
});
