/**
 * Org A's Apex tests (JwtTest, OrgBAccountsClientTest, OrgBAccountsControllerTest, RemoteRecords*Test) run in the project's
 * own Apex runtime (tools/apex) and pass, with the coverage Salesforce demands for a deploy (75 %).
 * They need nothing from the org but the Platform Cache and a missing certificate: every callout is
 * answered by the tests' own HttpCalloutMock, so the host below refuses real HTTP and SOQL finds no
 * connection record (the tests build theirs in memory).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApexHost, HttpCallout } from '../../tools/apex/host.ts';
import { runTests, type TestRunResult } from '../../tools/apex/index.ts';
import { projectRoot } from './projectFiles.ts';

const CLASSES_DIR = path.join(projectRoot, 'force-app/consumer/main/default/classes');
const TEST_CLASSES = [
  'JwtTest',
  'OrgBAccountsClientTest',
  'OrgBAccountsClientNamedCredentialTest',
  'OrgBAccountsControllerTest',
  'RemoteRecordsControllerTest',
  'RemoteRecordsRequestTest',
];
const PRODUCTION_CLASSES = [
  'Jwt',
  'OrgBAccountsClient',
  'OrgBAccountsController',
  'PlatformHttpTransport',
  'RemoteRecords',
  'RemoteRecordsController',
];

/** An org with the consumer classes, an empty database, a 1 MB OrgBTokens partition and no certificates. */
function consumerHost(): ApexHost {
  const classes = readdirSync(CLASSES_DIR)
    .filter((file) => file.endsWith('.cls'))
    .map((file) => ({ name: path.basename(file, '.cls'), body: readFileSync(path.join(CLASSES_DIR, file), 'utf8') }));
  const cache = new Map<string, unknown>();
  return {
    orgId: '00D0000000000AAAAA',
    instanceUrl: 'http://127.0.0.1:9',
    user: {
      id: '0050000000000AAAAA',
      username: 'admin@orga.test',
      name: 'Org A Admin',
      email: 'admin@orga.test',
      profileName: 'System Administrator',
      orgId: '00D0000000000AAAAA',
    },
    listClasses: async () => classes,
    query: async () => [],
    insert: async () => {
      throw new Error('the consumer tests do no DML');
    },
    update: async () => {
      throw new Error('the consumer tests do no DML');
    },
    delete: async () => {
      throw new Error('the consumer tests do no DML');
    },
    callout: async (request: HttpCallout) => {
      throw new Error(`unexpected real callout to ${request.endpoint}: every test registers an HttpCalloutMock`);
    },
    signWithCertificate: async (_algorithm: string, _data: Buffer, certDevName: string) => {
      throw new Error(`No certificate named ${certDevName}`);
    },
    cacheGet: async (key: string) => cache.get(key),
    cachePut: async (key: string, value: unknown) => {
      cache.set(key, value);
    },
    cacheRemove: async (key: string) => cache.delete(key),
    cacheCapacityMb: async (partition?: string) => (partition === undefined || /^local\.OrgBTokens$/i.test(partition) ? 1 : 0),
    begin: async () => {},
    commit: async () => {},
    rollback: async () => {},
  };
}

describe("Org A's Apex tests in the project's Apex runtime", () => {
  let result: TestRunResult;

  it('compile and pass', async () => {
    result = await runTests(consumerHost(), { classNames: TEST_CLASSES });
    expect(result.compileErrors).toEqual([]);
    const failures = result.tests
      .filter((test) => test.outcome !== 'Pass')
      .map((test) => `${test.className}.${test.methodName}: ${test.outcome} ${test.message ?? ''}`);
    expect(failures).toEqual([]);
    expect(result.outcome).toBe('Passed');
    const ran = new Set(result.tests.map((test) => test.className));
    expect([...ran].sort()).toEqual([...TEST_CLASSES].sort());
    expect(result.testsRan).toBeGreaterThanOrEqual(40);
  });

  it('cover every production class by at least 75 %', () => {
    expect(result, 'the test run above failed to produce a result').toBeDefined();
    const coverage = Object.fromEntries(result.coverage.map((c) => [c.className, c.percent]));
    for (const name of PRODUCTION_CLASSES) {
      expect(coverage[name], `coverage of ${name}`).toBeGreaterThanOrEqual(75);
    }
  });
});
