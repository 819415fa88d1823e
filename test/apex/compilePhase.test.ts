/**
 * The compile phase: Salesforce's compile errors with line and column, found before anything runs,
 * and overloads chosen by the arguments' static types. In-process (the deploy path through the real
 * sf CLI is in test/local-platform/apex/compileErrors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MemoryHost } from '../../tools/apex/memoryHost.ts';
import { programFor } from '../../tools/apex/check/program.ts';
import { debugOf, run } from './helpers.ts';

const errorsOf = (body: string, name = 'C') => programFor([{ name, body }]).errors.map((e) => `${e.message} (${e.line}:${e.column})`);

describe('compile errors', () => {
  it.each([
    ['an unknown variable, even in a branch that never runs', 'public class C {\n  public static void m() {\n    if (false) { x = 1; }\n  }\n}', 'Variable does not exist: x (3:18)'],
    ['a method called with the wrong argument type', "public class C {\n  static void f(Integer i) {}\n  static void m() { f('a'); }\n}", 'Method does not exist or incorrect signature: void f(String) from the type C (3:21)'],
    ['String s = 5', 'public class C {\n  static void m() {\n    String s = 5;\n  }\n}', 'Illegal assignment from Integer to String (3:12)'],
    ['a missing return', 'public class C {\n  static Integer m(Boolean b) {\n    if (b) { return 1; }\n  }\n}', 'Missing return statement required return type: Integer (2:31)'],
    ['a duplicate local', 'public class C {\n  static void m() {\n    Integer a = 1;\n    if (a > 0) { String a = \'x\'; }\n  }\n}', 'Duplicate variable: a (4:25)'],
    ['an inner type that the outer class does not declare', 'public class C {\n  static void m() {\n    C.Missing x;\n  }\n}', 'Invalid type: C.Missing (3:5)'],
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
    const out = await debugOf("Object o = 'x';\nSystem.debug(Over.f(o));\nSystem.debug(Over.f((String) null));\nSystem.debug(Over.f('y'));\nSystem.debug(Over.f(true));", { classes });
    expect(out).toEqual(['Object', 'String', 'String', 'Boolean']);
  });

  it('matches enum parameters from inside and outside the declaring class', async () => {
    const out = await debugOf("System.debug(Over.g(new Account(), Over.Kind.EDIT));\nSystem.debug(Over.g(new Account(), 'x'));", { classes });
    expect(out).toEqual(['g EDIT', 'g String']);
  });
});

describe('sObject field names are case-insensitive', () => {
  it('takes `name` for Name and `profileId` for ProfileId in the in-memory org', async () => {
    const host = new MemoryHost();
    const out = await debugOf(
      "Account a = new Account(name = 'x');\ninsert a;\nSystem.debug([SELECT Name FROM Account WHERE Id = :a.Id].Name);\nUser u = new User(LastName = 'l', profileId = [SELECT Id FROM Profile LIMIT 1].Id);\nSystem.debug(u.ProfileId != null);",
      { host },
    );
    expect(out).toEqual(['x', 'true']);
  });
});
