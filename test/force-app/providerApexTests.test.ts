/**
 * Org B's package directory deploys to a local-platform org and its Apex tests pass there
 * (`--test-level RunLocalTests`), run by the project's Apex runtime against the platform's SOQL,
 * user mode, System.runAs and permission sets: the 403 for a user without access and the 200 for a user
 * with Account_Retriever_Integration are real checks here, not stubs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMetadataModule } from '../../tools/local-platform/access.ts';
import { createApexHost } from '../../tools/local-platform/apexHost.ts';
import * as metadata from '../../tools/local-platform/metadata/index.ts';
import type { MetadataModule } from '../../tools/local-platform/neighbours.ts';
import { createOrg } from '../../tools/local-platform/orgs.ts';
import { createRecordStore, openDatabase } from '../../tools/local-platform/store.ts';
import { projectRoot } from './projectFiles.ts';

const home = mkdtempSync(path.join(tmpdir(), 'provider-apex-'));
const db = openDatabase(home);
const records = createRecordStore(db);
const metadataModule = metadata as unknown as MetadataModule;
let zip: Buffer;

beforeAll(async () => {
  metadata.ensureMetadataSchema(db);
  setMetadataModule(metadataModule);
  const components = ComponentSet.fromSource(path.join(projectRoot, 'force-app/provider'));
  components.sourceApiVersion = '66.0';
  const converted = await new MetadataConverter().convert(components, 'metadata', { type: 'zip' });
  zip = converted.zipBuffer as Buffer;
});

afterAll(() => {
  db.close();
  rmSync(home, { recursive: true, force: true });
});

describe("Org B's Apex tests on the local platform", () => {
  it('deploy with RunLocalTests: every test passes and AccountRetriever is fully covered', async () => {
    const { org, adminId } = createOrg(db, {
      name: 'Org B',
      kind: 'scratch',
      port: 1,
      edition: 'Developer',
      features: ['API', 'AuthorApex'],
      settings: {},
      admin: { username: 'admin@orgb.test', email: 'admin@orgb.test', lastName: 'Admin' },
    });
    const caller = {
      db,
      org,
      records,
      userId: adminId,
      apexHost: () => createApexHost({ db, org, userId: adminId, metadata: metadataModule, records }),
    };
    // The local platform runs deploy-time tests before it saves anything, so the tests could not yet
    // query a permission set that arrives in the same deploy (on Salesforce they can). Deploy the
    // metadata first, then deploy again with the tests.
    const plain = await metadata.deployZip(caller, zip, {});
    expect(plain.details.componentFailures).toEqual([]);

    const result = await metadata.deployZip(caller, zip, { testLevel: 'RunLocalTests' });
    const run = result.details.runTestResult as {
      numTestsRun: number;
      numFailures: number;
      failures: { name: string; methodName: string; message: string }[];
      codeCoverage: { name: string; numLocations: number; numLocationsNotCovered: number }[];
      codeCoverageWarnings: unknown[];
    };
    expect(run.failures.map((f) => `${f.name}.${f.methodName}: ${f.message}`)).toEqual([]);
    expect(run.numTestsRun).toBe(6);
    expect(result.details.componentFailures).toEqual([]);
    const coverage = run.codeCoverage.find((c) => c.name === 'AccountRetriever');
    expect(coverage, 'coverage of AccountRetriever').toBeDefined();
    expect(coverage!.numLocationsNotCovered).toBe(0);
    expect(run.codeCoverageWarnings).toEqual([]);
  });
});
