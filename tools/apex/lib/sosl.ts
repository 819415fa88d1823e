/**
 * SOSL (inline `[FIND …]`, `Search.query`, `Search.find`) as Apex tests see it. In a test method a
 * search returns nothing unless `Test.setFixedSearchResults` named the records to return; the WHERE,
 * ORDER BY, LIMIT and OFFSET of each RETURNING object (and the search's own LIMIT) then apply to those
 * records (Apex Developer Guide, "Adding SOSL Queries to Unit Tests",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_testing_SOSL.htm).
 * Outside tests there is no search index locally: a search fails as not supported.
 */
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { Transaction } from '../run/transaction.ts';
import { ApexList } from '../run/values.ts';
import { runSoql, toPlain } from '../run/data.ts';
import { limitEx, throwEx, unsupported } from '../run/exceptions.ts';

/** One object of a RETURNING clause, its clauses as SOQL text. */
export interface SoslReturning {
  sobject: string;
  fields: string;
  where?: string;
  orderBy?: string;
  limit?: string;
  offset?: string;
}

export interface SoslQuery {
  /** The search term as written: `{…}`, `'…'` or a `:bind`. */
  term: string;
  returning: SoslReturning[];
  /** The search's own LIMIT (all objects together); Salesforce's default is 2,000. */
  limit?: string;
}

/** Salesforce allows 20 SOSL queries per transaction (Apex Developer Guide, "Execution Governors and Limits"). */
const MAX_SOSL = 20;
const DEFAULT_LIMIT = 2000;

/** Record Ids a test set with Test.setFixedSearchResults, per transaction (one test method). */
const fixedResults = new WeakMap<Transaction, string[]>();
/**
 * Searches so far, kept per limits context (`tx.counts`): Test.startTest begins a fresh set of governor
 * limits and Test.stopTest returns to the first (Apex Reference, "Test Class": startTest), so the
 * count follows the counters object those swap.
 */
const soslCounts = new WeakMap<object, number>();

export function setFixedSearchResults(tx: Transaction, ids: string[]): void {
  fixedResults.set(tx, ids);
}

export function soslQueriesUsed(tx: Transaction): number {
  return soslCounts.get(tx.counts) ?? 0;
}

/** Splits `text` at the top level (outside parentheses, braces and quotes) where `at(i)` says so. */
function scan(text: string, visit: (i: number, depth: number) => void): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else visit(i, depth);
  }
}

/** Positions of top-level keywords (whole words, case-insensitive) in `text`. */
function keywordsAt(text: string, words: string[]): { word: string; at: number }[] {
  const out: { word: string; at: number }[] = [];
  const re = new RegExp(`^(${words.join('|')})\\b`, 'i');
  scan(text, (i, depth) => {
    if (depth !== 0 || (i > 0 && /[\w.]/.test(text[i - 1]))) return;
    const m = re.exec(text.slice(i));
    if (m) out.push({ word: m[1].toUpperCase().replace(/\s+/g, ' '), at: i });
  });
  return out;
}

/** Cuts `text` at the given keywords: the part before the first, then each keyword's text. */
function clauses(text: string, words: string[]): { head: string; parts: Map<string, string> } {
  const found = keywordsAt(text, words);
  const parts = new Map<string, string>();
  found.forEach((k, n) => {
    const end = n + 1 < found.length ? found[n + 1].at : text.length;
    const body = text.slice(k.at, end).replace(new RegExp(`^${k.word.replace(' ', '\\s+')}`, 'i'), '');
    parts.set(k.word, body.trim());
  });
  return { head: (found.length ? text.slice(0, found[0].at) : text).trim(), parts };
}

/** Splits at top-level commas. */
function commaList(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  scan(text, (i, depth) => {
    if (depth === 0 && text[i] === ',') {
      out.push(text.slice(from, i).trim());
      from = i + 1;
    }
  });
  out.push(text.slice(from).trim());
  return out.filter((s) => s);
}

/**
 * Parses a SOSL statement (without the brackets of inline SOSL). Throws an Error with a message for
 * text it cannot read; callers turn it into the SearchException or QueryException Salesforce raises.
 */
