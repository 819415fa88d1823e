/**
 * Asset, EmailMessage, ContactRequest and BusinessHours are standard objects of the local schema (Object
 * Reference for the Salesforce Platform; tools/data/serviceObjects.ts), and Account has CleanStatus: Apex inserts
 * and queries them, walks Account.Assets, and describes their fields (apex-rollup rolls Assets up to Accounts,
 * serializes EmailMessages and rolls Account.CleanStatus up to Individuals).
 */
import { describe, expect, it } from 'vitest';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { debugOf } from './helpers.ts';

describe('service objects', () => {
  it('insert, query through relationships, describe', async () => {
    const out = await debugOf(
      `Account acc = new Account(Name = 'Acme');
       insert acc;
       insert new Asset(AccountId = acc.Id, Name = 'Widget', Quantity = 500, Status = 'Installed');
       Account back = [SELECT Id, (SELECT Name, Quantity FROM Assets) FROM Account WHERE Id = :acc.Id];
       System.debug(back.Assets[0].Name + ' ' + back.Assets[0].Quantity);
       System.debug(String.valueOf(((String) ((Id) [SELECT Id FROM Asset].Id)).left(3)));
       System.debug(Schema.EmailMessage.Subject.getDescribe().getType());
       System.debug(Schema.BusinessHours.MondayStartTime.getDescribe().getType());
       insert new ContactRequest(WhatId = acc.Id, RequestDescription = 'call me');
       System.debug([SELECT What.Name FROM ContactRequest].What.Name);
       update new Account(Id = acc.Id, CleanStatus = 'Pending');
       System.debug([SELECT CleanStatus FROM Account].CleanStatus);`,
      { host: projectOrg([]).host },
    );
    expect(out).toEqual(['Widget 500', '02i', 'STRING', 'TIME', 'Acme', 'Pending']);
  });
});
