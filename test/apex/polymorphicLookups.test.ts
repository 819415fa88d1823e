/**
 * Polymorphic lookups in describe: ContactPointAddress.ParentId (Account or Individual), Task's and
 * Event's WhoId (Contact or Lead) and WhatId list every object they may point to, so `isNamePointing()`
 * is true and `getReferenceTo()` lists them (Apex Reference, "DescribeFieldResult Class"). apex-rollup
 * finds the field of a parent object by it (`RollupRelationshipFieldFinder.getField`) and rewrites
 * polymorphic where clauses (`What.Type = 'Account'`) into TYPEOF.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

const TEST = `@IsTest private class PolymorphicLookupTest {
  @IsTest static void contactPointParentIsAccountOrIndividual() {
    Schema.DescribeFieldResult parent = ContactPointAddress.ParentId.getDescribe();
    Assert.isTrue(parent.isNamePointing(), 'ParentId points to several objects');
    Assert.areEqual(new List<Schema.SObjectType>{ Account.SObjectType, Individual.SObjectType }, parent.getReferenceTo());
    Assert.areEqual('Parent', parent.getRelationshipName());
  }
  @IsTest static void activityLookupsArePolymorphic() {
    Assert.isTrue(Task.WhoId.getDescribe().isNamePointing());
    Assert.isTrue(Task.WhoId.getDescribe().getReferenceTo().contains(Lead.SObjectType));
    Assert.isTrue(Event.WhatId.getDescribe().isNamePointing());
    Assert.isTrue(Event.WhatId.getDescribe().getReferenceTo().contains(Opportunity.SObjectType));
    Assert.isTrue(Task.WhatId.getDescribe().getReferenceTo().contains(Account.SObjectType));
  }
  @IsTest static void ordinaryLookupsAreNot() {
    Assert.isFalse(Contact.AccountId.getDescribe().isNamePointing());
    Assert.areEqual(new List<Schema.SObjectType>{ Account.SObjectType }, Contact.AccountId.getDescribe().getReferenceTo());
  }
  @IsTest static void whoNameStillReadsThroughAContact() {
    Contact c = new Contact(LastName = 'Who');
    insert c;
    insert new Task(Subject = 'Call', WhoId = c.Id);
    Task t = [SELECT Who.Name FROM Task WHERE WhoId = :c.Id];
    Assert.areEqual('Who', t.Who.Name);
  }
}`;

describe('polymorphic lookups', () => {
  it('describe lists every object a polymorphic lookup may point to', async () => {
    const host = createMemoryOrg({ classes: [{ name: 'PolymorphicLookupTest', body: TEST }] }).host;
    const r = await runTests(host);
    const out = Object.fromEntries(r.tests.map((t) => [t.methodName, t.outcome === 'Pass' ? 'Pass' : `${t.message}\n${t.stackTrace}`]));
    expect(out).toEqual({
      contactPointParentIsAccountOrIndividual: 'Pass',
      activityLookupsArePolymorphic: 'Pass',
      ordinaryLookupsAreNot: 'Pass',
      whoNameStillReadsThroughAContact: 'Pass',
    });
  });
});
