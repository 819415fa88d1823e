/**
 * What an org holds besides classes, as Apex sees it: custom labels, permission-set rows written by
 * Apex (ObjectPermissions, FieldPermissions) granting access, standard objects of the product
 * catalogue, and field tokens reached through an object's token.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { run } from './helpers.ts';

describe('custom labels', () => {
  it('reads System.Label and Label from the org, and refuses a label the org lacks', async () => {
    const labels = { Greeting: 'Hello {0}', Farewell: 'Bye' };
    const r = await run(`System.debug(String.format(System.Label.Greeting, new List<String>{ 'Ada' }) + ' / ' + Label.farewell);`, {
      labels,
    });
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['Hello Ada / Bye']);
    const missing = await run(`String s = System.Label.Nope;`, { labels });
    expect(missing.success).toBe(false);
    expect(missing.compileProblem ?? missing.exceptionMessage).toContain('Nope');
  });

  it('reads a label named at run time with Label.get, and names a label the org lacks as unknown', async () => {
    // Smart-Lists (SalesforceLabs) resolves `$Label.x` strings with System.Label.get('', name)
    const labels = { Greeting: 'Hello' };
    const r = await run(`System.debug(System.Label.get('', 'Greeting') + ' ' + Label.get(null, 'greeting', 'fr'));`, { labels });
    expect(r.debug).toEqual(['Hello Hello']);
    const missing = await run(`Label.get('', 'Nope');`, { labels });
    expect(missing.exceptionMessage).toBe(
      'not supported by the local runtime: Label.get of a label this org lacks (Nope) at AnonymousBlock:1',
    );
  });
});

describe('permission-set rows written by Apex', () => {
  it('grant object and field access to the users the set is assigned to', async () => {
    const host = createMemoryOrg({
      classes: [
        {
          name: 'PermTest',
          body: `@IsTest private class PermTest {
  @IsTest static void grants() {
    PermissionSet ps = new PermissionSet(Name = 'ReadContacts', Label = 'Read Contacts');
    insert ps;
    insert new ObjectPermissions(ParentId = ps.Id, SobjectType = 'Contact', PermissionsRead = true, PermissionsCreate = false, PermissionsEdit = false, PermissionsDelete = false);
    insert new FieldPermissions(ParentId = ps.Id, SobjectType = 'Contact', Field = 'Contact.Email', PermissionsRead = true, PermissionsEdit = false);
    Profile p = [SELECT Id FROM Profile WHERE Name = 'Minimum Access - Salesforce'];
    User u = new User(Username = 'perm@example.com.test', LastName = 'Perm', Email = 'perm@example.com', Alias = 'perm', ProfileId = p.Id,
      TimeZoneSidKey = 'GMT', LocaleSidKey = 'en_US', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US');
    insert u;
    System.runAs(u) {
      Assert.isFalse(Contact.SObjectType.getDescribe().isAccessible(), 'before the assignment');
    }
    insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = ps.Id);
    System.runAs(u) {
      Schema.DescribeSObjectResult d = Contact.SObjectType.getDescribe();
      Assert.isTrue(d.isAccessible());
      Assert.isFalse(d.isCreateable());
      Assert.isTrue(d.fields.getMap().get('Email').getDescribe().isAccessible());
      Assert.isFalse(d.fields.getMap().get('Email').getDescribe().isUpdateable());
      Assert.isFalse(d.fields.getMap().get('Phone').getDescribe().isAccessible());
    }
  }
}`,
        },
      ],
    }).host;
    const r = await runTests(host);
    expect(r.tests.map((t) => `${t.methodName}: ${t.outcome === 'Pass' ? 'Pass' : t.message}`)).toEqual(['grants: Pass']);
  });
});

describe('standard objects and tokens', () => {
  it('knows the product catalogue objects and reaches field tokens through an object token', async () => {
    const r = await run(`
      Product2 p = new Product2(Name = 'Widget');
      insert p;
      Pricebook2 book = new Pricebook2(Name = 'Catalogue', IsActive = true);
      insert book;
      insert new PricebookEntry(Pricebook2Id = book.Id, Product2Id = p.Id, UnitPrice = 10, IsActive = true);
      System.debug(String.valueOf(p.Id).left(3) + ' ' + Product2.SObjectType.getDescribe().getKeyPrefix() + ' ' + [SELECT COUNT() FROM PricebookEntry WHERE Product2Id = :p.Id]);
      System.debug((Product2.SObjectType.fields.Name == Product2.Name) + ' ' + Contact.SObjectType.fields.lastname);
      System.debug(OpportunityLineItem.SObjectType.getDescribe().fields.getMap().containsKey('UnitPrice'));`);
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['01t 01t 1', 'true LastName', 'true']);
  });
});

describe('org shape', () => {
  it('is a single-currency org without encryption, with case comments, user managers and roles, a countable org cache and one value per AccessLevel', async () => {
    const host = createMemoryOrg({
      cachePartitions: { Main: 1 },
      classes: [
        {
          name: 'ShapeTest',
          body: `@IsTest private class ShapeTest {
  @IsTest static void shape() {
    Assert.isFalse(UserInfo.isMultiCurrencyOrganization());
    Case c = new Case(Subject = 'Broken');
    insert c;
    insert new CaseComment(ParentId = c.Id, CommentBody = 'Looking');
    Assert.areEqual(1, [SELECT Id, (SELECT CommentBody FROM CaseComments) FROM Case].CaseComments.size());
    Assert.isNull([SELECT ManagerId FROM User WHERE Id = :UserInfo.getUserId()].ManagerId);
    Cache.OrgPartition p = Cache.Org.getPartition('local.Main');
    p.put('a', 1);
    p.put('b', 2);
    Assert.areEqual(2, p.getNumKeys());
    Assert.areEqual(AccessLevel.USER_MODE, System.AccessLevel.USER_MODE);
    Assert.areNotEqual(AccessLevel.USER_MODE, AccessLevel.SYSTEM_MODE);
    Assert.isFalse(User.LastLoginDate.getDescribe().isEncrypted());
    Assert.areEqual('UserRole', User.UserRoleId.getDescribe().getRelationshipName());
  }
}`,
        },
      ],
    }).host;
    const r = await runTests(host);
    expect(r.tests.map((t) => `${t.methodName}: ${t.outcome === 'Pass' ? 'Pass' : t.message}`)).toEqual(['shape: Pass']);
  });
});
