/**
 * Each package directory deploys to its own local-platform org and its Apex tests pass there
 * (`--test-level RunLocalTests`), run by the project's Apex runtime against the platform's Metadata API
 * validation, SOQL, user mode, System.runAs, permission sets, custom metadata and Platform Cache. In Org B
 * the 403 for a user without access and the 200 for a user with Account_Retriever_Integration are real
 * checks, not stubs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMetadataModule } from '../../tools/data/access.ts';
import { createApexHost } from '../../tools/local-platform/apex/apexHost.ts';
import * as metadata from '../../tools/local-platform/metadata/index.ts';
import type { MetadataModule } from '../../tools/local-platform/http/contracts.ts';
import { createOrg } from '../../tools/local-platform/devhub/orgs.ts';
import { createRecordStore, openDatabase } from '../../tools/data/store.ts';
import { projectRoot } from './projectFiles.ts';

const home = mkdtempSync(path.join(tmpdir(), 'provider-apex-'));
const db = openDatabase(home);
const records = createRecordStore(db);
const metadataModule = metadata as unknown as MetadataModule;

beforeAll(() => {
  metadata.ensureMetadataSchema(db);
  setMetadataModule(metadataModule);
});

/** The package directory as the CLI would send it: Metadata API format, zipped. */
async function zipOf(packageDir: string): Promise<Buffer> {
  const components = ComponentSet.fromSource(path.join(projectRoot, packageDir));
  components.sourceApiVersion = '66.0';
  const converted = await new MetadataConverter().convert(components, 'metadata', { type: 'zip' });
  return converted.zipBuffer as Buffer;
}

const CASES = [
  {
    packageDir: 'force-app/provider',
    org: 'Org B',
    features: ['API', 'AuthorApex'],
    tests: 25, // 6 in AccountRetrieverTest + 19 in RecordsResourceTest (its helpers in RecordsResourceTestHelper)
    covered: ['AccountRetriever', 'RecordsPage', 'RecordsResource'],
  },
  {
    packageDir: 'force-app/consumer',
    org: 'Org A',
    features: ['API', 'AuthorApex', 'PlatformCache'],
    tests: 77, // 48 (3 for the recorded JWT audience) + 7 in OrgBAccountsClientNamedCredentialTest + 10 in ExternalServiceClientTest + 8 in RemoteRecordsControllerTest + 4 in RemoteRecordsRequestTest
    covered: [
      'ExternalServiceClient',
      'ExternalServiceController',
      'Jwt',
      'OrgBAccountsClient',
      'OrgBAccountsController',
      'PlatformHttpTransport',
      'RemoteRecords',
      'RemoteRecordsController',
    ],
  },
];

afterAll(() => {
  db.close();
  rmSync(home, { recursive: true, force: true });
});

describe('package directories on the local platform', () => {
  it.each(CASES)('$packageDir deploys with RunLocalTests and every Apex test passes', async (c) => {
    const zip = await zipOf(c.packageDir);
    const { org, adminId } = createOrg(db, {
      name: c.org,
      kind: 'scratch',
      port: 1,
      edition: 'Developer',
      features: c.features,
      settings: {},
      admin: { username: `admin@${c.org.replace(' ', '').toLowerCase()}.test`, email: 'admin@example.test', lastName: 'Admin' },
    });
    const caller = {
      db,
      org,
      records,
      userId: adminId,
      apexHost: () => createApexHost({ db, org, userId: adminId, metadata: metadataModule, records }),
    };
    // One deploy, as on Salesforce: the tests see the permission sets, custom metadata and partitions
    // that arrive with them.
    const result = await metadata.deployZip(caller, zip, { testLevel: 'RunLocalTests' });
    const run = result.details.runTestResult as {
      numTestsRun: number;
      failures: { name: string; methodName: string; message: string }[];
      codeCoverage: { name: string; numLocations: number; numLocationsNotCovered: number }[];
      codeCoverageWarnings: unknown[];
    };
    expect(run.failures.map((f) => `${f.name}.${f.methodName}: ${f.message}`)).toEqual([]);
    expect(result.details.componentFailures).toEqual([]);
    expect(run.numTestsRun).toBe(c.tests);
    expect(run.codeCoverageWarnings).toEqual([]);
    for (const name of c.covered) {
      const coverage = run.codeCoverage.find((cc) => cc.name === name);
      expect(coverage, `coverage of ${name}`).toBeDefined();
      const percent = (100 * (coverage!.numLocations - coverage!.numLocationsNotCovered)) / coverage!.numLocations;
      expect(percent, `coverage of ${name}`).toBeGreaterThanOrEqual(75);
    }
  });
});
