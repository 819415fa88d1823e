import type { DatabaseSync } from 'node:sqlite';
import type { OAuthApp, PermissionSetInfo, RouteHandler } from './contracts.ts';
import * as metadataModule from '../metadata/index.ts';
import * as apexModule from '../apex/index.ts';

/**
 * What this server expects from its neighbours. The Metadata module (./metadata/index.ts) is expected to
 * export any of:
 *   metadataRoutes: RouteHandler                                   — /services/Soap/m/*, /services/data/vXX/tooling/* it owns, keystore import
 *   findOAuthApp(db, orgId, consumerKey): OAuthApp | undefined      — deployed ECAs / Connected Apps
 *   findPermissionSet(db, orgId, name): PermissionSetInfo | undefined
 *   findRemoteSites(db, orgId): { name: string; url: string; isActive: boolean; disableProtocolSecurity: boolean }[]
 *   findNamedCredential(db, orgId, name): { name: string; endpoint: string } | undefined
 *   findCertificate(db, orgId, devName): { certificatePem: string; privateKeyPem: string } | undefined
 *   findCachePartition(db, orgId, name?): { name: string; isDefault: boolean; orgCapacityMb: number } | undefined
 *   listApexClasses(db, orgId): { name, body }[]                    — deployed Apex sources
 *   listApexTriggers(db, orgId): { name, body, status }[]           — deployed Apex triggers
 *   getSettings(db, orgId, 'Security'): deployed *Settings values    — e.g. the session timeout
 *   getCustomObject(db, orgId, name): { name, label, fields[] }      — deployed custom objects / __mdt types
 * The Apex module (./apex/index.ts) is expected to export `apexRoutes: RouteHandler`.
 */
export interface MetadataModule {
  metadataRoutes?: RouteHandler;
  findOAuthApp?(db: DatabaseSync, orgId: string, consumerKey: string): OAuthApp | undefined;
  findPermissionSet?(db: DatabaseSync, orgId: string, name: string): PermissionSetInfo | undefined;
  findRemoteSites?(db: DatabaseSync, orgId: string): { name: string; url: string; isActive: boolean; disableProtocolSecurity?: boolean }[];
  findNamedCredential?(db: DatabaseSync, orgId: string, name: string): { name: string; endpoint: string } | undefined;
  findCertificate?(db: DatabaseSync, orgId: string, devName: string): { certificatePem: string; privateKeyPem: string } | undefined;
  findCachePartition?(db: DatabaseSync, orgId: string, name?: string): { name: string; isDefault: boolean; orgCapacityMb: number; sessionCapacityMb?: number } | undefined;
  listApexClasses?(db: DatabaseSync, orgId: string): { name: string; body: string }[];
  listApexTriggers?(db: DatabaseSync, orgId: string): { name: string; body: string; status?: 'Active' | 'Inactive' }[];
  getSettings?(db: DatabaseSync, orgId: string, name: string): Record<string, unknown> | undefined;
  getCustomObject?(db: DatabaseSync, orgId: string, name: string): { name: string; label?: string; fields: { name: string; type?: string; referenceTo?: string; relationshipName?: string; required?: boolean }[] } | undefined;
}

export interface ApexModule {
  apexRoutes?: RouteHandler;
}

export interface Neighbours {
  metadata: MetadataModule;
  apex: ApexModule;
  /** Kept for the log line server.ts writes; static imports leave it empty. */
  problems: string[];
}

/** The modules are imported statically so "go to definition" and the import check see them; the
 * interfaces above stay the seam that oauth, access, devhub and Apex hosting depend on. */
const neighbours: Neighbours = { metadata: metadataModule, apex: apexModule, problems: [] };
export function loadNeighbours(): Promise<Neighbours> {
  return Promise.resolve(neighbours);
}
