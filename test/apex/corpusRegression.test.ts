/**
 * What the move to the one data engine lost (apex-rollup 306 → 103 of 736), each with a project of our own:
 * relationships between custom metadata types, the running user's profile, documented activity fields.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { debugOf, rowsOf } from './helpers.ts';

const field = (name: string, type: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${name}</fullName><label>${name}</label><type>${type}</type>${extra}</CustomField>`;
const record = (label: string, values: Record<string, string>) =>
  `<?xml version="1.0" encoding="UTF-8"?><CustomMetadata xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>${label}</label><protected>false</protected>${Object.entries(
    values,
  )
    .map(([f, v]) => `<values><field>${f}</field><value xsi:type="xsd:string">${v}</value></values>`)
    .join('')}</CustomMetadata>`;

/** A project with Plan__mdt and its children Step__mdt (Plan__c: a Metadata Relationship, child relationship Steps). */
function planProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'mdt-rel-'));
  const files: Record<string, string> = {
    'objects/Plan__mdt/Plan__mdt.object-meta.xml': '<CustomObject><label>Plan</label></CustomObject>',
    'objects/Step__mdt/Step__mdt.object-meta.xml': '<CustomObject><label>Step</label></CustomObject>',
    'objects/Step__mdt/fields/Plan__c.field-meta.xml': field(
      'Plan__c',
      'MetadataRelationship',
      '<referenceTo>Plan__mdt</referenceTo><relationshipName>Steps</relationshipName><required>true</required>',
    ),
    'objects/Step__mdt/fields/Target__c.field-meta.xml': field(
      'Target__c',
      'MetadataRelationship',
      '<referenceTo>EntityDefinition</referenceTo>',
    ),
    'objects/Step__mdt/fields/TargetField__c.field-meta.xml': field(
      'TargetField__c',
      'MetadataRelationship',
      '<referenceTo>FieldDefinition</referenceTo><metadataRelationshipControllingField>Step__mdt.Target__c</metadataRelationshipControllingField>',
    ),
    'objects/Step__mdt/fields/Rank__c.field-meta.xml': field('Rank__c', 'Number', '<precision>3</precision><scale>0</scale>'),
    'customMetadata/Plan.Nightly.md-meta.xml': record('Nightly', {}),
    'customMetadata/Plan.Weekly.md-meta.xml': record('Weekly', {}),
    // children written before their parent type's records would be (file order must not matter)
    'customMetadata/Step.Alpha.md-meta.xml': record('Alpha', { Plan__c: 'Nightly', Rank__c: '1' }),
    'customMetadata/Step.Beta.md-meta.xml': record('Beta', { Plan__c: 'Nightly', Rank__c: '2' }),
    'customMetadata/Step.Gamma.md-meta.xml': record('Gamma', {
      Plan__c: 'Weekly',
      Rank__c: '1',
      Target__c: 'Big_Deal__c',
      TargetField__c: 'Due_Date__c',
    }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('relationships between custom metadata types', () => {
  it('a child subquery on the parent type, the parent through __r, and the field as the parent record Id', async () => {
    const org = projectOrg([planProject()]);
    const debug = await debugOf(
      `List<Plan__mdt> plans = [SELECT DeveloperName, (SELECT DeveloperName FROM Steps__r ORDER BY Rank__c) FROM Plan__mdt ORDER BY DeveloperName];
       for (Plan__mdt p : plans) {
         List<String> names = new List<String>();
         for (Step__mdt s : p.Steps__r) names.add(s.DeveloperName);
         System.debug(p.DeveloperName + ': ' + String.join(names, ','));
       }
       Step__mdt beta = [SELECT Plan__c, Plan__r.DeveloperName FROM Step__mdt WHERE DeveloperName = 'Beta'];
       System.debug(beta.Plan__r.DeveloperName);
       System.debug(beta.Plan__c == plans[0].Id);
       System.debug([SELECT COUNT() FROM Step__mdt WHERE Plan__r.DeveloperName = 'Weekly']);
       System.debug(new Plan__mdt().Steps__r.size());`,
      { host: org.host },
    );
    expect(debug).toEqual(['Nightly: Alpha,Beta', 'Weekly: Gamma', 'Nightly', 'true', '1', '0']);
  });
});

describe('relationships of custom metadata to object and field definitions', () => {
  it('read the definition by name through __r (QualifiedApiName, DeveloperName), in SELECT and WHERE', async () => {
    const org = projectOrg([planProject()]);
    const debug = await debugOf(
      `for (Step__mdt s : [SELECT DeveloperName, Target__r.QualifiedApiName, Target__r.DeveloperName, TargetField__r.QualifiedApiName
                           FROM Step__mdt ORDER BY DeveloperName])
         System.debug(s.DeveloperName + ' ' + s.Target__r?.QualifiedApiName + ' ' + s.Target__r?.DeveloperName + ' ' + s.TargetField__r?.QualifiedApiName);
       System.debug([SELECT DeveloperName FROM Step__mdt WHERE Target__r.QualifiedApiName = 'Big_Deal__c'].DeveloperName);`,
      { host: org.host },
    );
    expect(debug).toEqual(['Alpha null null null', 'Beta null null null', 'Gamma Big_Deal__c Big_Deal Due_Date__c', 'Gamma']);
  });
});

describe('the running user of the in-memory org', () => {
  it('has a profile: UserInfo.getProfileId() names it, and a User insert with it succeeds', async () => {
    const org = projectOrg([]);
    const debug = await debugOf(
      `Id profileId = UserInfo.getProfileId();
       System.debug([SELECT Name FROM Profile WHERE Id = :profileId].Name);
       insert new User(LastName = 'Second', Alias = 'second', Email = 'second@example.test', Username = 'second@example.test.local',
         ProfileId = UserInfo.getProfileId(), TimeZoneSidKey = 'GMT', LocaleSidKey = 'en_US', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US');`,
      { host: org.host },
    );
    expect(debug).toEqual(['System Administrator']);
    expect(rowsOf(org, 'User').some((u) => u.LastName === 'Second')).toBe(true);
  });
});

describe('activity fields of the SOAP API Object Reference', () => {
  it('Task and Event have IsArchived (false until archived); a task is closed and high priority by its Status and Priority', async () => {
    const org = projectOrg([]);
    const debug = await debugOf(
      `insert new List<Task>{ new Task(Subject = 'a', Status = 'Completed', Priority = 'High'), new Task(Subject = 'b', Status = 'Not Started', Priority = 'Normal') };
       insert new Event(Subject = 'e', DurationInMinutes = 30, ActivityDateTime = System.now());
       for (Task t : [SELECT Subject, IsArchived, IsClosed, IsHighPriority FROM Task WHERE IsArchived = false ORDER BY Subject])
         System.debug(t.Subject + ' ' + t.IsClosed + ' ' + t.IsHighPriority);
       System.debug([SELECT COUNT() FROM Event WHERE IsArchived = false]);`,
      { host: org.host },
    );
    expect(debug).toEqual(['a true true', 'b false false', '1']);
  });
});

describe('queried records', () => {
  it('carry their Id whether or not the query selects it, as Apex gives it (parents and child rows too); OpportunityContactRoles', async () => {
    const org = projectOrg([]);
    const debug = await debugOf(
      `Account a = new Account(Name = 'Parent'); insert a;
       insert new Contact(LastName = 'Child', AccountId = a.Id);
       System.debug([SELECT Name FROM Account][0].Id == a.Id);
       Account withKids = [SELECT Name, (SELECT LastName FROM Contacts) FROM Account];
       System.debug(withKids.Id == a.Id && withKids.Contacts[0].Id != null);
       System.debug([SELECT Account.Name FROM Contact][0].Account.Id == a.Id);
       Opportunity o = new Opportunity(Name = 'Deal', StageName = 'Prospecting', CloseDate = Date.today()); insert o;
       insert new OpportunityContactRole(OpportunityId = o.Id, ContactId = [SELECT Id FROM Contact][0].Id);
       System.debug([SELECT (SELECT ContactId FROM OpportunityContactRoles) FROM Opportunity][0].OpportunityContactRoles.size());`,
      { host: org.host },
    );
    expect(debug).toEqual(['true', 'true', 'true', '1']);
  });
});

describe('a standard field the schema catalogue lacks', () => {
  it('is refused with Salesforce text plus a note that the local runtime does not know it; a custom field gets no note', async () => {
    const org = projectOrg([]);
    const debug = await debugOf(
      `for (String q : new List<String>{ 'SELECT Frobnicate FROM Account', 'SELECT Frobnicate__c FROM Account' }) {
         try { Database.query(q); } catch (QueryException e) { System.debug(e.getMessage()); }
       }`,
      { host: org.host },
    );
    expect(debug[0]).toContain("No such column 'Frobnicate' on entity 'Account'.");
    expect(debug[0]).toContain('Not supported by the local runtime: its schema catalogue lists no Account.Frobnicate.');
    expect(debug[1]).toContain("No such column 'Frobnicate__c' on entity 'Account'.");
    expect(debug[1]).not.toContain('local runtime');
  });
});

describe('the safe navigation operator', () => {
  it('cuts the whole chain when its left side is null, and only then', async () => {
    const debug = await debugOf(
      `Schema.SObjectField f = null;
       System.debug(f?.getDescribe().isNamePointing() == true);
       System.debug(f?.getDescribe().getName());
       Account a = null;
       System.debug(a?.Name.length());
       a = new Account();
       try { System.debug(a?.Name.length()); } catch (NullPointerException e) { System.debug('NPE'); }`,
    );
    expect(debug).toEqual(['false', 'null', 'null', 'NPE']);
  });
});

describe('Database.emptyRecycleBin', () => {
  it('removes deleted records for good (undelete then fails), one result per record, a failed one for a live record', async () => {
    const debug = await debugOf(
      `List<Account> accs = new List<Account>{ new Account(Name = 'a'), new Account(Name = 'b') };
       insert accs;
       delete accs[0];
       List<Database.EmptyRecycleBinResult> rs = Database.emptyRecycleBin(accs);
       System.debug(rs[0].isSuccess() + ' ' + (rs[0].getId() == accs[0].Id) + ' ' + rs[1].isSuccess() + ' ' + rs[1].getErrors().size());
       System.debug([SELECT COUNT() FROM Account ALL ROWS]);
       System.debug(Limits.getDmlStatements());`,
    );
    expect(debug).toEqual(['true true false 1', '1', '3']);
  });
});

describe('List.sort of sObjects', () => {
  it('orders by type, then Name, then standard fields, then custom fields alphabetically, null first', async () => {
    const debug = await debugOf(
      `List<SObject> recs = new List<SObject>{
         new Contact(LastName = 'Z'),
         new Account(Name = 'B', AccountNumber = '2'),
         new Account(Name = 'B', AccountNumber = '1'),
         new Account(Name = 'A'),
         new Account(Name = null)
       };
       recs.sort();
       List<String> out = new List<String>();
       for (SObject r : recs) out.add(String.valueOf(r.get(r.getSObjectType() == Account.SObjectType ? 'Name' : 'LastName')) + (r.getSObjectType() == Account.SObjectType ? '/' + r.get('AccountNumber') : ''));
       System.debug(String.join(out, ' '));`,
    );
    expect(debug).toEqual(['null/null A/null B/1 B/2 Z']);
  });
});

describe('date functions in WHERE', () => {
  it('compare a date part of a date or datetime field (GMT), and refuse a field of another type', async () => {
    const debug = await debugOf(
      `insert new Account(Name = 'a');
       insert new Opportunity(Name = 'leap', StageName = 'Prospecting', CloseDate = Date.newInstance(2020, 2, 29));
       insert new Event(Subject = 'late', DurationInMinutes = 10, ActivityDateTime = Datetime.newInstanceGmt(2020, 2, 29, 23, 30, 0));
       Integer yr = Date.today().year();
       System.debug([SELECT COUNT() FROM Account WHERE CALENDAR_YEAR(CreatedDate) = :yr]);
       System.debug([SELECT Subject FROM Event WHERE CALENDAR_MONTH(ActivityDateTime) = 2 AND DAY_IN_MONTH(ActivityDateTime) = 29 AND HOUR_IN_DAY(ActivityDateTime) = 23].Subject);
       System.debug([SELECT COUNT() FROM Account WHERE DAY_ONLY(CreatedDate) = TODAY]);
       System.debug([SELECT COUNT() FROM Opportunity WHERE CALENDAR_QUARTER(CloseDate) IN (1) AND DAY_IN_WEEK(CloseDate) = 7 AND WEEK_IN_YEAR(CloseDate) = 9]);
       try { Database.query('SELECT Id FROM Account WHERE CALENDAR_MONTH(Name) = 1'); } catch (QueryException e) { System.debug(e.getMessage()); }`,
    );
    expect(debug.slice(0, 4)).toEqual(['1', 'late', '1', '1']);
    expect(debug[4]).toContain('is not a date or datetime field');
  });
});

describe('String.removeEnd and removeStart', () => {
  it('keep the string for an empty or null substring', async () => {
    const debug = await debugOf(
      `String s = 'abc';
       System.debug(s.removeEnd('') + '|' + s.removeEnd(null) + '|' + s.removeEnd('bc') + '|' + s.removeStart('') + '|' + s.removeStart(null) + '|' + 'xnull'.removeEnd(null));`,
    );
    expect(debug).toEqual(['abc|abc|a|abc|abc|xnull']);
  });
});

describe('Individual', () => {
  it('has the documented consumer fields (Salesforce Field Reference, "Individual")', async () => {
    const debug = await debugOf(
      `insert new Individual(LastName = 'B1', ConsumerCreditScore = 3, ConvictionsCount = 2, IsHomeOwner = true);
       Individual i = [SELECT ConsumerCreditScore, ConvictionsCount, IsHomeOwner FROM Individual];
       System.debug(i.ConsumerCreditScore + ' ' + i.ConvictionsCount + ' ' + i.IsHomeOwner);`,
    );
    expect(debug).toEqual(['3 2 true']);
  });
});

describe('documented standard fields apex-rollup uses', () => {
  it('Contact.IndividualId, ContactPointAddress.ContactPointPhoneId and Account.MasterRecordId insert and query', async () => {
    const org = projectOrg([]);
    const debug = await debugOf(
      `Individual ind = new Individual(LastName = 'Solo');
       insert ind;
       Contact c = new Contact(LastName = 'Han', IndividualId = ind.Id);
       insert c;
       System.debug([SELECT Individual.LastName FROM Contact WHERE Id = :c.Id].Individual.LastName);
       ContactPointPhone phone = new ContactPointPhone(TelephoneNumber = '555-0100');
       insert phone;
       ContactPointAddress cpa = new ContactPointAddress(Name = 'Home', ContactPointPhoneId = phone.Id);
       insert cpa;
       System.debug([SELECT ContactPointPhone.TelephoneNumber FROM ContactPointAddress WHERE Id = :cpa.Id].ContactPointPhone.TelephoneNumber);
       insert new Account(Name = 'Acme');
       System.debug([SELECT MasterRecordId FROM Account WHERE Name = 'Acme'].MasterRecordId);`,
      { host: org.host },
    );
    expect(debug).toEqual(['Solo', '555-0100', 'null']);
  });
});
