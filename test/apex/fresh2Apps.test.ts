/**
 * Causes found in the Trailhead sample apps and small libraries of the fourth held-out corpus (issue 18,
 * test/corpus/fresh2.json: easy-spaces-lwc, ebikes-lwc, coral-cloud, dreamhouse-lwc, CustomMetadataSaver),
 * each checked with code of our own.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { debugOf, failuresOf, runFixture } from './helpers.ts';

const XMLNS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fresh2-apps-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const relationship = (name: string, target: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><CustomField ${XMLNS}><fullName>${name}</fullName><label>${name}</label><referenceTo>${target}</referenceTo>${extra}<type>MetadataRelationship</type></CustomField>`;

describe('custom metadata relationships to an entity particle (easy-spaces-lwc)', () => {
  it('read the field named in the record through __r, controlled by the entity definition field', async () => {
    const root = project({
      'objects/Shown_Field__mdt/Shown_Field__mdt.object-meta.xml': `<CustomObject ${XMLNS}><label>Shown Field</label></CustomObject>`,
      'objects/Shown_Field__mdt/fields/Object__c.field-meta.xml': relationship('Object__c', 'EntityDefinition'),
      'objects/Shown_Field__mdt/fields/City__c.field-meta.xml': relationship(
        'City__c',
        'EntityParticle',
        '<metadataRelationshipControllingField>Shown_Field__mdt.Object__c</metadataRelationshipControllingField>',
      ),
      'customMetadata/Shown_Field.Contact_City.md-meta.xml': `<?xml version="1.0" encoding="UTF-8"?><CustomMetadata ${XMLNS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>Contact City</label><values><field>City__c</field><value xsi:type="xsd:string">MailingCity</value></values><values><field>Object__c</field><value xsi:type="xsd:string">Contact</value></values></CustomMetadata>`,
    });
    const debug = await debugOf(
      `for (Shown_Field__mdt f : [SELECT City__r.QualifiedApiName, Object__r.QualifiedApiName FROM Shown_Field__mdt
                                 WHERE Object__r.QualifiedApiName = 'Contact' WITH SECURITY_ENFORCED])
         System.debug(f.Object__r.QualifiedApiName + '.' + f.City__r.QualifiedApiName);`,
      { host: projectOrg([root]).host },
    );
    expect(debug).toEqual(['Contact.MailingCity']);
  });
});

describe('the internal org has no Experience Cloud site in context (ebikes-lwc, coral-cloud)', () => {
  it('Network.forwardToAuthPage() is null, as getNetworkId() is; communitiesLanding() too outside a test', async () => {
    const debug = await debugOf(
      `PageReference landing = Network.communitiesLanding();
       System.debug(landing == null);
       System.debug(System.Network.forwardToAuthPage('/s/') == null);
       System.debug(Network.forwardToAuthPage('/s/', 'popup') == null);
       System.debug(Network.getNetworkId());`,
    );
    expect(debug).toEqual(['true', 'true', 'true', 'null']);
  });
});

describe('UserInfo.getSessionId (CustomMetadataSaver)', () => {
  it("is a session id of the org's shape, the same within the transaction", async () => {
    const debug = await debugOf(
      `String sid = UserInfo.getSessionId();
       System.debug(sid.startsWith(UserInfo.getOrganizationId().left(15) + '!'));
       System.debug(sid == UserInfo.getSessionId());`,
    );
    expect(debug).toEqual(['true', 'true']);
  });
});

describe('binds inside an IN value list (AnimalShelterStarter)', () => {
  it('WHERE Id IN (:a.Id, :b.Id) and a list mixing binds and literals select the listed rows', async () => {
    const debug = await debugOf(
      `Account a = new Account(Name = 'Ann'); Account b = new Account(Name = 'Bo'); Account c = new Account(Name = 'Cy');
       insert new List<Account>{ a, b, c };
       System.debug([SELECT Name FROM Account WHERE Id IN (:a.Id, :b.Id) ORDER BY Name].size());
       String x = 'Cy';
       List<Account> named = [SELECT Name FROM Account WHERE Name IN (:x, 'Ann', 'it\\'s') ORDER BY Name];
       System.debug(named[0].Name + ',' + named[1].Name);
       System.debug(Database.query('SELECT Id FROM Account WHERE Name NOT IN (:x)').size());
       System.debug([SELECT COUNT() FROM Account WHERE Name = 'IN (:x)']);`,
    );
    expect(debug).toEqual(['2', 'Ann,Cy', '2', '0']);
  });
});

describe('Network.communitiesLanding() in an Apex test (coral-cloud, ebikes-lwc)', () => {
  it('is an empty PageReference', async () => {
    const r = await runFixture('fresh2apps');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => t.methodName)).toEqual(['communitiesLandingIsAnEmptyPageInATest']);
  }, 60_000);
});

describe('CampaignMemberStatus (Volunteers for Salesforce)', () => {
  it('a campaign trigger inserts, queries and deletes its member statuses', async () => {
    const debug = await debugOf(
      `Campaign c = new Campaign(Name = 'Spring');
       insert c;
       insert new List<CampaignMemberStatus>{
         new CampaignMemberStatus(Label = 'Prospect', CampaignId = c.Id, HasResponded = false, SortOrder = 100, IsDefault = true),
         new CampaignMemberStatus(Label = 'Confirmed', CampaignId = c.Id, HasResponded = true, SortOrder = 200)
       };
       for (CampaignMemberStatus s : [SELECT Label, HasResponded, IsDefault FROM CampaignMemberStatus WHERE CampaignId = :c.Id ORDER BY SortOrder])
         System.debug(s.Label + ' ' + s.HasResponded + ' ' + s.IsDefault);
       delete [SELECT Id FROM CampaignMemberStatus WHERE Label = 'Confirmed'];
       System.debug([SELECT COUNT() FROM CampaignMemberStatus]);`,
    );
    expect(debug).toEqual(['Prospect false true', 'Confirmed true false', '1']);
  });
});

describe('a Date written to a Datetime field (Volunteers for Salesforce)', () => {
  it('reads back as a Datetime at midnight', async () => {
    const root = project({
      'objects/Shift__c/Shift__c.object-meta.xml': `<CustomObject ${XMLNS}><label>Shift</label></CustomObject>`,
      'objects/Shift__c/fields/Starts__c.field-meta.xml': `<CustomField ${XMLNS}><fullName>Starts__c</fullName><label>Starts</label><type>DateTime</type></CustomField>`,
    });
    const debug = await debugOf(
      `insert new Shift__c(Name = 'day', Starts__c = System.today().addDays(1));
       Shift__c s = [SELECT Starts__c FROM Shift__c];
       System.debug(s.Starts__c.addMinutes(90).formatGmt('HH:mm'));
       System.debug(s.Starts__c.dateGmt() == System.today().addDays(1));`,
      { host: projectOrg([root]).host },
    );
    expect(debug).toEqual(['01:30', 'true']);
  });
});
