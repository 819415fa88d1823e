/**
 * The shape every component validator has: look at one component (and the rest of the deploy, and
 * what the org already holds), report problems, and hand back an `apply` that the deploy runs inside
 * its single transaction only when every component passed. Validation never writes.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { OrgInfo, RecordStore } from '../../contracts.ts';
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
