/**
 * The shape every component validator has: look at one component (and the rest of the deploy, and
 * what the org already holds), report problems, and hand back an `apply` that the deploy runs inside
 * its single transaction only when every component passed. Validation never writes.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { OrgInfo, RecordStore } from '../../http/contracts.ts';
import type { DeployComponent } from '../readDeployZip.ts';
import { parseMetadataXml, FieldReader, type Problem } from '../metadataXml.ts';

export interface StoredComponent {
  type: string;
  fullName: string;
  files: Record<string, string>;
  data: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface DeployEnv {
  db: DatabaseSync;
  org: OrgInfo;
  now: number;
  batch: Map<string, DeployComponent>;
  stored(type: string, fullName: string): StoredComponent | undefined;
  /** In this deploy or already in the org. */
  exists(type: string, fullName: string): boolean;
}

export interface Prepared {
  problems: Problem[];
  /** What lookups read back later (stored as JSON in md_components.data). */
  data?: Record<string, unknown>;
  /** Files to keep for retrieve, when they differ from what was deployed (e.g. a generated certificate). */
  files?: Map<string, Buffer>;
  apply?: (db: DatabaseSync, records: RecordStore) => void;
}

export type Handler = (c: DeployComponent, env: DeployEnv) => Promise<Prepared> | Prepared;

/** Parses the component's metadata XML and returns a reader, or the parse problem. */
export function readXml(c: DeployComponent, rootName: string = c.type): { reader: FieldReader; source: string } | { problems: Problem[] } {
  if (!c.xmlFileName) {
    return { problems: [{ problem: `Missing metadata file for ${c.type} ${c.fullName}`, fileName: c.fileName }] };
  }
  const source = c.files.get(c.xmlFileName)!.toString('utf8');
  const parsed = parseMetadataXml(source, rootName);
  if ('problem' in parsed) return { problems: [{ ...parsed.problem, fileName: c.xmlFileName }] };
  return { reader: new FieldReader(parsed.root, source, rootName), source };
}

/** Salesforce API-name rule (letters, digits, single underscores, starting with a letter, no trailing `_`). */
export function isApiName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !name.includes('__') && !name.endsWith('_');
}

/**
 * Salesforce's refusal of a bad API name: "<what>: The <entity> API Name can only contain underscores and
 * alphanumeric characters. It must be unique, …" (the sentence is Salesforce's, seen for Group, Action,
 * Custom Metadata records; the "<what>: The <entity>" prefix for fields and objects is unverified).
 */
export function badApiName(what: string, entity: string): string {
  return `${what}: The ${entity} API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`;
}

/** Custom object and field names (without `__c`, namespace prefix allowed) are at most 40 characters. */
export const MAX_API_NAME = 40;

/**
 * The problem with a custom object's or field's API name (`Thing__c`, `ns__Thing__c`), or undefined. The
 * name reaches SQL paths and SOQL, so only what Salesforce accepts may pass.
 */
export function customNameProblem(fullName: string, what: string, entity: string): string | undefined {
  const m = /^(?:([A-Za-z][A-Za-z0-9]{0,14})__)?(.*)__(c|mdt|e|b|x)$/.exec(fullName);
  if (!m || !isApiName(m[2])) return badApiName(what, entity);
  if (m[2].length > MAX_API_NAME) return `Value too long for field: fullName maximum length is:${MAX_API_NAME}`;
  return undefined;
}
