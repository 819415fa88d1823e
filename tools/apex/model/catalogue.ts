/**
 * The names of Salesforce's system types and standard sObjects (names only, no members), so the
 * check phase can tell a name Salesforce does not know (`Widget w;` → `Invalid type: Widget`) from a
 * system type the local runtime has not implemented yet (it deploys with a warning naming it, and
 * fails only if it runs). Lists and their source: `catalogue/README.md`.
 */
import { readFileSync } from 'node:fs';

const read = (file: string): string[] =>
  readFileSync(new URL(`./catalogue/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

interface Catalogue {
  /** Lower-case `Namespace.Type` and `Namespace.Type.Inner`. */
  qualified: Set<string>;
  /** Lower-case namespace names. */
  namespaces: Set<string>;
  /** Lower-case simple names of every system type, in any namespace (`Action` of `Invocable.Action`). */
  simple: Set<string>;
  /** Lower-case standard sObject names. */
  sobjects: Set<string>;
}

let loaded: Catalogue | undefined;

function catalogue(): Catalogue {
  if (loaded) return loaded;
  const qualified = new Set<string>();
  const namespaces = new Set<string>();
  const simple = new Set<string>();
  for (const line of read('system-types.txt')) {
    const low = line.toLowerCase();
    const parts = low.split('.');
    qualified.add(low);
    namespaces.add(parts[0]);
    simple.add(parts[parts.length - 1]);
  }
  // Namespaces the Apex Reference lists whose types the published stubs leave out (see README.md).
  for (const ns of [
    'communities',
    'commercetax',
    'datacloud',
    'dataweave',
    'formula',
    'functions',
    'lxscheduler',
    'sfc',
    'slack',
    'reflection',
  ])
    namespaces.add(ns);
  loaded = { qualified, namespaces, simple, sobjects: new Set(read('sobjects.txt').map((s) => s.toLowerCase())) };
  return loaded;
}

/** Suffixes of the objects Salesforce derives from a standard object (AccountShare, AccountHistory…). */
const DERIVED = /(share|history|feed|changeevent|fieldhistory|ownersharingrule|teammember|tag)$/;

/** A standard sObject name (`Account`, `Schema.Account`), or one derived from one (`AccountShare`). */
export function isStandardSObject(name: string): boolean {
  const n = name.toLowerCase().replace(/^schema\./, '');
  const { sobjects } = catalogue();
  if (sobjects.has(n)) return true;
  const m = DERIVED.exec(n);
  return !!m && sobjects.has(n.slice(0, -m[1].length));
}

/** A Salesforce namespace (`ConnectApi`, `Database`, `System`), any case. */
export function isSystemNamespace(name: string): boolean {
  return catalogue().namespaces.has(name.toLowerCase());
}

/**
 * What the catalogue says of a type name as written: `known` (a system type: bare names are looked
 * up in System and Schema, then, to refuse only with certainty, by simple name in any namespace),
 * `namespace` (its first part is a Salesforce namespace whose list may be incomplete, or a
 * managed package's namespace: never refused), or `unknown` (a bare name Salesforce does not have).
 */
export function systemTypeStatus(name: string): 'known' | 'namespace' | 'unknown' {
  const c = catalogue();
  const n = name.toLowerCase();
  const parts = n.split('.');
  if (parts.length === 1) {
    if (c.qualified.has('system.' + n) || c.qualified.has('schema.' + n) || c.simple.has(n) || c.namespaces.has(n)) return 'known';
    return isStandardSObject(n) ? 'known' : 'unknown';
  }
  for (let i = parts.length; i >= 2; i--) if (c.qualified.has(parts.slice(0, i).join('.'))) return 'known';
  return 'namespace';
}
