/**
 * DML (`insert`, `update`, `upsert`, `delete`, `undelete` and the Database methods) with triggers:
 * records are handled per sObject type in chunks of 200 as Salesforce does: before triggers see
 * copies of the caller's records (field changes they make are saved, but not copied back to the
 * caller, who gets only the new Ids), then each row is written, then after triggers see the saved
 * rows read-only. `addError`, a host refusal or an exception a trigger does not catch fails the row;
 * with allOrNone the whole statement is undone and a DmlException names the first failed row.
 */
import { ApexList, ApexObject, SObject } from './values.ts';
import { NObj } from '../lib/nativeValues.ts';
import { ApexThrow, UnsupportedError } from '../errors.ts';
import type { Frame } from './frame.ts';
import { LIMITS } from './transaction.ts';
import type { Site } from '../model/classModel.ts';
import { limitEx, makeEx, throwNpe, unsupported } from './exceptions.ts';
import { runtimeTypeName } from './types.ts';
import { checkIdPrefixes } from './idPrefixes.ts';
import { recordToSObject, sobjectToRecord } from './data.ts';
import { truncateText, truncates } from './dmlOptions.ts';
import { matchExternalIds } from './dmlUpsert.ts';
import { fireTriggers, orgTriggers, triggersFor, type CompiledTrigger, type TriggerEvent } from './triggers.ts';

export type DmlOp = 'insert' | 'update' | 'upsert' | 'delete' | 'undelete';

export interface DmlOptions {
  userMode: boolean;
  extField?: string;
  allOrNone: boolean;
  /** Database.DMLOptions.allowFieldTruncation of the statement (run/dmlOptions.ts). */
  truncate?: boolean;
}

export interface DmlRowError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface DmlRowResult {
  id: string | null;
  success: boolean;
  errors: DmlRowError[];
  created?: boolean;
}

const CHUNK = 200;
const id15 = (id: unknown) => String(id ?? '').slice(0, 15);
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** A copy of a record for a trigger: its own fields, no related records. */
function copyOf(so: SObject): SObject {
  const c = new SObject(so.type);
  for (const { name, value } of so.fields.values()) if (!(value instanceof SObject) && !(value instanceof ApexList)) c.put(name, value);
  return c;
}

interface Row {
  i: number;
  so: SObject;
  type: string;
  old?: SObject;
  /** The record triggers see in Trigger.new. */
  rec?: SObject;
}

class Statement {
  readonly results: DmlRowResult[];
  constructor(
    readonly f: Frame,
    readonly op: DmlOp,
    readonly opts: DmlOptions,
    readonly triggers: CompiledTrigger[],
    n: number,
  ) {
    this.results = Array.from({ length: n }, () => ({ id: null, success: true, errors: [] }));
  }

  fail(row: Row, statusCode: string, message: string, fields: string[] = []): void {
    const r = this.results[row.i];
    // A row inserted and then failed (after trigger) is not saved: no Id in its result.
    if (r.created) Object.assign(r, { id: null, created: false });
    r.success = false;
    r.errors.push({ statusCode, message, fields });
  }

  ok = (row: Row) => this.results[row.i].success;

