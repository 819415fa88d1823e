import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestPlatform, zipOf, classMeta } from './fixtures.ts';
import * as metadata from '../../../tools/local-platform/metadata/index.ts';
import { createApexHost } from '../../../tools/local-platform/apexHost.ts';
import { getOrg } from '../../../tools/local-platform/store.ts';
import type { OrgInfo } from '../../../tools/local-platform/contracts.ts';

// Deploys that run Apex tests go through the real local Apex runtime (tools/apex).
const platform = newTestPlatform();
let org: OrgInfo;
let adminId: string;

const calc = 'public with sharing class Calc {\n    public static Integer twice(Integer n) {\n        if (n == null) {\n            return 0;\n        }\n        return n * 2;\n    }\n}';
const calcTest = (expected: number) =>
  `@isTest\nprivate class CalcTest {\n    @isTest\n    static void twicePositive() {\n        System.assertEquals(${expected}, Calc.twice(2), 'twice(2)');\n        System.assertEquals(0, Calc.twice(null), 'null');\n    }\n}`;

const deploy = async (expected: number, testLevel: string, runTests: string[] = []) =>
  metadata.deployZip(
    {
      db: platform.db,
      org,
      records: platform.records,
      userId: adminId,
      apexHost: () => createApexHost({ db: platform.db, org: getOrg(platform.db, org.id)!, userId: adminId, metadata, records: platform.records }),
    },
    await zipOf(
      { 'classes/Calc.cls': calc, 'classes/Calc.cls-meta.xml': classMeta, 'classes/CalcTest.cls': calcTest(expected), 'classes/CalcTest.cls-meta.xml': classMeta },
      { ApexClass: ['Calc', 'CalcTest'] },
    ),
    { testLevel, runTests },
  );

beforeAll(() => {
  ({ org, adminId } = platform.addOrg({ name: 'Tests org' }));
});
afterAll(() => platform.cleanup());

describe('deploy with Apex tests', () => {
  it('fails on a failing test with its message, and saves nothing', async () => {
    const r = await deploy(5, 'RunSpecifiedTests', ['CalcTest']);
    expect(r).toMatchObject({ status: 'Failed', success: false, numberTestErrors: 1, numberTestsTotal: 1 });
    expect(r.details.runTestResult.failures).toEqual([expect.objectContaining({ name: 'CalcTest', methodName: 'twicePositive', message: expect.stringContaining('twice(2)') })]);
    expect(metadata.listApexClasses(platform.db, org.id)).toEqual([]);
  });

  it('deploys when tests pass and coverage is met, reporting successes and coverage', async () => {
    const r = await deploy(4, 'RunLocalTests');
    expect(r).toMatchObject({ status: 'Succeeded', numberTestsTotal: 1, numberTestsCompleted: 1, numberTestErrors: 0, runTestsEnabled: true });
    expect(r.details.runTestResult.successes).toEqual([expect.objectContaining({ name: 'CalcTest', methodName: 'twicePositive' })]);
    expect(r.details.runTestResult.codeCoverage).toEqual([expect.objectContaining({ name: 'Calc', numLocationsNotCovered: 0 })]);
    expect(metadata.listApexClasses(platform.db, org.id).map((c) => c.name).sort()).toEqual(['Calc', 'CalcTest']);
  });
});
