/**
 * Overload resolution by a collection's element type, and unqualified calls that reach an outer
 * class's overload (classes of our own reproducing fresh2's compile errors: SalesforceLabs/FluentAssert's
 * `Assert.that(List<String>)` bound to `that(List<Database.DeleteResult>)`, DLRS's LREngine calling the
 * outer `isAggregateBasedRollup(op)` from an inner class that declares `isAggregateBasedRollup()`).
 */
import { describe, expect, it } from 'vitest';
import { programFor } from '../../tools/apex/compiler.ts';
import { debugOf } from './helpers.ts';

const pick = {
  name: 'Pick',
  body: `public class Pick {
  public class DelA { public String kind() { return 'delete'; } }
  public class ListA { public String kind() { return 'list'; } public Integer size; public Integer count() { return size; } }
  public static DelA that(List<Database.DeleteResult> a) { return new DelA(); }
  public static ListA that(List<Object> a) { ListA r = new ListA(); r.size = a.size(); return r; }
  public static Object that(Object a) { return null; }
  public static String listOnly(List<String> names) { return that(names).kind() + ' ' + that(names).count(); }
  public static Integer decimals() { return that(new List<Decimal>{ 1, 2, 3 }).count(); }
}`,
};

describe('a collection argument binds the overload its elements can fit', () => {
  it('passes List<String>, List<Decimal> and List<Account> to List<Object>, never to List<Database.DeleteResult>', async () => {
    expect(programFor([pick]).errors).toEqual([]);
    const source = [
      "System.debug(Pick.listOnly(new List<String>{ 'a', 'b' }));",
      'System.debug(Pick.decimals());',
      'System.debug(Pick.that(new List<Account>()).kind());',
      'System.debug(Pick.that(new List<Object>()).kind());',
      'System.debug(Pick.that(new List<Database.DeleteResult>()).kind());',
    ].join('\n');
    expect(await debugOf(source, { classes: [pick] })).toEqual(['list 2', '3', 'list', 'list', 'delete']);
  });

  it('still refuses a List<String> where only element types it cannot be are taken', () => {
    const body =
      'public class Only {\n  static void f(List<Database.SaveResult> r) {}\n  static void g(List<List<String>> r) {}\n' +
      '  static void m() { f(new List<String>()); }\n  static void n() { g(new List<Set<String>>()); }\n}';
    expect(programFor([{ name: 'Only', body }]).errors.map((e) => e.message)).toEqual([
      'Method does not exist or incorrect signature: void f(List<String>) from the type Only',
      'Method does not exist or incorrect signature: void g(List<Set<String>>) from the type Only',
    ]);
  });
});

describe('a call whose overload an argument of unknown type leaves open', () => {
  it('has no type when the open overloads return different types (soql-lib toMap with field tokens)', () => {
    const body = `public class Q {
  public Map<String, SObject> toMap(String rel, SObjectField key) { return null; }
  public Map<String, String> toMap(SObjectField key, SObjectField value) { return null; }
  public static void m() { Map<String, String> x = new Q().toMap(Account.Name, Account.Description); }
}`;
    expect(programFor([{ name: 'Q', body }]).errors).toEqual([]);
  });
});

describe('an unqualified call inside an inner class', () => {
  const outer = {
    name: 'Rollups',
    body: `public class Rollups {
  public enum Op { SUM_OP, LAST_OP }
  public class Field {
    public Op operation;
    public Field(Op o) { operation = o; }
    public Boolean isAggregate() { return isAggregate(operation); }
  }
  public static Boolean isAggregate(Op o) { return o == Op.SUM_OP; }
}`,
  };

  it("reaches the outer class's overload the arguments fit when the inner class's own one does not", async () => {
    expect(programFor([outer]).errors).toEqual([]);
    const source =
      'System.debug(new Rollups.Field(Rollups.Op.SUM_OP).isAggregate());\nSystem.debug(new Rollups.Field(Rollups.Op.LAST_OP).isAggregate());';
    expect(await debugOf(source, { classes: [outer] })).toEqual(['true', 'false']);
  });

  it('is refused against the inner class when no scope has an overload that fits', () => {
    const body = outer.body.replace('isAggregate(operation); }', "isAggregate('x'); }");
    expect(programFor([{ name: 'Rollups', body }]).errors.map((e) => e.message)).toEqual([
      'Method does not exist or incorrect signature: void isAggregate(String) from the type Rollups.Field',
    ]);
  });
});
