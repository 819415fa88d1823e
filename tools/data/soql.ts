import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { statement } from './statements.ts';
import { parseQuery, type Query, type WhereClause, type Condition, type FieldType as SoqlField } from '@jetstreamapp/soql-parser-js';
import { ApiError, invalidField, invalidType } from './errors.ts';
import { findChildRelationship, findField, findRelationship, type ObjectDef } from './schema.ts';
import { definitionFieldSql, definitionLeaf, definitionRecord, isDefinitionRelationship } from './definitionRelationships.ts';
import { composeQuery } from '@jetstreamapp/soql-parser-js';
import { objectDef, getRecord, orgKind } from './store.ts';
import { to15, to18 } from './ids.ts';
import { canReadField, checkFieldAccess, checkObjectAccess } from './access.ts';
import { dateFunctionField, dateLiteralCondition } from './soqlDates.ts';
import { canonicalDatetimeSql, isText, nulSafe, nulSafeSql, toSql, unquote } from './soqlValues.ts';
import { bindsForParser, likeAny, manyValues, multiSelectCondition, selectFunction, type SelectFunction } from './soqlFunctions.ts';
import { aggregatePaths, aggregateRecords, AggregateQueryError, isAggregateQuery, isPlainCount } from './aggregate.ts';

/**
 * SOQL over the `records` table: the query is parsed with @jetstreamapp/soql-parser-js, names are
 * checked against the object definitions (case-insensitively, with Salesforce's INVALID_FIELD /
 * INVALID_TYPE messages), WHERE / ORDER BY / LIMIT / OFFSET become SQL over json_extract, and
 * parent relationship fields (Owner.Name, PermissionSet.Name) become correlated subqueries.
 * `WITH USER_MODE` (or `userMode`) applies the running user's object and field permissions.
 */
export interface SoqlOptions {
  userMode?: boolean;
  userId?: string;
  binds?: Record<string, unknown>;
  instanceUrl?: string;
  apiVersion?: string;
  /** `ALL ROWS` / the queryAll resource: records in the recycle bin too (IsDeleted = true). */
  allRows?: boolean;
  /** Apex: a parent without children gets an empty child list (REST sends null). */
  emptyChildLists?: boolean;
  /**
   * Apex: a parent field (`Account.Name`) brings its lookup field (`AccountId`) onto the record too
   * (field report https://github.com/octoberswimmer/aer-dist/issues/6); the REST API sends only the parent.
   */
  lookupWithParent?: boolean;
  /** Internal: restricts a child subquery to one parent. */
  parentFilter?: { field: string; id: string };
  /** Apex test isolation: the query's own rows are only these Ids (the test's records); subqueries are not restricted. */
  onlyIds?: string[];
}

export interface SoqlResult {
  totalSize: number;
  done: boolean;
  records: Record<string, unknown>[];
}

type Ctx = { db: DatabaseSync; orgId: string; params: SQLInputValue[]; binds: Record<string, unknown>; touched: Map<string, Set<string>> };

function malformed(message: string): ApiError {
  return new ApiError(400, 'MALFORMED_QUERY', message);
}

/**
 * Parsed queries by text. The parser costs tens of milliseconds a call — most of a trivial Apex REST
 * request's time (issue 21) — and an Apex class sends the same text each time (binds stay `:name`).
 * Callers get their own copy, as they may change the tree.
 */
const parsed = new Map<string, Query>();
const PARSED_MAX = 500;

export function parseSoql(soql: string): Query {
  const hit = parsed.get(soql);
  if (hit) return structuredClone(hit);
  try {
    const q = parseQuery(soql, { allowApexBindVariables: true }) as Query;
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(soql, structuredClone(q));
    return q;
  } catch (e) {
    const first = (e as Error).message.split('\n')[0];
    throw malformed(`unexpected token in query: ${soql.length > 200 ? soql.slice(0, 200) + '…' : soql} (${first})`);
  }
}

