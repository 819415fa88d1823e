import type { DatabaseSync } from 'node:sqlite';
import type { RequestContext, RouteHandler } from '../http/contracts.ts';
import { ApiError, invalidType, notFound } from '../http/errors.ts';
import { parseJsonBody, sendJson } from '../http/http.ts';
import { deleteRecord, getRecord, insertRecord, objectDef, tx, updateRecord, type StoredOrg } from '../../data/store.ts';
import { getObjectDef, listObjects, findField, type ObjectDef } from '../../data/schema.ts';
import { runSoql } from '../../data/soql.ts';
import { soqlColumns } from '../../data/soqlColumns.ts';
import { describeObject, describeSummary } from './describe.ts';
import { keepLocator, readLocator } from './queryLocators.ts';
import { canReadField, checkFieldEdit, checkObjectAccess, hasObjectAccess } from '../../data/access.ts';
import { recordTypesOf } from '../../data/recordTypes.ts';

/**
 * The REST data API under /services/data: versions, resources, limits, describe, sObject CRUD,
 * composite tree (sf data import tree), query and queryMore. Dev Hub objects get their side effects
 * (signup on ScratchOrgInfo insert, teardown on ActiveScratchOrg delete) through `hooks`.
 */
export const API_VERSIONS = Array.from({ length: 66 - 31 + 1 }, (_, i) => `${31 + i}.0`);
export const LATEST_API = API_VERSIONS[API_VERSIONS.length - 1];

export interface DataHooks {
  /** A ScratchOrgInfo insert: validate, create the org, return the ScratchOrgInfo Id. */
  createScratchOrgInfo(hubId: string, input: Record<string, unknown>, userId: string): Promise<string>;
  /** Before an ActiveScratchOrg row is deleted: tear the org down. */
  beforeActiveScratchOrgDelete(hubId: string, asoId: string): Promise<void>;
  limits(org: StoredOrg): Record<string, { Max: number; Remaining: number }>;
}

const BATCH = 2000;

function pageQuery(
  org: StoredOrg,
  userId: string,
  v: string,
  all: { totalSize: number; records: Record<string, unknown>[] },
  batch: number,
  offset = 0,
  locatorId?: string,
): Record<string, unknown> {
  const records = all.records.slice(offset, offset + batch);
  const next = offset + batch;
  const done = next >= all.records.length;
  const out: Record<string, unknown> = { totalSize: all.totalSize, done, records };
  if (!done) out.nextRecordsUrl = `/services/data/v${v}/query/${keepLocator(org.id, userId, all.records, locatorId)}-${next}`;
  return out;
}

function batchSize(ctx: RequestContext, headerValue: string | string[] | undefined): number {
  void ctx;
  const m = /batchSize=(\d+)/i.exec(String(headerValue ?? ''));
  return m ? Math.min(Math.max(Number(m[1]), 200), BATCH) : BATCH;
}

function userOf(ctx: RequestContext): string {
  if (!ctx.userId) throw new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  return ctx.userId;
}

function requireDml(
  db: DatabaseSync,
  orgId: string,
  userId: string,
  sobject: string,
  op: 'create' | 'edit' | 'delete',
  fields: string[],
): void {
  checkObjectAccess(db, orgId, userId, sobject, op);
  if (op !== 'delete') checkFieldEdit(db, orgId, userId, sobject, fields);
}

/** The object definition as the user sees it: fields hidden by field-level security are left out. */
function readableFields(db: DatabaseSync, orgId: string, userId: string, def: ObjectDef): ObjectDef {
  return { ...def, fields: def.fields.filter((f) => canReadField(db, orgId, userId, def.name, f.name)) };
}

