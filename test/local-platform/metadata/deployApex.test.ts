/** Metadata API deploys of Apex: triggers, classes, type links across classes, what refers to a class (permission sets), retrieve, deletions and hostile zips. */
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { deployOrgs, zipOf, classMeta, MD } from './fixtures.ts';
import {
  getPermissionSet,
  listApexClasses,
  listApexTriggers,
  getNamedCredential,
  getCachePartitions,
  retrieveComponents,
} from '../../../tools/local-platform/metadata/index.ts';

const t = deployOrgs();
const { platform, deploy, failures } = t;

describe('ApexTrigger', () => {
  const triggerMeta = `<?xml version="1.0" encoding="UTF-8"?><ApexTrigger ${MD}><apiVersion>62.0</apiVersion><status>Active</status></ApexTrigger>`;
  const trig = (name: string, body: string) => ({ [`triggers/${name}.trigger`]: body, [`triggers/${name}.trigger-meta.xml`]: triggerMeta });

  it('stores a trigger for the runtime and upserts the ApexTrigger row with its object and events', async () => {
    const body =
      'trigger AccountNames on Account (before insert, after update) {\n  for (Account a : Trigger.new) a.Description = a.Name;\n}';
    const r = await deploy(await zipOf(trig('AccountNames', body), { ApexTrigger: ['AccountNames'] }));
    expect(r.status, JSON.stringify(r.details.componentFailures)).toBe('Succeeded');
    expect(listApexTriggers(platform.db, t.org.id)).toEqual([{ name: 'AccountNames', body, status: 'Active' }]);
    expect(platform.records.find(t.org.id, 'ApexTrigger', 'Name', 'AccountNames')).toMatchObject({
      TableEnumOrId: 'Account',
      UsageBeforeInsert: true,
      UsageAfterUpdate: true,
      UsageAfterInsert: false,
    });
  });

  it('refuses a syntax error, a name that is not its file, before undelete, and a custom object that does not exist', async () => {
    const r = await deploy(
      await zipOf(
        {
          ...trig('Broken', 'trigger Broken on Account (before insert) {\n  Integer x = 1\n}'),
          ...trig('Misnamed', 'trigger Other on Account (after insert) { }'),
          ...trig('NoSuchEvent', 'trigger NoSuchEvent on Account (before undelete) { }'),
          ...trig('Ghost', 'trigger Ghost on Ghost__c (after insert) { }'),
        },
        { ApexTrigger: ['Broken', 'Misnamed', 'NoSuchEvent', 'Ghost'] },
      ),
    );
    expect(r.status).toBe('Failed');
    expect(failures(r).sort()).toEqual([
      "ApexTrigger:Broken: Unexpected token '}'.",
      'ApexTrigger:Ghost: Invalid type: Ghost__c',
      'ApexTrigger:Misnamed: Invalid trigger name: Other, expected Misnamed',
      'ApexTrigger:NoSuchEvent: Invalid trigger event: before undelete',
    ]);
    expect(r.details.componentFailures.find((f) => f.fullName === 'Broken')).toMatchObject({
      fileName: 'triggers/Broken.trigger',
      lineNumber: 3,
      columnNumber: 1,
    });
  });
});