/** SQL expression of a (possibly dotted) field path on the root object, validated. */
function fieldExpr(ctx: Ctx, def: ObjectDef, path: string, alias = 'r', depth = 0): { sql: string; type: string } {
  const parts = path.split('.');
  // A leading object name qualifier (Account.Name in FROM Account) is allowed.
  if (parts.length > 1 && parts[0].toLowerCase() === def.name.toLowerCase() && !findRelationship(def, parts[0])) parts.shift();
  if (parts.length === 1) {
    touch(ctx, def.name, parts[0]);
    const fd = findField(def, parts[0]);
    if (!fd) throw invalidField(parts[0], def.name, !def.custom);
    if (fd.name === 'Id') return { sql: `${alias}.id`, type: 'id' };
    return { sql: fieldPath(alias, fd.name), type: fd.type };
  }
  const rel = findRelationship(def, parts[0]);
  if (!rel || !rel.referenceTo) throw invalidField(parts[0], def.name, !def.custom);
  // A relationship is as readable as its lookup field (Owner → OwnerId, Parent__r → Parent__c).
  touch(ctx, def.name, rel.name);
  if (isDefinitionRelationship(rel)) {
    if (parts.length !== 2) throw invalidField(parts.slice(1).join('.'), rel.referenceTo);
    return { sql: definitionFieldSql(rel, fieldPath(alias, rel.name), parts[1]), type: 'string' };
  }
  const parentDef = objectDef(ctx.db, ctx.orgId, rel.referenceTo);
  const p = `p${depth}`;
  const inner = fieldExpr(ctx, parentDef, parts.slice(1).join('.'), p, depth + 1);
  return {
    sql: `(SELECT ${inner.sql} FROM records ${p} WHERE ${p}.id = ${fieldPath(alias, rel.name)})`,
    type: inner.type,
  };
}

/** A field's value as SQL. Names come from object definitions; still, only an identifier may reach the SQL text. */
function fieldPath(alias: string, name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new ApiError(400, 'INVALID_FIELD', `Invalid field name ${JSON.stringify(name)}`);
  return `json_extract(${alias}.fields, '$.${name}')`;
}

function touch(ctx: Ctx, sobject: string, field: string): void {
  const set = ctx.touched.get(sobject) ?? new Set<string>();
  set.add(field);
  ctx.touched.set(sobject, set);
}

function literal(ctx: Ctx, value: unknown, literalType: string | string[] | undefined, type: string): SQLInputValue {
  const lt = Array.isArray(literalType) ? literalType[0] : literalType;
  if (lt === 'APEX_BIND_VARIABLE') {
    const name = String(value);
    if (!(name in ctx.binds)) throw new ApiError(400, 'MALFORMED_QUERY', `Variable does not exist: ${name}`);
    return toSql(ctx.binds[name], type);
  }
  if (lt === 'NULL') return null;
  if (lt === 'BOOLEAN') return String(value).toUpperCase() === 'TRUE' ? 1 : 0;
  if (lt === 'INTEGER' || lt === 'DECIMAL') return Number(value);
  if (lt === 'DATE_LITERAL' || lt === 'DATE_N_LITERAL') throw malformed(`date literal ${String(value)} cannot be used with this operator`);
  if (lt === 'STRING') return unquote(String(value));
  return toSql(String(value), type);
}

