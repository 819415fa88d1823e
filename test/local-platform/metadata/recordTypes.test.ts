/**
 * Record types deployed through the Metadata API (`<recordTypes>` of a CustomObject, as the CLI sends
 * objects/X/recordTypes/*.recordType-meta.xml): RecordType rows, the object's RecordTypeId field, and the
 * REST describe's recordTypeInfos; an object without record types has no RecordTypeId.
 */
import { afterAll, expect, it } from 'vitest';
import { runSoql } from '../../../tools/data/soql.ts';
import { getObjectDef, setCustomObjectSource } from '../../../tools/data/schema.ts';
import { describeObject } from '../../../tools/local-platform/data/describe.ts';
import { recordTypesOf } from '../../../tools/data/recordTypes.ts';
import { deployZip, getCustomObject } from '../../../tools/local-platform/metadata/index.ts';
import { MD, newTestPlatform, zipOf } from './fixtures.ts';

const platform = newTestPlatform();
setCustomObjectSource(getCustomObject, platform.db);
afterAll(() => platform.cleanup());

const recordType = (name: string, label: string, active: boolean) =>
  `<recordTypes><fullName>${name}</fullName><active>${active}</active><label>${label}</label></recordTypes>`;

it('makes RecordType rows and the RecordTypeId field of the objects that have them', async () => {
  const { org, adminId } = platform.addOrg();
  const before = () => runSoql(platform.db, org.id, 'SELECT RecordTypeId FROM Account');
  expect(before).toThrow(/No such column 'RecordTypeId'/);
  const account = `<CustomObject ${MD}>${recordType('Business', 'Business Account', true)}${recordType('Old', 'Old', false)}</CustomObject>`;
  const site = `<CustomObject ${MD}><label>Site</label><pluralLabel>Sites</pluralLabel><nameField><label>Name</label><type>Text</type></nameField><deploymentStatus>Deployed</deploymentStatus><sharingModel>ReadWrite</sharingModel>${recordType('Office', 'Office', true)}</CustomObject>`;
  const r = await deployZip(
    { db: platform.db, org, records: platform.records, userId: adminId },
    await zipOf({ 'objects/Account.object': account, 'objects/Site__c.object': site }, { CustomObject: ['Account', 'Site__c'] }),
    {},
  );
  expect(r.details.componentFailures).toEqual([]);
  const rows = runSoql(platform.db, org.id, 'SELECT DeveloperName, Name, IsActive, SobjectType FROM RecordType ORDER BY DeveloperName')
    .records as { DeveloperName: string; Name: string; IsActive: boolean; SobjectType: string }[];
  expect(rows.map((x) => [x.SobjectType, x.DeveloperName, x.Name, x.IsActive])).toEqual([
    ['Account', 'Business', 'Business Account', true],
    ['Site__c', 'Office', 'Office', true],
    ['Account', 'Old', 'Old', false],
  ]);
  expect(before().records).toEqual([]);
  expect(getObjectDef(platform.db, org.id, 'scratch', 'Site__c')!.fields.some((f) => f.name === 'RecordTypeId')).toBe(true);
  expect(getObjectDef(platform.db, org.id, 'scratch', 'Contact')!.fields.some((f) => f.name === 'RecordTypeId')).toBe(false);
  const def = getObjectDef(platform.db, org.id, 'scratch', 'Account')!;
  const infos = describeObject(def, '62.0', recordTypesOf(platform.db, org.id, 'Account')).recordTypeInfos as {
    developerName: string;
    master: boolean;
  }[];
  expect(infos.map((i) => [i.developerName, i.master])).toEqual([
    ['Master', true],
    ['Business', false],
    ['Old', false],
  ]);
  // a second deploy updates the record type it names, by developer name
  await deployZip(
    { db: platform.db, org, records: platform.records, userId: adminId },
    await zipOf(
      { 'objects/Account.object': `<CustomObject ${MD}>${recordType('Old', 'Old', true)}</CustomObject>` },
      { CustomObject: ['Account'] },
    ),
    {},
  );
  expect(recordTypesOf(platform.db, org.id, 'Account').map((x) => [x.DeveloperName, x.IsActive])).toEqual([
    ['Business', true],
    ['Old', true],
  ]);
});
