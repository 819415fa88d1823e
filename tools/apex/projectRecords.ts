/**
 * Rows the project's metadata puts in an org, for the in-memory org of `apex-test`: custom metadata
 * records (`customMetadata/Type.Record.md-meta.xml` → rows of `Type__mdt`, visible to tests without
 * SeeAllData as on Salesforce), custom permissions (`customPermissions/`), static resources
 * (`staticresources/`) and Platform Cache partitions. The platform's Metadata API stores the same
 * records on deploy (local-platform/metadata/types/customMetadata.ts), with the same value rule.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SchemaObject } from './describe.ts';

/**
 * A custom metadata field's value from its `<value>` text, by the field's metadata type: Checkbox a
 * Boolean, Number/Percent/Currency a number (empty: null), anything else the text; nil is null.
 */
export function metadataValue(text: string | null, fieldType: string | undefined): unknown {
  if (text === null) return null;
  switch ((fieldType ?? '').toLowerCase()) {
    case 'checkbox':
    case 'boolean':
      return text === 'true';
    case 'number':
    case 'percent':
    case 'currency':
    case 'double':
      return text === '' ? null : Number(text);
    default:
      return text;
  }
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
  return m === undefined ? undefined : unescape(m.trim());
};

export interface SeedRows {
  sobject: string;
  rows: Record<string, unknown>[];
}

/** Custom metadata records of the project, typed by their type's fields. */
export function readCustomMetadataRecords(files: string[], objects: SchemaObject[]): SeedRows[] {
  const byType = new Map<string, Record<string, unknown>[]>();
  for (const file of files) {
    const m = /\/customMetadata\/([^/.]+)\.([^/]+)\.md-meta\.xml$/.exec(file);
    if (!m) continue;
    const [, typeBase, developerName] = m;
    const sobject = `${typeBase}__mdt`;
    const xml = readFileSync(file, 'utf8');
    const type = objects.find((o) => o.name.toLowerCase() === sobject.toLowerCase());
    const label = tag(xml, 'label') ?? developerName;
    const row: Record<string, unknown> = {
      DeveloperName: developerName,
      MasterLabel: label,
      Label: label,
      QualifiedApiName: developerName,
      NamespacePrefix: null,
    };
    for (const f of type?.fields ?? []) if (/__c$/i.test(f.name)) row[f.name] = f.type === 'boolean' ? false : null;
    for (const block of xml.split('<values>').slice(1)) {
      const field = tag(block, 'field');
      if (!field) continue;
      const def = type?.fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
      const nil = /<value[^>]*xsi:nil="true"/.test(block) || !/<value[\s>]/.test(block);
      const text = nil ? null : (/<value[^>]*>([\s\S]*?)<\/value>/.exec(block)?.[1] ?? '');
      row[def?.name ?? field] = metadataValue(text === null ? null : unescape(text), def?.type);
    }
    byType.set(type?.name ?? sobject, [...(byType.get(type?.name ?? sobject) ?? []), row]);
  }
  return [...byType].map(([sobject, rows]) => ({ sobject, rows }));
}

/**
 * Custom permissions, static resources, cache partitions and record types as the setup rows SOQL returns.
 * A record type (`objects/X/recordTypes/Name.recordType-meta.xml`) is a RecordType row of SobjectType X,
 * labelled by its `<label>`, active by its `<active>` (Metadata API Developer Guide, "RecordType":
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_recordtype.htm).
 */
export function readSetupRows(files: string[]): SeedRows[] {
  const permissions: Record<string, unknown>[] = [];
  const resources: Record<string, unknown>[] = [];
  const partitions: Record<string, unknown>[] = [];
  const recordTypes: Record<string, unknown>[] = [];
  for (const file of files) {
    let m = /\/objects\/([^/]+)\/recordTypes\/([^/]+)\.recordType-meta\.xml$/.exec(file);
    if (m) {
      // the record type's own tags, not those of the picklist values it lists
      const xml = readFileSync(file, 'utf8').replace(/<picklistValues>[\s\S]*?<\/picklistValues>/g, '');
      recordTypes.push({
        Name: tag(xml, 'label') ?? m[2],
        DeveloperName: m[2],
        SobjectType: m[1],
        IsActive: tag(xml, 'active') === 'true',
        Description: tag(xml, 'description') ?? null,
        NamespacePrefix: null,
      });
      continue;
    }
    m = /\/customPermissions\/([^/]+)\.customPermission-meta\.xml$/.exec(file);
    if (m) {
      const xml = readFileSync(file, 'utf8');
      permissions.push({
        DeveloperName: m[1],
        MasterLabel: tag(xml, 'label') ?? m[1],
        NamespacePrefix: null,
        Description: tag(xml, 'description') ?? null,
        IsLicensed: tag(xml, 'isLicensed') === 'true',
      });
      continue;
    }
    m = /\/staticresources\/([^/]+)\.resource-meta\.xml$/.exec(file);
    if (m) {
      const xml = readFileSync(file, 'utf8');
      resources.push({
        Name: m[1],
        NamespacePrefix: null,
        ContentType: tag(xml, 'contentType') ?? null,
        Description: tag(xml, 'description') ?? null,
        CacheControl: tag(xml, 'cacheControl') ?? 'Private',
      });
      continue;
    }
    m = /\/cachePartitions\/([^/]+)\.cachePartition-meta\.xml$/.exec(file);
    if (m) {
      const xml = readFileSync(file, 'utf8');
      partitions.push({
        DeveloperName: basename(m[1]),
        MasterLabel: tag(xml, 'masterLabel') ?? m[1],
        NamespacePrefix: null,
        IsDefaultPartition: tag(xml, 'isDefaultPartition') === 'true',
      });
    }
  }
  return [
    { sobject: 'CustomPermission', rows: permissions },
    { sobject: 'StaticResource', rows: resources },
    { sobject: 'PlatformCachePartition', rows: partitions },
    { sobject: 'RecordType', rows: recordTypes },
  ].filter((s) => s.rows.length);
}
