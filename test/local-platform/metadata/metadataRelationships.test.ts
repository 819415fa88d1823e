/**
 * A deploy of custom metadata types related by a Metadata Relationship, records naming their parent by
 * DeveloperName (children listed before the parent's records): SOQL reads the relationship both ways.
 */
import { afterAll, expect, it } from 'vitest';
import { runSoql } from '../../../tools/data/soql.ts';
import { setCustomObjectSource } from '../../../tools/data/schema.ts';
import { deployZip, getCustomObject } from '../../../tools/local-platform/metadata/index.ts';
import { MD, newTestPlatform, zipOf } from './fixtures.ts';

const platform = newTestPlatform();
// as the server does (http/server.ts): deployed objects' definitions come from the Metadata module
setCustomObjectSource(getCustomObject, platform.db);
afterAll(() => platform.cleanup());

const rec = (label: string, values: Record<string, string>) =>
  `<CustomMetadata ${MD} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>${label}</label><protected>false</protected>${Object.entries(
    values,
  )
    .map(([f, v]) => `<values><field>${f}</field><value xsi:type="xsd:string">${v}</value></values>`)
    .join('')}</CustomMetadata>`;

it('links each record to its parent record, whatever the order of the deploy', async () => {
  const { org, adminId } = platform.addOrg();
  const plan = `<CustomObject ${MD}><label>Plan</label><pluralLabel>Plans</pluralLabel><visibility>Public</visibility></CustomObject>`;
  const step = `<CustomObject ${MD}><fields><fullName>Plan__c</fullName><label>Plan</label><referenceTo>Plan__mdt</referenceTo><relationshipLabel>Steps</relationshipLabel><relationshipName>Steps</relationshipName><required>true</required><type>MetadataRelationship</type></fields><label>Step</label><pluralLabel>Steps</pluralLabel><visibility>Public</visibility></CustomObject>`;
  const r = await deployZip(
    { db: platform.db, org, records: platform.records, userId: adminId },
    await zipOf(
      {
        'objects/Step__mdt.object': step,
        'objects/Plan__mdt.object': plan,
        'customMetadata/Step.One.md': rec('One', { Plan__c: 'Nightly' }),
        'customMetadata/Step.Two.md': rec('Two', { Plan__c: 'Nightly' }),
        'customMetadata/Plan.Nightly.md': rec('Nightly', {}),
      },
      { CustomObject: ['Step__mdt', 'Plan__mdt'], CustomMetadata: ['Step.One', 'Step.Two', 'Plan.Nightly'] },
    ),
    {},
  );
  expect(r.details.componentFailures).toEqual([]);
  const plans = runSoql(
    platform.db,
    org.id,
    'SELECT Id, DeveloperName, (SELECT DeveloperName FROM Steps__r ORDER BY DeveloperName) FROM Plan__mdt',
  ).records as { Id: string; Steps__r: { records: { DeveloperName: string }[] } }[];
  expect(plans[0].Steps__r.records.map((s) => s.DeveloperName)).toEqual(['One', 'Two']);
  const steps = runSoql(platform.db, org.id, 'SELECT Plan__c, Plan__r.DeveloperName FROM Step__mdt').records as {
    Plan__c: string;
    Plan__r: { DeveloperName: string };
  }[];
  expect(steps.map((s) => [s.Plan__c, s.Plan__r.DeveloperName])).toEqual([
    [plans[0].Id, 'Nightly'],
    [plans[0].Id, 'Nightly'],
  ]);
});