function condition(ctx: Ctx, def: ObjectDef, c: Condition): string {
  const fn = 'fn' in c && c.fn ? (c.fn as Parameters<typeof dateFunctionField>[0]) : undefined;
  if (!fn && (!('field' in c) || !c.field)) throw malformed('unsupported condition');
  const field = fn ? dateFunctionField(fn, (p) => fieldExpr(ctx, def, p)) : fieldExpr(ctx, def, (c as { field: string }).field);
  const type = field.type;
  const op = ((c as { operator?: string }).operator ?? '=').toUpperCase();
  if ('valueQuery' in c && c.valueQuery) return semiJoin(ctx, field.sql, type, op, c.valueQuery as Query);
  const nocase = isText(type) && type !== 'id' && type !== 'reference' ? ' COLLATE NOCASE' : '';
  const sql = type === 'datetime' ? canonicalDatetimeSql(field.sql) : nocase && type !== 'date' ? nulSafeSql(field.sql) : field.sql;
  const value = (c as { value?: unknown }).value;
  const lt = (c as { literalType?: string | string[] }).literalType;
  // Apex binds a List or Set with = and != as IN and NOT IN (SOQL in Apex only; field reports:
  // https://salesforce.stackexchange.com/questions/165416, https://salesforce.stackexchange.com/questions/247214)
  if ((op === '=' || op === '!=' || op === '<>') && lt === 'APEX_BIND_VARIABLE') {
    const bound = ctx.binds[String(value)];
    if (Array.isArray(bound) || bound instanceof Set)
      return condition(ctx, def, { ...c, operator: op === '=' ? 'IN' : 'NOT IN' } as Condition);
  }
  if (op === 'IN' || op === 'NOT IN') {
    let values: unknown[];
    if (lt === 'APEX_BIND_VARIABLE' || (Array.isArray(lt) && lt[0] === 'APEX_BIND_VARIABLE' && !Array.isArray(value))) {
      const bound = ctx.binds[String(value)];
      values = Array.isArray(bound) ? bound : bound instanceof Set ? [...bound] : [bound];
      values = values.map((v) => toSql(v, type));
    } else {
      values = (Array.isArray(value) ? value : [value]).map((v, i) => literal(ctx, v, Array.isArray(lt) ? lt[i] : lt, type));
    }
    if (values.length === 0) return op === 'IN' ? '0' : '1';
    const idMatch = type === 'id' || type === 'reference';
    const list = values.map((v) => {
      ctx.params.push(idMatch && typeof v === 'string' ? to15(v) : nulSafe(v as SQLInputValue));
      return '?';
    });
    const lhs = idMatch ? `substr(${sql},1,15)` : sql;
    return `${lhs}${nocase} ${op} (${list.join(', ')})`;
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    const bound = lt === 'APEX_BIND_VARIABLE' ? ctx.binds[String(value)] : undefined;
    const values =
      lt !== 'APEX_BIND_VARIABLE' ? [value].flat().map((v) => unquote(String(v))) : bound instanceof Set ? [...bound] : [bound].flat();
    return multiSelectCondition(ctx.params, field.sql, op, values);
  }
  if (lt === 'DATE_LITERAL' || lt === 'DATE_N_LITERAL') return dateLiteralCondition(ctx.params, sql, type, op, String(value));
  const many = lt === 'APEX_BIND_VARIABLE' && op === 'LIKE' ? manyValues(ctx.binds[String(value)]) : undefined;
  if (many) return likeAny(many.map((x) => (ctx.params.push(nulSafe(toSql(x, type))), `${sql} LIKE ? ESCAPE '\\'`)));
  const v = literal(ctx, value, lt, type);
  if (v === null) {
    if (op === '=') return `${field.sql} IS NULL`;
    if (op === '!=' || op === '<>') return `${field.sql} IS NOT NULL`;
    throw malformed(`invalid operator ${op} with null`);
  }
  if (op === 'LIKE') {
    ctx.params.push(nulSafe(v));
    return `${sql} LIKE ? ESCAPE '\\'`;
  }
  const sqlOp = op === '<>' ? '!=' : op;
  if (!['=', '!=', '<', '<=', '>', '>='].includes(sqlOp)) throw malformed(`unexpected operator ${op}`);
  if ((type === 'id' || type === 'reference') && typeof v === 'string') {
    ctx.params.push(to15(v));
    return `substr(${sql},1,15) ${sqlOp} ?`;
  }
  // a text field never holds '' (an empty string is saved as null), and `X = ''` finds the rows without X:
  // codefriar/ApexKit finds the org's own cache partition with `NamespacePrefix = ''`
  if (v === '' && nocase && (sqlOp === '=' || sqlOp === '!='))
    return sqlOp === '=' ? `(${field.sql} IS NULL OR ${field.sql} = '')` : `(${field.sql} IS NOT NULL AND ${field.sql} != '')`;
  ctx.params.push(nulSafe(v));
  // Salesforce treats null as "not equal" to a value: `Name != 'x'` includes null names.
  if (sqlOp === '!=') return `(${sql}${nocase} != ? OR ${field.sql} IS NULL)`;
  return `${sql}${nocase} ${sqlOp} ?`;
}

