/**
 * Platform events: EventBus.publish answers at once, subscribers (after insert triggers on the
 * `__e` object) receive the events later: at Test.getEventBus().deliver() or Test.stopTest() in a
 * test, after the publishing transaction commits elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { executeAnonymous, runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

const trigger = {
  name: 'OrderPlacedTrigger',
  body: `trigger OrderPlacedTrigger on Order_Placed__e (after insert) {
  List<Account> accounts = new List<Account>();
  for (Order_Placed__e e : Trigger.new) accounts.add(new Account(Name = e.Customer__c + ' ' + (e.ReplayId != null) + ' ' + (e.EventUuid != null)));
  insert accounts;
}`,
};

const objects = [
  {
    name: 'Order_Placed__e',
    custom: true,
    fields: [
      { name: 'Customer__c', type: 'string', required: true },
      { name: 'Note__c', type: 'string' },
    ],
  },
];

describe('EventBus.publish', () => {
  it('delivers events to their triggers at deliver() and stopTest(), not at publish', async () => {
    const host = createMemoryOrg({
      triggers: [trigger],
      objects,
      classes: [
        {
          name: 'EventTest',
          body: `@IsTest private class EventTest {
  @IsTest static void deliversOnRequest() {
    Database.SaveResult r = EventBus.publish(new Order_Placed__e(Customer__c = 'Ada'));
    Assert.isTrue(r.isSuccess());
    Assert.areEqual(0, [SELECT COUNT() FROM Account], 'not delivered at publish');
    Test.getEventBus().deliver();
    Assert.areEqual('Ada true true', [SELECT Name FROM Account].Name);
    Test.getEventBus().deliver();
    Assert.areEqual(1, [SELECT COUNT() FROM Account], 'delivered once');
  }
  @IsTest static void deliversAtStopTest() {
    Test.startTest();
    List<Database.SaveResult> rs = EventBus.publish(new List<SObject>{ new Order_Placed__e(Customer__c = 'A'), new Order_Placed__e(Customer__c = 'B') });
    Assert.areEqual(2, rs.size());
    Test.stopTest();
    Assert.areEqual(2, [SELECT COUNT() FROM Account]);
  }
  @IsTest static void refusesAnEventWithoutItsRequiredFields() {
    Database.SaveResult r = EventBus.publish(new Order_Placed__e(Note__c = 'x'));
    Assert.isFalse(r.isSuccess());
    Assert.areEqual(StatusCode.REQUIRED_FIELD_MISSING, r.getErrors()[0].getStatusCode());
    Assert.areEqual('Required fields are missing: [Customer__c]', r.getErrors()[0].getMessage());
    Test.getEventBus().deliver();
    Assert.areEqual(0, [SELECT COUNT() FROM Account]);
  }
}`,
        },
      ],
    }).host;
    const r = await runTests(host);
    expect(r.tests.map((t) => `${t.methodName}: ${t.outcome === 'Pass' ? 'Pass' : t.message}`).sort()).toEqual([
      'deliversAtStopTest: Pass',
      'deliversOnRequest: Pass',
      'refusesAnEventWithoutItsRequiredFields: Pass',
    ]);
  });

  it('outside tests delivers after the publishing transaction commits, and nothing after a rollback', async () => {
    const host = createMemoryOrg({ triggers: [trigger], objects }).host;
    const ok = await executeAnonymous(
      host,
      `EventBus.publish(new Order_Placed__e(Customer__c = 'Bo')); System.assertEquals(0, [SELECT COUNT() FROM Account]);`,
    );
    expect(ok.success).toBe(true);
    const after = await executeAnonymous(host, `System.debug([SELECT Name FROM Account].Name);`);
    expect(after.debugLog).toContain('Bo true true');
    const failed = await executeAnonymous(
      host,
      `EventBus.publish(new Order_Placed__e(Customer__c = 'Lost')); throw new IllegalArgumentException('no');`,
    );
    expect(failed.success).toBe(false);
    const count = await executeAnonymous(host, `System.assertEquals(1, [SELECT COUNT() FROM Account]);`);
    expect(count.success).toBe(true);
  });
});
