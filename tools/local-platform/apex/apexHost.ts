import { sign as cryptoSign, createPrivateKey, randomUUID } from 'node:crypto';
import { journalCommit, journalNextSeq, journalRollback, journalWrite, type RawRow, type Undo } from './apexJournal.ts';
import type { DatabaseSync } from 'node:sqlite';
import type {
  ApexHost,
  ApexUser,
  HttpCallout,
  HttpCalloutResult,
  SObjectRecord,
  ApexClassSource,
  RecordTypeInfo,
} from '../../apex/host.ts';
import type { RecordStore } from '../http/contracts.ts';
import type { MetadataModule } from '../http/contracts.ts';
import { runSoql, splitAllRows } from '../../data/soql.ts';
import {
  deleteRecord,
  getDeletedRecord,
  getRecord,
  insertRecord,
  undeleteRecord,
  updateRecord,
  tx,
  type StoredOrg,
} from '../../data/store.ts';
import {
  checkFieldEdit,
  checkObjectAccess,
  fieldPermissionsOf,
  hasClassAccess,
  hasObjectAccess,
  profileNameOf,
} from '../../data/access.ts';
import { childRelationships, findField, findRelationship, getObjectDef, listObjects } from '../../data/schema.ts';
import { isValidId, keyPrefixFor, to15 } from '../../data/ids.ts';
import { describeObject } from '../../apex/describe.ts';
import { describeTabSets } from '../../apex/tabs.ts';
import { ApiError } from '../http/errors.ts';
import { networkLatencyMs } from '../process/simulation.ts';
import { calloutThroughNamedCredential, parseCalloutEndpoint } from './namedCredentials.ts';
import { statement } from '../../data/statements.ts';
import { MASTER_RECORD_TYPE_ID, recordTypesOf } from '../../data/recordTypes.ts';

/**
 * A record's own fields for a write: a queried parent that was null (`Account` of a contact without one)
 * is a relationship, not a field, and DML leaves it out as it leaves out a parent record.
 */
function ownFields(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch', type: string, r: SObjectRecord): Record<string, unknown> {
  const { attributes: _a, ...fields } = r;
  const def = Object.values(fields).includes(null) ? getObjectDef(db, orgId, kind, type) : undefined;
  if (!def) return fields;
  for (const k of Object.keys(fields)) if (fields[k] === null && !findField(def, k) && findRelationship(def, k)) delete fields[k];
  return fields;
}

/**
 * Describe's record types of an object: none when it has none (the runtime answers Master alone), else
 * Master and each record type. Every active record type is available to the running user and Master is
 * the default mapping: profiles' record type assignments are not modelled (FIDELITY.md, "Record types").
 */
function recordTypeInfosOf(db: DatabaseSync, orgId: string, sobject: string): { recordTypeInfos?: RecordTypeInfo[] } {
  const rows = recordTypesOf(db, orgId, sobject);
  if (!rows.length) return {};
  const master = { recordTypeId: MASTER_RECORD_TYPE_ID, name: 'Master', developerName: 'Master', active: true, available: true };
  return {
    recordTypeInfos: [
      { ...master, defaultRecordTypeMapping: true, master: true },
      ...rows.map((r) => ({
        recordTypeId: r.Id,
        name: r.Name,
        developerName: r.DeveloperName,
        active: r.IsActive,
        available: r.IsActive,
        defaultRecordTypeMapping: false,
        master: false,
      })),
    ],
  };
}

/**
 * The Apex runtime's window on one org and user (tools/apex/host.ts): SOQL and DML through the
 * store with user-mode checks, real HTTP callouts gated by Remote Site Settings, certificate signing
 * with keys the Metadata module keeps, and the org's Platform Cache in SQLite.
 */
export interface ApexHostDeps {
  db: DatabaseSync;
  org: StoredOrg;
  userId: string;
  metadata: MetadataModule;
  records: RecordStore;
  /** fetch used for callouts (tests may pass a wrapper; default the global fetch). */
  fetchImpl?: typeof fetch;
  /** Shared with runAs hosts so their DML joins this host's transaction. */
  journal?: Journal;
  /**
   * Runs a callout's network wait; an Apex worker passes one that lets its other transactions run
   * meanwhile (apexTurns.ts). Default: just wait.
   */
  park?: <T>(wait: () => Promise<T>) => Promise<T>;
  /** Answers callouts in place of the network and the Remote Site check (the in-memory org's tests). */
  callout?: (request: HttpCallout) => Promise<HttpCalloutResult>;
}

