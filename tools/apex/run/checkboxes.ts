/**
 * A Checkbox field is never null in Apex: on a new sObject that does not set it, it reads false
 * (Apex Developer Guide, "Primitive Data Types": Boolean fields of sObjects default to false).
 * The boolean fields of each sObject type are described once per org host, when code first
 * constructs that type; reads then answer synchronously.
 */
import type { Frame } from './frame.ts';

const byHost = new WeakMap<object, Map<string, Set<string>>>();

export async function primeCheckboxes(f: Frame, sobject: string): Promise<void> {
  const host = f.tx.host;
  let types = byHost.get(host);
  if (!types) byHost.set(host, (types = new Map()));
  const key = sobject.toLowerCase();
  if (types.has(key) || !host.describeSObject) return;
  types.set(key, new Set());
  const d = await f.tx.hostCall(() => host.describeSObject!(sobject)).catch(() => undefined);
  types.set(key, new Set((d?.fields ?? []).filter((x) => x.type === 'boolean').map((x) => x.name.toLowerCase())));
}

export function isCheckbox(f: Frame, sobject: string, field: string): boolean {
  return byHost.get(f.tx.host)?.get(sobject.toLowerCase())?.has(field.toLowerCase()) ?? false;
}
