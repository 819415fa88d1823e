/**
 * A List or Set bound with `=` or `!=` in Apex SOQL means IN / NOT IN (field reports:
 * https://salesforce.stackexchange.com/questions/165416, https://salesforce.stackexchange.com/questions/247214).
 * apex-rollup's RollupQueryBuilder queries parents with `Id = :objIds` and activities with `WhatId != :objIds`;
 * the data engine compared the field with the list's text, so two keys, or a key beside null, matched nothing.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('SOQL binds of collections with = and !=', () => {
  it('reads = :collection as IN and != :collection as NOT IN, inline and dynamic', async () => {
    const out = await debugOf(`
      Account a = new Account(Name = 'Alpha');
      Account b = new Account(Name = 'Beta');
      Account c = new Account(Name = 'Gamma');
      insert new List<Account>{ a, b, c };
      Set<Id> two = new Set<Id>{ a.Id, b.Id };
      System.debug([SELECT Id FROM Account WHERE Id = :two].size());
      System.debug([SELECT Name FROM Account WHERE Id != :two][0].Name);
      System.debug([SELECT Id FROM Account WHERE Name = :new List<String>{ 'Alpha', 'Gamma' }].size());
      Set<String> withNull = new Set<String>{ a.Id, null };
      System.debug(Database.query('SELECT Id FROM Account WHERE Id = :withNull').size());
      System.debug(Database.queryWithBinds('SELECT Id FROM Account WHERE Id != :two', new Map<String, Object>{ 'two' => two }, AccessLevel.SYSTEM_MODE).size());
      String single = 'Beta';
      System.debug([SELECT Id FROM Account WHERE Name = :single].size());
    `);
    expect(out).toEqual(['2', 'Gamma', '2', '1', '1', '1']);
  });

  it('takes a written-out list of binds, IN (:a, :b), in inline SOQL', async () => {
    // AnimalShelterStarter (SalesforceLabs) queries `WHERE Id IN (:cv1.Id, :cv2.Id, :cv3.Id)`
    const out = await debugOf(`
      Account a = new Account(Name = 'Alpha');
      Account b = new Account(Name = 'Beta');
      Account c = new Account(Name = 'Gamma');
      insert new List<Account>{ a, b, c };
      System.debug([SELECT Id FROM Account WHERE Id IN (:a.Id, :b.Id)].size());
      String g = 'Gamma';
      System.debug([SELECT Name FROM Account WHERE Name NOT IN ( :g , :a.Name ) AND Id IN (:b.Id)][0].Name);
    `);
    expect(out).toEqual(['2', 'Beta']);
  });
});