  /** Rows whose record got `addError` in a trigger fail with FIELD_CUSTOM_VALIDATION_EXCEPTION. */
  collectErrors(rows: Row[], pick: (r: Row) => SObject | undefined): void {
    for (const row of rows) {
      const rec = pick(row);
      for (const e of rec?.errors ?? []) this.fail(row, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', e.message, e.fields);
      if (rec) rec.errors = undefined;
    }
  }

  async fire(event: TriggerEvent, type: string, rows: Row[], useNew: boolean, useOld: boolean): Promise<void> {
    const triggers = triggersFor(this.triggers, type, event);
    if (!triggers.length || !rows.length) return;
    const old = useOld && rows.every((r) => r.old) ? rows.map((r) => r.old!) : null;
    const failure = await fireTriggers(this.f, triggers, event, type, useNew ? rows.map((r) => r.rec!) : null, old);
    if (failure) for (const r of rows) this.fail(r, 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', failure.message);
    this.collectErrors(rows, (r) => (useNew ? r.rec : r.old));
  }

  /** One host write; a refusal fails the row with the host's code, message and fields. */
  async write(row: Row, call: () => Promise<unknown>): Promise<unknown> {
    const tx = this.f.tx;
    try {
      return await tx.hostCall(call);
    } catch (e) {
      if (e instanceof ApexThrow || e instanceof UnsupportedError) throw e;
      const err = e as Error & { code?: string; errorCode?: string; fields?: string[] };
      this.fail(row, err.code ?? err.errorCode ?? 'UNKNOWN_EXCEPTION', err.message, err.fields ?? []);
      return undefined;
    }
  }

  get stop(): boolean {
    return this.opts.allOrNone && this.results.some((r) => !r.success);
  }

  /**
   * `contact.Account = new Account(Ext__c = 'x')`: a parent named by an external Id becomes the
   * foreign key (AccountId) before the write, looked up after earlier rows of the statement are saved.
   */
  async resolveParents(rows: Row[]): Promise<void> {
    const tx = this.f.tx;
    for (const row of rows) {
      for (const { name, value } of [...row.so.fields.values()]) {
        if (!(value instanceof SObject)) continue;
        const fk = /__r$/i.test(name) ? name.replace(/__r$/i, '__c') : `${name}Id`;
        if (row.so.get(fk)) continue;
        if (value.get('Id')) {
          row.so.put(fk, value.get('Id'));
          continue;
        }
        const keys = [...value.fields.values()].filter((x) => x.value !== null && x.value !== undefined);
        if (keys.length !== 1) continue;
        const [{ name: field, value: key }] = keys;
        const found = await tx.hostCall(() =>
          tx.host.query(`SELECT Id FROM ${value.type} WHERE ${field} = :key`, { userMode: false, binds: { key } }),
        );
        if (found.length === 1) row.so.put(fk, found[0].Id);
        else
          this.fail(row, 'INVALID_FIELD', `Foreign key external ID: ${String(key)} not found for field ${field} in entity ${value.type}`, [
            field,
          ]);
      }
    }
  }

  async insert(type: string, rows: Row[]): Promise<void> {
    const tx = this.f.tx;
    await this.resolveParents(rows);
    for (const row of rows) {
      if (row.so.get('Id')) {
        this.results[row.i].id = row.so.get('Id') as string;
        this.fail(row, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
      }
      row.rec = copyOf(row.so);
    }
    let live = rows.filter(this.ok);
    await this.fire('before insert', type, live, true, false);
    if (this.stop) return;
    for (const row of live.filter(this.ok)) {
      // an Id put to null is no Id (a custom setting's getInstance() row, a clone with Id = null): it inserts
      const { Id: _id, ...rec } = sobjectToRecord(row.rec!);
      if (this.opts.truncate || truncates(row.so)) await truncateText(this.f, type, rec);
      const ids = (await this.write(row, () =>
        tx.host.insert([_id == null ? rec : { ...rec, Id: _id }], { userMode: this.opts.userMode }),
      )) as string[] | undefined;
      if (!ids) continue;
      row.rec!.put('Id', ids[0]);
      row.so.put('Id', ids[0]);
      tx.testDataIds?.add(ids[0]);
      Object.assign(this.results[row.i], { id: ids[0], created: true });
    }
    if (this.stop) return;
    live = live.filter(this.ok);
    for (const r of live) r.rec!.readOnly = true;
    await this.fire('after insert', type, live, true, false);
  }

  async update(type: string, rows: Row[]): Promise<void> {
    const tx = this.f.tx;
    await this.resolveParents(rows);
    const before = new Map<Row, Map<string, unknown>>();
    for (const row of rows) {
      const rec = row.old ? copyOf(row.old) : new SObject(type);
      for (const { name, value } of row.so.fields.values())
        if (!(value instanceof SObject) && !(value instanceof ApexList)) rec.put(name, value);
      row.rec = rec;
      before.set(row, new Map([...rec.fields].map(([k, v]) => [k, v.value])));
      this.results[row.i].id = (row.so.get('Id') as string | null) ?? null;
    }
    let live = rows.filter(this.ok);
    await this.fire('before update', type, live, true, true);
    if (this.stop) return;
    for (const row of live.filter(this.ok)) {
      // Written: what the caller set, plus what before triggers changed.
      const out = new SObject(type);
      for (const { name, value } of row.so.fields.values()) out.put(name, value);
      const snap = before.get(row)!;
      for (const [k, { name, value }] of row.rec!.fields) if (snap.get(k) !== value) out.put(name, value);
      const rec = sobjectToRecord(out);
      if (this.opts.truncate || truncates(row.so)) await truncateText(this.f, type, rec);
      await this.write(row, () => tx.host.update([rec], { userMode: this.opts.userMode }));
    }
    if (this.stop) return;
    live = live.filter(this.ok);
    for (const r of live) r.rec!.readOnly = true;
    await this.fire('after update', type, live, true, true);
  }

  async delete(type: string, rows: Row[]): Promise<void> {
    const tx = this.f.tx;
    for (const row of rows) this.results[row.i].id = (row.so.get('Id') as string | null) ?? null;
    let live = rows.filter(this.ok);
    await this.fire('before delete', type, live, false, true);
    if (this.stop) return;
    for (const row of live.filter(this.ok))
      await this.write(row, () => tx.host.delete([String(row.so.get('Id'))], { userMode: this.opts.userMode }));
    if (this.stop) return;
    live = live.filter(this.ok);
    await this.fire('after delete', type, live, false, true);
  }

  async undelete(type: string, rows: Row[], site: Site): Promise<void> {
    const tx = this.f.tx;
    const host = tx.host;
    if (!host.undelete) unsupported(this.f, 'undelete on this org', site);
    for (const row of rows) {
      this.results[row.i].id = String(row.so.get('Id'));
      await this.write(row, () => host.undelete!([String(row.so.get('Id'))], { userMode: this.opts.userMode }));
    }
    if (this.stop) return;
    const live = rows.filter(this.ok);
    if (!triggersFor(this.triggers, type, 'after undelete').length || !host.retrieve) return;
    const back = await tx.hostCall(() => host.retrieve!(live.map((r) => String(r.so.get('Id')))));
    const byId = new Map(back.map((r) => [id15(r.Id), recordToSObject(r, type, false)]));
    for (const r of live) {
      r.rec = byId.get(id15(r.so.get('Id'))) ?? copyOf(r.so);
      r.rec.readOnly = true;
    }
    await this.fire('after undelete', type, live, true, false);
  }
}

/** The DmlException Salesforce throws for the first failed row, with every failed row for getDml*(i). */
function dmlException(f: Frame, op: DmlOp, results: DmlRowResult[]) {
  const failed = results.map((r, i) => ({ r, i })).filter(({ r }) => !r.success);
  const { r, i } = failed[0];
  const e = r.errors[0];
  const withId = r.id ? ` with id ${r.id}` : '';
  const ex = makeEx(
    f,
    'DmlException',
    `${cap(op)} failed. First exception on row ${i}${withId}; first error: ${e.statusCode}, ${e.message}: [${e.fields.join(', ')}]`,
  );
  ex.fields.set(
    '__dmlrows',
    failed.map(({ r: row, i: index }) => ({ index, id: row.id, ...row.errors[0] })),
  );
  return new ApexThrow(ex);
}

/** insert/update/upsert/delete/undelete of one sObject (or Id) or a list; returns per-row results. */
const ACCESS_OBJECTS = new Set(['user', 'permissionset', 'permissionsetassignment', 'objectpermissions', 'fieldpermissions']);

export async function dml(f: Frame, op: DmlOp, v: unknown, opts: DmlOptions, site: Site): Promise<DmlRowResult[]> {
  const tx = f.tx;
  // `delete contact;` with a null Contact: NullPointerException (apex-recipes' CustomRestEndpointRecipes_Tests
  // .httpCalloutDeleteSingleContactNegativeException passes on Salesforce on this message)
  if (v === null) throwNpe(f, site);
  const list: unknown[] = v instanceof ApexList ? v.items : [v];
  // DML on an empty list is no statement: no limit used, no trigger fired (docs/salesforce-rules.md)
  if (!list.length) return [];
  if (++tx.counts.dml > LIMITS.dmlStatements) limitEx(f, `Too many DML statements: ${tx.counts.dml}`);
  tx.counts.dmlRows += list.length;
  if (tx.counts.dmlRows > LIMITS.dmlRows) limitEx(f, `Too many DML rows: ${tx.counts.dmlRows}`);
  const sobjs: SObject[] = list.map((x) => {
    if ((op === 'delete' || op === 'undelete') && typeof x === 'string') {
      const so = new SObject('SObject');
      so.put('Id', x);
      return so;
    }
    if (x instanceof SObject) return x;
    return unsupported(f, `DML on ${runtimeTypeName(x)}`, site);
  });
  if (!sobjs.length) return [];
  if (op !== 'insert') await checkIdPrefixes(f, sobjs);
  tx.pendingDml = true;
  // access comes from these rows: a describe read earlier in the transaction is stale now
  if (sobjs.some((so) => ACCESS_OBJECTS.has(so.type.toLowerCase())))
    for (const k of [...tx.cacheLocal.keys()]) if (k.startsWith('describe.')) tx.cacheLocal.delete(k);
  const triggers = await orgTriggers(f);
  const st = new Statement(f, op, opts, triggers, sobjs.length);
  const rows: Row[] = sobjs.map((so, i) => ({ i, so, type: so.type }));
  if (op === 'upsert' && opts.extField && !/^id$/i.test(opts.extField)) {
    const several = await matchExternalIds(f, sobjs, opts.extField, site);
    for (const row of rows) if (several.has(row.so)) st.fail(row, 'DUPLICATE_EXTERNAL_ID', several.get(row.so)!, [opts.extField]);
  }
  const kinds: [Exclude<DmlOp, 'upsert'>, Row[]][] =
    op === 'upsert'
      ? [
          ['insert', rows.filter((r) => !r.so.get('Id'))],
          ['update', rows.filter((r) => r.so.get('Id'))],
        ]
      : [[op, rows]];
  // An all-or-none insert or upsert that fails leaves its new records without Ids (apex-dml-mocking's
  // DMLTest.shouldRollbackUpsertOnError, green on Salesforce).
  const fresh = op === 'insert' || op === 'upsert' ? rows.filter((r) => !r.so.get('Id')) : [];
  // Several host writes (or triggers) make one statement: a savepoint undoes all of them on failure.
  const savepoint = sobjs.length > 1 || triggers.length > 0;
  if (savepoint) await tx.hostCall(() => tx.host.begin());
  try {
    for (const [kind, krows] of kinds) {
      if (kind !== 'insert') {
        for (const row of krows)
          if (!row.so.get('Id'))
            st.fail(row, 'MISSING_ARGUMENT', `Id not specified in ${kind === 'update' || kind === 'undelete' ? 'an' : 'a'} ${kind} call`);
        await readOld(f, kind, krows.filter(st.ok), triggers, st);
      }
      const byType = new Map<string, Row[]>();
      for (const r of krows) byType.set(r.type.toLowerCase(), [...(byType.get(r.type.toLowerCase()) ?? []), r]);
      for (const group of byType.values()) {
        for (let s = 0; s < group.length && !st.stop; s += CHUNK) {
          const chunk = group.slice(s, s + CHUNK);
          const type = chunk[0].type;
          if (kind === 'undelete') await st.undelete(type, chunk, site);
          else await st[kind](type, chunk);
        }
      }
      if (op === 'upsert') for (const r of krows) if (st.results[r.i].success) st.results[r.i].created = kind === 'insert';
    }
    if (st.stop || (opts.allOrNone && st.results.some((r) => !r.success))) throw dmlException(f, op, st.results);
  } catch (e) {
    if (savepoint) await tx.hostCall(() => tx.host.rollback());
    for (const r of fresh) {
      tx.testDataIds?.delete(r.so.get('Id') as string);
      r.so.fields.delete('id');
    }
    throw e;
  }
  if (savepoint) await tx.hostCall(() => tx.host.commit());
  return st.results;
}

/**
 * Trigger.old (and the type of rows given as bare Ids): read from the org before the write, when a
 * trigger could need them. A row whose record is gone fails with ENTITY_IS_DELETED.
 */
async function readOld(
  f: Frame,
  kind: 'update' | 'delete' | 'undelete',
  rows: Row[],
  triggers: CompiledTrigger[],
  st: Statement,
): Promise<void> {
  const host = f.tx.host;
  const wanted = triggers.some((t) => [...t.events].some((e) => e.endsWith(kind)));
  if (!wanted || !host.retrieve || !rows.length) return;
  const recs = await f.tx.hostCall(() =>
    host.retrieve!(
      rows.map((r) => String(r.so.get('Id'))),
      { deleted: kind === 'undelete' },
    ),
  );
  const byId = new Map(recs.map((r) => [id15(r.Id), r]));
  const gone = rows.filter((r) => !byId.has(id15(r.so.get('Id'))));
  // an update naming an Id no record ever had: INVALID_CROSS_REFERENCE_KEY; one in the recycle bin: ENTITY_IS_DELETED
  // (Salesforce Help 000387915, "Errors due to invalid IDs during Data Loader import and update")
  const binned =
    kind === 'update' && gone.length
      ? new Set(
          (
            await f.tx.hostCall(() =>
              host.retrieve!(
                gone.map((r) => String(r.so.get('Id'))),
                { deleted: true },
              ),
            )
          ).map((r) => id15(r.Id)),
        )
      : undefined;
  for (const row of rows) {
    const rec = byId.get(id15(row.so.get('Id')));
    if (!rec) {
      if (kind === 'undelete') continue; // the host answers why (not in the recycle bin, unknown id)
      if (binned && !binned.has(id15(row.so.get('Id')))) st.fail(row, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
      else st.fail(row, 'ENTITY_IS_DELETED', 'entity is deleted');
      continue;
    }
    row.old = recordToSObject(rec, rec.attributes?.type ?? row.type, false);
    row.old.readOnly = true;
    row.type = row.old.type;
  }
}

/** Records an `addError` on a record (field-level when a field name or token comes first). */
export function addSObjectError(so: SObject, args: unknown[]): null {
  const text = (v: unknown) => (v instanceof ApexObject ? String(v.fields.get('__message') ?? '') : String(v));
  const fieldArg = args.length >= 2 && (typeof args[1] === 'string' || args[1] instanceof ApexObject) ? args[0] : undefined;
  const field = fieldArg instanceof NObj ? String(fieldArg.get('name')) : typeof fieldArg === 'string' ? fieldArg : undefined;
  const message = text(field !== undefined ? args[1] : args[0]);
  (so.errors ??= []).push({ message, fields: field ? [field] : [] });
  return null;
}

/**
 * System.runAs: switches the host's user when the host supports it. A User never inserted is saved
 * first: the Apex Developer Guide's own runAs example ("Using the runAs() Method") runs as a `new User(…)`
 * it does not insert.
 */
export async function runAs(f: Frame, user: unknown, body: () => Promise<number>, site: Site): Promise<number> {
  const tx = f.tx;
  if (!tx.isTest) unsupported(f, 'System.runAs outside a test', site);
  const before = tx.host;
  if (user instanceof SObject && tx.host.withUser && !user.get('Id')) {
    const username = user.get('Username');
    const known = await tx.hostCall(() =>
      tx.host.query('SELECT Id FROM User WHERE Username = :username', { userMode: false, binds: { username } }),
    );
    if (!known.length) await dml(f, 'insert', user, { userMode: false, allOrNone: true }, site);
  }
  if (user instanceof SObject && tx.host.withUser) {
    tx.host = await tx.host.withUser({
      id: (user.get('Id') as string) ?? undefined,
      username: (user.get('Username') as string) ?? undefined,
    });
  }
  try {
    return await body();
  } finally {
    tx.host = before;
  }
}
