/**
 * Retrieve: the members a package.xml names (with `*` for every member of a type), zipped in Metadata
 * API format under `unpackaged/` (or at the root with singlePackage), plus fileProperties and, for names
 * the org doesn't have, Salesforce's "Entity of type … named … cannot be found" messages. Certificates
 * come back as their public PEM only: the private key is never in md_components.
 */
import JSZip from 'jszip';
import type { DatabaseSync } from 'node:sqlite';
import { asArray, escapeXml, text, type XmlNode } from './metadataXml.ts';
import { getStoredComponent, listStoredComponents } from './componentStore.ts';
import { parentOfChildType } from './metadataRegistry.ts';
import type { StoredComponent } from './types/handler.ts';

export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: string;
  type: string;
}

export interface RetrieveResult {
  done: boolean;
  fileProperties: FileProperties[];
  id: string;
  messages: { fileName: string; problem: string }[];
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  success: boolean;
  zipFile: string;
}

export interface RetrieveRequest {
  apiVersion?: string;
  singlePackage?: boolean;
  unpackaged?: { types: { name: string; members: string[] }[]; version?: string };
  specificFiles?: string[];
  packageNames?: string[];
}

/** Reads the `<retrieve><request>` element of the SOAP call into a RetrieveRequest. */
export function toRetrieveRequest(node: XmlNode): RetrieveRequest {
  const unpackaged = node['unpackaged'] as XmlNode | undefined;
  return {
    apiVersion: text(node['apiVersion']),
    singlePackage: text(node['singlePackage']) === 'true',
    packageNames: asArray(node['packageNames']).map((x) => text(x) ?? ''),
    unpackaged: unpackaged
      ? {
          version: text(unpackaged['version']),
          types: asArray<XmlNode>(unpackaged['types']).map((t) => ({
            name: text(t['name']) ?? '',
            members: asArray(t['members']).map((m) => text(m) ?? ''),
          })),
        }
      : undefined,
  };
}

export async function retrieveComponents(
  db: DatabaseSync,
  orgId: string,
  request: RetrieveRequest,
  id: string,
  user: { id: string; name: string } = { id: '', name: '' },
): Promise<RetrieveResult> {
  const zip = new JSZip();
  const prefix = request.singlePackage ? '' : 'unpackaged/';
  const fileProperties: FileProperties[] = [];
  const messages: { fileName: string; problem: string }[] = [];
  const picked = new Map<string, { requestedType: string; c: StoredComponent }>();
  const manifestTypes = new Map<string, Set<string>>();

  for (const t of request.unpackaged?.types ?? []) {
    const parent = parentOfChildType(t.name);
    const storedType = parent ? parent.parent : t.name;
    for (const member of t.members) {
      const found: StoredComponent[] =
        member === '*'
          ? listStoredComponents(db, orgId, storedType)
          : [getStoredComponent(db, orgId, storedType, parent ? member.split('.')[0]! : member)].filter((x): x is StoredComponent => !!x);
      if (found.length === 0 && member !== '*') {
        messages.push({ fileName: `${prefix}package.xml`, problem: `Entity of type '${t.name}' named '${member}' cannot be found` });
        continue;
      }
      for (const c of found) {
        picked.set(`${c.type}#${c.fullName}`, { requestedType: c.type, c });
        const names = manifestTypes.get(c.type) ?? new Set<string>();
        names.add(c.fullName);
        manifestTypes.set(c.type, names);
      }
    }
  }

  for (const { c } of picked.values()) {
    const paths = Object.keys(c.files).sort();
    for (const p of paths) zip.file(prefix + p, Buffer.from(c.files[p]!, 'base64'));
    const main = paths.find((p) => !p.endsWith('-meta.xml') || paths.length === 1) ?? paths[0]!;
    const stamp = new Date(c.updatedAt).toISOString();
    fileProperties.push({
      createdById: user.id,
      createdByName: user.name,
      createdDate: new Date(c.createdAt).toISOString(),
      fileName: prefix + (c.type === 'LightningComponentBundle' ? `lwc/${c.fullName}` : main),
      fullName: c.fullName,
      id: '',
      lastModifiedById: user.id,
      lastModifiedByName: user.name,
      lastModifiedDate: stamp,
      manageableState: 'unmanaged',
      type: c.type,
    });
  }

  const version = request.unpackaged?.version ?? request.apiVersion ?? '62.0';
  const types = [...manifestTypes.entries()].sort(([a], [b]) => a.localeCompare(b));
  const packageXml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
    types
      .map(
        ([name, members]) =>
          `    <types>\n${[...members]
            .sort()
            .map((m) => `        <members>${escapeXml(m)}</members>\n`)
            .join('')}        <name>${name}</name>\n    </types>\n`,
      )
      .join('') +
    `    <version>${escapeXml(version)}</version>\n</Package>\n`;
  zip.file(`${prefix}package.xml`, packageXml);
  fileProperties.push({
    createdById: user.id,
    createdByName: user.name,
    createdDate: new Date().toISOString(),
    fileName: `${prefix}package.xml`,
    fullName: `${prefix}package.xml`.replace(/\/package\.xml$/, '/package.xml'),
    id: '',
    lastModifiedById: user.id,
    lastModifiedByName: user.name,
    lastModifiedDate: new Date().toISOString(),
    manageableState: 'unmanaged',
    type: 'Package',
  });
  const zipFile = (await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })).toString('base64');
  return { done: true, fileProperties, id, messages, status: 'Succeeded', success: true, zipFile };
}
