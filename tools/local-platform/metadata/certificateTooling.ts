/**
 * Tooling API `Certificate` (query only, as on Salesforce: "supports query() and retrieve()"): what
 * setup scripts ask before deploying a certificate, since a deploy over an existing one renews its key
 * pair (docs/salesforce-rules.md#certificate-renewal). Served from md_certificate_keys: generated and keystore-imported certificates alike.
 * Supported: `SELECT <fields> FROM Certificate [WHERE DeveloperName = '<name>']`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../http/contracts.ts';
import { to18 } from '../../data/ids.ts';
import { sendJson as json } from '../http/http.ts';

const QUERY = /^\s*SELECT\s+([\w\s,]+?)\s+FROM\s+Certificate(?:\s+WHERE\s+DeveloperName\s*=\s*'([^']*)')?(?:\s+LIMIT\s+(\d+))?\s*$/i;
const FIELDS = ['Id', 'DeveloperName', 'MasterLabel', 'KeySize', 'ExpirationDate'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A stable Id per org and name, so the same certificate answers with the same Id across queries. */
function certificateId(orgId: string, devName: string): string {
  const digest = createHash('sha256').update(`${orgId}/${devName}`).digest();
  let id = '0P1';
  for (let i = 0; id.length < 15; i++) id += BASE62[digest[i]! % 62];
  return to18(id);
}

/** Handles `tooling/query` on Certificate; false for anything else. */
export function certificateToolingRoute(ctx: RequestContext, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  const base = /^\/services\/data\/v(\d+\.\d+)\/tooling\/query\/?$/.exec(url.pathname);
  const q = url.searchParams.get('q') ?? '';
  if (!base || req.method !== 'GET' || !/\bFROM\s+Certificate\b/i.test(q)) return false;
  if (!ctx.userId) {
    json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    return true;
  }
  const m = QUERY.exec(q);
  if (!m) {
    json(res, 400, [
      {
        errorCode: 'MALFORMED_QUERY',
        message: "Only SELECT <fields> FROM Certificate [WHERE DeveloperName = '<name>'] is supported by the local platform.",
      },
    ]);
    return true;
  }
  const asked = m[1]!.split(',').map((f) => f.trim());
  // Each asked field under its proper spelling (SOQL field names are case-insensitive).
  const proper = asked.map((f) => FIELDS.find((k) => k.toLowerCase() === f.toLowerCase()));
  const unknown = asked.find((_, i) => !proper[i]);
  if (unknown) {
    json(res, 400, [{ errorCode: 'INVALID_FIELD', message: `No such column '${unknown}' on entity 'Certificate'.` }]);
    return true;
  }
  const fields = proper as string[];
  if (url.searchParams.get('columns') === 'true') {
    // `sf data query` asks for the columns first.
    const columnMetadata = fields.map((name) => ({
      aggregate: false,
      apexType: null,
      booleanType: false,
      columnName: name,
      custom: false,
      displayName: name,
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: name === 'KeySize',
      textType: name !== 'KeySize',
      updatable: false,
    }));
    json(res, 200, { columnMetadata, entityName: 'Certificate', groupBy: false, idSelected: fields.includes('Id'), keyPrefix: '0P1' });
    return true;
  }
  const rows = (
    m[2] === undefined
      ? ctx.db
          .prepare('SELECT dev_name, certificate_pem, key_size FROM md_certificate_keys WHERE org_id = ? ORDER BY dev_name')
          .all(ctx.org.id)
      : ctx.db
          .prepare('SELECT dev_name, certificate_pem, key_size FROM md_certificate_keys WHERE org_id = ? AND lower(dev_name) = lower(?)')
          .all(ctx.org.id, m[2])
  ) as {
    dev_name: string;
    certificate_pem: string;
    key_size: number;
  }[];
  const limited = m[3] === undefined ? rows : rows.slice(0, Number(m[3]));
  const records = limited.map((r) => {
    const id = certificateId(ctx.org.id, r.dev_name);
    const all: Record<string, unknown> = {
      Id: id,
      DeveloperName: r.dev_name,
      MasterLabel: r.dev_name,
      KeySize: r.key_size,
      ExpirationDate: new Date(new X509Certificate(r.certificate_pem).validTo).toISOString(),
    };
    const out: Record<string, unknown> = {
      attributes: { type: 'Certificate', url: `/services/data/v${base[1]}/tooling/sobjects/Certificate/${id}` },
    };
    for (const key of fields) out[key] = all[key];
    return out;
  });
  json(res, 200, {
    size: records.length,
    totalSize: records.length,
    done: true,
    queryLocator: null,
    entityTypeName: 'Certificate',
    records,
  });
  return true;
}
