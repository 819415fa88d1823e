import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestPlatform, zipOf, classMeta, MD } from './fixtures.ts';
import * as metadata from '../../../tools/local-platform/metadata/index.ts';
import { createApexHost } from '../../../tools/local-platform/apex/apexHost.ts';
import { getOrg } from '../../../tools/data/store.ts';
import type { OrgInfo } from '../../../tools/local-platform/http/contracts.ts';
import { listStoredComponents } from '../../../tools/local-platform/metadata/componentStore.ts';
import { setMetadataModule } from '../../../tools/data/access.ts';
import type { MetadataModule } from '../../../tools/local-platform/http/contracts.ts';

// Deploys that run Apex tests go through the real local Apex runtime (tools/apex).
const platform = newTestPlatform();
let org: OrgInfo;
let adminId: string;

const calc =
  'public with sharing class Calc {\n    public static Integer twice(Integer n) {\n        if (n == null) {\n            return 0;\n        }\n        return n * 2;\n    }\n}';
const calcTest = (expected: number) =>
  `@isTest\nprivate class CalcTest {\n    @isTest\n    static void twicePositive() {\n        System.assertEquals(${expected}, Calc.twice(2), 'twice(2)');\n        System.assertEquals(0, Calc.twice(null), 'null');\n    }\n}`;

const deploy = async (expected: number, testLevel: string, runTests: string[] = []) =>
  metadata.deployZip(
    {
      db: platform.db,
      org,
      records: platform.records,
      userId: adminId,
      apexHost: () =>
        createApexHost({ db: platform.db, org: getOrg(platform.db, org.id)!, userId: adminId, metadata, records: platform.records }),
    },
    await zipOf(
      {
        'classes/Calc.cls': calc,
        'classes/Calc.cls-meta.xml': classMeta,
        'classes/CalcTest.cls': calcTest(expected),
        'classes/CalcTest.cls-meta.xml': classMeta,
      },
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
    expect(r.details.runTestResult.failures).toEqual([
      expect.objectContaining({ name: 'CalcTest', methodName: 'twicePositive', message: expect.stringContaining('twice(2)') }),
    ]);
    expect(metadata.listApexClasses(platform.db, org.id)).toEqual([]);
  });

  it('deploys when tests pass and coverage is met, reporting successes and coverage', async () => {
    const r = await deploy(4, 'RunLocalTests');
    expect(r).toMatchObject({
      status: 'Succeeded',
      numberTestsTotal: 1,
      numberTestsCompleted: 1,
      numberTestErrors: 0,
      runTestsEnabled: true,
    });
    expect(r.details.runTestResult.successes).toEqual([expect.objectContaining({ name: 'CalcTest', methodName: 'twicePositive' })]);
    expect(r.details.runTestResult.codeCoverage).toEqual([expect.objectContaining({ name: 'Calc', numLocationsNotCovered: 0 })]);
    expect(
      metadata
        .listApexClasses(platform.db, org.id)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['Calc', 'CalcTest']);
  });
});

/**
 * Tests run against the org as the whole deploy leaves it — a permission set, a custom object, a custom
 * metadata type and record of the same deploy — and a failing test or a dry run
 * (checkOnly) leaves every table as it was.
 */
