/**
 * Behaviour the query-builder and DI projects of the corpus (force-di, apex-dml-mocking, Query.apex,
 * NebulaQueryAndSearch, soql-lib) showed wrong (issue 18), each with a small block of our own.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('Cache.Org.getPartition (Apex Reference, "Cache Exceptions")', () => {
  it('throws OrgCacheException for a partition the org lacks and InvalidParamException for a null name, at getPartition', async () => {
    const out = await debugOf(
      `for (String name : new List<String>{ 'local.Missing', 'Missing', null, 'local.Tokens', 'Tokens' }) {
  try {
    Cache.OrgPartition p = Cache.Org.getPartition(name);
    System.debug(name + ' ' + p.getName());
  } catch (Exception e) {
    System.debug(name + ' ' + e.getTypeName());
  }
}`,
      { cachePartitions: { Tokens: 1 } },
    );
    expect(out).toEqual([
      'local.Missing Cache.Org.OrgCacheException',
      'Missing Cache.Org.OrgCacheException',
      'null Cache.InvalidParamException',
      'local.Tokens local.Tokens',
      'Tokens Tokens',
    ]);
  });
});

describe('SOQL on multi-select picklists (SOQL and SOSL Reference, "Query Multi-Select Picklists")', () => {
  it("INCLUDES matches any listed value, ';' asks for all of its values, EXCLUDES is the rest; literals and binds alike", async () => {
    const out = await debugOf(`insert new List<QuickText>{
  new QuickText(Name = 'a', Message = 'm', Channel = 'Email;Phone'),
  new QuickText(Name = 'b', Message = 'm', Channel = 'Phone'),
  new QuickText(Name = 'c', Message = 'm', Channel = 'Portal;Email')
};
System.debug([SELECT Name FROM QuickText WHERE Channel INCLUDES ('Email') ORDER BY Name].size());
System.debug([SELECT Name FROM QuickText WHERE Channel INCLUDES ('Email;Phone', 'Portal') ORDER BY Name].size());
System.debug([SELECT Name FROM QuickText WHERE Channel INCLUDES ('Phone;Portal') ORDER BY Name].size());
System.debug([SELECT Name FROM QuickText WHERE Channel EXCLUDES ('Email') ORDER BY Name][0].Name);
String wanted = 'portal';
System.debug([SELECT Name FROM QuickText WHERE Channel INCLUDES (:wanted)][0].Name);
List<String> any = new List<String>{ 'Phone' };
System.debug([SELECT Name FROM QuickText WHERE Channel INCLUDES :any].size());
System.debug([SELECT Name FROM QuickText WHERE Channel INCLUDES ('Ema')].size());`);
    expect(out).toEqual(['2', '2', '0', 'b', 'c', '2', '0']);
  });
});

describe('toLabel() and FORMAT() in SELECT (SOQL and SOSL Reference, "toLabel()", "FORMAT()")', () => {
  it('toLabel gives the picklist label under the field name; FORMAT formats dates and numbers as Date.format() does, under its alias', async () => {
    const out = await debugOf(`Account a = new Account(Name = 'x', Industry = 'Banking', NumberOfEmployees = 12345);
insert a;
Opportunity o = new Opportunity(AccountId = a.Id, Name = 'o', StageName = 'Prospecting', CloseDate = Date.newInstance(2001, 1, 1), Amount = 44000);
insert o;
Account got = [SELECT Id, toLabel(Industry) FROM Account WHERE Id = :a.Id];
System.debug(got.Industry);
Opportunity f = [SELECT CloseDate, FORMAT(CloseDate) closeText, FORMAT(Amount) amountText FROM Opportunity WHERE Id = :o.Id];
System.debug(f.CloseDate);
System.debug(f.get('closeText') + ' ' + (f.get('closeText') == Date.newInstance(2001, 1, 1).format()));
System.debug(f.get('amountText'));
Account e = [SELECT FORMAT(NumberOfEmployees) employees FROM Account WHERE Id = :a.Id];
System.debug(e.get('employees'));`);
    expect(out).toEqual(['Banking', '2001-01-01', '1/1/2001 true', '$44,000.00', '12,345']);
  });
});

describe('LIKE with a List bind', () => {
  it('matches a row that matches any pattern of the list; NOT … LIKE :list keeps the rest; an empty list matches nothing', async () => {
    const out =
      await debugOf(`insert new List<Account>{ new Account(Name = 'Test Or'), new Account(Name = 'Something different'), new Account(Name = 'Other') };
List<String> patterns = new List<String>{ 'Test%', '%diff%' };
System.debug([SELECT Name FROM Account WHERE Name LIKE :patterns ORDER BY Name].size());
System.debug([SELECT Name FROM Account WHERE (NOT Name LIKE :patterns)][0].Name);
Set<String> exact = new Set<String>{ 'other' };
System.debug([SELECT Name FROM Account WHERE Name LIKE :exact].size());
System.debug([SELECT Name FROM Account WHERE Name LIKE :new List<String>()].size());`);
    expect(out).toEqual(['2', 'Other', '1', '0']);
  });
});

describe('GROUP BY ROLLUP and CUBE (SOQL and SOSL Reference)', () => {
  it('adds subtotal rows whose rolled-up fields read null, GROUPING() marks them, and a grand total', async () => {
    const out = await debugOf(`insert new List<Opportunity>{
  new Opportunity(Name = '1', StageName = 'Prospecting', Type = 'New Customer', CloseDate = Date.today(), Amount = 1),
  new Opportunity(Name = '2', StageName = 'Closed Won', Type = 'New Customer', CloseDate = Date.today(), Amount = 2),
  new Opportunity(Name = '3', StageName = 'Prospecting', Type = 'Existing Customer - Upgrade', CloseDate = Date.today(), Amount = 4)
};
for (AggregateResult r : [SELECT Type, StageName, SUM(Amount) total, GROUPING(StageName) g FROM Opportunity GROUP BY ROLLUP(Type, StageName)]) {
  System.debug(r.get('Type') + '|' + r.get('StageName') + '|' + r.get('total') + '|' + r.get('g'));
}
System.debug([SELECT Type, StageName, SUM(Amount) FROM Opportunity GROUP BY CUBE(Type, StageName)].size());
for (AggregateResult r : [SELECT StageName, COUNT(Id) n FROM Opportunity GROUP BY CUBE(StageName) HAVING COUNT(Id) > 1]) {
  System.debug(r.get('StageName') + '|' + r.get('n'));
}`);
    expect(out).toEqual([
      'New Customer|Prospecting|1|0',
      'New Customer|Closed Won|2|0',
      'New Customer|null|3|1',
      'Existing Customer - Upgrade|Prospecting|4|0',
      'Existing Customer - Upgrade|null|4|1',
      'null|null|7|1',
      '8',
      'Prospecting|2',
      'null|3',
    ]);
  });
});

describe('HAVING with binds', () => {
  it('compares a group with the bound value, null included, in static and dynamic SOQL', async () => {
    const out =
      await debugOf(`insert new List<Account>{ new Account(Name = 'a', Rating = '1'), new Account(Name = 'b', Rating = '1'), new Account(Name = 'c', Rating = '9'), new Account(Name = 'd'), new Account(Name = 'e') };
Integer n = 2;
Object nothing = null;
System.debug(Database.query('SELECT Rating, COUNT(Name) c FROM Account GROUP BY Rating HAVING (COUNT(Name) >= :n AND Rating != :nothing)'));
System.debug([SELECT Rating, COUNT(Name) c FROM Account GROUP BY Rating HAVING COUNT(Name) < :n]);`);
    expect(out).toEqual(['(AggregateResult:{Rating=1, c=2})', '(AggregateResult:{Rating=9, c=1})']);
  });
});

describe('JSON.deserialize of records with child lists', () => {
  it('types the child records by their relationship when they carry no attributes (Account.Contacts → Contact)', async () => {
    const out = await debugOf(`List<Account> accounts = (List<Account>) JSON.deserialize(
  '[{"Name":"A","Contacts":{"totalSize":1,"done":true,"records":[{"LastName":"C","Email":"c@example.com"}]}}]',
  List<Account>.class
);
Contact c = (Contact) accounts[0].Contacts[0];
System.debug(c.LastName + ' ' + c.getSObjectType() + ' ' + accounts[0].Contacts.size());`);
    expect(out).toEqual(['C Contact 1']);
  });
});

describe('describe of an object without a key prefix', () => {
  it('UserRecordAccess has none (getKeyPrefix() is null); Account has its 001', async () => {
    const out = await debugOf(`System.debug(UserRecordAccess.SObjectType.getDescribe().getKeyPrefix());
System.debug(Account.SObjectType.getDescribe().getKeyPrefix());`);
    expect(out).toEqual(['null', '001']);
  });
});

describe('rows the org starts with', () => {
  it('have a creator: the standard profiles and the admin user carry CreatedById', async () => {
    const out = await debugOf(`Profile p = [SELECT CreatedById, LastModifiedById FROM Profile WHERE Name = 'System Administrator'];
System.debug(p.CreatedById != null && p.LastModifiedById != null);
System.debug([SELECT CreatedById FROM User WHERE Id = :UserInfo.getUserId()].CreatedById != null);`);
    expect(out).toEqual(['true', 'true']);
  });
});

describe('an all-or-none insert or upsert that fails', () => {
  it('leaves its new records without Ids and saves none of them', async () => {
    const out = await debugOf(`Account one = new Account(Name = 'ok');
Account two = new Account();
try { insert new List<Account>{ one, two }; } catch (DmlException e) { System.debug('insert ' + one.Id); }
Account three = new Account(Name = 'ok');
try { upsert new List<Account>{ three, new Account() }; } catch (DmlException e) { System.debug('upsert ' + three.Id); }
try { Database.upsert(new List<Account>{ three, new Account() }, true); } catch (DmlException e) { System.debug('Database.upsert ' + three.Id); }
System.debug([SELECT COUNT() FROM Account]);
insert three;
System.debug(three.Id != null);`);
    expect(out).toEqual(['insert null', 'upsert null', 'Database.upsert null', '0', 'true']);
  });
});

describe('Visualforce dynamic components (Apex Developer Guide, "Dynamic Visualforce Components")', () => {
  it('builds standard and custom components with attributes, child components and expressions; each is an ApexPages.Component', async () => {
    const out = await debugOf(`Component.Apex.PageBlock block = new Component.Apex.PageBlock(title = 'Accounts');
block.childComponents.add(new Component.Apex.OutputText(value = 'hello'));
block.expressions.rendered = '{!true}';
Component.Flow.Interview interview = new Component.Flow.Interview();
interview.name = 'MyFlow';
Object custom = new Component.c.MyWidget(size = 3);
System.debug(block.title + ' ' + block.childComponents.size() + ' ' + block.expressions.rendered + ' ' + interview.name);
System.debug((block instanceof Component.apex.pageblock) + ' ' + (custom instanceof Component.c.MyWidget) + ' ' + (custom instanceof Component.Apex.PageBlock));
ApexPages.Component any = (ApexPages.Component) custom;
System.debug(any instanceof ApexPages.Component);
System.debug(((Component.Apex.OutputText) block.childComponents[0]).value);`);
    expect(out).toEqual(['Accounts 1 {!true} MyFlow', 'true true false', 'true', 'hello']);
  });
});
