/**
 * A class's own equals, hashCode and toString: `==`, Set and Map keys, collection equality,
 * concatenation, String.valueOf and System.debug call them, as on Salesforce.
 */
import { describe, expect, it } from 'vitest';
import { run } from './helpers.ts';

const MONEY = {
  name: 'Money',
  body: `public class Money {
  public Integer cents;
  public String currencyCode;
  public static Integer equalsCalls = 0;
  public Money(Integer cents, String currencyCode) { this.cents = cents; this.currencyCode = currencyCode; }
  public Boolean equals(Object o) {
    equalsCalls++;
    if (!(o instanceof Money)) return false;
    Money m = (Money) o;
    return m.cents == cents && m.currencyCode == currencyCode;
  }
  public Integer hashCode() { return 31 * cents + (currencyCode == null ? 0 : currencyCode.hashCode()); }
  public override String toString() { return currencyCode + ' ' + cents; }
}`,
};
const PLAIN = { name: 'Plain', body: 'public class Plain { public Integer n = 1; }' };
const classes = [MONEY, PLAIN];

async function debug(source: string): Promise<string[]> {
  const r = await run(source, { classes });
  expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
  return r.debug;
}

describe("== and != call a class's own equals()", () => {
  it('compares objects, and objects inside lists, sets and maps, by equals()', async () => {
    expect(
      await debug(`
        Money a = new Money(100, 'EUR');
        Object b = new Money(100, 'EUR');
        Money c = new Money(100, 'USD');
        System.debug((a == b) + ' ' + (a != b) + ' ' + (a == c) + ' ' + (a === b));
        System.debug(new List<Money>{ a, c } == new List<Object>{ b, new Money(100, 'USD') });
        System.debug(new Set<Money>{ a, c } == new Set<Money>{ new Money(100, 'USD'), new Money(100, 'EUR') });
        System.debug(new Map<Money, Integer>{ a => 1 } == new Map<Money, Integer>{ new Money(100, 'EUR') => 1 });
        System.debug(new Map<Money, Integer>{ a => 1 } == new Map<Money, Integer>{ new Money(100, 'EUR') => 2 });
      `),
    ).toEqual(['true false false false', 'true', 'true', 'true', 'false']);
  });

  it('compares with null without calling equals(), and keeps reference equality for classes without one', async () => {
    expect(
      await debug(`
        Money a = new Money(1, 'EUR');
        Money none;
        Integer before = Money.equalsCalls;
        System.debug((a == null) + ' ' + (null == a) + ' ' + (none == null) + ' ' + (Money.equalsCalls - before));
        Plain p = new Plain(); Plain q = new Plain();
        System.debug((p == q) + ' ' + (p == p));
      `),
    ).toEqual(['false false true 0', 'false true']);
  });
});

describe('Set and Map keys through hashCode() and equals()', () => {
  it('builds sets from lists and maps from maps, and runs the bulk methods', async () => {
    expect(
      await debug(`
        List<Money> coins = new List<Money>{ new Money(1, 'EUR'), new Money(1, 'EUR'), new Money(2, 'EUR') };
        Set<Money> s = new Set<Money>(coins);
        System.debug(s.size() + ' ' + s.containsAll(new List<Money>{ new Money(2, 'EUR') }));
        Set<Money> t = new Set<Money>();
        System.debug(t.addAll(coins) + ' ' + t.size() + ' ' + t.addAll(new List<Money>{ new Money(2, 'EUR') }));
        t.removeAll(new List<Money>{ new Money(1, 'EUR') });
        System.debug(t);
        Set<Money> u = new Set<Money>(coins);
        u.retainAll(new Set<Money>{ new Money(1, 'EUR') });
        System.debug(u);
        Map<Money, String> m = new Map<Money, String>{ new Money(5, 'USD') => 'five' };
        Map<Money, String> copy = new Map<Money, String>(m);
        copy.putAll(new Map<Money, String>{ new Money(5, 'USD') => 'cinq' });
        System.debug(copy.size() + ' ' + copy.get(new Money(5, 'USD')) + ' ' + m.clone().containsKey(new Money(5, 'USD')));
      `),
    ).toEqual(['2 true', 'true 2 false', '{EUR 2}', '{EUR 1}', '1 cinq true']);
  });

  it('hashes lists, sets and Types by content, so a class can build its hashCode from them', async () => {
    expect(
      await debug(`
        System.debug(new List<String>{ 'a', 'b' }.hashCode() == new List<String>{ 'a', 'b' }.hashCode());
        System.debug(new List<String>{ 'a', 'b' }.hashCode() == new List<String>{ 'b', 'a' }.hashCode());
        System.debug(new List<Object>().hashCode() + ' ' + new List<Integer>{ 7 }.hashCode());
        System.debug(new Set<String>{ 'x', 'y' }.hashCode() == new Set<String>{ 'y', 'x' }.hashCode());
        System.debug(Integer.class.hashCode() == Integer.class.hashCode());
        System.debug(Integer.class.hashCode() == String.class.hashCode());
      `),
    ).toEqual(['true', 'false', '1 38', 'true', 'true', 'false']);
  });
});

