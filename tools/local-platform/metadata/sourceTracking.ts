/**
 * Source tracking, the part the Metadata API owns: scratch orgs record a SourceMember for every component a
 * deploy changes (RevisionCounter grows per org), and the `sf` CLI reads them over the Tooling API —
 * `tooling/sobjects/SourceMember/describe` to learn whether an org tracks source (Dev Hubs and other
 * non-scratch orgs answer 404 NOT_FOUND "The requested resource does not exist", which is how the CLI
 * tells), and `tooling/query` with `SELECT … FROM SourceMember WHERE RevisionCounter > n` / `<= n`.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../http/contracts.ts';

export function ensureSourceMemberTable(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS md_source_members (
    id TEXT NOT NULL, org_id TEXT NOT NULL, member_type TEXT NOT NULL, member_name TEXT NOT NULL,
    revision_counter INTEGER NOT NULL, is_name_obsolete INTEGER NOT NULL DEFAULT 0, is_new_member INTEGER NOT NULL DEFAULT 0,
    changed_by TEXT, last_modified TEXT NOT NULL,
    PRIMARY KEY (org_id, member_type, member_name))`);
}

/** Records changed components of a scratch org deploy. Call inside the deploy transaction. */
export function recordSourceMembers(
  db: DatabaseSync,
  orgId: string,
  members: { type: string; name: string; created: boolean; deleted?: boolean }[],
  changedBy: string | undefined,
): void {
  ensureSourceMemberTable(db);
  const max = (
    db.prepare('SELECT COALESCE(MAX(revision_counter), 0) AS m FROM md_source_members WHERE org_id = ?').get(orgId) as { m: number }
  ).m;
  let rev = max;
  const now = new Date().toISOString().replace('Z', '+0000');
  const stmt = db.prepare(
    `INSERT INTO md_source_members (id, org_id, member_type, member_name, revision_counter, is_name_obsolete, is_new_member, changed_by, last_modified)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (org_id, member_type, member_name) DO UPDATE SET revision_counter = excluded.revision_counter,
       is_name_obsolete = excluded.is_name_obsolete, changed_by = excluded.changed_by, last_modified = excluded.last_modified`,
  );
  for (const m of members)
    stmt.run(sourceMemberId(), orgId, m.type, m.name, ++rev, m.deleted ? 1 : 0, m.created ? 1 : 0, changedBy ?? null, now);
}

function sourceMemberId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '0MZ000';
  for (const b of randomBytes(12)) s += alphabet[b % alphabet.length];
  return s;
}

const QUERY = /^\s*SELECT\s+([\w\s,]+?)\s+FROM\s+SourceMember(?:\s+WHERE\s+RevisionCounter\s*(>=|<=|>|<|=)\s*(\d+))?\s*$/i;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** Handles the SourceMember Tooling API calls; false for anything else. */
export function sourceMemberRoute(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: Buffer): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  const base = /^\/services\/data\/v(\d+\.\d+)\/tooling\//.exec(url.pathname);
  if (!base) return false;
  const version = base[1];
  const rest = url.pathname.slice(base[0].length);
  const tracks = ctx.org.kind === 'scratch';
  if (/^sobjects\/SourceMember\/describe\/?$/i.test(rest)) {
    if (!tracks) {
      json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return true;
    }
    const fields = [
      'Id',
      'MemberIdOrName',
      'MemberType',
      'MemberName',
      'IsNameObsolete',
      'RevisionCounter',
      'IsNewMember',
      'ChangedBy',
      'LastModifiedDate',
    ];
    json(res, 200, {
      name: 'SourceMember',
      label: 'Source Member',
      queryable: true,
      createable: false,
      updateable: false,
      deletable: false,
      custom: false,
      fields: fields.map((n) => ({
        name: n,
        label: n,
        type: n === 'Id' ? 'id' : n.startsWith('Is') ? 'boolean' : n === 'RevisionCounter' ? 'int' : 'string',
      })),
      urls: { describe: `/services/data/v${version}/tooling/sobjects/SourceMember/describe` },
    });
    return true;
  }
  const patch = /^sobjects\/SourceMember\/([A-Za-z0-9]{15,18})\/?$/i.exec(rest);
  if (patch && req.method === 'PATCH' && tracks) {
    // The CLI resets RevisionCounter to 0 after creating a scratch org (sfdx-core updateRevisionCounterToZero).
    ensureSourceMemberTable(ctx.db);
    let input: { RevisionCounter?: unknown };
    try {
      input = JSON.parse(body.toString('utf8')) as typeof input;
    } catch {
      json(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'The request body is not valid JSON.' }]);
      return true;
    }
    if (typeof input.RevisionCounter !== 'number' || !Number.isInteger(input.RevisionCounter)) {
      json(res, 400, [{ errorCode: 'INVALID_FIELD', message: 'Only RevisionCounter (an integer) can be updated on SourceMember.' }]);
      return true;
    }
    const r = ctx.db
      .prepare('UPDATE md_source_members SET revision_counter = ? WHERE org_id = ? AND id = ?')
      .run(input.RevisionCounter, ctx.org.id, patch[1]!);
    if (Number(r.changes) === 0) json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    else {
      res.writeHead(204);
      res.end();
    }
    return true;
  }
  if (!/^query\/?$/.test(rest)) return false;
  const q = url.searchParams.get('q') ?? '';
  if (!/\bFROM\s+SourceMember\b/i.test(q)) return false;
  if (!tracks) {
    json(res, 400, [{ errorCode: 'INVALID_TYPE', message: "sObject type 'SourceMember' is not supported." }]);
    return true;
  }
  const m = QUERY.exec(q);
  if (!m) {
    json(res, 400, [
      {
        errorCode: 'MALFORMED_QUERY',
        message: 'Only SELECT <fields> FROM SourceMember [WHERE RevisionCounter <op> <n>] is supported locally.',
      },
    ]);
    return true;
  }
  ensureSourceMemberTable(ctx.db);
  const fields = m[1]!.split(',').map((f) => f.trim());
  const op = m[2];
  const n = Number(m[3] ?? 0);
  const rows = (
    op
      ? ctx.db
          .prepare(`SELECT * FROM md_source_members WHERE org_id = ? AND revision_counter ${op} ? ORDER BY revision_counter`)
          .all(ctx.org.id, n)
      : ctx.db.prepare('SELECT * FROM md_source_members WHERE org_id = ? ORDER BY revision_counter').all(ctx.org.id)
  ) as {
    id: string;
    member_type: string;
    member_name: string;
    revision_counter: number;
    is_name_obsolete: number;
    is_new_member: number;
    changed_by: string | null;
    last_modified: string;
  }[];
  const records = rows.map((r) => {
    const all: Record<string, unknown> = {
      Id: r.id,
      MemberIdOrName: r.member_name,
      MemberType: r.member_type,
      MemberName: r.member_name,
      IsNameObsolete: !!r.is_name_obsolete,
      RevisionCounter: r.revision_counter,
      IsNewMember: !!r.is_new_member,
      ChangedBy: r.changed_by,
      LastModifiedDate: r.last_modified,
    };
    const out: Record<string, unknown> = {
      attributes: { type: 'SourceMember', url: `/services/data/v${version}/tooling/sobjects/SourceMember/${r.id}` },
    };
    for (const f of fields) {
      const key = Object.keys(all).find((k) => k.toLowerCase() === f.toLowerCase());
      out[key ?? f] = key ? all[key] : null;
    }
    return out;
  });
  json(res, 200, {
    size: records.length,
    totalSize: records.length,
    done: true,
    queryLocator: null,
    entityTypeName: 'SourceMember',
    records,
  });
  return true;
}