export function parseSosl(sosl: string): SoslQuery {
  const s = sosl.trim();
  const m = /^find\s*/i.exec(s);
  if (!m) throw new Error(`unexpected token: '${s.split(/\s+/)[0] ?? ''}'`);
  let pos = m[0].length;
  let term: string;
  const open = s[pos];
  if (open === '{' || open === "'") {
    const close = open === '{' ? '}' : "'";
    let i = pos + 1;
    for (; i < s.length && s[i] !== close; i++) if (s[i] === '\\') i++;
    if (i >= s.length) throw new Error(`unterminated search term: ${s.slice(pos)}`);
    term = s.slice(pos, i + 1);
    pos = i + 1;
  } else if (open === ':') {
    const b = /^:\s*[A-Za-z_]\w*/.exec(s.slice(pos));
    if (!b) throw new Error(`bad bind in FIND: ${s.slice(pos)}`);
    term = b[0].replace(/\s+/g, '');
    pos += b[0].length;
  } else throw new Error(`FIND needs a search term in braces or quotes: ${s.slice(pos, pos + 20)}`);
  const rest = clauses(s.slice(pos), ['IN', 'RETURNING', 'WITH', 'LIMIT', 'UPDATE']);
  const returning = commaList(rest.parts.get('RETURNING') ?? '').map(parseReturning);
  return { term, returning, limit: rest.parts.get('LIMIT') };
}

function parseReturning(spec: string): SoslReturning {
  const m = /^([A-Za-z_][\w.]*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(spec);
  if (!m) throw new Error(`bad RETURNING object: ${spec}`);
  const [, sobject, inner] = m;
  if (inner === undefined) return { sobject, fields: 'Id' };
  const c = clauses(inner, ['WHERE', 'ORDER\\s+BY', 'LIMIT', 'OFFSET', 'USING\\s+LISTVIEW']);
  return {
    sobject,
    fields: c.head || 'Id',
    where: c.parts.get('WHERE'),
    orderBy: c.parts.get('ORDER BY'),
    limit: c.parts.get('LIMIT'),
    offset: c.parts.get('OFFSET'),
  };
}

/** The number a LIMIT clause holds (a literal or a bind). */
function limitValue(f: Frame, clause: string | undefined, binds: Record<string, unknown>): number | undefined {
  if (clause === undefined) return undefined;
  const b = /^:\s*(\w+)$/.exec(clause);
  const v = b ? toPlain(binds[b[1]]) : Number(clause);
  if (typeof v !== 'number' || !Number.isFinite(v)) throwEx(f, 'QueryException', `LIMIT must be an Integer: ${clause}`);
  return Math.trunc(v as number);
}

/** Runs a SOSL statement: one list of sObjects per RETURNING object, in their order. */
export async function runSosl(f: Frame, sosl: string, binds: Record<string, unknown>, userMode: boolean, site: Site): Promise<ApexList> {
  const tx = f.tx;
  let q: SoslQuery;
  try {
    q = parseSosl(sosl);
  } catch (e) {
    return throwEx(f, 'SearchException', (e as Error).message);
  }
  const used = soslQueriesUsed(tx) + 1;
  soslCounts.set(tx.counts, used);
  if (used > MAX_SOSL) limitEx(f, `Too many SOSL queries: ${used}`);
  if (!tx.isTest) unsupported(f, 'SOSL outside a test (the local platform has no search index)', site);
  const ids = fixedResults.get(tx) ?? [];
  let left = limitValue(f, q.limit, binds) ?? DEFAULT_LIMIT;
  const lists: ApexList[] = [];
  for (const r of q.returning) {
    const type = { name: r.sobject, args: [], array: 0 };
    if (!ids.length || left <= 0) {
      lists.push(new ApexList([], type));
      continue;
    }
    const own = limitValue(f, r.limit, binds);
    const limit = Math.min(left, own ?? left);
    const soql =
      `SELECT ${r.fields} FROM ${r.sobject} WHERE Id IN :sosl__ids` +
      (r.where ? ` AND (${r.where})` : '') +
      (r.orderBy ? ` ORDER BY ${r.orderBy}` : '') +
      ` LIMIT ${limit}` +
      (r.offset ? ` OFFSET ${r.offset}` : '');
    const before = { ...tx.counts };
    const list = (await runSoql(
      f,
      soql,
      { userMode, binds: { ...binds, sosl__ids: ids }, sobject: r.sobject, isCount: false, unsiloed: true },
      site,
    )) as ApexList;
    // a search is not a SOQL query: it does not count against the SOQL limits
    tx.counts.queries = before.queries;
    tx.counts.queryRows = before.queryRows;
    list.fromQuery = false;
    left -= list.items.length;
    lists.push(list);
  }
  return new ApexList(lists, { name: 'List', args: [{ name: 'SObject', args: [], array: 0 }], array: 0 });
}