/**
 * `Id IN (SELECT AccountId FROM Contact WHERE …)` and NOT IN: the subquery is independent of the
 * outer row in SOQL, so it runs first and its values become the list.
 */
function semiJoin(ctx: Ctx, sql: string, type: string, op: string, sub: Query): string {
  if (op !== 'IN' && op !== 'NOT IN') throw malformed(`semi-join subqueries need IN or NOT IN, not ${op}`);
  const field = sub.fields?.[0] as { field?: string; rawValue?: string } | undefined;
  const path = field?.field ?? field?.rawValue;
  if (!path || (sub.fields?.length ?? 0) !== 1) throw malformed('a semi-join subquery selects exactly one field');
  const rows = runSoql(ctx.db, ctx.orgId, composeQuery(sub), { binds: ctx.binds }).records;
  const values = rows
    .map((r) =>
      path
        .split('.')
        .reduce<unknown>(
          (o, k) =>
            o && typeof o === 'object'
              ? (o as Record<string, unknown>)[Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k]
              : null,
          r,
        ),
    )
    .filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return op === 'IN' ? '0' : '1';
  const idMatch = type === 'id' || type === 'reference';
  const list = values.map((v) => {
    ctx.params.push(idMatch ? to15(String(v)) : (v as SQLInputValue));
    return '?';
  });
  return `${idMatch ? `substr(${sql},1,15)` : sql} ${op} (${list.join(', ')})`;
}

/** The parser gives a flat chain with paren counts; SQL has the same precedence, so emit tokens in order. */
function where(ctx: Ctx, def: ObjectDef, w: WhereClause | undefined): string {
  let out = '';
  type Node = { left?: unknown; operator?: string; right?: Node };
  let node = w as unknown as Node | undefined;
  while (node) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    if (left?.openParen) out += '('.repeat(left.openParen);
    if (node.operator === 'NOT') {
      out += ' NOT ';
      node = node.right;
      continue;
    }
    if (left && ('field' in left || 'fn' in left)) out += condition(ctx, def, left as Condition);
    if (left?.closeParen) out += ')'.repeat(left.closeParen);
    if (node.operator && node.right) out += ` ${node.operator} `;
    node = node.right;
  }
  return out;
}

interface Selected {
  kind: 'field' | 'subquery' | 'function';
  fn?: SelectFunction;
  path: string[];
  alias?: string;
  subquery?: { relationship: string; childSObject: string; field: string; soql: string };
}

/** Builds the Salesforce JSON shape of one record for the selected paths. */
function shape(
  ctx: Ctx,
  def: ObjectDef,
  rec: { id: string; fields: Record<string, unknown> },
  paths: string[][],
  instanceUrl: string,
  apiVersion: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: `/services/data/v${apiVersion}/sobjects/${def.name}/${rec.id}` },
  };
  const groups = new Map<string, string[][]>();
  for (const p of paths) {
    if (p.length === 1) {
      const fd = findField(def, p[0])!;
      out[fd.name] = fd.name === 'Id' ? rec.id : (rec.fields[fd.name] ?? null);
    } else {
      const rel = findRelationship(def, p[0])!;
      const g = groups.get(rel.relationshipName!) ?? [];
      g.push(p.slice(1));
      groups.set(rel.relationshipName!, g);
    }
  }
  for (const [relName, sub] of groups) {
    const rel = findRelationship(def, relName)!;
    if (isDefinitionRelationship(rel)) {
      out[rel.relationshipName!] = definitionRecord(rel, rec.fields[rel.name], sub);
      continue;
    }
    const parentId = rec.fields[rel.name] as string | undefined;
    const parent = parentId ? getRecord(ctx.db, ctx.orgId, parentId) : undefined;
    out[rel.relationshipName!] = parent
      ? shape(ctx, objectDef(ctx.db, ctx.orgId, rel.referenceTo!), { id: parent.id, fields: parent.fields }, sub, instanceUrl, apiVersion)
      : null;
  }
  void instanceUrl;
  return out;
}

