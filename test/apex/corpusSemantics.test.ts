/**
 * Semantics the corpus of public Apex projects showed wrong (issue 18), each with a small block of our
 * own; every expectation is what the Apex Reference states.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('corpus semantics', () => {
  it('Datetime.newInstanceGmt(Date, Time) is the GMT instant of that date and time (Apex Reference, "Datetime Class")', async () => {
    const out = await debugOf(`Datetime d = Datetime.newInstanceGmt(Date.newInstance(2024, 3, 5), Time.newInstance(7, 30, 15, 0));
System.debug(d.formatGmt('yyyy-MM-dd HH:mm:ss'));
System.debug(d == Datetime.newInstanceGmt(2024, 3, 5, 7, 30, 15));`);
    expect(out).toEqual(['2024-03-05 07:30:15', 'true']);
  });
});

describe('System.OrgLimits (Apex Reference, "OrgLimits Class")', () => {
  it('lists the org limits by name with their maximum and usage', async () => {
    const out = await debugOf(`Map<String, System.OrgLimit> byName = OrgLimits.getMap();
System.OrgLimit async = byName.get('DailyAsyncApexExecutions');
System.debug(async.getName() + ' ' + async.getLimit() + ' ' + async.getValue());
System.debug(OrgLimits.getAll().size() == byName.size());
System.debug(String.valueOf(byName.get('DailyApiRequests')));`);
    expect(out).toEqual(['DailyAsyncApexExecutions 250000 0', 'true', 'OrgLimit[DailyApiRequests: consumed 0 of 15000]']);
  });
});

describe('String.format with objects', () => {
  it("calls each argument's toString() in order, one after another (a counter they share counts 1, 2)", async () => {
    const out = await debugOf(`public class Counter { public Integer n = 0; }
public class Bound {
  Counter c;
  public Bound(Counter c) { this.c = c; }
  public override String toString() { c.n++; return ':v' + c.n; }
}
Counter c = new Counter();
System.debug(String.format('{0} AND {1}', new List<Object>{ new Bound(c), new Bound(c) }));`);
    expect(out).toEqual([':v1 AND :v2']);
  });
});

describe('System.Location (Apex Reference, "Location Class")', () => {
  it('keeps its coordinates as Doubles and measures the distance in mi or km', async () => {
    const out = await debugOf(`Location zero = Location.newInstance(0, 0);
System.debug('GEOLOCATION(' + zero.getLatitude() + ',' + zero.getLongitude() + ')');
Location sf = Location.newInstance(37.775, -122.418);
System.debug(sf.getLatitude());
Location la = Location.newInstance(34.052, -118.244);
Double km = sf.getDistance(la, 'km');
System.debug(km > 540 && km < 570);
System.debug(Location.getDistance(sf, la, 'mi') < km);`);
    expect(out).toEqual(['GEOLOCATION(0.0,0.0)', '37.775', 'true', 'true']);
  });
});

describe('switch on an enum', () => {
  it('matches a constant whose name ends in L (LESS_THAN_OR_EQUAL), and Long literals still match', async () => {
    const out = await debugOf(`public enum Op { LESS_THAN, LESS_THAN_OR_EQUAL, ALL }
String r = '';
for (Op o : Op.values()) {
  switch on o { when LESS_THAN { r += '<'; } when LESS_THAN_OR_EQUAL { r += '<='; } when ALL { r += '*'; } }
}
System.debug(r);
Long n = 5;
switch on n { when 5L { System.debug('five'); } when else { System.debug('other'); } }`);
    expect(out).toEqual(['<<=*', 'five']);
  });
});

describe('Apex cursors (Apex Reference, "Cursor Class")', () => {
  it('fix their rows when created and fetch slices of them, counted in Limits', async () => {
    const out = await debugOf(`List<Account> accounts = new List<Account>();
for (Integer i = 0; i < 5; i++) accounts.add(new Account(Name = 'C' + i));
insert accounts;
String prefix = 'C%';
Database.Cursor c = Database.getCursorWithBinds('SELECT Name FROM Account WHERE Name LIKE :p ORDER BY Name', new Map<String, Object>{ 'p' => prefix }, AccessLevel.SYSTEM_MODE);
insert new Account(Name = 'C9');
System.debug(c.getNumRecords());
List<Account> page = c.fetch(1, 2);
System.debug(page[0].Name + ' ' + page[1].Name);
System.debug(c.fetch(4, 10).size());
System.debug(Limits.getApexCursorRows() + ' ' + Limits.getFetchCallsOnApexCursor());
Database.Cursor all = Database.getCursor('SELECT Id FROM Account WHERE Name LIKE :prefix');
System.debug(all.getNumRecords());`);
    expect(out).toEqual(['5', 'C1 C2', '1', '5 2', '6']);
  });
});

describe('JSON.deserialize into DML results', () => {
  it('reads id, success, created and errors, as mocking libraries write them', async () => {
    const out =
      await debugOf(`Database.SaveResult s = (Database.SaveResult) JSON.deserialize('{"success": true, "id": "001000000000001AAA"}', Database.SaveResult.class);
System.debug(s.isSuccess() + ' ' + s.getId() + ' ' + s.getErrors().size());
Database.UpsertResult u = (Database.UpsertResult) JSON.deserialize('{"success": false, "created": true, "errors": [{"message": "bad", "statusCode": "REQUIRED_FIELD_MISSING", "fields": ["Name"]}]}', Database.UpsertResult.class);
Database.Error e = u.getErrors()[0];
System.debug(u.isCreated() + ' ' + e.getMessage() + ' ' + e.getStatusCode() + ' ' + e.getFields());`);
    expect(out).toEqual(['true 001000000000001AAA 0', 'true bad REQUIRED_FIELD_MISSING (Name)']);
  });
});

describe('standard objects public projects use (SOAP API Object Reference)', () => {
  it('Individual, Contract, ContactPointConsent and OpportunityContactRole can be described, inserted and queried', async () => {
    const out = await debugOf(`Account a = new Account(Name = 'A');
insert a;
insert new Individual(LastName = 'Ind');
insert new Contract(AccountId = a.Id, Status = 'Draft', StartDate = Date.today(), ContractTerm = 12);
Opportunity o = new Opportunity(Name = 'O', StageName = 'Prospecting', CloseDate = Date.today(), AccountId = a.Id);
insert o;
Contact c = new Contact(LastName = 'C');
insert c;
insert new OpportunityContactRole(OpportunityId = o.Id, ContactId = c.Id, Role = 'Evaluator');
for (String name : new List<String>{ 'Individual', 'Contract', 'ContactPointConsent', 'OpportunityContactRole' }) {
  System.debug(Schema.describeSObjects(new List<String>{ name })[0].getName());
}
System.debug([SELECT COUNT() FROM OpportunityContactRole WHERE OpportunityId = :o.Id]);
System.debug(Task.CallDurationInSeconds.getDescribe().getType());`);
    expect(out).toEqual(['Individual', 'Contract', 'ContactPointConsent', 'OpportunityContactRole', '1', 'INTEGER']);
  });
});

describe('new List<T>(Integer)', () => {
  it('holds that many nulls, as new T[n] does, so elements can be set by index', async () => {
    const out = await debugOf(`Integer[] codes = new List<Integer>(3);
codes[2] = 65;
System.debug(codes.size() + ' ' + codes);`);
    expect(out).toEqual(['3 (null, null, 65)']);
  });
});

describe('instanceof a collection type', () => {
  it('checks the element type the collection was made with; collections are covariant', async () => {
    const out = await debugOf(`Object dates = new List<Date>{ Date.today() };
Object ints = new Set<Integer>{ 1 };
Object accounts = new List<Account>();
Object ids = new List<Id>();
Object byName = new Map<String, Integer>();
System.debug((dates instanceof List<String>) + ' ' + (dates instanceof List<Date>) + ' ' + (dates instanceof List<Object>));
System.debug((ints instanceof Set<Boolean>) + ' ' + (ints instanceof Set<Integer>));
System.debug((accounts instanceof List<SObject>) + ' ' + (accounts instanceof List<Contact>) + ' ' + (ids instanceof List<String>));
System.debug((byName instanceof Map<String, Integer>) + ' ' + (byName instanceof Map<String, Boolean>));`);
    expect(out).toEqual(['false true true', 'false true', 'true false true', 'true false']);
  });
});

describe('Datetime.formatGmt with week and day-of-year patterns (Java SimpleDateFormat, en_US)', () => {
  it('formats D, w, W, u, F and the week year Y', async () => {
    const out = await debugOf(`Datetime d = Datetime.newInstanceGmt(2026, 12, 31, 8, 0, 0);
System.debug(d.formatGmt('D w YYYY yyyy u'));
Datetime m = Datetime.newInstanceGmt(2026, 5, 13, 0, 0, 0);
System.debug(m.formatGmt('D w W u F k'));`);
    expect(out).toEqual(['365 1 2027 2026 4', '133 20 3 3 2 24']);
  });
});

describe('a Date cast to Datetime', () => {
  it('is the Datetime at midnight GMT of that date, as instanceof Datetime already says', async () => {
    const out = await debugOf(`Object v = Date.newInstance(2026, 3, 5);
System.debug(v instanceof Datetime);
Datetime d = (Datetime) v;
System.debug(d.formatGmt('yyyy-MM-dd HH:mm'));`);
    expect(out).toEqual(['true', '2026-03-05 00:00']);
  });
});

describe('a String variable holding null in a concatenation', () => {
  it("reads 'null' whatever the other operand is (String s = null; s + 5 is 'null5')", async () => {
    const out = await debugOf(`String clause = null;
SObjectType t = Account.SObjectType;
Integer n = 5;
System.debug(clause + t);
System.debug(clause + n);
Integer missing = null;
try { Integer sum = missing + n; } catch (NullPointerException e) { System.debug('numbers still throw'); }`);
    expect(out).toEqual(['nullAccount', 'null5', 'numbers still throw']);
  });
});

describe('Database.getQueryLocatorWithBinds', () => {
  it('iterates the rows of the query with the map binds', async () => {
    const out = await debugOf(`insert new List<Account>{ new Account(Name = 'L1'), new Account(Name = 'L2'), new Account(Name = 'X') };
Database.QueryLocator loc = Database.getQueryLocatorWithBinds('SELECT Name FROM Account WHERE Name LIKE :p ORDER BY Name', new Map<String, Object>{ 'p' => 'L%' }, AccessLevel.SYSTEM_MODE);
Database.QueryLocatorIterator it = loc.iterator();
String names = '';
while (it.hasNext()) names += ((Account) it.next()).Name;
System.debug(names + ' ' + loc.getQuery().startsWith('SELECT Name'));`);
    expect(out).toEqual(['L1L2 true']);
  });
});