describe("a class's own toString()", () => {
  it('is used by concatenation, +=, String.valueOf, collections and System.debug', async () => {
    expect(
      await debug(`
        Money a = new Money(250, 'GBP');
        Object o = a;
        String s = 'paid: ';
        s += o;
        System.debug('' + a + ' / ' + String.valueOf(o) + ' / ' + s);
        System.debug(a);
        System.debug(new List<Money>{ a, null });
        System.debug('' + new Plain());
      `),
    ).toEqual(['GBP 250 / GBP 250 / paid: GBP 250', 'GBP 250', '(GBP 250, null)', 'Plain:[n=1]']);
  });

  it('shows in assertion failures', async () => {
    const r = await run(`Assert.areEqual(new Money(1, 'EUR'), new Money(2, 'EUR'));`, { classes });
    expect(r.exceptionMessage).toBe('System.AssertException: Assertion Failed: Expected: EUR 1, Actual: EUR 2');
  });
});

describe('a failed cast names the target type as Salesforce spells it', () => {
  it('whatever case the code wrote', async () => {
    expect(
      await debug(`
        Object m = new Money(1, 'EUR');
        try { DateTime d = (DateTime) m; } catch (TypeException e) { System.debug(e.getMessage()); }
        try { List<string> l = (list<string>) m; } catch (TypeException e) { System.debug(e.getMessage()); }
        try { Plain p = (plain) m; } catch (TypeException e) { System.debug(e.getMessage()); }
      `),
    ).toEqual([
      'Invalid conversion from runtime type Money to Datetime',
      'Invalid conversion from runtime type Money to List<String>',
      'Invalid conversion from runtime type Money to Plain',
    ]);
  });
});

describe('Type.forName with a collection type', () => {
  it('names the type and makes an empty collection of it', async () => {
    expect(
      await debug(`
        Type t = Type.forName('Map<Id, Account>');
        Map<Id, SObject> m = (Map<Id, SObject>) t.newInstance();
        m.put('001000000000001AAA', new Account(Name = 'x'));
        System.debug(t.getName() + ' ' + m.size());
        System.debug(Type.forName('List<Money>').getName() + ' ' + Type.forName('String[]').getName());
        System.debug(Type.forName('List<NoSuchThing>') == null);
      `),
    ).toEqual(['Map<Id,Account> 1', 'List<Money> List<String>', 'true']);
  });
});

describe("an sObject's hashCode()", () => {
  // Apex Developer Guide, "Sets of Objects": uniqueness of sObjects is determined by comparing their fields
  it('follows its field values, as its equality does', async () => {
    expect(
      await debug(`
        Opportunity a = new Opportunity(Name = 'RollupZ');
        Opportunity b = new Opportunity(Name = 'RollupZZ');
        Opportunity c = new Opportunity(Name = 'RollupZ');
        Object o = b;
        System.debug((a.hashCode() == c.hashCode()) + ' ' + (a.hashCode() == b.hashCode()) + ' ' + (o.hashCode() == b.hashCode()));
        Account x = new Account(Name = 'n', NumberOfEmployees = 3);
        Account y = new Account(NumberOfEmployees = 3, Name = 'n');
        System.debug((x.hashCode() == y.hashCode()) + ' ' + (x == y) + ' ' + (x.hashCode() == new Account().hashCode()));
      `),
    ).toEqual(['true false true', 'true true false']);
  });
});
