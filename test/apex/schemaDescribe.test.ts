/**
 * Schema describe, Id.getSObjectType and Security.stripInaccessible on the local runtime, as Apex
 * test classes: answers come from the org's schema (standard objects, the project's custom objects
 * and fields) and the running user's profile and permission sets, not from a constant `true`.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import type { ApexHost } from '../../tools/apex/host.ts';
import { readField } from '../../tools/apex/projectObjects.ts';
import type { SchemaObject } from '../../tools/apex/describe.ts';

const junction: SchemaObject = {
  name: 'Project__c',
  label: 'Project',
  labelPlural: 'Projects',
  fields: [
    { name: 'Id', type: 'id', system: true },
    { name: 'Name', type: 'string', autoNumber: true },
    { name: 'OwnerId', type: 'reference', referenceTo: 'User' },
    readField(
      `<CustomField><fullName>Budget__c</fullName><label>Budget</label><type>Currency</type><precision>12</precision><scale>2</scale></CustomField>`,
    ),
    readField(
      `<CustomField><fullName>Account__c</fullName><label>Account</label><type>MasterDetail</type><referenceTo>Account</referenceTo><relationshipName>Projects</relationshipName></CustomField>`,
    ),
    readField(`<CustomField><fullName>Phase__c</fullName><label>Phase</label><type>Picklist</type><valueSet><valueSetDefinition>
      <value><fullName>Plan</fullName><default>true</default><label>Planning</label></value>
      <value><fullName>Build</fullName><default>false</default><label>Build</label></value></valueSetDefinition></valueSet></CustomField>`),
  ],
};

function org(classes: Record<string, string>): ApexHost {
  // a deployed permission set: its row, and its permissions as the Metadata module reports them
  const permissionSet = {
    name: 'ReadAccounts',
    label: 'Read Accounts',
    objectPermissions: { Account: { read: true, create: false, edit: false, delete: false } },
    fieldPermissions: {
      'Account.Description': { readable: true, editable: false },
      'Account.Industry': { readable: true, editable: true },
    },
    classAccesses: [],
    userPermissions: [],
  };
  const o = createMemoryOrg({
    classes: Object.entries(classes).map(([name, body]) => ({ name, body })),
    objects: [junction],
    permissionSets: [permissionSet],
  });
  o.seed('PermissionSet', [{ Name: permissionSet.name, Label: permissionSet.label }]);
  return o.host;
}

async function outcomes(host: ApexHost) {
  const r = await runTests(host);
  return Object.fromEntries(r.tests.map((t) => [t.methodName, t.outcome === 'Pass' ? 'Pass' : `${t.message}\n${t.stackTrace}`]));
}

const USER_SETUP = `
  static User limitedUser(Boolean withPermissionSet) {
    Profile p = [SELECT Id FROM Profile WHERE Name = 'Minimum Access - Salesforce'];
    User u = new User(Username = 'limited' + Crypto.getRandomInteger() + '@example.com', LastName = 'Limited', Email = 'l@example.com', ProfileId = p.Id,
      Alias = 'lim', TimeZoneSidKey = 'GMT', LocaleSidKey = 'en_US', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US');
    insert u;
    if (withPermissionSet) {
      PermissionSet ps = [SELECT Id FROM PermissionSet WHERE Name = 'ReadAccounts'];
      insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = ps.Id);
    }
    return u;
  }`;

describe('Schema describe', () => {
  it('describes standard and custom objects, fields, picklists and relationships from the org schema', async () => {
    const host = org({
      DescribeTest: `@IsTest private class DescribeTest {
        @IsTest static void globalDescribeIsCaseInsensitiveAndHoldsTokens() {
          Map<String, Schema.SObjectType> g = Schema.getGlobalDescribe();
          Assert.areEqual(Account.SObjectType, g.get('ACCOUNT'));
          Assert.areEqual(Project__c.SObjectType, g.get('project__c'));
          Assert.isNull(g.get('NoSuchThing__c'));
          Assert.isTrue(g.keySet().contains('account'));
        }
        @IsTest static void objectDescribe() {
          Schema.DescribeSObjectResult d = Project__c.SObjectType.getDescribe();
          Assert.areEqual('Project__c', d.getName());
          Assert.areEqual('Project', d.getLabel());
          Assert.areEqual('Projects', d.getLabelPlural());
          Assert.isTrue(d.isCustom());
          Assert.areEqual(3, d.getKeyPrefix().length());
          Assert.areEqual(Project__c.SObjectType, d.getSObjectType());
          Assert.isTrue(d.isAccessible() && d.isCreateable() && d.isUpdateable() && d.isDeletable());
          Assert.areEqual('Master', d.getRecordTypeInfos()[0].getDeveloperName());
          Assert.areEqual(Schema.describeSObjects(new List<String>{ 'Account' })[0].getName(), Account.SObjectType.getDescribe().getName());
        }
        @IsTest static void fieldDescribe() {
          Map<String, Schema.SObjectField> fields = Project__c.SObjectType.getDescribe().fields.getMap();
          Schema.DescribeFieldResult budget = fields.get('BUDGET__C').getDescribe();
          Assert.areEqual('Budget__c', budget.getName());
          Assert.areEqual('Budget', budget.getLabel());
          Assert.areEqual(Schema.DisplayType.CURRENCY, budget.getType());
          Assert.areEqual(Schema.SoapType.DOUBLE, budget.getSoapType());
          Assert.areEqual(12, budget.getPrecision());
          Assert.areEqual(2, budget.getScale());
          Assert.isTrue(budget.isCustom() && budget.isNillable() && budget.isAccessible() && budget.isUpdateable());
          Schema.DescribeFieldResult name = fields.get('Name').getDescribe();
          Assert.isTrue(name.isAutoNumber());
          Assert.isFalse(name.isCreateable());
          Assert.isTrue(name.isNameField());
          Schema.DescribeFieldResult id = fields.get('Id').getDescribe();
          Assert.areEqual(Schema.DisplayType.ID, id.getType());
          Assert.isFalse(id.isUpdateable());
          Assert.isFalse(id.isNillable());
          Schema.DescribeFieldResult parent = fields.get('Account__c').getDescribe();
          Assert.areEqual(Schema.DisplayType.REFERENCE, parent.getType());
          Assert.areEqual(Account.SObjectType, parent.getReferenceTo()[0]);
          Assert.areEqual('Account__r', parent.getRelationshipName());
          Assert.isFalse(parent.isNillable());
          Assert.areEqual(fields.get('Account__c'), parent.getSObjectField());
        }
        @IsTest static void picklistValues() {
          List<Schema.PicklistEntry> phases = Project__c.SObjectType.getDescribe().fields.getMap().get('Phase__c').getDescribe().getPicklistValues();
          Assert.areEqual(2, phases.size());
          Assert.areEqual('Plan', phases[0].getValue());
          Assert.areEqual('Planning', phases[0].getLabel());
          Assert.isTrue(phases[0].isDefaultValue());
          Assert.isTrue(phases[1].isActive());
          List<Schema.PicklistEntry> stages = Opportunity.SObjectType.getDescribe().fields.getMap().get('StageName').getDescribe().getPicklistValues();
          Assert.areEqual('Closed Won', stages[stages.size() - 2].getValue());
        }
        @IsTest static void childRelationships() {
          Boolean found = false;
          for (Schema.ChildRelationship c : Account.SObjectType.getDescribe().getChildRelationships()) {
            if (c.getRelationshipName() == 'Projects__r') {
              found = true;
              Assert.areEqual(Project__c.SObjectType, c.getChildSObject());
              Assert.isTrue(c.isCascadeDelete());
            }
          }
          Assert.isTrue(found, 'Projects__r child relationship');
        }
        @IsTest static void tokensAndIds() {
          Account a = new Account(Name = 'Acme');
          insert a;
          Project__c p = new Project__c(Account__c = a.Id);
          insert p;
          Assert.areEqual(Account.SObjectType, a.Id.getSObjectType());
          Assert.areEqual(Project__c.SObjectType, p.Id.getSObjectType());
          Assert.areNotEqual(Account.SObjectType, p.Id.getSObjectType());
          Assert.areEqual('Project__c', String.valueOf(p.getSObjectType()));
          Set<Schema.SObjectType> types = new Set<Schema.SObjectType>{ Account.SObjectType, a.getSObjectType() };
          Assert.areEqual(1, types.size());
          Assert.areEqual(Account.Name, Account.name);
          Assert.areEqual('Account', Schema.SObjectType.Account.getName());
          Assert.areEqual(Account.Industry, Schema.SObjectType.Account.fields.Industry.getSObjectField());
          Map<Schema.SObjectField, String> byField = new Map<Schema.SObjectField, String>{ Account.Phone => 'p' };
          Assert.areEqual('p', byField.get(Account.SObjectType.getDescribe().fields.getMap().get('phone')));
          SObject fresh = Account.SObjectType.newSObject();
          Assert.isTrue(fresh instanceof Account);
        }
      }`,
    });
    expect(await outcomes(host)).toEqual({
      globalDescribeIsCaseInsensitiveAndHoldsTokens: 'Pass',
      objectDescribe: 'Pass',
      fieldDescribe: 'Pass',
      picklistValues: 'Pass',
      childRelationships: 'Pass',
      tokensAndIds: 'Pass',
    });
  });

  it('answers CRUD and FLS for the running user: profile, permission sets and System.runAs', async () => {
    const host = org({
      AccessTest: `@IsTest private class AccessTest {
        ${USER_SETUP}
        @IsTest static void adminSeesEverything() {
          Schema.DescribeSObjectResult d = Account.SObjectType.getDescribe();
          Assert.isTrue(d.isDeletable());
          Assert.isTrue(d.fields.getMap().get('Phone').getDescribe().isUpdateable());
        }
        @IsTest static void minimumAccessUserSeesNothing() {
          System.runAs(limitedUser(false)) {
            Schema.DescribeSObjectResult d = Account.SObjectType.getDescribe();
            Assert.isFalse(d.isAccessible());
            Assert.isFalse(d.isCreateable());
            Assert.isFalse(d.fields.getMap().get('Phone').getDescribe().isAccessible());
          }
        }
        @IsTest static void permissionSetGrantsObjectAndFieldAccess() {
          System.runAs(limitedUser(true)) {
            Schema.DescribeSObjectResult d = Account.SObjectType.getDescribe();
            Assert.isTrue(d.isAccessible());
            Assert.isFalse(d.isCreateable());
            Assert.isFalse(d.isDeletable());
            Map<String, Schema.SObjectField> f = d.fields.getMap();
            Assert.isTrue(f.get('Description').getDescribe().isAccessible());
            Assert.isFalse(f.get('Description').getDescribe().isUpdateable());
            Assert.isTrue(f.get('Industry').getDescribe().isUpdateable());
            Assert.isFalse(f.get('Phone').getDescribe().isAccessible());
            Assert.isTrue(f.get('Name').getDescribe().isAccessible(), 'the name field is outside field-level security');
            Assert.isFalse(Contact.SObjectType.getDescribe().isAccessible());
          }
          Assert.isTrue(Account.SObjectType.getDescribe().fields.getMap().get('Phone').getDescribe().isAccessible(), 'back to the admin after runAs');
        }
      }`,
    });
    expect(await outcomes(host)).toEqual({
      adminSeesEverything: 'Pass',
      minimumAccessUserSeesNothing: 'Pass',
      permissionSetGrantsObjectAndFieldAccess: 'Pass',
    });
  });
});

describe('Security.stripInaccessible', () => {
  it('removes the fields the user may not read or update and reports them; the root object needs access', async () => {
    const host = org({
      StripTest: `@IsTest private class StripTest {
        ${USER_SETUP}
        @IsTest static void stripsByAccessType() {
          List<Account> rows = new List<Account>{
            new Account(Name = 'A', Phone = '1', Description = 'd', Industry = 'Banking'),
            new Account(Name = 'B')
          };
          System.runAs(limitedUser(true)) {
            SObjectAccessDecision read = Security.stripInaccessible(AccessType.READABLE, rows);
            Account a = (Account) read.getRecords()[0];
            Assert.areEqual('A', a.Name);
            Assert.areEqual('d', a.Description);
            Assert.isFalse(a.isSet('Phone'));
            Assert.areEqual(new Set<String>{ 'Phone' }, read.getRemovedFields().get('Account'));
            Assert.areEqual(new Set<Integer>{ 0 }, read.getModifiedIndexes());
            Assert.areEqual('1', rows[0].Phone, 'the input list is left as it was');

            SObjectAccessDecision upd = Security.stripInaccessible(AccessType.UPDATABLE, rows, false);
            Assert.areEqual(new Set<String>{ 'Phone', 'Description', 'Name' }.size(), upd.getRemovedFields().get('Account').size() + 1);
            Assert.isTrue(upd.getRemovedFields().get('Account').contains('Description'));
            Assert.isFalse(upd.getRemovedFields().get('Account').contains('Industry'));
            try {
              Security.stripInaccessible(AccessType.CREATABLE, rows);
              Assert.fail('expected NoAccessException: the user cannot create accounts');
            } catch (NoAccessException e) {
              Assert.isTrue(e.getMessage().contains('Account'), e.getMessage());
            }
          }
        }
      }`,
    });
    expect(await outcomes(host)).toEqual({ stripsByAccessType: 'Pass' });
  });
});