export function dataRoutes(hooks: DataHooks): RouteHandler {
  return async (ctx, req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== '/services/data' && !path.startsWith('/services/data/')) return false;
    const org = ctx.org as StoredOrg;
    const db = ctx.db;
    const method = req.method ?? 'GET';
    if (path === '/services/data') {
      sendJson(
        res,
        200,
        API_VERSIONS.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version })),
      );
      return true;
    }
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!m || !API_VERSIONS.includes(m[1])) throw notFound('The requested resource does not exist');
    const v = m[1];
    const rest = m[2] ?? '';
    const userId = userOf(ctx);
    if (rest === '') {
      const base = `/services/data/v${v}`;
      sendJson(
        res,
        200,
        Object.fromEntries(['sobjects', 'query', 'queryAll', 'limits', 'composite', 'tooling', 'search'].map((k) => [k, `${base}/${k}`])),
      );
      return true;
    }
    if (rest === '/limits') {
      sendJson(res, 200, {
        DailyApiRequests: { Max: 15000, Remaining: 15000 },
        DataStorageMB: { Max: 200, Remaining: 200 },
        FileStorageMB: { Max: 50, Remaining: 50 },
        ...hooks.limits(org),
      });
      return true;
    }
    if (rest === '/query' || rest === '/queryAll') {
      const q = url.searchParams.get('q');
      if (!q) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      if (url.searchParams.get('columns') === 'true') {
        // The columns of a query the user may run: objects and fields it cannot read fail as the query would.
        runSoql(db, org.id, q, { userMode: true, userId, apiVersion: v, instanceUrl: org.instanceUrl });
        sendJson(res, 200, soqlColumns(db, org.id, q));
        return true;
      }
      const all = runSoql(db, org.id, q, {
        userMode: true,
        userId,
        apiVersion: v,
        instanceUrl: org.instanceUrl,
        allRows: rest === '/queryAll',
      });
      sendJson(res, 200, pageQuery(org, userId, v, all, batchSize(ctx, req.headers['sforce-query-options'])));
      return true;
    }
    const more = /^\/query(?:All)?\/(01g[0-9a-f]+)-(\d+)$/.exec(rest);
    if (more) {
      const rows = readLocator(org.id, userId, more[1]);
      if (!rows) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      sendJson(
        res,
        200,
        pageQuery(
          org,
          userId,
          v,
          { totalSize: rows.length, records: rows },
          batchSize(ctx, req.headers['sforce-query-options']),
          Number(more[2]),
          more[1],
        ),
      );
      return true;
    }
    if (rest === '/sobjects') {
      const visible = listObjects(db, org.id, org.kind).filter((d) => hasObjectAccess(db, org.id, userId, d.name, 'read'));
      sendJson(res, 200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: visible.map((d) => describeSummary(d, v)) });
      return true;
    }
    const tree = /^\/composite\/tree\/([A-Za-z0-9_]+)$/.exec(rest);
    if (tree && method === 'POST') {
      const payload = parseJsonBody(req, body) as { records?: unknown };
      if (!payload || !Array.isArray(payload.records))
        throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be {"records": [...]}');
      if (payload.records.length > 200)
        throw new ApiError(400, 'LIMIT_EXCEEDED', 'Number of records in the request exceeds the limit of 200');
      const result = compositeTree(db, org.id, userId, tree[1], payload.records as Record<string, unknown>[]);
      sendJson(res, result.hasErrors ? 400 : 201, result);
      return true;
    }
    const so = /^\/sobjects\/([A-Za-z0-9_]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(rest);
    if (so) {
      const def = getObjectDef(db, org.id, org.kind, so[1]);
      if (!def) throw new ApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
      const [, , idOrDescribe, extra] = so;
      if (idOrDescribe === 'describe' && !extra && method === 'GET') {
        checkObjectAccess(db, org.id, userId, def.name, 'read');
        sendJson(res, 200, describeObject(readableFields(db, org.id, userId, def), v, recordTypesOf(db, org.id, def.name)));
        return true;
      }
      if (!idOrDescribe) {
        if (method === 'GET') {
          sendJson(res, 200, { objectDescribe: describeSummary(def, v), recentItems: [] });
          return true;
        }
        if (method === 'POST') {
          const input = parseJsonBody(req, body);
          if (!input || typeof input !== 'object' || Array.isArray(input))
            throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field values');
          requireDml(db, org.id, userId, def.name, 'create', Object.keys(input));
          const id =
            def.name === 'ScratchOrgInfo'
              ? await hooks.createScratchOrgInfo(org.id, input as Record<string, unknown>, userId)
              : hasActiveTriggers(db, org.id, def.name)
                ? await writeThroughApex(ctx, userId, 'insert', { ...(input as Record<string, unknown>), attributes: { type: def.name } })
                : tx(db, () => insertRecord(db, org.id, def.name, input as Record<string, unknown>, { userId }));
          sendJson(res, 201, { id, success: true, errors: [] });
          return true;
        }
        throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST`);
      }
      if (extra) throw notFound();
      const id = idOrDescribe;
      if (method === 'GET') {
        checkObjectAccess(db, org.id, userId, def.name, 'read');
        const rec = getRecord(db, org.id, id);
        if (!rec || rec.sobject !== def.name) throw notFound('The requested resource does not exist');
        const wanted = url.searchParams.get('fields');
        // Named fields the user cannot read fail (400); without `fields`, unreadable ones are left out.
        const fieldNames = wanted
          ? wanted
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : readableFields(db, org.id, userId, def).fields.map((f) => f.name);
        const soql = `SELECT ${fieldNames.join(', ')} FROM ${def.name} WHERE Id = '${rec.id}'`;
        const r = runSoql(db, org.id, soql, { userMode: true, userId, apiVersion: v });
        sendJson(res, 200, r.records[0]);
        return true;
      }
      if (method === 'PATCH') {
        const input = parseJsonBody(req, body);
        if (!input || typeof input !== 'object' || Array.isArray(input))
          throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field values');
        requireDml(db, org.id, userId, def.name, 'edit', Object.keys(input));
        if (hasActiveTriggers(db, org.id, def.name)) {
          const rec = getRecord(db, org.id, id);
          if (!rec || rec.sobject !== def.name) throw notFound('Provided external ID field does not exist or is not accessible: ' + id);
          await writeThroughApex(ctx, userId, 'update', {
            ...(input as Record<string, unknown>),
            Id: rec.id,
            attributes: { type: def.name },
          });
        } else tx(db, () => updateRecord(db, org.id, def.name, id, input as Record<string, unknown>, { userId }));
        res.writeHead(204).end();
        return true;
      }
      if (method === 'DELETE') {
        requireDml(db, org.id, userId, def.name, 'delete', []);
        const rec = getRecord(db, org.id, id);
        if (!rec || rec.sobject !== def.name) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
        if (def.name === 'ActiveScratchOrg') await hooks.beforeActiveScratchOrgDelete(org.id, rec.id);
        else if (hasActiveTriggers(db, org.id, def.name))
          await writeThroughApex(ctx, userId, 'delete', { Id: rec.id, attributes: { type: def.name } });
        else tx(db, () => deleteRecord(db, org.id, def.name, id));
        res.writeHead(204).end();
        return true;
      }
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are HEAD,GET,PATCH,DELETE`);
    }
    return false;
  };
}

