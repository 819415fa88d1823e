/**
 * Issue 18: names resolved as the Apex compiler resolves them (model/names.ts), overloads over every
 * inherited method, and the test runner as Salesforce runs it. The Apex classes under
 * fixtures/issue18 are our own, one per root cause; `npm run apex-test -- --source-dir
 * test/apex/fixtures/issue18` runs the same tests.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { programFor } from '../../tools/apex/compiler.ts';
import { testRunJson } from '../../tools/apex/testFormatters.ts';
import { debugOf } from './helpers.ts';

describe('names and overloads (fixtures/issue18)', () => {
  it('compiles and passes every test of the fixture classes', async () => {
    const r = await runTests(projectOrg(['test/apex/fixtures/issue18']).host);
    expect(r.compileErrors).toEqual([]);
    expect(r.tests.map((t) => `${t.methodName} ${t.outcome}${t.message ? ': ' + t.message : ''}`)).toEqual([
      'staticPropertyBeatsInnerTypePositive Pass',
      'innerEnumBeatsTopLevelClassPositive Pass',
      'inheritedOverloadStaysVisiblePositive Pass',
      'listAndSetAreIterablePositive Pass',
      'conversionsPositive Pass',
    ]);
  });

  it('assigns a static variable named like an inner type (the runtime crashed reading past the name)', async () => {
    const classes = [
      {
        name: 'Registry',
        body: "public class Registry {\n  public interface Handler { String name(); }\n  public class Impl implements Handler { public String name() { return 'impl'; } }\n  public static Handler Handler;\n}",
      },
    ];
    expect(await debugOf('Registry.Handler = new Registry.Impl();\nSystem.debug(Registry.Handler.name());', { classes })).toEqual(['impl']);
  });

  it('does not reach an outer class instance field from an inner class: the name means the class', async () => {
    const classes = [
      { name: 'Bars', body: "public class Bars {\n  public static String label = 'class';\n}" },
      {
        name: 'Foo',
        body: 'public class Foo {\n  public Bars bars;\n  public class Inner {\n    public String read() { return Bars.label; }\n  }\n}',
      },
    ];
    expect(programFor(classes).errors).toEqual([]);
    expect(await debugOf('System.debug(new Foo.Inner().read());', { classes })).toEqual(['class']);
  });

  it('refuses a String where only Iterable overloads exist, and binds List to Iterable before Object', () => {
    const body = "public class C {\n  static void f(Iterable<String> it) {}\n  static void m() { f('x'); }\n}";
    expect(programFor([{ name: 'C', body }]).errors.map((e) => e.message)).toEqual([
      'Method does not exist or incorrect signature: void f(String) from the type C',
    ]);
  });
});

describe('the test runner counts test methods, and a class that does not compile does not run', () => {
  const classes = [
    {
      name: 'BrokenTest',
      body: '@IsTest\nprivate class BrokenTest {\n  @IsTest static void ran() { String s = 5; }\n  @IsTest static void other() { System.assert(true); }\n}',
    },
    {
      name: 'GoodTest',
      body: "@IsTest\nprivate class GoodTest {\n  @IsTest static void one() { System.assert(true); }\n  @IsTest static void two() { System.assert(false, 'no'); }\n}",
    },
  ];

  it('reports compile errors apart and runs only the classes that compile', async () => {
    const r = await runTests(createMemoryOrg({ classes }).host);
    expect(r.tests.map((t) => `${t.className}.${t.methodName} ${t.outcome}`)).toEqual(['GoodTest.one Pass', 'GoodTest.two Fail']);
    expect(r.compileErrors.map((e) => `${e.className}: ${e.message}`)).toEqual(['BrokenTest: Illegal assignment from Integer to String']);
    expect(r.outcome).toBe('Failed');
    const json = testRunJson(r, { orgId: '00D000000000001AAA', username: 'u@x' });
    expect([json.summary.testsRan, json.summary.passing, json.summary.failing, json.summary.passRate]).toEqual([2, 1, 1, '50%']);
  });

  it('fails the run on a compile error even when every test that ran passed', async () => {
    const r = await runTests(
      createMemoryOrg({
        classes: [
          classes[0],
          { name: 'OkTest', body: '@IsTest\nprivate class OkTest {\n  @IsTest static void one() { System.assert(true); }\n}' },
        ],
      }).host,
    );
    expect([r.outcome, r.testsRan, r.passing]).toEqual(['Failed', 1, 1]);
  });
});

describe('inner types', () => {
  it('reaches an inner type of a superclass through the subclass (Child.Inner)', () => {
    const classes = [
      { name: 'Base', body: 'public virtual class Base {\n  public class Options {}\n}' },
      { name: 'Child', body: 'public class Child extends Base {}' },
      { name: 'User1', body: 'public class User1 {\n  static void m() {\n    Child.Options o = new Child.Options();\n  }\n}' },
    ];
    expect(programFor(classes).errors).toEqual([]);
  });
});

describe('what public projects compile on Salesforce', () => {
  it('clones an Apex object (a shallow copy) and takes a List<Decimal> as a List<Double>', async () => {
    const classes = [
      {
        name: 'Pair',
        body: "public class Pair {\n  public List<String> names = new List<String>{ 'a' };\n  public Integer n = 1;\n  public Pair copy() { Pair c = this.clone(); c.n = 2; return c; }\n  public static List<Double> none() { List<Double> ds = new List<Decimal>(); return ds; }\n}",
      },
    ];
    expect(programFor(classes).errors).toEqual([]);
    expect(
      await debugOf(
        "Pair p = new Pair();\nPair c = p.copy();\nSystem.debug(p.n + ' ' + c.n + ' ' + (p.names === c.names) + ' ' + Pair.none().size());",
        { classes },
      ),
    ).toEqual(['1 2 true 0']);
  });
});
