/**
 * SOQL that community Apex relies on, run by the Apex runtime on the in-memory org: parent-child
 * subqueries read as `acc.Contacts`, aggregates with GROUP BY/HAVING as AggregateResult, ALL ROWS.
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

const seed = `
  Account a = new Account(Name = 'Acme', Industry = 'Energy', AnnualRevenue = 100, NumberOfEmployees = 10);
  Account b = new Account(Name = 'Beta', Industry = 'Energy', AnnualRevenue = 300, NumberOfEmployees = 30);
  Account c = new Account(Name = 'Core', Industry = 'Banking', AnnualRevenue = 50);
  Account d = new Account(Name = 'Dune');
  insert new List<Account>{ a, b, c, d };
  insert new List<Contact>{ new Contact(LastName = 'Ant', AccountId = a.Id), new Contact(LastName = 'Bee', AccountId = a.Id), new Contact(LastName = 'Cat', AccountId = b.Id) };
`;

describe('SOQL parent-child subqueries', () => {
  it('returns children per parent, filtered, ordered and limited, and an empty list for a parent without any', async () => {
    const out = await debugOf(`${seed}
      List<Account> accs = [SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'Bee' ORDER BY LastName DESC LIMIT 5) FROM Account ORDER BY Name];
      for (Account acc : accs) System.debug(acc.Name + ':' + acc.Contacts.size());
      System.debug(accs[0].Contacts[0].LastName);`);
    expect(out).toEqual(['Acme:1', 'Beta:1', 'Core:0', 'Dune:0', 'Ant']);
  });

  it('fails on a relationship the parent does not have, with Salesforce message', async () => {
    const r = await run(`${seed} List<Account> accs = [SELECT Id, (SELECT Id FROM Nopes) FROM Account];`);
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toContain("Didn't understand relationship 'Nopes' in FROM part of query call");
  });
});

describe('SOQL semi-joins and comments', () => {
  it('filters with IN / NOT IN a subquery, and ignores comments inside inline SOQL', async () => {
    const out = await debugOf(`${seed}
      List<Account> withContacts = [SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName != 'Cat') ORDER BY Name];
      List<Account> without = [
        SELECT Name
        FROM Account
        /* accounts nobody works for */
        WHERE Id NOT IN (SELECT AccountId FROM Contact) // any contact
        ORDER BY Name
      ];
      System.debug(withContacts.size() + ' ' + withContacts[0].Name + ' ' + without.size() + ' ' + without[0].Name);`);
    expect(out).toEqual(['1 Acme 2 Core']);
  });
});

describe('SOQL aggregates', () => {
  it('groups with COUNT, SUM, AVG, MIN, MAX, aliases and exprN names, HAVING and ORDER BY', async () => {
    const out = await debugOf(`${seed}
      for (AggregateResult ar : [SELECT Industry, COUNT(Id) n, SUM(AnnualRevenue), AVG(NumberOfEmployees), MIN(Name), MAX(Name) mx
                                 FROM Account WHERE Industry != null GROUP BY Industry HAVING COUNT(Id) > 0 ORDER BY COUNT(Id) DESC]) {
        System.debug(ar.get('Industry') + ' ' + ar.get('n') + ' ' + ar.get('expr0') + ' ' + ar.get('expr1') + ' ' + ar.get('expr2') + ' ' + ar.get('mx'));
      }
      List<AggregateResult> big = [SELECT Industry FROM Account GROUP BY Industry HAVING SUM(AnnualRevenue) > 100];
      System.debug(big.size() + ' ' + big[0].get('Industry'));`);
    expect(out).toEqual(['Energy 2 400 20 Acme Beta', 'Banking 1 50 null Core Core', '1 Energy']);
  });

  it('answers one row without GROUP BY, COUNT_DISTINCT, and a bare COUNT() as an Integer', async () => {
    const out = await debugOf(`${seed}
      AggregateResult ar = [SELECT COUNT(Id) total, COUNT(Industry), COUNT_DISTINCT(Industry) FROM Account];
      System.debug(ar.get('total') + ' ' + ar.get('expr0') + ' ' + ar.get('expr1'));
      Integer n = [SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme'];
      System.debug(n);
      AggregateResult none = [SELECT COUNT(Id) c, SUM(AnnualRevenue) s FROM Account WHERE Name = 'nobody'];
      System.debug(none.get('c') + ' ' + none.get('s'));`);
    expect(out).toEqual(['4 3 2', '2', '0 null']);
  });

  it('refuses a selected field that is neither grouped nor aggregated', async () => {
    const r = await run(`${seed} List<AggregateResult> x = [SELECT Name, COUNT(Id) FROM Account GROUP BY Industry];`);
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toContain('Field must be grouped or aggregated: Name');
  });
});
