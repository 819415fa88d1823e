/**
 * Runtime semantics fresh2's DLRS (afawcett/declarative-lookup-rollup-summaries, with its copies of
 * fflib-apex-mocks and fflib-apex-common) relies on, each with classes of our own.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('objects as strings and keys', () => {
  it('prints an object met again inside its own output as "already output" instead of overflowing', async () => {
    const classes = [{ name: 'Node', body: 'public class Node {\n  public String name;\n  public Node next;\n}' }];
    const source = "Node a = new Node(); a.name = 'a'; a.next = a;\nSystem.debug(String.valueOf(a).split(':')[0]);\nSystem.debug(a);";
    expect(await debugOf(source, { classes })).toEqual(['Node', 'Node:[name=a, next=already output]']);
  });

  it('keeps two equal() objects of a class without hashCode() in one Set (Object hashes by identity)', async () => {
    const classes = [
      {
        name: 'Q',
        body: 'public class Q {\n  public Set<String> fields = new Set<String>();\n  public Boolean equals(Object o) { return o instanceof Q && ((Q) o).fields.size() == fields.size(); }\n}',
      },
    ];
    const source =
      "Q a = new Q(); Q b = new Q();\nSet<Q> s = new Set<Q>{ a, b };\nfor (Q q : s) q.fields.add('x');\nSystem.debug(s.size() + ' ' + a.fields.size() + ' ' + b.fields.size());\nSystem.debug(a.equals(b));";
    expect(await debugOf(source, { classes })).toEqual(['2 1 1', 'true']);
  });

  it('gives the same ChildRelationship object each time, so a Map keyed by it finds it', async () => {
    const source = [
      'Map<Schema.ChildRelationship, Integer> seen = new Map<Schema.ChildRelationship, Integer>();',
      "for (Schema.ChildRelationship r : Account.SObjectType.getDescribe().getChildRelationships()) if (r.getRelationshipName() == 'Contacts') seen.put(r, 1);",
      "for (Schema.ChildRelationship r : Account.SObjectType.getDescribe().getChildRelationships()) if (r.getRelationshipName() == 'Contacts') System.debug(seen.containsKey(r));",
    ].join('\n');
    expect(await debugOf(source)).toEqual(['true']);
  });
});

describe('Ids and JSON', () => {
  it("reads a number or Boolean written as a string as the sObject field's type", async () => {
    const source = [
      'List<Account> rows = (List<Account>) JSON.deserialize(\'[{"Name":"A","NumberOfEmployees":"7","AnnualRevenue":"2.5"}]\', List<Account>.class);',
      'Object n = rows[0].NumberOfEmployees;',
      "System.debug((n instanceof Integer) + ' ' + (rows[0].NumberOfEmployees == 7) + ' ' + rows[0].AnnualRevenue + ' ' + rows[0].Name);",
    ].join('\n');
    expect(await debugOf(source)).toEqual(['true true 2.5 A']);
  });

  it('makes an aggregate query a List<AggregateResult> at run time, even returned as a List<SObject>', async () => {
    const classes = [{ name: 'QE', body: 'public class QE {\n  public static List<SObject> q(String s) { return Database.query(s); }\n}' }];
    const source = [
      "Account a = new Account(Name = 'a'); insert a;",
      "insert new Opportunity(Name = 'o', AccountId = a.Id, Amount = 50, CloseDate = Date.today(), StageName = 'Prospecting');",
      "Object grouped = QE.q('SELECT AccountId, AVG(Amount) a0 FROM Opportunity GROUP BY AccountId');",
      "Object none = QE.q('SELECT AccountId, AVG(Amount) a0 FROM Opportunity WHERE Amount > 100 GROUP BY AccountId');",
      "Object rows = QE.q('SELECT Id FROM Opportunity');",
      "System.debug((grouped instanceof List<AggregateResult>) + ' ' + (none instanceof List<AggregateResult>) + ' ' + (rows instanceof List<AggregateResult>));",
    ].join('\n');
    expect(await debugOf(source, { classes })).toEqual(['true true false']);
  });

  it('knows a clone and the record it was first cloned from (isClone, getCloneSourceId)', async () => {
    const source = [
      "Account a = new Account(Name = 'a'); insert a;",
      "Account b = a.clone(); Account c = b.clone(); Account m = new Account(Name = 'n').clone();",
      "System.debug(a.isClone() + ' ' + b.isClone() + ' ' + (b.getCloneSourceId() == a.Id) + ' ' + (c.getCloneSourceId() == a.Id) + ' ' + m.isClone() + ' ' + m.getCloneSourceId());",
    ].join('\n');
    expect(await debugOf(source)).toEqual(['false true true true true null']);
  });

  it("gives a StandardController's record Id as 15 characters (getId returns a String)", async () => {
    const source =
      "Account a = new Account(Name = 'a'); insert a;\nString id = new ApexPages.StandardController(a).getId();\nSystem.debug(id.length() + ' ' + (id == String.valueOf(a.Id).substring(0, 15)));";
    expect(await debugOf(source)).toEqual(['15 true']);
  });
});