/**
 * Apex transactions as an undo journal rather than an open SQLite transaction: an Apex request can
 * await a callout that this same process serves (Org A calling Org B), so a connection-wide
 * transaction would interleave with the other org's. Each DML statement commits at once together
 * with its undo entry in `apex_tx_journal` (apexJournal.ts); `rollback` undoes this host's statements
 * since the matching `begin`, and the platform undoes whatever a dead process left open when it next
 * starts. Other requests of the same org may see uncommitted Apex writes meanwhile (a local-platform
 * simplification).
 */
export interface Journal {
  txId: string;
  /** Per open level: the first journal seq that belongs to it. */
  marks: number[];
  /**
   * Whether any statement wrote an undo entry: a transaction that wrote nothing ends without touching
   * the journal, so read-only Apex (most requests) never waits for SQLite's write lock.
   */
  wrote?: boolean;
}
let journalPrefix = 'main:';
/** Tags this thread's transactions (an Apex worker's), so a dead worker's open ones can be undone. */
export function setJournalPrefix(prefix: string): void {
  journalPrefix = prefix;
}
const newJournal = (): Journal => ({ txId: journalPrefix + randomUUID(), marks: [] });

export const unauthorizedEndpoint = (url: string): string =>
  `Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = ${url}`;

const SIGN_ALGORITHMS: Record<string, string> = {
  RSA: 'sha1',
  'RSA-SHA1': 'sha1',
  'RSA-SHA256': 'sha256',
  'RSA-SHA384': 'sha384',
  'RSA-SHA512': 'sha512',
};

/** Is `endpoint` covered by an active Remote Site Setting? Scheme, host and port must match; the path is a prefix. */
export function remoteSiteAllows(
  sites: { url: string; isActive: boolean; disableProtocolSecurity?: boolean }[],
  endpoint: string,
): boolean {
  let target: URL;
  try {
    target = new URL(endpoint);
  } catch {
    return false;
  }
  return sites.some((s) => {
    if (!s.isActive) return false;
    try {
      const site = new URL(s.url);
      const protocolOk = site.protocol === target.protocol || !!s.disableProtocolSecurity;
      return (
        protocolOk &&
        site.hostname.toLowerCase() === target.hostname.toLowerCase() &&
        site.port === target.port &&
        target.pathname.startsWith(site.pathname.replace(/\/$/, '') || '/')
      );
    } catch {
      return false;
    }
  });
}

/** Platform Cache values the runtime could not serialize (system objects), per org/partition/key: this worker thread only. */
const liveCache = new Map<string, { value: unknown; expires: number; size: number }>();
const cacheId = (orgId: string, partition: string, key: string) => `${orgId}\u0000${partition}\u0000${key}`;

/** Rough byte size of a value that JSON cannot serialize (cycles): counts strings and numbers once. */
function approxSize(value: unknown, seen = new WeakSet<object>()): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object') return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  let n = 2;
  for (const v of Object.values(value as Record<string, unknown>)) n += approxSize(v, seen) + 1;
  return n;
}

/**
 * The org's classes as a connection last read them, with the database's state then: `PRAGMA
 * data_version` moves when another connection commits, `total_changes()` when this one writes. While
 * both stand still nothing can have changed, so a transaction need not read and decode every class
 * again (most requests: Apex REST and /aura calls between deploys).
 */
const classesRead = new WeakMap<DatabaseSync, Map<string, { stamp: string; classes: ApexClassSource[] }>>();
function databaseStamp(db: DatabaseSync): string {
  const r = statement(db, 'SELECT total_changes() AS changes').get() as { changes: number };
  const v = statement(db, 'PRAGMA data_version').get() as { data_version: number };
  return `${v.data_version}:${r.changes}`;
}
function cachedOrgApexClasses(db: DatabaseSync, orgId: string, metadata: MetadataModule): ApexClassSource[] {
  let byOrg = classesRead.get(db);
  if (!byOrg) classesRead.set(db, (byOrg = new Map()));
  const stamp = databaseStamp(db);
  const hit = byOrg.get(orgId);
  if (hit?.stamp === stamp) return hit.classes;
  const classes = orgApexClasses(db, orgId, metadata);
  byOrg.set(orgId, { stamp, classes });
  return classes;
}