/** Does the org have an active trigger on this object (the ApexTrigger rows its deploys wrote)? */
function hasActiveTriggers(db: DatabaseSync, orgId: string, sobject: string): boolean {
  return !!db
    .prepare(
      "SELECT 1 FROM records WHERE org_id = ? AND sobject = 'ApexTrigger' AND lower(json_extract(fields, '$.TableEnumOrId')) = lower(?) AND json_extract(fields, '$.Status') = 'Active' LIMIT 1",
    )
    .get(orgId, sobject);
}

/**
 * A record write the org's triggers must see: run as an Apex DML transaction (tools/apex runApiDml).
 * A failed row answers as Salesforce's REST API does: 400 with the row's status code, message, fields.
 */
async function writeThroughApex(
  ctx: RequestContext,
  userId: string,
  op: 'insert' | 'update' | 'delete',
  record: Record<string, unknown>,
): Promise<string> {
  const { runApiDml } = await import('../../apex/index.ts');
  const r = await runApiDml(ctx.apexHost(userId), op, record as Parameters<typeof runApiDml>[2]);
  if (!r.ok) throw new ApiError(400, r.error!.statusCode, r.error!.message, r.error!.fields);
  return r.id ?? '';
}

/** Inserts an sObject tree (records with nested child lists) all-or-nothing. */
export function compositeTree(db: DatabaseSync, orgId: string, userId: string, sobject: string, records: Record<string, unknown>[]) {
  const results: { referenceId: string; id?: string; errors?: unknown[] }[] = [];
  const root = getObjectDef(db, orgId, 'scratch', sobject) ?? getObjectDef(db, orgId, 'devhub', sobject);
  if (!root) throw invalidType(sobject);
  try {
    tx(db, () => {
      const insert = (type: string, rec: Record<string, unknown>, parent?: { field: string; id: string }) => {
        const attrs = (rec.attributes ?? {}) as { type?: string; referenceId?: string };
        const refId = attrs.referenceId ?? '';
        const def = objectDef(db, orgId, attrs.type ?? type);
        const fields: Record<string, unknown> = {};
        const children: [string, Record<string, unknown>[]][] = [];
        for (const [k, v] of Object.entries(rec)) {
          if (k === 'attributes') continue;
          if (v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records))
            children.push([k, (v as { records: Record<string, unknown>[] }).records]);
          else fields[k] = v;
        }
        if (parent) fields[parent.field] = parent.id;
        try {
          requireDml(db, orgId, userId, def.name, 'create', Object.keys(fields));
          const id = insertRecord(db, orgId, def.name, fields, { userId });
          results.push({ referenceId: refId, id });
          for (const [rel, kids] of children) {
            const childType = (kids[0]?.attributes as { type?: string } | undefined)?.type;
            if (!childType) throw new ApiError(400, 'INVALID_FIELD', `Child relationship ${rel} needs attributes.type`);
            const childDef = objectDef(db, orgId, childType);
            const link = childDef.fields.find((f) => f.referenceTo === def.name);
            if (!link) throw new ApiError(400, 'INVALID_FIELD', `No such relationship ${rel} on ${def.name}`);
            for (const kid of kids) insert(childType, kid, { field: link.name, id });
          }
        } catch (e) {
          if (e instanceof ApiError) {
            results.length = 0;
            results.push({ referenceId: refId, errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields }] });
          }
          throw e;
        }
      };
      for (const rec of records) insert(root.name, rec);
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { hasErrors: true, results };
  }
  void findField;
  return { hasErrors: false, results };
}