describe('ApexClass', () => {
  it('reports a syntax error with its file, line and column, and applies nothing of the deploy', async () => {
    const zip = await zipOf(
      {
        'classes/Broken.cls': 'public class Broken {\n  void f() {\n    Integer x = 1\n  }\n}',
        'classes/Broken.cls-meta.xml': classMeta,
        'classes/Fine.cls': 'public class Fine {}',
        'classes/Fine.cls-meta.xml': classMeta,
      },
      { ApexClass: ['Broken', 'Fine'] },
    );
    const r = await deploy(zip);
    expect(r.status).toBe('Failed');
    expect(r.details.componentFailures).toEqual([
      expect.objectContaining({
        componentType: 'ApexClass',
        fullName: 'Broken',
        fileName: 'classes/Broken.cls',
        problem: "Missing ';' at '}'",
        lineNumber: 4,
        columnNumber: 3,
        problemType: 'Error',
      }),
    ]);
    expect(listApexClasses(platform.db, t.org.id).map((c) => c.name)).not.toContain('Fine');
  });

  it('deploys a class naming a standard field the platform does not know, with a warning that names it', async () => {
    // Salesforce may have the field (the platform's standard field lists are partial): a warning, not
    // a refusal; a custom field it lacks is refused (Invalid field …), a known standard field says nothing.
    const body =
      "public class Fields {\n  static void m() {\n    Account a = new Account(Name = 'x', Phone = '1', Shoe_Size = 'y');\n    List<Account> l = [SELECT Id, Name, Tradestyle_Code FROM Account];\n  }\n}";
    const r = await deploy(
      await zipOf({ 'classes/Fields.cls': body, 'classes/Fields.cls-meta.xml': classMeta }, { ApexClass: ['Fields'] }),
    );
    expect(r.status).toBe('Succeeded');
    expect(r.details.componentSuccesses.find((c) => c.fullName === 'Fields')).toMatchObject({
      problemType: 'Warning',
      problem:
        'not supported by the local runtime: Account.Shoe_Size (it deploys; running it fails) at line 3\nnot supported by the local runtime: Account.Tradestyle_Code (it deploys; running it fails) at line 4',
    });
  });

  it('stores classes, upserts the ApexClass row, and tells created, changed and unchanged apart', async () => {
    const files = (body: string) => ({ 'classes/Hello.cls': body, 'classes/Hello.cls-meta.xml': classMeta });
    const first = await deploy(await zipOf(files('public class Hello {}'), { ApexClass: ['Hello'] }));
    expect(first.status).toBe('Succeeded');
    expect(first.details.componentSuccesses[0]).toMatchObject({ fullName: 'Hello', created: true, changed: false });
    const again = await deploy(await zipOf(files('public class Hello {}'), { ApexClass: ['Hello'] }));
    expect(again.details.componentSuccesses[0]).toMatchObject({ created: false, changed: false });
    const edited = await deploy(await zipOf(files('public class Hello { public Integer n; }'), { ApexClass: ['*'] }));
    expect(edited.details.componentSuccesses[0]).toMatchObject({ created: false, changed: true });
    expect(platform.records.find(t.org.id, 'ApexClass', 'Name', 'Hello')).toMatchObject({
      Body: 'public class Hello { public Integer n; }',
      Status: 'Active',
    });
  });

  it('checkOnly validates without saving', async () => {
    const r = await deploy(
      await zipOf({ 'classes/DryRun.cls': 'public class DryRun {}', 'classes/DryRun.cls-meta.xml': classMeta }, { ApexClass: ['DryRun'] }),
      { checkOnly: true },
    );
    expect(r).toMatchObject({ status: 'Succeeded', checkOnly: true });
    expect(listApexClasses(platform.db, t.org.id).map((c) => c.name)).not.toContain('DryRun');
  });

  it('fails members named in package.xml but missing from the zip, with Salesforce wording', async () => {
    const r = await deploy(await zipOf({}, { ApexClass: ['Ghost'] }));
    expect(failures(r)).toEqual([
      "ApexClass:Ghost: An object 'Ghost' of type ApexClass was named in package.xml, but was not found in zipped directory",
    ]);
  });

  it('answers a zip without package.xml with an error message, not a crash', async () => {
    const zip = new JSZip();
    zip.file('classes/A.cls', 'public class A {}');
    const r = await deploy(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(r).toMatchObject({ status: 'Failed', errorMessage: 'No package.xml found' });
  });
});

describe('Apex types across classes', () => {
  it('fails a class whose superclass exists neither in the deploy nor in the org', async () => {
    const r = await deploy(
      await zipOf(
        { 'classes/Child.cls': 'public class Child\n    extends MissingBase {\n}', 'classes/Child.cls-meta.xml': classMeta },
        { ApexClass: ['Child'] },
      ),
    );
    expect(r.details.componentFailures).toEqual([
      expect.objectContaining({ fullName: 'Child', problem: 'Invalid type: MissingBase', lineNumber: 2, columnNumber: 5 }),
    ]);
    const ok = await deploy(
      await zipOf(
        {
          'classes/Child.cls': 'public class Child extends MissingBase {}',
          'classes/Child.cls-meta.xml': classMeta,
          'classes/MissingBase.cls': 'public virtual class MissingBase {}',
          'classes/MissingBase.cls-meta.xml': classMeta,
        },
        { ApexClass: ['Child', 'MissingBase'] },
      ),
    );
    expect(failures(ok)).toEqual([]);
  });
});

describe('PermissionSet, NamedCredential, PlatformCachePartition', () => {
  const ps = (cls: string) =>
    `<PermissionSet ${MD}><classAccesses><apexClass>${cls}</apexClass><enabled>true</enabled></classAccesses><hasActivationRequired>false</hasActivationRequired><label>Integration</label><objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Account</object><viewAllRecords>false</viewAllRecords></objectPermissions><fieldPermissions><editable>false</editable><field>Account.Industry</field><readable>true</readable></fieldPermissions><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></PermissionSet>`;

  it('fails a permission set granting a class that does not exist', async () => {
    const r = await deploy(
      await zipOf({ 'permissionsets/Integration.permissionset': ps('NoSuchClass') }, { PermissionSet: ['Integration'] }),
    );
    expect(failures(r)).toEqual(['PermissionSet:Integration: In field: apexClass - no ApexClass named NoSuchClass found']);
  });

  it('stores permissions for USER_MODE and a PermissionSet row for `sf org assign permset`', async () => {
    const r = await deploy(await zipOf({ 'permissionsets/Integration.permissionset': ps('Hello') }, { PermissionSet: ['Integration'] }));
    expect(failures(r)).toEqual([]);
    expect(getPermissionSet(platform.db, t.org.id, 'Integration')).toEqual({
      name: 'Integration',
      label: 'Integration',
      objectPermissions: { Account: { read: true, create: false, edit: false, delete: false } },
      fieldPermissions: { 'Account.Industry': { readable: true, editable: false } },
      classAccesses: ['Hello'],
      userPermissions: ['ApiEnabled'],
    });
    expect(platform.records.find(t.org.id, 'PermissionSet', 'Name', 'Integration')).toMatchObject({ Label: 'Integration' });
  });

  it('fails a named credential whose external credential is missing', async () => {
    const nc = `<NamedCredential ${MD}><label>Org B</label><namedCredentialParameters><parameterName>Url</parameterName><parameterType>Url</parameterType><parameterValue>http://127.0.0.1:6101</parameterValue></namedCredentialParameters><namedCredentialParameters><externalCredential>OrgB_Ext</externalCredential><parameterName>ExternalCredential</parameterName><parameterType>Authentication</parameterType></namedCredentialParameters><namedCredentialType>SecuredEndpoint</namedCredentialType></NamedCredential>`;
    const r = await deploy(await zipOf({ 'namedCredentials/OrgB.namedCredential': nc }, { NamedCredential: ['OrgB'] }));
    expect(failures(r)).toEqual(['NamedCredential:OrgB: In field: externalCredential - no ExternalCredential named OrgB_Ext found']);
    const ec = `<ExternalCredential ${MD}><authenticationProtocol>Custom</authenticationProtocol><label>Ext</label></ExternalCredential>`;
    const ok = await deploy(
      await zipOf(
        { 'namedCredentials/OrgB.namedCredential': nc, 'externalCredentials/OrgB_Ext.externalCredential': ec },
        { NamedCredential: ['OrgB'], ExternalCredential: ['OrgB_Ext'] },
      ),
    );
    expect(failures(ok)).toEqual([]);
    expect(getNamedCredential(platform.db, t.org.id, 'OrgB')).toMatchObject({
      endpoint: 'http://127.0.0.1:6101',
      externalCredential: 'OrgB_Ext',
    });
  });

  it('holds cache partitions to the org capacity (3 MB with the PlatformCache feature, 0 without)', async () => {
    const part = (mb: number) =>
      `<PlatformCachePartition ${MD}><isDefaultPartition>false</isDefaultPartition><masterLabel>Tokens</masterLabel><platformCachePartitionTypes><allocatedCapacity>${mb}</allocatedCapacity><cacheType>Organization</cacheType></platformCachePartitionTypes></PlatformCachePartition>`;
    expect(
      failures(await deploy(await zipOf({ 'cachePartitions/Tokens.cachePartition': part(4) }, { PlatformCachePartition: ['Tokens'] })))[0],
    ).toMatch(/exceeds .* \(3 MB\)/);
    expect(
      failures(
        await deploy(
          await zipOf({ 'cachePartitions/Tokens.cachePartition': part(1) }, { PlatformCachePartition: ['Tokens'] }),
          {},
          t.other,
        ),
      )[0],
    ).toMatch(/\(0 MB\)/);
    expect(
      failures(await deploy(await zipOf({ 'cachePartitions/Tokens.cachePartition': part(1) }, { PlatformCachePartition: ['Tokens'] }))),
    ).toEqual([]);
    expect(getCachePartitions(platform.db, t.org.id)).toEqual([
      { name: 'Tokens', label: 'Tokens', isDefault: false, orgCapacityMb: 1, sessionCapacityMb: 0 },
    ]);
  });
});

describe('retrieve', () => {
  it('names what the org lacks with Salesforce wording and returns a package.xml', async () => {
    const r = await retrieveComponents(
      platform.db,
      t.org.id,
      { unpackaged: { types: [{ name: 'ApexClass', members: ['Hello', 'Missing'] }], version: '66.0' } },
      'r3',
    );
    expect(r.messages).toEqual([
      { fileName: 'unpackaged/package.xml', problem: "Entity of type 'ApexClass' named 'Missing' cannot be found" },
    ]);
    const zip = await JSZip.loadAsync(Buffer.from(r.zipFile, 'base64'));
    expect(Object.keys(zip.files).sort()).toEqual(
      [
        'unpackaged/',
        'unpackaged/classes/',
        'unpackaged/classes/Hello.cls',
        'unpackaged/classes/Hello.cls-meta.xml',
        'unpackaged/package.xml',
      ].filter((n) => zip.files[n]),
    );
    expect(await zip.file('unpackaged/package.xml')!.async('string')).toContain('<members>Hello</members>');
  });
});

describe('deletions', () => {
  it('deletes components named in destructiveChanges.xml, with their sObject rows', async () => {
    await deploy(
      await zipOf({ 'classes/Doomed.cls': 'public class Doomed {}', 'classes/Doomed.cls-meta.xml': classMeta }, { ApexClass: ['Doomed'] }),
    );
    expect(platform.records.find(t.org.id, 'ApexClass', 'Name', 'Doomed')).toBeDefined();
    const zip = new JSZip();
    zip.file('package.xml', `<Package ${MD}><version>62.0</version></Package>`);
    zip.file(
      'destructiveChanges.xml',
      `<Package ${MD}><types><members>Doomed</members><name>ApexClass</name></types><version>62.0</version></Package>`,
    );
    const r = await deploy(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(r.status).toBe('Succeeded');
    expect(r.details.componentSuccesses).toContainEqual(expect.objectContaining({ fullName: 'Doomed', deleted: true }));
    expect(listApexClasses(platform.db, t.org.id).map((c) => c.name)).not.toContain('Doomed');
    expect(platform.records.find(t.org.id, 'ApexClass', 'Name', 'Doomed')).toBeUndefined();
  });
});

describe('hostile zips', () => {
  it('never stores a path that climbs out of the package, and refuses bad class names', async () => {
    const zip = new JSZip();
    zip.file('package.xml', `<Package ${MD}><types><members>*</members><name>ApexClass</name></types><version>62.0</version></Package>`);
    zip.file('classes/../../evil.cls', 'public class evil {}');
    await deploy(await zip.generateAsync({ type: 'nodebuffer' }));
    const paths = (platform.db.prepare('SELECT files FROM md_components WHERE org_id = ?').all(t.org.id) as { files: string }[]).flatMap(
      (r) => Object.keys(JSON.parse(r.files)),
    );
    expect(paths.filter((p) => p.includes('..') || p.startsWith('/'))).toEqual([]);
    expect(listApexClasses(platform.db, t.org.id).map((c) => c.name)).not.toContain('evil');
    const bad = await deploy(
      await zipOf({ 'classes/Bad Name.cls': 'public class X {}', 'classes/Bad Name.cls-meta.xml': classMeta }, { ApexClass: ['*'] }),
    );
    expect(failures(bad)[0]).toMatch(/^ApexClass:Bad Name: Invalid class name Bad Name/);
  });

  it("reads a class's name past a string holding /* (a REST urlMapping such as '/records/v1/*')", async () => {
    const body = `@RestResource(urlMapping='/records/v1/*')
global with sharing class Records {
  /** @description An inner class after a doc comment. */
  private class Failure extends Exception {
  }
}`;
    const r = await deploy(
      await zipOf({ 'classes/Records.cls': body, 'classes/Records.cls-meta.xml': classMeta }, { ApexClass: ['Records'] }),
    );
    expect(failures(r)).toEqual([]);
    expect(listApexClasses(platform.db, t.org.id).map((c) => c.name)).toContain('Records');
  });

  it('refuses more files than a deploy may hold, before inflating any', async () => {
    const zip = new JSZip();
    zip.file('package.xml', `<Package ${MD}><version>62.0</version></Package>`);
    for (let i = 0; i <= 10_000; i++) zip.file(`staticresources/R${i}.resource`, '');
    const r = await deploy(await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' }));
    expect(r).toMatchObject({ status: 'Failed', errorMessage: 'The zip file contains 10002 files; a deploy can hold at most 10000.' });
  }, 60_000);
});
