/**
 * Describe of what the Metadata API deploys: field sets (the `<fieldSets>` of a CustomObject, as `sf project
 * deploy` sends a source-format `fieldSets/` folder) and apps with their tabs (Schema.describeTabs).
 */
import { afterAll, expect, it } from 'vitest';
import { setCustomObjectSource } from '../../../tools/data/schema.ts';
import { getOrg } from '../../../tools/data/store.ts';
import { deployZip, getCustomObject, listApps } from '../../../tools/local-platform/metadata/index.ts';
import { createApexHost } from '../../../tools/local-platform/apex/apexHost.ts';
import { executeAnonymous } from '../../../tools/apex/index.ts';
import { MD, newTestPlatform, zipOf } from './fixtures.ts';

const platform = newTestPlatform();
setCustomObjectSource(getCustomObject, platform.db);
afterAll(() => platform.cleanup());

const member = (field: string, required = false) =>
  `<displayedFields><field>${field}</field><isFieldManaged>false</isFieldManaged><isRequired>${required}</isRequired></displayedFields>`;

it('serves the field sets of custom and standard objects to Apex after a deploy', async () => {
  const { org, adminId } = platform.addOrg();
  const gizmo =
    `<CustomObject ${MD}><fields><fullName>Weight__c</fullName><label>Weight</label><precision>6</precision><scale>2</scale><type>Number</type></fields>` +
    `<fieldSets><fullName>Card</fullName><description>On the card</description>${member('Name')}${member('Weight__c', true)}<label>Card view</label></fieldSets>` +
    `<label>Gizmo</label><nameField><label>Gizmo Name</label><type>Text</type></nameField><pluralLabel>Gizmos</pluralLabel><sharingModel>ReadWrite</sharingModel></CustomObject>`;
  const account = `<CustomObject ${MD}><fieldSets><fullName>Brief</fullName><description>Short</description>${member('Name', true)}${member('Phone')}<label>Brief</label></fieldSets></CustomObject>`;
  const r = await deployZip(
    { db: platform.db, org, records: platform.records, userId: adminId },
    await zipOf({ 'objects/Gizmo__c.object': gizmo, 'objects/Account.object': account }, { CustomObject: ['Gizmo__c', 'Account'] }),
    {},
  );
  expect(r.details.componentFailures).toEqual([]);
  const host = createApexHost({
    db: platform.db,
    org: getOrg(platform.db, org.id)!,
    userId: adminId,
    metadata: {},
    records: platform.records,
  });
  const run = await executeAnonymous(
    host,
    `Schema.FieldSet card = Schema.SObjectType.Gizmo__c.fieldSets.Card;
     List<String> out = new List<String>{ card.getLabel(), card.getDescription() };
     for (Schema.FieldSetMember m : card.getFields()) out.add(m.getFieldPath() + ':' + m.getRequired() + ':' + m.getType());
     for (Schema.FieldSetMember m : Account.SObjectType.getDescribe().fieldSets.getMap().get('Brief').getFields()) out.add(m.getFieldPath());
     System.debug(String.join(out, '|'));`,
  );
  expect(run.exceptionMessage ?? run.compileProblem ?? null).toBeNull();
  expect(run.debugLog).toContain('Card view|On the card|Name:false:STRING|Weight__c:true:DOUBLE|Name|Phone');
});

it('describes the deployed apps and their tabs', async () => {
  const { org, adminId } = platform.addOrg();
  const object = `<CustomObject ${MD}><label>Widget</label><nameField><label>Widget Name</label><type>Text</type></nameField><pluralLabel>Widgets</pluralLabel><sharingModel>ReadWrite</sharingModel></CustomObject>`;
  const tab = `<CustomTab ${MD}><customObject>true</customObject><motif>Custom20: Airplane</motif></CustomTab>`;
  const app = `<CustomApplication ${MD}><description>Widgets app</description><label>Widgets</label><tabs>standard-Contact</tabs><tabs>Widget__c</tabs></CustomApplication>`;
  const r = await deployZip(
    { db: platform.db, org, records: platform.records, userId: adminId },
    await zipOf(
      { 'objects/Widget__c.object': object, 'tabs/Widget__c.tab': tab, 'applications/Widgets.app': app },
      { CustomObject: ['Widget__c'], CustomTab: ['Widget__c'], CustomApplication: ['Widgets'] },
    ),
    {},
  );
  expect(r.details.componentFailures).toEqual([]);
  const host = createApexHost({
    db: platform.db,
    org: getOrg(platform.db, org.id)!,
    userId: adminId,
    metadata: { listApps },
    records: platform.records,
  });
  const run = await executeAnonymous(
    host,
    `List<String> out = new List<String>();
     for (Schema.DescribeTabSetResult app : Schema.describeTabs()) {
       if (app.getLabel() != 'Widgets') continue;
       for (Schema.DescribeTabResult t : app.getTabs()) out.add(t.getSobjectName() + ':' + t.getIcons()[3].getUrl().substringAfterLast('/'));
     }
     System.debug(String.join(out, '|'));`,
  );
  expect(run.exceptionMessage ?? run.compileProblem ?? null).toBeNull();
  expect(run.debugLog).toContain('Contact:contact_60.png|Widget__c:custom20_60.png');
});
