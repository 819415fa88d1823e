/**
 * The Apex language on the local runtime: each program prints with System.debug and the test
 * compares with what Salesforce prints for the same code.
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

const SHAPES = {
  name: 'Shapes',
  body: `public class Shapes {
  public interface Shape { Decimal area(); String name(); }
  public abstract class Base implements Shape {
    protected String label;
    public Base(String label) { this.label = label; }
    public virtual String name() { return label; }
    public abstract Decimal area();
  }
  public virtual class Rect extends Base {
    public Decimal w { get; private set; }
    public Decimal h { get; private set; }
    public Rect(Decimal w, Decimal h) { this('rect', w, h); }
    public Rect(String label, Decimal w, Decimal h) { super(label); this.w = w; this.h = h; }
    public override Decimal area() { return w * h; }
  }
  public class Square extends Rect {
    public Square(Decimal s) { super('square', s, s); }
    public override String name() { return 'big ' + super.name(); }
  }
  public enum Color { RED, GREEN, BLUE }
  public static Integer created = 0;
  static { created = 100; }
  public static Integer count { get { return created + 1; } }
}`,
};

describe('Apex language on the local runtime', () => {
  it('evaluates arithmetic with Apex numeric types', async () => {
    expect(
      await debugOf(`
        Integer a = 7 / 2;
        Decimal b = 7; b = b / 2;
        Double c = 1;
        Long big = 3000000000L;
        System.debug(a); System.debug(b); System.debug(c); System.debug(big + 1);
        System.debug(1.50 + 1.25);
        System.debug(Math.mod(7, 3) + ' ' + Math.max(2, 9) + ' ' + Math.abs(-4));
        Integer i = 5; i += 3; i -= 1; i *= 2; i++; ++i; i--;
        System.debug(i);
        System.debug(-i + (i << 2) + (i >> 1) + (i & 3) + (i | 1) + (i ^ 2));
      `),
    ).toEqual(['3', '3.5', '1.0', '3000000001', '2.75', '1 9 4', '15', '83']);
  });

  it('wraps Integer overflow at 32 bits and keeps Long', async () => {
    expect(
      await debugOf(
        `Integer i = 2147483647; i++; System.debug(i); Long l = 2147483647L; l++; System.debug(l); Integer m = 65536; m = m * 65536; System.debug(m);`,
      ),
    ).toEqual(['-2147483648', '2147483648', '0']);
  });

  it('concatenates strings with null and non-strings', async () => {
    expect(await debugOf(`String s; System.debug('a' + s + 1 + true + 2.5);`)).toEqual(['anull1true2.5']);
  });

  it('runs control flow: if/else, loops, break/continue, do/while, switch', async () => {
    expect(
      await debugOf(`
        List<Integer> seen = new List<Integer>();
        for (Integer i = 0; i < 10; i++) { if (i == 2) continue; if (i == 5) break; seen.add(i); }
        System.debug(seen);
        Integer n = 0; while (n < 3) { n++; } System.debug(n);
        do { n--; } while (n > 0); System.debug(n);
        for (String s : new List<String>{'x', 'y'}) System.debug(s);
        for (Integer k : new Set<Integer>{3}) { System.debug('set ' + k); }
        String kind = 'b';
        switch on kind { when 'a' { System.debug('A'); } when 'b', 'c' { System.debug('B or C'); } when else { System.debug('?'); } }
        switch on 7 { when 1 { System.debug(1); } when else { System.debug('else'); } }
        Object o = 5;
        switch on o { when String str { System.debug('string'); } when Integer num { System.debug('int ' + num); } }
        if (n == 1) System.debug('one'); else if (n == 0) System.debug('zero'); else System.debug('many');
      `),
    ).toEqual(['(0, 1, 3, 4)', '3', '0', 'x', 'y', 'set 3', 'B or C', 'else', 'int 5', 'zero']);
  });

  it('supports ?. ?? ternary instanceof and casts', async () => {
    expect(
      await debugOf(`
        Account a;
        System.debug(a?.Name);
        System.debug(a?.Name ?? 'none');
        Integer x = 4;
        System.debug(x > 3 ? 'big' : 'small');
        Object o = 'text';
        System.debug(o instanceof String);
        System.debug(o instanceof Integer);
        String s = (String) o;
        System.debug(s.toUpperCase());
        Object d = 2.5;
        System.debug((Decimal) d * 2);
      `),
    ).toEqual(['null', 'none', 'big', 'true', 'false', 'TEXT', '5.0']);
  });

  it('compares strings case-insensitively with == and exactly with equals', async () => {
    expect(await debugOf(`System.debug('Abc' == 'aBC'); System.debug('Abc'.equals('aBC')); System.debug('a' != 'b');`)).toEqual([
      'true',
      'false',
      'true',
    ]);
  });

  it('runs classes: inheritance, super, overloaded constructors, abstract, interfaces, properties, static init, enums', async () => {
    expect(
      await debugOf(
        `
        Shapes.Shape s = new Shapes.Square(3);
        System.debug(s.name() + ' ' + s.area());
        Shapes.Rect r = new Shapes.Rect(2, 2.5);
        System.debug(r.name() + ' ' + r.area() + ' ' + r.w);
        System.debug(s instanceof Shapes.Rect);
        System.debug(s instanceof Shapes.Shape);
        System.debug(Shapes.created + ' ' + Shapes.count);
        Shapes.Color c = Shapes.Color.GREEN;
        System.debug(c + ' ' + c.ordinal() + ' ' + c.name() + ' ' + Shapes.Color.values().size());
        System.debug(Shapes.Color.valueOf('BLUE') == Shapes.Color.BLUE);
        switch on c { when RED { System.debug('r'); } when GREEN { System.debug('g'); } when else { System.debug('b'); } }
      `,
        { classes: [SHAPES] },
      ),
    ).toEqual(['big square 9', 'rect 5.0 2', 'true', 'true', '100 101', 'GREEN 1 GREEN 3', 'true', 'g']);
  });

  it('refuses to instantiate abstract classes and interfaces', async () => {
    const r = await run(`Object o = new Shapes.Base('x');`, { classes: [SHAPES] });
    expect(r.success).toBe(false);
    expect(r.compileProblem ?? r.exceptionMessage).toMatch(/Abstract classes cannot be constructed/);
  });

  it('declares methods, inner classes and enums in anonymous Apex', async () => {
    expect(
      await debugOf(`
        Integer twice(Integer v) { return v * 2; }
        public class Box { public Integer v; public Box(Integer v) { this.v = v; } }
        enum Dir { UP, DOWN }
        System.debug(twice(21));
        System.debug(new Box(3).v);
        System.debug(Dir.DOWN);
      `),
    ).toEqual(['42', '3', 'DOWN']);
  });

  it('throws, catches and inspects exceptions, including custom ones', async () => {
    const classes = [
      {
        name: 'Errs',
        body: `public class Errs {
  public class BadInput extends Exception {}
  public static void fail(String m) { throw new BadInput(m); }
  public static void wrap() {
    try { fail('inner'); } catch (BadInput e) { throw new BadInput('outer', e); }
  }
}`,
      },
    ];
    expect(
      await debugOf(
        `
        try { Errs.fail('nope'); } catch (Errs.BadInput e) {
          System.debug(e.getMessage()); System.debug(e.getTypeName()); System.debug(e.getLineNumber());
          System.debug(e.getStackTraceString());
        }
        try { Errs.wrap(); } catch (Exception e) { System.debug(e.getMessage() + ' <- ' + e.getCause().getMessage()); }
        try { Integer[] arr = new Integer[]{1}; Integer v = arr[3]; } catch (ListException e) { System.debug(e.getMessage()); }
        try { String s; s.length(); } catch (NullPointerException e) { System.debug(e.getTypeName() + ': ' + e.getMessage()); }
        try { Integer z = 1 / 0; } catch (MathException e) { System.debug(e.getMessage()); }
        try { Object o = 'x'; Integer i = (Integer) o; } catch (TypeException e) { System.debug(e.getMessage()); }
        try { Integer.valueOf('abc'); } catch (TypeException e) { System.debug(e.getMessage()); }
        try { throw new IllegalArgumentException('bad'); } catch (Exception e) { System.debug(e.getTypeName()); }
        finally { System.debug('finally'); }
        Exception plain = new DmlException('m');
        System.debug(plain instanceof DmlException);
      `,
        { classes },
      ),
    ).toEqual([
      'nope',
      'Errs.BadInput',
      '3',
      'Class.Errs.fail: line 3, column 39\nAnonymousBlock: line 2, column 15',
      'outer <- inner',
      'List index out of bounds: 3',
      'System.NullPointerException: Attempt to de-reference a null object',
      'Divide by 0',
      'Invalid conversion from runtime type String to Integer',
      'Invalid integer: abc',
      'System.IllegalArgumentException',
      'finally',
      'true',
    ]);
  });

  it('reports an unhandled exception with its Apex type, message and stack trace', async () => {
    const r = await run(`
      Map<String, String> m = new Map<String, String>();
      System.debug('before');
      String v = m.get('missing').toUpperCase();`);
    expect(r.compiled).toBe(true);
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toBe('System.NullPointerException: Attempt to de-reference a null object');
    expect(r.exceptionStackTrace).toBe('AnonymousBlock: line 4, column 7');
    expect(r.line).toBe(4);
    expect(r.debug).toEqual(['before']);
    expect(r.debugLog).toContain('FATAL_ERROR|System.NullPointerException: Attempt to de-reference a null object');
  });

  it('reports syntax errors as compile problems without running anything', async () => {
    const r = await run(`System.debug('x');\nInteger i = ;`);
    expect(r.compiled).toBe(false);
    expect(r.success).toBe(false);
    expect(r.line).toBe(2);
    expect(r.compileProblem).toBeTruthy();
    expect(r.debug).toEqual([]);
  });

  it('fails clearly on constructs it does not implement', async () => {
    const r = await run(`List<List<SObject>> found = [FIND 'x' IN ALL FIELDS RETURNING Account];`);
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toBe(
      'not supported by the local runtime: SOSL outside a test (the local platform has no search index) at AnonymousBlock:1',
    );
    // String is declared in full: a member Salesforce has but the runtime lacks fails when it runs…
    const r2 = await run(`String s = 'abc';\nSystem.debug(s.splitByCharacterType());`);
    expect(r2.exceptionMessage).toBe('not supported by the local runtime: String.splitByCharacterType at AnonymousBlock:2');
    // …and one Salesforce lacks does not compile.
    const r3 = await run(`String s = 'abc';\nSystem.debug(s.toAscii());`);
    expect(r3.compileProblem).toBe('Method does not exist or incorrect signature: void toAscii() from the type String');
  });

  it('uses properties with custom accessors and initializer blocks', async () => {
    const classes = [
      {
        name: 'Counter',
        body: `public with sharing class Counter {
  public Integer hits { get { return hits == null ? 0 : hits; } set { hits = value * 10; } }
  public List<String> log = new List<String>();
  { log.add('init'); }
  public Counter() { log.add('ctor'); }
}`,
      },
    ];
    expect(
      await debugOf(`Counter c = new Counter(); System.debug(c.hits); c.hits = 2; System.debug(c.hits); System.debug(c.log);`, { classes }),
    ).toEqual(['0', '20', '(init, ctor)']);
  });

  it('casts a number typed Decimal or Double to Integer or Long, and refuses an Object holding one', async () => {
    // `(Integer) Math.ceil(x)` and `(Integer) aDecimalParameter` are everyday Apex (EDA, dreaminvest-lwc);
    // the cast converts toward zero like intValue(). An Object holding a Decimal still throws.
    const classes = [{ name: 'Pager', body: `public class Pager { public static Integer size(Decimal d) { return (Integer) d; } }` }];
    expect(
      await debugOf(
        `Decimal d = 10.7; System.debug((Integer) d);
        System.debug(Pager.size(-3.5));
        System.debug((Integer) Math.ceil(Decimal.valueOf(7) / 2));
        Double x = 2.5; System.debug((Long) x);
        Object o = 1.5;
        try { Integer i = (Integer) o; } catch (TypeException e) { System.debug(e.getMessage()); }`,
        { classes },
      ),
    ).toEqual(['10', '-3', '4', '2', 'Invalid conversion from runtime type Decimal to Integer']);
  });
});