export function normalisePath(def: ObjectDef, raw: string): string[] {
  const parts = raw.split('.');
  if (parts.length > 1 && parts[0].toLowerCase() === def.name.toLowerCase() && !findRelationship(def, parts[0])) parts.shift();
  return parts;
}

/** The WHERE of the records scan: org, object, the query's conditions, the parent of a child subquery. */
function filter(ctx: Ctx, def: ObjectDef, q: Query, options: SoqlOptions): string {
  let sql = 'r.org_id = ? AND r.sobject = ?';
  const w = where(ctx, def, q.where);
  if (w.trim()) sql += ` AND (${w})`;
  if (options.parentFilter) {
    const fd = findField(def, options.parentFilter.field)!;
    sql += ` AND ${fieldPath('r', fd.name)} = ?`;
    ctx.params.push(to18(options.parentFilter.id));
  } else if (options.onlyIds) {
    sql += options.onlyIds.length ? ` AND r.id IN (${options.onlyIds.map(() => '?').join(',')})` : ' AND 0';
    ctx.params.push(...options.onlyIds.map((id) => to18(id)));
  }
  return sql;
}

/** Apex's `ALL ROWS` suffix (not SOQL of the API, where it is a syntax error) → the query and the flag. */
export { dateLiteralRange } from './soqlDates.ts';

export function splitAllRows(soql: string): { soql: string; allRows: boolean } {
  const stripped = soql.replace(/\s+ALL\s+ROWS\s*$/i, '');
  return { soql: stripped, allRows: stripped !== soql };
}

/** The rows a query scans: live records, or with ALL ROWS the recycle bin after them. */
function source(options: SoqlOptions): string {
  if (!options.allRows) return 'records';
  return '(SELECT rowid AS rowid, id, org_id, sobject, fields FROM records UNION ALL SELECT rowid + 1000000000000 AS rowid, id, org_id, sobject, fields FROM recycle_bin)';
}

/** `WITH USER_MODE` (or the caller's user mode): read access to every object and field the query touched. */
function checkUserMode(ctx: Ctx, q: Query, options: SoqlOptions): void {
  const userMode = options.userMode || (q as { withAccessLevel?: string }).withAccessLevel?.toUpperCase() === 'USER_MODE';
  if (!userMode) return;
  if (!options.userId) throw new ApiError(400, 'INVALID_OPERATION', 'USER_MODE requires a running user');
  for (const [obj, fields] of ctx.touched) {
    checkObjectAccess(ctx.db, ctx.orgId, options.userId, obj, 'read');
    checkFieldAccess(ctx.db, ctx.orgId, options.userId, obj, [...fields]);
  }
}

const NUMERIC = new Set(['int', 'double', 'currency']);

/**
 * Aggregate queries: the WHERE runs in SQL, each field the query reads becomes one column, and the
 * grouping runs in JS (tools/data/aggregate.ts).
 * `SELECT COUNT() FROM …` answers with totalSize only, as Salesforce does.
 */
function runAggregate(ctx: Ctx, def: ObjectDef, q: Query, options: SoqlOptions): SoqlResult {
  const paths = aggregatePaths(q);
  const exprs = paths.map((p) => fieldExpr(ctx, def, p));
  const where = filter(ctx, def, q, options);
  checkUserMode(ctx, q, options);
  const cols = exprs.length ? exprs.map((e, i) => `${e.sql} AS c${i}`).join(', ') : 'r.id AS c0';
  const rows = statement(ctx.db, `SELECT ${cols} FROM ${source(options)} r WHERE ${where}`).all(...ctx.params) as Record<string, unknown>[];
  if (isPlainCount(q)) return { totalSize: rows.length, done: true, records: [] };
  const index = new Map(paths.map((p, i) => [p.toLowerCase(), i]));
  const value = (row: Record<string, unknown>, path: string) => {
    const i = index.get(path.toLowerCase())!;
    const v = row[`c${i}`];
    return exprs[i].type === 'boolean' && v !== null ? v === 1 || v === true : v;
  };
  try {
    const records = aggregateRecords(q, {
      rows,
      binds: ctx.binds,
      value,
      fieldName: (path) =>
        normalisePath(def, path)
          .map((part, i, all) => (i === all.length - 1 ? canonicalLeaf(ctx, def, all) : part))
          .join('.'),
      checkFunction: (fn, path) => {
        const type = exprs[index.get(path.toLowerCase())!].type;
        const bad =
          ((fn === 'SUM' || fn === 'AVG') && !NUMERIC.has(type)) ||
          ((fn === 'MIN' || fn === 'MAX') && ['boolean', 'textarea'].includes(type));
        if (bad) throw new ApiError(400, 'INVALID_FIELD', `field ${path} does not support aggregate operator ${fn}`);
      },
    });
    return { totalSize: records.length, done: true, records };
  } catch (e) {
    if (e instanceof AggregateQueryError) throw new ApiError(400, e.code, e.message);
    throw e;
  }
}

