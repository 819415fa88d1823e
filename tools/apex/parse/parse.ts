/**
 * Parsing with Salesforce-compatible grammar (@apexdevtools/apex-parser). Parse trees are cached by
 * source hash because ANTLR parsing dominates start-up time.
 */
import { createHash } from 'node:crypto';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { CompileError } from '../errors.ts';

/** ANTLR rule context (typed loosely: the runtime walks it generically by rule class name). */

export type ParserRuleContext = any;

class Collect extends ApexErrorListener {
  errors: { line: number; column: number; msg: string }[] = [];
  apexSyntaxError(line: number, column: number, msg: string): void {
    this.errors.push({ line, column, msg });
  }
}

const cache = new Map<string, ParserRuleContext>();

export function sourceHash(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** Parses a class file or an anonymous block; throws CompileError on the first syntax error. */
export function parseApex(source: string, kind: 'class' | 'anonymous', fileName: string): ParserRuleContext {
  const key = kind + ':' + sourceHash(source);
  const hit = cache.get(key);
  if (hit) return hit;
  const listener = new Collect();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree = (kind === 'class' ? parser.compilationUnit() : parser.anonymousUnit()) as unknown as ParserRuleContext;
  if (listener.errors.length) {
    const e = listener.errors[0];
    throw new CompileError(`${e.msg}`, fileName, e.line, e.column + 1);
  }
  cache.set(key, tree);
  return tree;
}
