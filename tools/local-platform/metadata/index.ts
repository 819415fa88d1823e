/**
 * The local platform's Metadata API: the SOAP routes the `sf` CLI deploys and retrieves through, the
 * keystore import Setup offers, and the lookups the rest of the platform reads deployed metadata with.
 */
export { metadataRoutes } from './metadataRoutes.ts';
export { ensureMetadataSchema } from './ensureMetadataSchema.ts';
export { deployZip, type DeployOptions, type DeployResult, type DeployMessage, type DeployCaller } from './deployPackage.ts';
export { retrieveComponents, type RetrieveRequest, type RetrieveResult } from './retrievePackage.ts';
export { importKeystore, type ImportKeystoreInput, type ImportedCertificate } from './importKeystore.ts';
export {
  findOAuthApp,
  findOAuthAppAnyOrg,
  getCertificate,
  listRemoteSites,
  getNamedCredential,
  getExternalCredential,
  getPermissionSet,
  listPermissionSets,
  getCachePartitions,
  findCachePartition,
  orgCacheCapacityMb,
  listApexClasses,
  listApexTriggers,
  getCustomObject,
  listCustomObjects,
  listApps,
  listFeatureParameters,
  getSettings,
  type RemoteSite,
  type NamedCredentialInfo,
  type ExternalCredentialInfo,
  type CachePartitionInfo,
} from './lookups.ts';
export { checkApexSyntax } from '../../apex/parse/syntaxErrors.ts';
export { connectedAppCreationAllowed, CONNECTED_APP_RESTRICTED } from './types/connectedApp.ts';
export { PRIVATE_KEY_IMPORT_REFUSED } from './types/certificate.ts';

// Names the server's neighbours.ts looks for (tools/local-platform/neighbours.ts).
export { getPermissionSet as findPermissionSet, getCertificate as findCertificate } from './lookups.ts';
import { listRemoteSites, getNamedCredential } from './lookups.ts';
import type { DatabaseSync } from 'node:sqlite';
export function findRemoteSites(db: DatabaseSync, orgId: string) {
  return listRemoteSites(db, orgId);
}
export function findNamedCredential(db: DatabaseSync, orgId: string, name: string) {
  return getNamedCredential(db, orgId, name);
}
