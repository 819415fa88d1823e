/**
 * Small Apex semantics apex-rollup relies on, each checked with anonymous Apex of our own.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('Apex semantics apex-rollup relies on', () => {
  it('an Integer cast to Decimal has scale 0, so Decimal arithmetic keeps the other scale', async () => {
    // Apex Developer Guide, "Decimal": an Integer converted to Decimal has scale 0; a sum keeps the larger scale
    const out = await debugOf(`
      Object n = 50;
      Decimal total = 0.0;
      total += (Decimal) n;
      System.debug(total);
      Object amount = new Opportunity(Amount = 50).get('Amount');
      Decimal sum = 0.00;
      sum += (Decimal) amount;
      System.debug(sum);
      System.debug(((Decimal) n).scale());
      Object half = 2.5;
      System.debug((Decimal) half);
    `);
    expect(out).toEqual(['50.0', '50.00', '0', '2.5']);
  });

  it('ContactPointEmail has its Field Reference fields (Time, domain, mailbox)', async () => {
    const out = await debugOf(`
      ContactPointEmail cpe = new ContactPointEmail(EmailAddress = 'a@example.com', EmailDomain = 'example.com',
        EmailMailBox = 'a', BestTimeToContactEndTime = Time.newInstance(11, 11, 11, 11), PreferenceRank = 3);
      insert cpe;
      ContactPointEmail back = [SELECT EmailDomain, EmailMailBox, BestTimeToContactEndTime, PreferenceRank FROM ContactPointEmail WHERE Id = :cpe.Id];
      System.debug(back.EmailDomain + ' ' + back.EmailMailBox + ' ' + back.BestTimeToContactEndTime + ' ' + back.PreferenceRank);
      System.debug(ContactPointEmail.BestTimeToContactStartTime.getDescribe().getType());
    `);
    expect(out).toEqual(['example.com a 11:11:11.011Z 3', 'TIME']);
  });

  it('Datetime equality ignores milliseconds; ordering does not', async () => {
    // field report https://salesforce.stackexchange.com/questions/234824 (assertEquals of values 900 ms apart passes)
    const out = await debugOf(`
      Datetime whole = Datetime.newInstanceGmt(2024, 1, 1, 10, 0, 0);
      Datetime later = Datetime.newInstance(whole.getTime() + 900);
      System.debug(whole == later);
      System.debug(whole != later);
      System.debug(whole < later);
      System.debug(whole.addSeconds(1) == later);
      System.assertEquals(whole, later);
      System.debug(whole.getTime() == later.getTime());
    `);
    expect(out).toEqual(['true', 'false', 'true', 'false', 'false']);
  });

  it('a new EventBus.ChangeEventHeader has empty lists, not null', async () => {
    const out = await debugOf(`
      EventBus.ChangeEventHeader header = new EventBus.ChangeEventHeader();
      header.changeType = 'CREATE';
      Set<String> changed = new Set<String>();
      changed.addAll(header.changedFields);
      System.debug(changed.size() + ' ' + header.getNulledFields().size() + ' ' + header.diffFields + ' ' + header.getRecordIds());
    `);
    expect(out).toEqual(['0 0 () ()']);
  });
});
