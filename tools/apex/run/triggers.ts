/**
 * Apex triggers: the org's active `.trigger` sources, compiled by the program's compiler
 * (RunnableProgram.trigger: the body lowered like anonymous Apex with its own line numbers), and firing them around
 * DML with the `Trigger` context (new, old, newMap, oldMap, is*, size, operationType). Triggers of
 * one event run in name order (Salesforce leaves the order undefined) in system mode; a trigger's
 * DML fires triggers again, up to Salesforce's depth of 16.
 */
import type { Frame } from './frame.ts';
import type { CompiledTrigger, TriggerEvent } from '../model/program.ts';
import { ApexList, ApexMap, type SObject } from './values.ts';
import { invoke } from './calls.ts';
import { ApexThrow } from '../errors.ts';
import { throwEx } from './exceptions.ts';

export type { CompiledTrigger, TriggerEvent };

/** What `Trigger.*` reads while a trigger runs. */
export interface TriggerContext {
  event: TriggerEvent;
  sobject: string;
  newList: ApexList | null;
  oldList: ApexList | null;
  newMap: ApexMap | null;
  oldMap: ApexMap | null;
}

/** Salesforce's limit on triggers firing triggers ("maximum trigger depth exceeded"). */
const MAX_TRIGGER_DEPTH = 16;

/** The active triggers of the transaction's org, compiled once per transaction. */
export async function orgTriggers(f: Frame): Promise<CompiledTrigger[]> {
  const tx = f.tx;
  const cached = tx.cacheLocal.get('triggers') as CompiledTrigger[] | undefined;
  if (cached) return cached;
  const sources = (await tx.host.listTriggers?.()) ?? [];
  const out: CompiledTrigger[] = [];
  for (const s of sources) {
    if (s.status === 'Inactive') continue;
    out.push(tx.program.trigger(s.name, s.body));
  }
  out.sort((a, b) => a.name.localeCompare(b.name));
  tx.cacheLocal.set('triggers', out);
  return out;
}

export function triggersFor(all: CompiledTrigger[], sobject: string, event: TriggerEvent): CompiledTrigger[] {
  const type = sobject.toLowerCase();
  return all.filter((t) => t.sobject === type && t.events.has(event));
}

/** `BeforeInsert` as Salesforce names the event in "execution of BeforeInsert". */
const eventName = (e: TriggerEvent) => e.replace(/(^|\s)(\w)/g, (_m, _s, c: string) => c.toUpperCase());

function listOf(type: string, recs: SObject[] | null): ApexList | null {
  return recs ? new ApexList(recs, { name: type, args: [], array: 0 }) : null;
}

function mapOf(type: string, recs: SObject[] | null): ApexMap | null {
  if (!recs) return null;
  const m = new ApexMap({ name: 'Id', args: [], array: 0 }, { name: type, args: [], array: 0 });
  for (const r of recs) m.put(r.get('Id'), r);
  return m;
}

/**
 * Runs the triggers of one event over one chunk of records. An exception a trigger does not
 * catch fails the DML the way Salesforce reports it: the caller gets a DmlException whose row error
 * is "<Trigger>: execution of <Event>\n\ncaused by: <exception>\n\n<trigger stack>".
 */
export async function fireTriggers(
  f: Frame,
  triggers: CompiledTrigger[],
  event: TriggerEvent,
  type: string,
  newRecs: SObject[] | null,
  oldRecs: SObject[] | null,
): Promise<{ trigger: string; message: string } | undefined> {
  if (!triggers.length) return undefined;
  const tx = f.tx;
  if (tx.triggerStack.length >= MAX_TRIGGER_DEPTH) throwEx(f, 'DmlException', 'maximum trigger depth exceeded');
  const withIds = event !== 'before insert';
  const ctx: TriggerContext = {
    event,
    sobject: type,
    newList: listOf(type, newRecs),
    oldList: listOf(type, oldRecs),
    newMap: withIds ? mapOf(type, newRecs) : null,
    oldMap: mapOf(type, oldRecs),
  };
  for (const t of triggers) {
    tx.triggerStack.push(ctx);
    try {
      await invoke(f, t.main, null, [], { file: `${t.name}.trigger`, line: 1, col: 1, cls: t.cls });
    } catch (e) {
      if (!(e instanceof ApexThrow) || ['LimitException', 'AssertException'].includes(e.ex.cls.name)) throw e;
      const ex = e.ex;
      const msg = ex.fields.get('__message');
      const typeName = ex.cls.typeName;
      const described = msg === null || msg === undefined ? typeName : `${typeName}: ${String(msg)}`;
      // The trace stops at the trigger's own frame, as Salesforce prints it.
      const lines = (ex.stackTrace ?? '').split('\n');
      const own = lines.findIndex((l) => l.startsWith(`Trigger.${t.name}:`));
      const trace = own >= 0 ? lines.slice(0, own + 1).join('\n') : (ex.stackTrace ?? '');
      return { trigger: t.name, message: `${t.name}: execution of ${eventName(event)}\n\ncaused by: ${described}\n\n${trace}` };
    } finally {
      tx.triggerStack.pop();
    }
  }
  return undefined;
}
