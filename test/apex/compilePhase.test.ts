/**
 * The compile phase: Salesforce's compile errors with line and column, found before anything runs,
 * and overloads chosen by the arguments' static types. In-process (the deploy path through the real
 * sf CLI is in test/local-platform/apex/compileErrors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { programFor } from '../../tools/apex/compiler.ts';
import { runTests } from '../../tools/apex/index.ts';
import { testRunHuman } from '../../tools/apex/testFormatters.ts';
import { debugOf, run } from './helpers.ts';

const errorsOf = (body: string, name = 'C') => programFor([{ name, body }]).errors.map((e) => `${e.message} (${e.line}:${e.column})`);

describe('compile errors', () => {
  it.each([
    [
      'an unknown variable, even in a branch that never runs',
      'public class C {\n  public static void m() {\n    if (false) { x = 1; }\n  }\n}',
      'Variable does not exist: x (3:18)',
    ],
    [
      'a method called with the wrong argument type',
      "public class C {\n  static void f(Integer i) {}\n  static void m() { f('a'); }\n}",
      'Method does not exist or incorrect signature: void f(String) from the type C (3:21)',
    ],
    [
      'String s = 5',
      'public class C {\n  static void m() {\n    String s = 5;\n  }\n}',
      'Illegal assignment from Integer to String (3:12)',
    ],
    [
      'a missing return',
      'public class C {\n  static Integer m(Boolean b) {\n    if (b) { return 1; }\n  }\n}',
      'Missing return statement required return type: Integer (2:31)',
    ],
    [
      'a duplicate local',
      "public class C {\n  static void m() {\n    Integer a = 1;\n    if (a > 0) { String a = 'x'; }\n  }\n}",
      'Duplicate variable: a (4:25)',
    ],
    [
      'an inner type that the outer class does not declare',
      'public class C {\n  static void m() {\n    C.Missing x;\n  }\n}',
      'Invalid type: C.Missing (3:5)',
    ],
  ])('%s', (_what, body, expected) => {
    expect(errorsOf(body)).toEqual([expected]);
  });

  it('names the type of the class a qualified call targets', () => {
    const p = programFor([
      { name: 'C', body: 'public class C {\n  static void m() { D.nope(1); }\n}' },
      { name: 'D', body: 'public class D {}' },
    ]);
    expect(p.errors.map((e) => e.message)).toEqual(['Method does not exist or incorrect signature: void nope(Integer) from the type D']);
  });

  it('accepts what Salesforce accepts: widening, Id/String, null, unknown system members, sObject name=value pairs', () => {
    const body = `public class C {
  public enum Kind { A, B }
  static Long l = 5;
  static void m(Object o) {
    Decimal d = 5; Double x = d; Long y = 1; Decimal z = y; Id i = '001000000000001AAA'; String s = i; String n = null;
    Object any = s; List<SObject> rows = new List<Account>(); SObject so = new Account(Name = 'x');
    ObjectPermissions op = new ObjectPermissions(ParentId = i, SobjectType = 'Account');
    Messaging.SingleEmailMessage mail = new Messaging.SingleEmailMessage(); mail.setSubject('x');
    Integer len = s.length(); Integer big = Math.max(1, 2); Kind k = Kind.A; Datetime dt = Date.today();
    for (Integer j = 0; j < 2; j++) {} for (Integer j = 0; j < 2; j++) {}
    try { throw new DmlException('x'); } catch (DmlException e) { e.getMessage(); } catch (Exception e) { e.getMessage(); }
  }
  static Integer loops() { while (true) { return 1; } }
  static Integer throwsOnly() { throw new IllegalArgumentException('x'); }
}`;
    expect(errorsOf(body)).toEqual([]);
  });

  it('reports a compile problem for anonymous Apex before running any of it', async () => {
    const r = await run("System.debug('ran');\nString s = 5;");
    expect(r.compiled).toBe(false);
    expect(r.compileProblem).toBe('Illegal assignment from Integer to String');
    expect([r.line, r.column]).toEqual([2, 8]);
    expect(r.debug).toEqual([]);
  });
});

describe('system types declared in full', () => {
  it.each([
    [
      'a String method that does not exist',
      "public class C {\n  static void m() {\n    'abc'.foo();\n  }\n}",
      'Method does not exist or incorrect signature: void foo() from the type String (3:11)',
    ],
    [
      'an argument no overload of a List takes',
      'public class C {\n  static void m() {\n    List<String> l = new List<String>();\n    l.add(5);\n  }\n}',
      'Method does not exist or incorrect signature: void add(Integer) from the type List<String> (4:7)',
    ],
    [
      'an instance method called on the type',
      'public class C {\n  static void m() {\n    Integer n = String.length();\n  }\n}',
      'Non static method cannot be referenced from a static context: Integer String.length() (3:24)',
    ],
    [
      'a static method called on a value',
      "public class C {\n  static void m() {\n    Boolean b = 'x'.isBlank('y');\n  }\n}",
      'Static method cannot be referenced from a non static context: Boolean String.isBlank(String) (3:21)',
    ],
    [
      'a return type that flows into an assignment',
      "public class C {\n  static void m() {\n    String s = 'abc'.length();\n  }\n}",
      'Illegal assignment from Integer to String (3:12)',
    ],
    [
      'a type variable bound to the receiver',
      "public class C {\n  static void m() {\n    Map<String, Integer> counts = new Map<String, Integer>();\n    String s = counts.get('a');\n  }\n}",
      'Illegal assignment from Integer to String (4:12)',
    ],
    [
      'a Math overload the arguments do not fit',
      "public class C {\n  static void m() {\n    Math.max('a', 'b');\n  }\n}",
      'Method does not exist or incorrect signature: void max(String, String) from the type Math (3:10)',
    ],
  ])('refuses %s', (_what, body, expected) => {
    expect(errorsOf(body)).toEqual([expected]);
  });

  it('accepts their valid use, Object methods and sObject field values of unknown type', () => {
    const body = `public class C {
  static void m(Account a, Map<String, Object> m) {
    List<String> parts = 'a,b'.split(',');
    String first = parts.get(0).toUpperCase().substringAfter('A').leftPad(3, '0');
    Set<Id> ids = new Set<Id>{ a.Id };
    ids.addAll(new Map<Id, Account>(new List<Account>{ a }).keySet());
    Integer n = 'x'.length() + parts.size() + Math.mod(7, 2) + Integer.valueOf('3');
    Decimal d = Decimal.valueOf('1.5').setScale(2); Long l = d.round(); Double x = Math.sqrt(4);
    Datetime dt = Datetime.now().addDays(1); Date day = dt.date().addMonths(1); Time t = dt.time();
    String json = JSON.serialize(m, true); Object back = JSON.deserializeUntyped(json);
    Boolean same = first.equals(json) && 'a'.hashCode() == 97 && parts.toString() != null && a.Name.length() > 0;
    Blob b = Blob.valueOf(json); Integer size = b.size();
  }
}`;
    expect(errorsOf(body)).toEqual([]);
  });

  it('runs the members it declares and fails only when a member it lacks the implementation of runs', async () => {
    expect(
      await debugOf(
        "System.debug('Hello World'.swapCase() + ' ' + 'abc'.center(7, '*') + ' ' + Math.tan(0) + ' ' + Datetime.newInstanceGmt(2024, 3, 1).dayOfYear());",
      ),
    ).toEqual(['hELLO wORLD **abc** 0 61']);
    const r = await run("String s = 'x';\nSystem.debug(s.splitByCharacterType());");
    expect(r.exceptionMessage).toMatch(/not supported by the local runtime: String.splitByCharacterType at AnonymousBlock:2/);
  });
});

describe('more compile errors', () => {
  it.each([
    [
      'an ambiguous overload',
      'public class C {\n  static void f(String s) {}\n  static void f(Boolean b) {}\n  static void m() { f(null); }\n}',
      'Ambiguous method signature: void f(NULL) (4:21)',
    ],
    [
      'a returned value of the wrong type',
      "public class C {\n  static Integer m() {\n    return 'x';\n  }\n}",
      'Illegal conversion from String to Integer (3:12)',
    ],
    [
      'a value returned from a void method',
      'public class C {\n  static void m() {\n    return 1;\n  }\n}',
      'Void method must not return a value (3:12)',
    ],
    [
      'a return without the value the method needs',
      'public class C {\n  static Integer m() {\n    return;\n  }\n}',
      'Return value must be of type: Integer (3:5)',
    ],
    [
      'an instance method called from a static one',
      'public class C {\n  void inst() {}\n  static void m() { inst(); }\n}',
      'Non static method cannot be referenced from a static context: void C.inst() (3:21)',
    ],
  ])('%s', (_what, body, expected) => {
    expect(errorsOf(body)).toEqual([expected]);
  });

  it('refuses private members from another class, and allows them inside the class, its inner classes and @TestVisible from tests', () => {
    const d = {
      name: 'D',
      body: 'public class D {\n  private static void p() {}\n  Integer x;\n  @TestVisible private static Integer seen;\n  public class Inner { void m() { p(); } }\n  protected void prot() {}\n}',
    };
    const errs = (body: string, name = 'C') => programFor([d, { name, body }]).errors.map((e) => `${e.message} (${e.line}:${e.column})`);
    expect(errs('public class C {\n  static void m() {\n    D.p();\n  }\n}')).toEqual(['Method is not visible: void D.p() (3:7)']);
    expect(errs('public class C {\n  static void m() {\n    Integer y = new D().x;\n  }\n}')).toEqual([
      'Variable is not visible: x (3:25)',
    ]);
    expect(errs('public class C {\n  static void m() {\n    new D().prot();\n  }\n}')).toEqual([
      'Method is not visible: void D.prot() (3:13)',
    ]);
    expect(errs('@IsTest\nprivate class CTest {\n  @IsTest static void t() { Integer s = D.seen; }\n}', 'CTest')).toEqual([]);
    const base = { name: 'B', body: 'public virtual class B {\n  protected void prot() {}\n}' };
    expect(programFor([base, { name: 'E', body: 'public class E extends B {\n  void m() { new E().prot(); }\n}' }]).errors).toEqual([]);
  });

  it('checks a trigger body as a class body, at the lines of the .trigger file', () => {
    const p = programFor([{ name: 'Handler', body: 'public class Handler {\n  public static void run(List<Account> rows) {}\n}' }]);
    const ok = p.checkTrigger('AccountTrigger', 'trigger AccountTrigger on Account (before insert) {\n  Handler.run(Trigger.new);\n}');
    expect(ok.errors).toEqual([]);
    const bad = p.checkTrigger(
      'AccountTrigger',
      'trigger AccountTrigger on Account (before insert) {\n  for (Account a : Trigger.new) {\n    Integer n = a.Name.length();\n    String s = 5;\n    Handler.nope();\n  }\n}',
    );
    expect(bad.errors.map((e) => `${e.fileName} ${e.message} (${e.line}:${e.column})`)).toEqual([
      'AccountTrigger.trigger Illegal assignment from Integer to String (4:12)',
    ]);
  });

  it('warns about what the local runtime does not know, and apex-test lists it', async () => {
    const body = "public class C {\n  static void m() {\n    Wave.QueryBuilder.load('x');\n    Cache.Org.put('k', 1);\n  }\n}";
    const p = programFor([{ name: 'C', body }]);
    expect(p.errors).toEqual([]);
    expect(p.warnings.map((w) => `${w.message} (${w.line}:${w.column})`)).toEqual([
      'not supported by the local runtime: Wave.QueryBuilder.load (it deploys; running it fails) (3:23)',
    ]);
    const r = await runTests(createMemoryOrg({ classes: [{ name: 'C', body }] }).host);
    expect(testRunHuman(r, { orgId: '00D000000000001AAA', username: 'u@x' })).toContain(
      '=== Warnings\nC (line 3, column 23): not supported by the local runtime: Wave.QueryBuilder.load',
    );
  });
});

describe('overloads follow static types', () => {
  const classes = [
    {
      name: 'Over',
      body: `public class Over {
  public enum Kind { READ, EDIT }
  public static String f(Object o) { return 'Object'; }
  public static String f(String s) { return 'String'; }
  public static String f(Boolean b) { return 'Boolean'; }
  public static String g(SObject so, Kind k) { return 'g ' + k; }
  public static String g(SObject so, String k) { return 'g String'; }
}`,
    },
  ];

  it('dispatches on the declared type of the argument, not its value', async () => {
    const out = await debugOf(
      "Object o = 'x';\nSystem.debug(Over.f(o));\nSystem.debug(Over.f((String) null));\nSystem.debug(Over.f('y'));\nSystem.debug(Over.f(true));",
      { classes },
    );
    expect(out).toEqual(['Object', 'String', 'String', 'Boolean']);
  });

  it('matches enum parameters from inside and outside the declaring class', async () => {
    const out = await debugOf("System.debug(Over.g(new Account(), Over.Kind.EDIT));\nSystem.debug(Over.g(new Account(), 'x'));", {
      classes,
    });
    expect(out).toEqual(['g EDIT', 'g String']);
  });
});

describe('sObject field names are case-insensitive', () => {
  it('takes `name` for Name and `profileId` for ProfileId in the in-memory org', async () => {
    const host = createMemoryOrg().host;
    const out = await debugOf(
      "Account a = new Account(name = 'x');\ninsert a;\nSystem.debug([SELECT Name FROM Account WHERE Id = :a.Id].Name);\nUser u = new User(LastName = 'l', profileId = [SELECT Id FROM Profile LIMIT 1].Id);\nSystem.debug(u.ProfileId != null);",
      { host },
    );
    expect(out).toEqual(['x', 'true']);
  });
});