/** The org's deployed Apex classes: what its transactions compile. */
export function orgApexClasses(db: DatabaseSync, orgId: string, metadata: MetadataModule): ApexClassSource[] {
  if (metadata.listApexClasses) return metadata.listApexClasses(db, orgId);
  const rows = statement(db, "SELECT fields FROM records WHERE org_id = ? AND sobject = 'ApexClass'").all(orgId) as { fields: string }[];
  return rows.map((r) => JSON.parse(r.fields)).map((f: Record<string, unknown>) => ({ name: String(f.Name), body: String(f.Body ?? '') }));
}

export function createApexHost(deps: ApexHostDeps): ApexHost {
  const { db, org, userId, metadata } = deps;
  const fetchImpl = deps.fetchImpl ?? fetch;
  const u = getRecord(db, org.id, userId);
  if (!u) throw new ApiError(404, 'NOT_FOUND', `No user ${userId} in org ${org.id}`);
  const user: ApexUser = {
    id: u.id,
    username: String(u.fields.Username),
    name: String(u.fields.Name ?? ''),
    email: String(u.fields.Email ?? ''),
    profileName: profileNameOf(db, org.id, userId) ?? '',
    profileId: typeof u.fields.ProfileId === 'string' ? u.fields.ProfileId : undefined,
    orgId: org.id,
  };
  const journal = deps.journal ?? newJournal();
  /** The undo entry of a write of the open Apex transaction; call inside the write's SQLite transaction. */
  const undoEntry = (undo: Undo) => {
    if (!journal.marks.length) return;
    journalWrite(db, journal.txId, undo);
    journal.wrote = true;
  };
  const kind = org.kind === 'devhub' ? 'devhub' : 'scratch';
  const rowOf = (id: string) => statement(db, 'SELECT * FROM records WHERE id = ?').get(id) as RawRow | undefined;
  const partitionName = (key: string): { partition: string; key: string } => {
    const parts = key.split('.');
    return parts.length >= 3 ? { partition: `${parts[0]}.${parts[1]}`, key: parts.slice(2).join('.') } : { partition: '', key };
  };
  // A named partition the org does not have holds nothing (Cache.Org throws for it; see the Apex runtime's
  // orgCacheUsable); only partition-less keys fall back to the org's capacity.
  const capacity = (partition?: string): number => {
    const p = metadata.findCachePartition?.(db, org.id, partition?.replace(/^local\./, ''));
    if (p) return p.orgCapacityMb;
    if (partition) return 0;
    const s = org.settings.platformCache as { orgCapacityMb?: number } | undefined;
    return s?.orgCapacityMb ?? 0;
  };

  /** A callout as Apex makes it: Named Credential or Remote Site check, then real HTTP. */
  async function calloutNow(request: HttpCallout): Promise<HttpCalloutResult> {
    const send = (endpoint: string, headers: Record<string, string>) => sendHttp(endpoint, headers);
    // callout:Name/… — Named/External Credentials resolve, authenticate and send (tools/local-platform/namedCredentials.ts); no remote site check.
    if (parseCalloutEndpoint(request.endpoint))
      return calloutThroughNamedCredential({ db, orgId: org.id, userId, fetchImpl }, request, send);
    const endpoint = request.endpoint;
    const sites = metadata.findRemoteSites?.(db, org.id) ?? [];
    if (!remoteSiteAllows(sites, endpoint)) throw new Error(unauthorizedEndpoint(endpoint));
    return send(endpoint, request.headers);
    async function sendHttp(endpoint: string, requestHeaders: Record<string, string>): Promise<HttpCalloutResult> {
      const timeoutMs = Math.min(Math.max(request.timeoutMs || 10_000, 1), 120_000);
      const method = request.method.toUpperCase();
      const latency = networkLatencyMs(db);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const res = await fetchImpl(endpoint, {
        method,
        headers: requestHeaders,
        body:
          method === 'GET' || method === 'HEAD'
            ? undefined
            : typeof request.body === 'string'
              ? request.body
              : new Uint8Array(request.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { statusCode: res.status, status: res.statusText, headers, body: Buffer.from(await res.arrayBuffer()) };
    }
  }

  return {
    orgId: org.id,
    instanceUrl: org.instanceUrl,
    user,
    async listClasses(): Promise<ApexClassSource[]> {
      return cachedOrgApexClasses(db, org.id, metadata);
    },
    async listTriggers() {
      return metadata.listApexTriggers?.(db, org.id) ?? [];
    },
    async query(soql, options) {
      const { soql: text, allRows } = splitAllRows(soql);
      return runSoql(db, org.id, text, {
        userMode: options.userMode,
        userId,
        binds: options.binds,
        instanceUrl: org.instanceUrl,
        allRows,
        emptyChildLists: true,
        lookupWithParent: true,
        onlyIds: options.onlyIds,
      }).records as SObjectRecord[];
    },
    async insert(recs, options) {
      return tx(db, () =>
        recs.map((r) => {
          const type = r.attributes?.type;
          if (!type) throw new ApiError(400, 'INVALID_TYPE', 'Record has no attributes.type');
          const fields = ownFields(db, org.id, kind, type, r);
          if (options.userMode) {
            checkObjectAccess(db, org.id, userId, type, 'create');
            checkFieldEdit(db, org.id, userId, type, Object.keys(fields));
          }
          const id = insertRecord(db, org.id, type, fields, { userId });
          undoEntry({ kind: 'insert', id });
          return id;
        }),
      );
    },
    async writeSystemRecords(recs) {
      tx(db, () => {
        for (const r of recs) {
          const { attributes, Id, ...fields } = r;
          const existing = typeof Id === 'string' ? getRecord(db, org.id, Id) : undefined;
          if (existing) {
            undoEntry({ kind: 'update', row: rowOf(existing.id)! });
            updateRecord(db, org.id, existing.sobject, existing.id, fields, { userId, trusted: true });
          } else {
            if (!attributes?.type) throw new ApiError(400, 'INVALID_TYPE', 'Record has no attributes.type');
            undoEntry({ kind: 'insert', id: insertRecord(db, org.id, attributes.type, { Id, ...fields }, { userId, trusted: true }) });
          }
        }
      });
    },
    async update(recs, options) {
      tx(db, () => {
        for (const r of recs) {
          const { Id } = r;
          if (typeof Id !== 'string') throw new ApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call');
          const existing = getRecord(db, org.id, Id);
          // a record in the recycle bin is deleted; an Id no record ever had is an invalid reference
          // (Salesforce Help 000387915, "Errors due to invalid IDs during Data Loader import and update")
          if (!existing && getDeletedRecord(db, org.id, Id)) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          if (!existing) throw new ApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
          const { Id: _id, ...fields } = ownFields(db, org.id, kind, existing.sobject, r);
          if (options.userMode) {
            checkObjectAccess(db, org.id, userId, existing.sobject, 'edit');
            checkFieldEdit(db, org.id, userId, existing.sobject, Object.keys(fields));
          }
          // Test.setCreatedDate arrives as an update of CreatedDate alone: the one system field tests may set.
          const onlyCreatedDate = Object.keys(fields).length === 1 && 'CreatedDate' in fields;
          undoEntry({ kind: 'update', row: rowOf(existing.id)! });
          updateRecord(db, org.id, existing.sobject, Id, fields, { userId, trusted: onlyCreatedDate, skipUnchangedReadOnly: true });
        }
      });
    },
    async delete(ids, options) {
      tx(db, () => {
        for (const id of ids) {
          const existing = getRecord(db, org.id, id);
          if (!existing) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          if (options.userMode) checkObjectAccess(db, org.id, userId, existing.sobject, 'delete');
          undoEntry({ kind: 'delete', row: rowOf(existing.id)! });
          deleteRecord(db, org.id, existing.sobject, id);
        }
      });
    },
    async retrieve(ids, options = {}) {
      const out: SObjectRecord[] = [];
      for (const id of ids) {
        const r = options.deleted ? getDeletedRecord(db, org.id, id) : getRecord(db, org.id, id);
        if (r) out.push({ ...r.fields, Id: r.id, attributes: { type: r.sobject } });
      }
      return out;
    },
    async undelete(ids, options) {
      tx(db, () => {
        for (const id of ids) {
          const bin = getDeletedRecord(db, org.id, id);
          if (bin && options.userMode) checkObjectAccess(db, org.id, userId, bin.sobject, 'delete');
          const back = undeleteRecord(db, org.id, id);
          undoEntry({ kind: 'undelete', id: back.id });
        }
      });
    },
    async emptyRecycleBin(ids) {
      return tx(db, () =>
        ids.map((id) => {
          const bin = isValidId(id)
            ? (db.prepare('SELECT * FROM recycle_bin WHERE org_id = ? AND substr(id,1,15) = ?').get(org.id, to15(id)) as
                (RawRow & { deleted_at: string }) | undefined)
            : undefined;
          if (!bin) return false;
          db.prepare('DELETE FROM recycle_bin WHERE id = ?').run(bin.id);
          undoEntry({ kind: 'purge', row: bin });
          return true;
        }),
      );
    },
    async callout(request: HttpCallout): Promise<HttpCalloutResult> {
      if (deps.callout) return deps.callout(request);
      // The network wait (a token exchange included) leaves an Apex worker to its other transactions.
      return deps.park ? deps.park(() => calloutNow(request)) : calloutNow(request);
    },
    async signWithCertificate(algorithm, data, certDevName) {
      const cert = metadata.findCertificate?.(db, org.id, certDevName);
      if (!cert) throw new Error(`Invalid Certificate name: ${certDevName}`);
      const hash = SIGN_ALGORITHMS[algorithm.toUpperCase()];
      if (!hash) throw new Error(`Invalid algorithm: ${algorithm}`);
      return cryptoSign(hash, data, createPrivateKey(cert.privateKeyPem));
    },
    async cacheGet(fullKey) {
      const { partition, key } = partitionName(fullKey);
      // SQLite first: what any worker put there is the org's current value (a put there drops a live one).
      const r = statement(db, 'SELECT value, expires_at FROM cache_entries WHERE org_id = ? AND partition = ? AND key = ?').get(
        org.id,
        partition,
        key,
      ) as { value: string; expires_at: number } | undefined;
      if (r && r.expires_at >= Date.now()) return JSON.parse(r.value);
      const live = liveCache.get(cacheId(org.id, partition, key));
      if (live) {
        if (live.expires >= Date.now()) return live.value;
        liveCache.delete(cacheId(org.id, partition, key));
      }
      return undefined;
    },
    async cachePut(fullKey, value, ttlSeconds) {
      const { partition, key } = partitionName(fullKey);
      const cap = capacity(partition || undefined) * 1024 * 1024;
      if (cap <= 0)
        throw new Error(
          'Cache.Org.OrgCacheException: Failed Cache.Org.put() for key ' + fullKey + ': no cache capacity is allocated to the partition',
        );
      const ttl = Math.min(Math.max(ttlSeconds || 86_400, 300), 172_800);
      const expires = Date.now() + ttl * 1000;
      // The Apex runtime hands over plain JSON (tools/apex/lib/cacheValues.ts), kept in SQLite where every
      // worker thread reads it, as every app server reads Salesforce's org cache. A value it cannot write
      // (a system object) stays live in this thread only (FIDELITY.md, "Platform Cache").
      let json: string | undefined;
      try {
        json = JSON.stringify(value ?? null);
      } catch {
        json = undefined;
      }
      const size = json !== undefined ? Buffer.byteLength(json) : approxSize(value);
      if (json !== undefined) liveCache.delete(cacheId(org.id, partition, key));
      else liveCache.set(cacheId(org.id, partition, key), { value, expires, size });
      tx(db, () => {
        if (json !== undefined) {
          statement(db, 'INSERT OR REPLACE INTO cache_entries (org_id, partition, key, value, size, expires_at) VALUES (?,?,?,?,?,?)').run(
            org.id,
            partition,
            key,
            json,
            size,
            expires,
          );
        } else {
          statement(db, 'DELETE FROM cache_entries WHERE org_id = ? AND partition = ? AND key = ?').run(org.id, partition, key);
        }
      });
      // Over capacity: evict the entries closest to expiry ("cache misses can happen").
      const prefix = cacheId(org.id, partition, '');
      const stored = statement(db, 'SELECT key, size, expires_at AS expires FROM cache_entries WHERE org_id = ? AND partition = ?').all(
        org.id,
        partition,
      ) as { key: string; size: number; expires: number }[];
      const entries = [
        ...stored.map((e) => ({ key: e.key, size: e.size, expires: e.expires })),
        ...[...liveCache.entries()]
          .filter(([id]) => id.startsWith(prefix))
          .map(([id, e]) => ({ key: id.slice(prefix.length), size: e.size, expires: e.expires })),
      ];
      let used = entries.reduce((n, e) => n + e.size, 0);
      for (const e of entries.sort((a, b) => a.expires - b.expires)) {
        if (used <= cap) break;
        if (e.key === key) continue;
        liveCache.delete(cacheId(org.id, partition, e.key));
        statement(db, 'DELETE FROM cache_entries WHERE org_id = ? AND partition = ? AND key = ?').run(org.id, partition, e.key);
        used -= e.size;
      }
    },
    async cacheKeys() {
      const now = Date.now();
      const keys = new Set<string>();
      const full = (partition: string, key: string) => (partition ? `${partition}.${key}` : key);
      const prefix = `${org.id}\u0000`;
      for (const [id, e] of liveCache)
        if (id.startsWith(prefix) && e.expires >= now) keys.add(full(...(id.slice(prefix.length).split('\u0000') as [string, string])));
      const rows = statement(db, 'SELECT partition, key FROM cache_entries WHERE org_id = ? AND expires_at >= ?').all(org.id, now) as {
        partition: string;
        key: string;
      }[];
      for (const r of rows) keys.add(full(r.partition, r.key));
      return [...keys];
    },
    async cacheRemove(fullKey) {
      const { partition, key } = partitionName(fullKey);
      const wasLive = liveCache.delete(cacheId(org.id, partition, key));
      const changes = Number(
        statement(db, 'DELETE FROM cache_entries WHERE org_id = ? AND partition = ? AND key = ?').run(org.id, partition, key).changes,
      );
      return wasLive || changes > 0;
    },
    async cacheCapacityMb(partition) {
      return capacity(partition);
    },
    async cachePartitionExists(partition) {
      return Boolean(metadata.findCachePartition?.(db, org.id, partition?.replace(/^local\./, '')));
    },
    async sessionCacheCapacityMb(partition) {
      return metadata.findCachePartition?.(db, org.id, partition?.replace(/^local\./, ''))?.sessionCapacityMb ?? 0;
    },
    // System.Label where the org's metadata knows its labels (the in-memory org); elsewhere the runtime says it cannot.
    ...(metadata.findCustomLabel ? { customLabel: async (name: string) => metadata.findCustomLabel!(db, org.id, name) } : {}),
    async canAccessClass(className) {
      return hasClassAccess(db, org.id, userId, className);
    },
    async describeSObject(name) {
      const def = getObjectDef(db, org.id, kind, name);
      if (!def) return undefined;
      const can = (op: 'read' | 'create' | 'edit' | 'delete') => hasObjectAccess(db, org.id, userId, def.name, op);
      const object = { read: can('read'), create: can('create'), edit: can('edit'), delete: can('delete') };
      const children = childRelationships(db, org.id, kind, def).map((c) => ({
        childSObject: c.childSObject,
        field: c.field,
        relationshipName: c.name,
        cascadeDelete: c.cascadeDelete ?? false,
      }));
      // Deployed metadata's describe attributes (labels, precision, picklist entries, …) over the store's definition.
      const fields = def.fields.map((f) => (f.describe ? { ...f, ...f.describe, name: f.name } : f));
      const described = describeObject(
        { ...def, ...def.describe, fields, keyPrefix: def.describe?.keyPrefix === null ? null : keyPrefixFor(def.name) },
        { object, field: fieldPermissionsOf(db, org.id, userId, def.name) },
        children,
      );
      return { ...described, ...recordTypeInfosOf(db, org.id, def.name) };
    },
    ...(metadata.listApps
      ? {
          // an object tab is labelled with its object's plural label
          describeTabs: async () => {
            const { apps, tabs } = metadata.listApps!(db, org.id);
            const plural = (name: string) => getObjectDef(db, org.id, kind, name)?.describe?.labelPlural as string | undefined;
            return describeTabSets(org.instanceUrl, apps, tabs, plural);
          },
        }
      : {}),
    ...(metadata.listFeatureParameters ? { featureParameters: async () => metadata.listFeatureParameters!(db, org.id) } : {}),
    async describeGlobal() {
      return listObjects(db, org.id, kind).map((o) => ({ name: o.name, keyPrefix: keyPrefixFor(o.name) }));
    },
    async withUser(who) {
      const row = who.id
        ? getRecord(db, org.id, who.id)
        : (statement(
            db,
            "SELECT id FROM records WHERE org_id = ? AND sobject = 'User' AND lower(json_extract(fields,'$.Username')) = lower(?)",
          ).get(org.id, who.username ?? '') as { id: string } | undefined);
      if (!row) throw new ApiError(404, 'NOT_FOUND', `No user ${who.id ?? who.username} in org ${org.id}`);
      // Same connection, so DML of the runAs host joins this host's open transaction.
      return createApexHost({ ...deps, userId: row.id, journal });
    },
    async begin() {
      journal.marks.push(journalNextSeq(db));
    },
    async commit() {
      journal.marks.pop();
      if (journal.marks.length || !journal.wrote) return;
      tx(db, () => journalCommit(db, journal.txId));
      journal.wrote = false;
    },
    async rollback() {
      const mark = journal.marks.pop() ?? 0;
      if (journal.wrote) tx(db, () => journalRollback(db, journal.txId, mark));
      if (!journal.marks.length) journal.wrote = false;
    },
  };
}