/** The schema's spelling of the last field of a path (Salesforce names grouped fields that way). */
function canonicalLeaf(ctx: Ctx, def: ObjectDef, parts: string[]): string {
  let d = def;
  for (const rel of parts.slice(0, -1)) {
    const r = findRelationship(d, rel);
    if (!r?.referenceTo) return parts[parts.length - 1];
    if (isDefinitionRelationship(r)) return definitionLeaf(r, parts[parts.length - 1]);
    d = objectDef(ctx.db, ctx.orgId, r.referenceTo);
  }
  return findField(d, parts[parts.length - 1])?.name ?? parts[parts.length - 1];
}

/**
 * Runs one SOQL query for a user of an org and returns every matching record (paging is the
 * caller's concern). The Apex runtime calls this through ApexHost.query.
 */
export function runSoql(db: DatabaseSync, orgId: string, soql: string, options: SoqlOptions = {}): SoqlResult {
  const q = parseSoql(bindsForParser(soql, options.binds));
  if (!q.sObject) throw malformed('missing FROM');
  let def: ObjectDef;
  try {
    def = objectDef(db, orgId, q.sObject);
  } catch {
    throw invalidType(q.sObject);
  }
  const ctx: Ctx = { db, orgId, params: [orgId, def.name], binds: options.binds ?? {}, touched: new Map() };
  if (isAggregateQuery(q)) return runAggregate(ctx, def, q, options);
  const apiVersion = (options.apiVersion ?? '66.0').replace(/^v/, '');
  const selected: Selected[] = [];
  const userMode = options.userMode || (q as { withAccessLevel?: string }).withAccessLevel?.toUpperCase() === 'USER_MODE';
  for (const f of q.fields ?? []) {
    const fld = f as SoqlField & { field?: string; rawValue?: string; functionName?: string; parameters?: unknown[]; alias?: string };
    if (fld.type === 'Field') {
      fieldExpr(ctx, def, fld.field!);
      selected.push({ kind: 'field', path: normalisePath(def, fld.field!) });
    } else if (fld.type === 'FieldRelationship') {
      fieldExpr(ctx, def, fld.rawValue!);
      const path = normalisePath(def, fld.rawValue!);
      selected.push({ kind: 'field', path });
      const lookup = options.lookupWithParent ? findRelationship(def, path[0]) : undefined;
      if (lookup && !isDefinitionRelationship(lookup) && !selected.some((x) => x.path.length === 1 && x.path[0] === lookup.name))
        selected.push({ kind: 'field', path: [lookup.name] });
    } else if (fld.type === 'FieldSubquery') {
      const sub = (fld as unknown as { subquery: Query & { relationshipName: string } }).subquery;
      const rel = findChildRelationship(db, orgId, orgKind(db, orgId), def, sub.relationshipName);
      if (!rel)
        throw new ApiError(
          400,
          'INVALID_TYPE',
          `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      const { relationshipName: _r, ...rest } = sub;
      const soqlText = composeQuery({ ...rest, sObject: rel.childSObject } as Query);
      // Validate now so a bad subquery fails the whole query, as Salesforce does.
      runSoql(db, orgId, soqlText, { ...options, parentFilter: { field: rel.field, id: '000000000000000AAA' } });
      selected.push({
        kind: 'subquery',
        path: [rel.name],
        subquery: { relationship: rel.name, childSObject: rel.childSObject, field: rel.field, soql: soqlText },
      });
    } else if (fld.type === 'FieldFunctionExpression' && fld.functionName?.toUpperCase() === 'FIELDS') {
      // FIELDS() "respects field-level security, so it only shows the fields that you have permission to access".
      const group = String(fld.parameters?.[0] ?? 'ALL').toUpperCase();
      touch(ctx, def.name, 'Id'); // the object itself must still be readable
      for (const fd of def.fields) {
        if ((group === 'CUSTOM' && !fd.name.endsWith('__c')) || (group === 'STANDARD' && fd.name.endsWith('__c'))) continue;
        if (userMode && options.userId && !canReadField(db, orgId, options.userId, def.name, fd.name)) continue;
        selected.push({ kind: 'field', path: [fd.name] });
      }
    } else if (fld.type === 'FieldFunctionExpression' && selectFunction(def, fld.functionName!, fld.parameters, fld.alias)) {
      const fn = selectFunction(def, fld.functionName!, fld.parameters, fld.alias)!;
      touch(ctx, def.name, fn.field);
      selected.push({ kind: 'function', path: [fn.field], fn });
    } else {
      throw malformed(`${fld.type}${fld.functionName ? ' ' + fld.functionName : ''} is not supported by the local platform`);
    }
  }
  if (selected.length === 0) throw malformed('no fields selected');
  let sql = `SELECT r.id AS id, r.fields AS fields FROM ${source(options)} r WHERE ${filter(ctx, def, q, options)}`;
  if (q.orderBy) {
    const orders = (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]).map((o) => {
      const ob = o as { field?: string; order?: string; nulls?: string };
      if (!ob.field) throw malformed('ORDER BY functions are not supported by the local platform');
      const { sql: e, type } = fieldExpr(ctx, def, ob.field);
      const dir = (ob.order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      // "By default, null values are sorted first", DESC included (SOQL and SOSL Reference, "ORDER BY")
      const nulls = ob.nulls ? ob.nulls.toUpperCase() : 'FIRST';
      // Ids sort as they compare (case-sensitive), so a keyset walk (Id < :last) neither skips nor repeats a row.
      return `${e}${isText(type) && type !== 'id' && type !== 'reference' ? ' COLLATE NOCASE' : ''} ${dir} NULLS ${nulls}`;
    });
    sql += ` ORDER BY ${orders.join(', ')}`;
  } else sql += ' ORDER BY r.rowid';
  checkUserMode(ctx, q, options);
  if (q.limit !== undefined) sql += ` LIMIT ${Number(q.limit)}`;
  if (q.offset !== undefined) sql += `${q.limit === undefined ? ' LIMIT -1' : ''} OFFSET ${Number(q.offset)}`;
  const rows = statement(db, sql).all(...ctx.params) as { id: string; fields: string }[];
  const paths = selected.filter((s) => s.kind === 'field').map((s) => s.path);
  const subqueries = selected.filter((s) => s.kind === 'subquery');
  const functions = selected.filter((s) => s.kind === 'function').map((s) => s.fn!);
  const records = rows.map((r) => {
    const fields = JSON.parse(r.fields) as Record<string, unknown>;
    const out = shape(ctx, def, { id: r.id, fields }, paths, options.instanceUrl ?? '', apiVersion);
    for (const fn of functions) out[fn.key] = fn.apply(fn.field === 'Id' ? r.id : (fields[fn.field] ?? null));
    for (const s of subqueries) {
      const sq = s.subquery!;
      const children = runSoql(db, orgId, sq.soql, { ...options, parentFilter: { field: sq.field, id: r.id } });
      // The REST API sends null, not an empty result, when a parent has no children; Apex sees an empty list.
      out[sq.relationship] = children.totalSize || options.emptyChildLists ? children : null;
    }
    return out;
  });
  return { totalSize: records.length, done: true, records };
}
