/**
 * Call dispatch the check phase decides: overloads that differ only in a collection's type argument,
 * parameter types named in the method's own class (an inner enum) when called from another class.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { run } from './helpers.ts';

const classes = [
  {
    name: 'Describer',
    body: `public class Describer {
  public enum Mode { SHORT, LONG }
  public static String describe(List<Integer> numbers) { return 'numbers ' + (numbers == null ? 'none' : String.valueOf(numbers.size())); }
  public static String describe(List<String> words) { return 'words ' + (words == null ? 'none' : String.valueOf(words.size())); }
  public static String show(String s, Mode m) { return m == Mode.SHORT ? s.left(1) : s; }
  public static String show(Integer i, Mode m) { return 'int ' + i; }
  public static String pick(Set<String> names) { return 'names'; }
  public static String pick(Set<Schema.SObjectField> fields) { return 'fields'; }
  public static String viaObject(Object o) { return pick((Set<Schema.SObjectField>) o); }
}`,
  },
];

describe('overloads chosen by static types', () => {
  it('tells List<Integer> from List<String>, even for a null argument', async () => {
    const r = await run(
      `List<String> none; List<Integer> nums;
       System.debug(Describer.describe(none));
       System.debug(Describer.describe(nums));
       System.debug(Describer.describe(new List<String>{ 'a' }));
       System.debug(Describer.describe(new List<Integer>{ 1, 2 }));`,
      { classes },
    );
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['words none', 'numbers none', 'words 1', 'numbers 2']);
  });

  it('tells Set<String> from Set<Schema.SObjectField> by the values when the static types are unknown', async () => {
    const r = await run(
      `System.debug(Describer.pick(new Set<String>{ 'Name' }) + ' ' + Describer.pick(new Set<Schema.SObjectField>{ Account.Name }));
       System.debug(Describer.viaObject(new Set<Schema.SObjectField>{ Account.Name }));`,
      { classes },
    );
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['names fields', 'fields']);
  });

  it("resolves a parameter's inner enum in the method's class when another class calls it", async () => {
    const r = await run(
      `Object o = 'hello'; System.debug(Describer.show((String) o, Describer.Mode.SHORT) + ' ' + Describer.show(3, Describer.Mode.LONG));`,
      { classes },
    );
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['h int 3']);
  });
});

describe('instanceof and assignment widenings', () => {
  it('answers instanceof as Salesforce does for numbers and dates, and widens a Date assigned to a Datetime', async () => {
    const r = await run(`
      Object i = 9; Object l = 9L; Object d = 9.99; Object day = Date.newInstance(2024, 2, 29); Object now = Datetime.now();
      System.debug((i instanceof Decimal) + ' ' + (i instanceof Double) + ' ' + (l instanceof Decimal) + ' ' + (d instanceof Double) + ' ' + (d instanceof Integer));
      System.debug((day instanceof Datetime) + ' ' + (now instanceof Date) + ' ' + (day instanceof Date));
      Datetime widened = Date.newInstance(2024, 2, 29);
      System.debug(widened.formatGmt('yyyy-MM-dd HH:mm'));`);
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['true true true true false', 'true false true', '2024-02-29 00:00']);
  });
});

describe('stubs (Test.createStub)', () => {
  it('show their generated class name and dispatch a null argument by its static type', async () => {
    const host = createMemoryOrg({
      classes: [
        {
          name: 'Recorder',
          body: `public class Recorder implements System.StubProvider {
  public List<String> calls = new List<String>();
  public Object handleMethodCall(Object stub, String name, Type returnType, List<Type> types, List<String> names, List<Object> args) {
    calls.add(name + types);
    return null;
  }
}`,
        },
        {
          name: 'Sink',
          body: 'public virtual class Sink { public virtual void add(String s) {} public virtual void add(List<String> l) {} }',
        },
        {
          name: 'StubTest',
          body: `@IsTest private class StubTest {
  @IsTest static void names() {
    Recorder rec = new Recorder();
    Sink s = (Sink) Test.createStub(Sink.class, rec);
    Assert.areEqual('Sink__sfdc_ApexStub', String.valueOf(s).split(':')[0]);
    String none = null;
    s.add(none);
    s.add(new List<String>{ 'a' });
    Assert.areEqual(new List<String>{ 'add(String)', 'add(List<String>)' }, rec.calls);
  }
}`,
        },
      ],
    }).host;
    const res = await runTests(host);
    expect(res.tests.map((t) => `${t.methodName}: ${t.outcome === 'Pass' ? 'Pass' : t.message}`)).toEqual(['names: Pass']);
  });
});

describe('custom exceptions', () => {
  it('keep the standard constructors beside their own', async () => {
    const classes = [
      {
        name: 'FieldError',
        body: "public class FieldError extends Exception { public FieldError(String field, Integer code) { this.setMessage(field + ' ' + code); } }",
      },
    ];
    const r = await run(
      `System.debug(new FieldError('Name', 3).getMessage() + ' / ' + new FieldError().getMessage() + ' / ' + new FieldError('plain').getMessage());`,
      { classes },
    );
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['Name 3 / null / plain']);
  });
});