/**
 * Tooling API queries over the same store (ApexClass, User, …), tried after the Metadata and Apex
 * modules so they can own what they know better (ApexTestResult, SourceMember, …). Unknown tooling
 * objects get INVALID_TYPE; executeAnonymous and runTests* answer "not supported yet" until the Apex
 * module handles them.
 */
export function toolingRoutes(): RouteHandler {
  return async (ctx, req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/services\/data\/v(\d+\.\d)\/tooling(\/.*)$/.exec(url.pathname.replace(/\/+$/, ''));
    if (!m) return false;
    const [, v, rest] = m;
    if (/^\/(executeAnonymous|runTests)/.test(rest)) return false;
    if ((rest === '/query' || rest === '/queryAll') && req.method === 'GET') {
      const q = url.searchParams.get('q');
      if (!q) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      const userId = userOf(ctx);
      const all = runSoql(ctx.db, ctx.org.id, q, { userMode: true, userId, apiVersion: v });
      sendJson(res, 200, {
        ...pageQuery(ctx.org as StoredOrg, userId, v, all, BATCH),
        entityTypeName: all.records[0] ? (all.records[0].attributes as { type: string }).type : null,
      });
      return true;
    }
    const d = /^\/sobjects\/([A-Za-z0-9_]+)\/describe$/.exec(rest);
    if (d && req.method === 'GET') {
      const def = getObjectDef(ctx.db, ctx.org.id, (ctx.org as StoredOrg).kind, d[1]);
      if (!def) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      // As the REST describe: only objects the user may read, with the fields it may read.
      const userId = userOf(ctx);
      checkObjectAccess(ctx.db, ctx.org.id, userId, def.name, 'read');
      sendJson(res, 200, describeObject(readableFields(ctx.db, ctx.org.id, userId, def), v, recordTypesOf(ctx.db, ctx.org.id, def.name)));
      return true;
    }
    return false;
  };
}
