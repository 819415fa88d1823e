/**
 * The project's org on the platform's data engine, in memory: `npm run apex-test`, the corpus and the
 * Apex benchmark run the project's tests here. Certificates get throwaway RSA keys (the real private
 * key never leaves the real org, so local tests sign with a stand-in).
 */
import { readProjectClasses, readProjectSetup, readProjectTriggers } from '../../apex/projectSources.ts';
import { createMemoryOrg, type MemoryOrg } from './memoryOrg.ts';
import { linkMetadataRelationships } from '../../data/metadataRelationships.ts';

export function projectOrg(sourceDirs: string[]): MemoryOrg {
  const setup = readProjectSetup(sourceDirs);
  const org = createMemoryOrg({
    classes: readProjectClasses(sourceDirs),
    triggers: readProjectTriggers(sourceDirs),
    objects: setup.objects,
    certificates: setup.certificates,
    cacheCapacityMb: 0,
    cachePartitions: setup.cachePartitions,
    sessionPartitions: setup.sessionPartitions,
    labels: setup.labels,
    apps: setup.apps,
    featureParameters: setup.featureParameters,
    permissionSets: setup.permissionSets.map((p) => ({ ...p, classAccesses: [], userPermissions: [] })),
  });
  // Rows the project's metadata deploys: custom metadata records, custom permissions, static resources, cache partitions.
  for (const { sobject, rows } of setup.rows) org.seed(sobject, rows);
  linkMetadataRelationships(org.db, org.org.id);
  for (const p of setup.permissionSets) org.seed('PermissionSet', [{ Name: p.name, Label: p.label }]);
  return org;
}
