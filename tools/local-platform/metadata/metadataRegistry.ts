/**
 * Which metadata type a file in a Metadata API zip belongs to. We read the registry that ships with
 * @salesforce/source-deploy-retrieve (the same table the `sf` CLI uses to build the zip), so every type
 * the CLI can deploy is at least recognised, stored and retrievable.
 */
import { createRequire } from 'node:module';

interface RegistryType {
  id: string;
  name: string;
  directoryName?: string;
  suffix?: string;
  inFolder?: boolean;
  strategies?: { adapter?: string };
  children?: { types: Record<string, { name: string; xmlElementName?: string; directoryName?: string }> };
}

export interface TypeInfo {
  name: string;
  directoryName: string;
  suffix?: string;
  inFolder: boolean;
  /** `matchingContentFile` / `mixedContent` types carry a content file plus `-meta.xml`. */
  hasContent: boolean;
  bundle: boolean;
}

const require = createRequire(import.meta.url);
const raw = require('@salesforce/source-deploy-retrieve/lib/src/registry/metadataRegistry.json') as {
  types: Record<string, RegistryType>;
};

const byName = new Map<string, TypeInfo>();
const byDirectory = new Map<string, TypeInfo[]>();
/** Child type name (CustomField) → parent type name (CustomObject) and the parent's XML element (fields). */
const childTypes = new Map<string, { parent: string; element: string }>();

for (const t of Object.values(raw.types)) {
  if (!t.directoryName) continue;
  const info: TypeInfo = {
    name: t.name,
    directoryName: t.directoryName,
    suffix: t.suffix,
    inFolder: !!t.inFolder,
    hasContent: t.strategies?.adapter === 'matchingContentFile' || t.strategies?.adapter === 'mixedContent',
    bundle: t.strategies?.adapter === 'bundle',
  };
  byName.set(t.name, info);
  const list = byDirectory.get(t.directoryName) ?? [];
  list.push(info);
  byDirectory.set(t.directoryName, list);
  for (const c of Object.values(t.children?.types ?? {})) {
    childTypes.set(c.name, { parent: t.name, element: c.xmlElementName ?? c.directoryName ?? c.name });
  }
}

export function typeByName(name: string): TypeInfo | undefined {
  return byName.get(name);
}

export function parentOfChildType(name: string): { parent: string; element: string } | undefined {
  return childTypes.get(name);
}

/** The type of `dir/…/file.suffix`, preferring a suffix match when a directory holds several types. */
export function typeForPath(dir: string, fileName: string): TypeInfo | undefined {
  const list = byDirectory.get(dir);
  if (!list || list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const base = fileName.replace(/-meta\.xml$/, '');
  return list.find((t) => t.suffix && base.endsWith(`.${t.suffix}`)) ?? list.find((t) => !t.name.endsWith('Folder')) ?? list[0];
}

/** Every type with a folder, for describeMetadata. */
export function allTypes(): { info: TypeInfo; childXmlNames: string[] }[] {
  const children = new Map<string, string[]>();
  for (const [child, { parent }] of childTypes) children.set(parent, [...(children.get(parent) ?? []), child]);
  return [...byName.values()].map((info) => ({ info, childXmlNames: children.get(info.name) ?? [] }));
}
