/**
 * Syntax errors in Salesforce's wording. The grammar (@apexdevtools/apex-parser) reports ANTLR's
 * diagnostics; the platform compiler words them as "Missing ';' at '}'" or "Unexpected token 'x'.".
 * The mapping is ours and exact parity is unverified. Only the first error is kept: ANTLR's recovery
 * makes later ones noise. Deploys (local-platform/metadata) and the runtime's parse share this file,
 * so a class refused by one is refused with the same words by the other.
 */
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';

export interface SyntaxProblem {
  line: number;
  /** 0-based, as ANTLR reports it. */
  column: number;
  msg: string;
  token?: string;
}

/** Keeps the first syntax error with the offending token's text. */
export class FirstSyntaxError extends ApexErrorListener {
  error?: SyntaxProblem;
  override syntaxError(_r: unknown, offending: unknown, line: number, column: number, msg: string): void {
    if (this.error) return;
    const token = (offending as { text?: string } | null)?.text;
    this.error = { line, column, msg, token: token ?? undefined };
  }
  apexSyntaxError(): void {}
}

/** Salesforce's compile-error wording for the common ANTLR diagnostics. */
export function toSalesforceMessage(msg: string, token?: string): string {
  let m = /^missing (.+) at (.+)$/.exec(msg);
  if (m) return `Missing ${m[1]} at ${m[2]}`;
  if (token === '<EOF>') return 'Unexpected end of file.';
  if (/^(mismatched|extraneous) input/.test(msg) || msg.startsWith('no viable alternative')) {
    return `Unexpected token '${token ?? msg.replace(/^.*input '(.*?)'.*$/, '$1')}'.`;
  }
  m = /^token recognition error at: '(.*)'$/.exec(msg);
  if (m) return `Invalid character in identifier: ${m[1]}`;
  return msg;
}

/** Syntax-checks a class file; undefined when it parses. Columns are 1-based like Salesforce's. */
export function checkApexSyntax(body: string): { problem: string; lineNumber: number; columnNumber: number } | undefined {
  const listener = new FirstSyntaxError();
  const { parser } = ApexParserFactory.createLexerAndParser(body, listener);
  parser.compilationUnit();
  if (!listener.error) return undefined;
  const e = listener.error;
  return { problem: toSalesforceMessage(e.msg, e.token), lineNumber: e.line, columnNumber: e.column + 1 };
}