describe('deploy-time tests see the whole deploy', () => {
  const obj = `<CustomObject ${MD}><deploymentStatus>Deployed</deploymentStatus><fields><fullName>Size__c</fullName><label>Size</label><precision>18</precision><scale>0</scale><type>Number</type></fields><label>Widget</label><nameField><label>Name</label><type>Text</type></nameField><pluralLabel>Widgets</pluralLabel><sharingModel>ReadWrite</sharingModel></CustomObject>`;
  const mdtType = `<CustomObject ${MD}><fields><fullName>Limit__c</fullName><label>Limit</label><precision>18</precision><scale>0</scale><type>Number</type></fields><label>Gate Setting</label><pluralLabel>Gate Settings</pluralLabel><visibility>Public</visibility></CustomObject>`;
  const mdtRecord = (limit: number) =>
    `<CustomMetadata ${MD} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>Default</label><protected>false</protected><values><field>Limit__c</field><value xsi:type="xsd:double">${limit}</value></values></CustomMetadata>`;
  const permSet = (label: string) =>
    `<PermissionSet ${MD}><hasActivationRequired>false</hasActivationRequired><label>${label}</label><objectPermissions><allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Widget__c</object><viewAllRecords>false</viewAllRecords></objectPermissions><fieldPermissions><editable>true</editable><field>Widget__c.Size__c</field><readable>true</readable></fieldPermissions></PermissionSet>`;
  const partition = `<PlatformCachePartition ${MD}><isDefaultPartition>false</isDefaultPartition><masterLabel>Gate</masterLabel><platformCachePartitionTypes><allocatedCapacity>1</allocatedCapacity><cacheType>Organization</cacheType></platformCachePartitionTypes></PlatformCachePartition>`;
  const gate = `public with sharing class Gate {\n    public static Integer limitOf() {\n        Gate_Setting__mdt s = [SELECT Limit__c FROM Gate_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1];\n        return s.Limit__c.intValue();\n    }\n    public static Integer widgetsVisible() {\n        return [SELECT Id FROM Widget__c WITH USER_MODE].size();\n    }\n}`;
  // The user gets the permission set in @TestSetup: the query for it throws if the set is not deployed yet.
  const gateTest = (expectedLimit: number) => `@isTest
private class GateTest {
    @TestSetup
    static void setup() {
        Profile p = [SELECT Id FROM Profile WHERE Name = 'Minimum Access - Salesforce' LIMIT 1];
        User u = new User(Alias = 'gate', Email = 'gate@example.com', EmailEncodingKey = 'UTF-8', LastName = 'Gate', LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US', ProfileId = p.Id, TimeZoneSidKey = 'GMT', Username = 'gate.' + UserInfo.getOrganizationId() + '@example.com');
        insert u;
        PermissionSet ps = [SELECT Id FROM PermissionSet WHERE Name = 'Gate_Access' LIMIT 1];
        insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = ps.Id);
    }
    @isTest
    static void seesTheDeploy() {
        insert new Widget__c(Name = 'w', Size__c = 3);
        User u = [SELECT Id FROM User WHERE LastName = 'Gate' LIMIT 1];
        System.runAs(u) {
            System.assertEquals(1, Gate.widgetsVisible(), 'the permission set grants Widget__c');
        }
        System.assertEquals(${expectedLimit}, Gate.limitOf(), 'custom metadata limit');
    }
}`;
  const files = (expectedLimit: number, label = 'Gate Access') => ({
    'objects/Widget__c.object': obj,
    'objects/Gate_Setting__mdt.object': mdtType,
    'customMetadata/Gate_Setting.Default.md': mdtRecord(5),
    'permissionsets/Gate_Access.permissionset': permSet(label),
    'cachePartitions/Gate.cachePartition': partition,
    'classes/Gate.cls': gate,
    'classes/Gate.cls-meta.xml': classMeta,
    'classes/GateTest.cls': gateTest(expectedLimit),
    'classes/GateTest.cls-meta.xml': classMeta,
  });
  const manifest = {
    CustomObject: ['Widget__c', 'Gate_Setting__mdt'],
    CustomMetadata: ['Gate_Setting.Default'],
    PermissionSet: ['Gate_Access'],
    PlatformCachePartition: ['Gate'],
    ApexClass: ['Gate', 'GateTest'],
  };
  let gateOrg: OrgInfo;
  let gateAdmin: string;
  const deployGate = async (zip: Buffer, options: Parameters<typeof metadata.deployZip>[2]) =>
    metadata.deployZip(
      {
        db: platform.db,
        org: gateOrg,
        records: platform.records,
        userId: gateAdmin,
        apexHost: () =>
          createApexHost({
            db: platform.db,
            org: getOrg(platform.db, gateOrg.id)!,
            userId: gateAdmin,
            metadata,
            records: platform.records,
          }),
      },
      zip,
      options,
    );
  /** Every row of every table the platform keeps (deploy results aside), to prove a rollback complete. */
  const dump = () => {
    const tables = (
      platform.db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'md_async_results' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => [
        t,
        platform.db
          .prepare(`SELECT * FROM "${t}"`)
          .all()
          .map((row) => JSON.stringify(row))
          .sort(),
      ]),
    );
  };

  beforeAll(() => {
    // User mode reads permission sets through the Metadata module, as the server wires it.
    setMetadataModule(metadata as unknown as MetadataModule);
    ({ org: gateOrg, adminId: gateAdmin } = platform.addOrg({ name: 'Gate org', features: ['PlatformCache'] }));
  });

  it('a dry run (checkOnly) runs the tests against the deploy and saves nothing', async () => {
    const before = dump();
    const r = await deployGate(await zipOf(files(5), manifest), { testLevel: 'RunLocalTests', checkOnly: true });
    expect(r.details.runTestResult.failures).toEqual([]);
    expect(r).toMatchObject({ status: 'Succeeded', success: true, checkOnly: true, numberTestsTotal: 1, numberTestErrors: 0 });
    expect(dump()).toEqual(before);
  });

  it('a failing test rolls back every component of the deploy, not just the classes', async () => {
    const before = dump();
    const r = await deployGate(await zipOf(files(6), manifest), { testLevel: 'RunLocalTests' });
    expect(r).toMatchObject({ status: 'Failed', success: false, numberTestErrors: 1 });
    expect(r.details.runTestResult.failures).toEqual([
      expect.objectContaining({ name: 'GateTest', methodName: 'seesTheDeploy', message: expect.stringContaining('custom metadata limit') }),
    ]);
    expect(dump()).toEqual(before);
    expect(listStoredComponents(platform.db, gateOrg.id)).toEqual([]);
    expect(platform.records.find(gateOrg.id, 'PermissionSet', 'Name', 'Gate_Access')).toBeUndefined();
  });

  it('passes when the test needs the permission set, custom object and custom metadata of the same deploy', async () => {
    const r = await deployGate(await zipOf(files(5), manifest), { testLevel: 'RunLocalTests' });
    expect(r.details.runTestResult.failures).toEqual([]);
    expect(r).toMatchObject({ status: 'Succeeded', success: true, numberTestsTotal: 1, numberTestsCompleted: 1 });
    expect(
      listStoredComponents(platform.db, gateOrg.id)
        .map((c) => `${c.type}:${c.fullName}`)
        .sort(),
    ).toEqual([
      'ApexClass:Gate',
      'ApexClass:GateTest',
      'CustomMetadata:Gate_Setting.Default',
      'CustomObject:Gate_Setting__mdt',
      'CustomObject:Widget__c',
      'PermissionSet:Gate_Access',
      'PlatformCachePartition:Gate',
    ]);
    expect(platform.records.find(gateOrg.id, 'PermissionSet', 'Name', 'Gate_Access')).toMatchObject({ Label: 'Gate Access' });
    // Test data (the user, the assignment, the widget) is the test's own and does not stay.
    expect(platform.records.find(gateOrg.id, 'User', 'LastName', 'Gate')).toBeUndefined();
  });

  it('a failing redeploy puts the previous versions back (updated rows, not only inserted ones)', async () => {
    const before = dump();
    const r = await deployGate(await zipOf(files(7, 'Gate Access v2'), manifest), { testLevel: 'RunLocalTests' });
    expect(r).toMatchObject({ status: 'Failed', numberTestErrors: 1 });
    expect(dump()).toEqual(before);
    expect(platform.records.find(gateOrg.id, 'PermissionSet', 'Name', 'Gate_Access')).toMatchObject({ Label: 'Gate Access' });
  });

  it('deploys to one org queue: one sent while another runs its tests lands after that one is undone', async () => {
    // The second deploy is sent once the first has applied and its tests start, and the tests are slow.
    let plain: Promise<Awaited<ReturnType<typeof deployGate>>> | undefined;
    const plainZip = await zipOf(
      { 'permissionsets/Gate_Access.permissionset': permSet('Gate Access plain') },
      { PermissionSet: ['Gate_Access'] },
    );
    const failing = metadata.deployZip(
      {
        db: platform.db,
        org: gateOrg,
        records: platform.records,
        userId: gateAdmin,
        apexHost: () => {
          plain = deployGate(plainZip, {});
          const host = createApexHost({
            db: platform.db,
            org: getOrg(platform.db, gateOrg.id)!,
            userId: gateAdmin,
            metadata,
            records: platform.records,
          });
          const listClasses = host.listClasses.bind(host);
          host.listClasses = async () => {
            await new Promise((r) => setTimeout(r, 300));
            return listClasses();
          };
          return host;
        },
      },
      await zipOf(files(8), manifest),
      { testLevel: 'RunLocalTests' },
    );
    const f = await failing;
    const p = await plain!;
    expect(f).toMatchObject({ status: 'Failed', numberTestErrors: 1 });
    expect(p).toMatchObject({ status: 'Succeeded' });
    expect(platform.records.find(gateOrg.id, 'PermissionSet', 'Name', 'Gate_Access')).toMatchObject({ Label: 'Gate Access plain' });
  });
});
