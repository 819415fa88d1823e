/**
 * What an sObject built in Apex (not queried) reads for a field it never set:
 * - a Checkbox field is never null: it reads false (Apex Developer Guide, "Primitive Data Types":
 *   Boolean fields of sObjects default to false);
 * - a child relationship (`acc.Contacts`, `meta.Children__r`) reads an empty list, so code can call
 *   `isEmpty()` on records it made in memory (issue 18's field report, custom metadata `X__r`).
 * It also answers which fields are text (String in Apex), for `+` of two null String fields ('nullnull').
 * Each sObject type is described once per org host, when code first constructs it; reads then
 * answer synchronously.
 */
import { ApexList } from './values.ts';
import type { Frame } from './frame.ts';

interface Shape {
  checkboxes: Set<string>;
  /** fields whose Apex type is String (text, text area, picklist, email, phone, URL; lower case) */
  texts: Set<string>;
  /** child relationship name (lower case) → child sObject */
  children: Map<string, string>;
  /** field (lower case) → its describe type (`int`, `double`, `currency`…) */
  types: Map<string, string>;
}

const byHost = new WeakMap<object, Map<string, Shape>>();

export async function primeCheckboxes(f: Frame, sobject: string): Promise<void> {
  const host = f.tx.host;
  let types = byHost.get(host);
  if (!types) byHost.set(host, (types = new Map()));
  const key = sobject.toLowerCase();
  if (types.has(key) || !host.describeSObject) return;
  types.set(key, { checkboxes: new Set(), texts: new Set(), children: new Map(), types: new Map() });
  const d = await f.tx.hostCall(() => host.describeSObject!(sobject)).catch(() => undefined);
  types.set(key, {
    checkboxes: new Set((d?.fields ?? []).filter((x) => x.type === 'boolean').map((x) => x.name.toLowerCase())),
    texts: new Set((d?.fields ?? []).filter((x) => TEXT_TYPES.has(x.type)).map((x) => x.name.toLowerCase())),
    children: new Map(
      (d?.childRelationships ?? []).filter((c) => c.relationshipName).map((c) => [c.relationshipName!.toLowerCase(), c.childSObject]),
    ),
    types: new Map((d?.fields ?? []).map((x) => [x.name.toLowerCase(), x.type])),
  });
}

const TEXT_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring']);

/** Whether a field of an sObject type is text (its Apex type String); describes the type once. */
export async function isTextField(f: Frame, sobject: string, field: string): Promise<boolean> {
  await primeCheckboxes(f, sobject);
  return byHost.get(f.tx.host)?.get(sobject.toLowerCase())?.texts.has(field.toLowerCase()) ?? false;
}

export function isCheckbox(f: Frame, sobject: string, field: string): boolean {
  return byHost.get(f.tx.host)?.get(sobject.toLowerCase())?.checkboxes.has(field.toLowerCase()) ?? false;
}

/** An empty list for a child relationship of the type, else undefined. */
export function unsetChildren(f: Frame, sobject: string, field: string): ApexList | undefined {
  const child = byHost.get(f.tx.host)?.get(sobject.toLowerCase())?.children.get(field.toLowerCase());
  return child ? new ApexList([], { name: child, args: [], array: 0 }) : undefined;
}

/** A field's describe type (`int`, `currency`…) once the sObject type is primed, else undefined. */
export function fieldTypeOf(f: Frame, sobject: string, field: string): string | undefined {
  return byHost.get(f.tx.host)?.get(sobject.toLowerCase())?.types.get(field.toLowerCase());
}

/** The child sObject of a child relationship (`Account.Contacts` → Contact), once the parent type is primed. */
export function childSObjectOf(f: Frame, sobject: string, relationship: string): string | undefined {
  return byHost.get(f.tx.host)?.get(sobject.toLowerCase())?.children.get(relationship.toLowerCase());
}

/** Primes an sObject type and the child types of its relationships (JSON of a record with its child lists). */
export async function primeWithChildren(f: Frame, sobject: string): Promise<void> {
  await primeCheckboxes(f, sobject);
  const shape = byHost.get(f.tx.host)?.get(sobject.toLowerCase());
  for (const child of new Set(shape?.children.values() ?? [])) await primeCheckboxes(f, child);
}
