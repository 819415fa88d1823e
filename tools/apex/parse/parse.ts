/**
 * Parsing with Salesforce-compatible grammar (@apexdevtools/apex-parser) into our own syntax tree
 * (ast.ts). Trees are cached by source hash because ANTLR parsing dominates start-up time.
 */
import { createHash } from 'node:crypto';
import { ApexParserFactory, type AnonymousUnitContext, type CompilationUnitContext } from '@apexdevtools/apex-parser';
import { CompileError } from '../errors.ts';
import type { AnonymousUnit, CompilationUnit } from './ast.ts';
import { TreeBuilder } from './build.ts';
import { FirstSyntaxError, toSalesforceMessage } from './syntaxErrors.ts';

export function sourceHash(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

const trees = new Map<string, CompilationUnit | AnonymousUnit>();

/**
 * Parses a class file or an anonymous block into our syntax tree (parse/ast.ts), built in one walk
 * and cached by source hash; throws CompileError on the first syntax error, in Salesforce's wording.
 */
export function parseTree(source: string, kind: 'class', fileName: string): CompilationUnit;
export function parseTree(source: string, kind: 'anonymous', fileName: string): AnonymousUnit;
export function parseTree(source: string, kind: 'class' | 'anonymous', fileName: string): CompilationUnit | AnonymousUnit {
  const key = kind + ':' + sourceHash(source);
  const hit = trees.get(key);
  if (hit) return hit;
  const listener = new FirstSyntaxError();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const ctx = kind === 'class' ? parser.compilationUnit() : parser.anonymousUnit();
  const e = listener.error;
  if (e) throw new CompileError(toSalesforceMessage(e.msg, e.token), fileName, e.line, e.column + 1);
  const b = new TreeBuilder(fileName);
  const tree = kind === 'class' ? b.unit(ctx as CompilationUnitContext) : b.anonymous(ctx as AnonymousUnitContext);
  trees.set(key, tree);
  return tree;
}
