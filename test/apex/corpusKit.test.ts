/**
 * Causes found in codefriar/ApexKit, mitchspano/trigger-actions-framework and ipavlic/apex-lambda
 * (issue 18), each confirmed with a small block of our own; every expectation is what the Apex
 * Reference or a project that passes on Salesforce states (docs/salesforce-rules.md, "Corpus: utility
 * kits and trigger frameworks").
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';
import { join } from 'node:path';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { runTests } from '../../tools/apex/index.ts';

describe('values and types', () => {
  it('two Times of the same time of day are equal (==, equals, Object ==)', async () => {
    const out = await debugOf(`Time a = Time.newInstance(3, 0, 0, 0);
Time b = Time.newInstance(3, 0, 0, 0);
Object o1 = a; Object o2 = b;
System.debug(a == b);
System.debug(o1 == o2);
System.debug(a.equals(b));
System.debug(a == Time.newInstance(4, 0, 0, 0));
System.debug(new Set<Time>{ a, b }.size());`);
    expect(out).toEqual(['true', 'true', 'true', 'false', '1']);
  });

  it('a list made as List<SObject> is an instance of every sObject list type; one made as List<Account> is not a List<Opportunity>', async () => {
    const out = await debugOf(`List<SObject> generic = (List<SObject>) List<SObject>.class.newInstance();
System.debug(generic instanceof List<Opportunity>);
List<SObject> made = new List<SObject>{ new Account(Name = 'a') };
System.debug(made instanceof List<Account>);
List<SObject> typed = new List<Account>();
System.debug(typed instanceof List<Opportunity>);
System.debug(typed instanceof List<Account>);
Object dates = new List<Date>();
System.debug(dates instanceof List<String>);`);
    expect(out).toEqual(['true', 'true', 'false', 'true', 'false']);
  });

  it('System.RoundingMode rounds setScale, divide and round as documented; setScale defaults to HALF_UP', async () => {
    const out = await debugOf(`Decimal d = 1.5;
Decimal n = -2.5;
System.debug(d.setScale(0, System.RoundingMode.DOWN) + ' ' + d.setScale(0, RoundingMode.UP) + ' ' + d.setScale(0));
System.debug(n.setScale(0, RoundingMode.HALF_EVEN) + ' ' + n.setScale(0, RoundingMode.HALF_DOWN) + ' ' + n.setScale(0) + ' ' + n.setScale(0, RoundingMode.FLOOR) + ' ' + n.setScale(0, RoundingMode.CEILING));
System.debug(Decimal.valueOf(1).divide(3, 2, RoundingMode.UP));
System.debug(Decimal.valueOf('2.5').round(RoundingMode.HALF_EVEN));
System.debug(RoundingMode.values().size());
try { d.setScale(0, RoundingMode.UNNECESSARY); } catch (MathException e) { System.debug(e.getMessage()); }`);
    expect(out).toEqual(['1 2 2', '-2 -2 -3 -3 -2', '0.34', '2', '8', 'Rounding necessary']);
  });

  it('Flow.Interview.X.class of a flow the org lacks compiles and is named Flow.Interview (no flows exist locally)', async () => {
    const out = await debugOf(`System.Type t = Flow.Interview.SomeFlowNotInTheOrg.class;
System.debug(t.getName());`);
    expect(out).toEqual(['Flow.Interview']);
  });
  it('a Blob answers its own methods and instanceof Blob (size, toString), also from HttpRequest.getBodyAsBlob', async () => {
    const out = await debugOf(`Blob b = Blob.valueOf('11');
Object o = b;
System.debug(b.size() + ' ' + b.toString() + ' ' + (o instanceof Blob));
HttpRequest req = new HttpRequest();
req.setBodyAsBlob(Blob.valueOf('1'));
System.debug(Blob.valueOf(req.getBody() + '1').size() + ' ' + req.getBodyAsBlob().size());`);
    expect(out).toEqual(['2 11 true', '2 1']);
  });

  it('Type.forName of an sObject type makes a new record of it (newInstance)', async () => {
    const out = await debugOf(`Account acc = (Account) Type.forName('Account').newInstance();
acc.Name = 'x';
SObject job = (SObject) Type.forName('AsyncApexJob').newInstance();
System.debug(acc.Name + ' ' + job.getSObjectType());`);
    expect(out).toEqual(['x AsyncApexJob']);
  });
});

describe('platform cache and UserInfo', () => {
  it('get(cacheBuilder, key) caches under a key naming the builder class, which remove(cacheBuilder, key) removes (Apex Reference, "CacheBuilder Interface")', async () => {
    const out = await debugOf(
      `public class Loader implements Cache.CacheBuilder {
  public Object doLoad(String key) { return 'loaded ' + key; }
}
Cache.OrgPartition p = Cache.Org.getPartition('local.Kit');
System.debug(p.get(Loader.class, 'k1'));
System.debug(p.getNumKeys() + ' ' + p.getKeys().toString().containsIgnoreCase('loader') + ' ' + p.get('k1'));
System.debug(p.remove(Loader.class, 'k1') + ' ' + p.getNumKeys());`,
      { cachePartitions: { Kit: 1 } },
    );
    expect(out).toEqual(['loaded k1', '1 true null', 'true 0']);
  });

  it('UserInfo names the Lightning Experience theme (Theme4d)', async () => {
    expect(await debugOf(`System.debug(UserInfo.getUiThemeDisplayed() + ' ' + UserInfo.getUiTheme());`)).toEqual(['Theme4d Theme4d']);
  });
});

describe('JSON of system types', () => {
  it('Invocable.Action.Error and Result serialize as their JSON keys and read back', async () => {
    const out =
      await debugOf(`Invocable.Action.Error e = (Invocable.Action.Error) JSON.deserialize('{"code":"TEST","message":"foo"}', Invocable.Action.Error.class);
String s = JSON.serialize(new Map<String, Object>{ 'errors' => new List<Invocable.Action.Error>{ e }, 'success' => false });
System.debug(s);
Invocable.Action.Result r = (Invocable.Action.Result) JSON.deserialize(s, Invocable.Action.Result.class);
System.debug(r.isSuccess() + ' ' + r.getErrors()[0].getCode() + ' ' + JSON.serialize(e));`);
    expect(out).toEqual(['{"errors":[{"code":"TEST","message":"foo"}],"success":false}', 'false TEST {"code":"TEST","message":"foo"}']);
  });
});

describe('org data', () => {
  it('a User takes its address and company fields (CompanyName, Division, Phone …)', async () => {
    const out = await debugOf(`Profile p = [SELECT Id FROM Profile WHERE Name = 'Standard User' LIMIT 1];
User u = new User(ProfileId = p.Id, LastName = 'last', Email = 'kit@test.example.com', Username = 'kit@test.example.com.h18',
  CompanyName = 'TEST', Division = 'East', Phone = '555', City = 'Paris', Title = 'title', Alias = 'alias',
  TimeZoneSidKey = 'America/Los_Angeles', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US');
insert u;
User back = [SELECT CompanyName, Division, Phone, City FROM User WHERE Id = :u.Id];
System.debug(back.CompanyName + ' ' + back.Division + ' ' + back.Phone + ' ' + back.City);`);
    expect(out).toEqual(['TEST East 555 Paris']);
  });

  it("SOQL's X = '' finds the rows without X (a text field never holds an empty string), X != '' the rows with it", async () => {
    const out = await debugOf(`insert new List<Account>{ new Account(Name = 'a', Site = 'x'), new Account(Name = 'b') };
String empty = '';
System.debug([SELECT Name FROM Account WHERE Site = ''].size() + ' ' + [SELECT Name FROM Account WHERE Site != ''].size());
System.debug([SELECT Name FROM Account WHERE Site = :empty][0].Name);
System.debug(Database.query('SELECT Name FROM Account WHERE Site != \\'\\'')[0].Name);`);
    expect(out).toEqual(['1 1', 'b', 'a']);
  });

  it('the Organization row has its fiscal year start month (the calendar year by default)', async () => {
    const out = await debugOf(`Organization o = Database.query('SELECT FIELDS(STANDARD) FROM Organization LIMIT 1');
System.debug(o.FiscalYearStartMonth + ' ' + o.UsesStartDateAsFiscalYearName);`);
    expect(out).toEqual(['1 false']);
  });

  it('FeatureManagement.checkPermission is true only through a permission set assigned to the running user that grants it', async () => {
    const org = createMemoryOrg();
    org.seed('CustomPermission', [{ DeveloperName: 'Kit_Perm', MasterLabel: 'Kit Perm' }]);
    const out = await debugOf(
      `System.debug(FeatureManagement.checkPermission('Not_Defined'));
System.debug(FeatureManagement.checkPermission('Kit_Perm'));
Id permId = [SELECT Id FROM CustomPermission WHERE DeveloperName = 'Kit_Perm'].Id;
PermissionSet unassigned = new PermissionSet(Name = 'Kit_Unassigned', Label = 'Kit Unassigned');
PermissionSet ps = new PermissionSet(Name = 'Kit_Set', Label = 'Kit Set');
insert new List<PermissionSet>{ unassigned, ps };
insert new SetupEntityAccess(ParentId = unassigned.Id, SetupEntityId = permId);
System.debug(FeatureManagement.checkPermission('Kit_Perm'));
insert new List<SObject>{ new SetupEntityAccess(ParentId = ps.Id, SetupEntityId = permId), new PermissionSetAssignment(AssigneeId = UserInfo.getUserId(), PermissionSetId = ps.Id) };
System.debug(FeatureManagement.checkPermission('Kit_Perm'));
System.debug(Limits.getQueries());`,
      { host: org.host },
    );
    expect(out).toEqual(['false', 'false', 'false', 'true', '1']);
  });
});

describe('transaction finalizers in tests', () => {
  it('a finalizer enqueues the next step (limit 1), a Queueable chaining in a test still fails; WebServiceMock and Metadata deploy types', async () => {
    const r = await runTests(projectOrg([join(import.meta.dirname, 'corpusKit', 'force-app')]).host);
    expect(r.compileErrors).toEqual([]);
    expect(r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message} ${t.stackTrace ?? ''}`)).toEqual([]);
    expect(r.tests.length).toBe(4);
  }, 60_000);
});

describe('Formula.builder (Apex Reference, "FormulaEval Namespace")', () => {
  const BOAT = `global class Boat {
  global Integer lengthInYards;
  global Account owner;
  public Integer hidden;
  global Account rec { get { return owner; } }
}
Boat b = new Boat();
b.lengthInYards = 52;
b.owner = new Account(Name = 'Acme', Site = 'New York');
`;
  it('evaluates a formula over the global fields and properties of a global class, and over an sObject', async () => {
    const out = await debugOf(`${BOAT}
FormulaEval.FormulaInstance size = Formula.builder().withReturnType(FormulaEval.FormulaReturnType.STRING).withType(Boat.class)
  .withFormula('IF(lengthInYards < 100, "Not Super", "Super")').build();
System.debug(size.evaluate(b));
FormulaEval.FormulaInstance owner = FormulaEval.FormulaBuilder.builder().withReturnType(FormulaEval.FormulaReturnType.STRING).withType(Boat.class)
  .withFormula('owner.Name & " (" & owner.Site & ")"').build();
System.debug(owner.evaluate(b));
FormulaEval.FormulaInstance test = Formula.builder().withReturnType(FormulaEval.FormulaReturnType.BOOLEAN).withGlobalVariables(FormulaEval.FormulaGlobal.values())
  .withType(Boat.class).withFormula('rec.Name = "Acme" && CONTAINS(rec.Site, "York") && NOT(ISBLANK(rec.Name))').build();
System.debug(test.evaluate(b) + ' ' + test.getReferencedFields().contains('rec.Site'));
FormulaEval.FormulaInstance revenue = Formula.builder().withReturnType(FormulaEval.FormulaReturnType.DECIMAL).withType(Account.SObjectType)
  .withFormula('AnnualRevenue * 2').build();
System.debug(revenue.evaluate(new Account(AnnualRevenue = 21)));`);
    expect(out).toEqual(['Not Super', 'Acme (New York)', 'true true', '42']);
  });

  it('build() refuses bad syntax, an unknown function, a missing or non-global field, and a non-global type (FormulaValidationException)', async () => {
    const out = await debugOf(`${BOAT}
public class NotGlobal { public Integer x; }
for (String bad : new List<String>{ 'This will not compile!!!', 'NOPE(lengthInYards)', 'missing = 1', 'hidden > 1' }) {
  try {
    Formula.builder().withReturnType(FormulaEval.FormulaReturnType.BOOLEAN).withType(Boat.class).withFormula(bad).build();
    System.debug('built ' + bad);
  } catch (System.FormulaValidationException e) {
    System.debug('refused');
  }
}
try {
  Formula.builder().withReturnType(FormulaEval.FormulaReturnType.BOOLEAN).withType(NotGlobal.class).withFormula('x > 1').build();
} catch (FormulaValidationException e) {
  System.debug('refused type');
}`);
    expect(out).toEqual(['refused', 'refused', 'refused', 'refused', 'refused type']);
  });
});
