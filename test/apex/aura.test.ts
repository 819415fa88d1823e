/** @AuraEnabled methods as Lightning's Aura endpoint calls them (tools/apex/aura.ts), on an in-memory org. */
import { describe, expect, it } from 'vitest';
import { runAuraAction } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

const CONTROLLER = `public with sharing class Ctrl {
  public class Row { @AuraEnabled public String name; @AuraEnabled public String note; }
  @AuraEnabled(cacheable=true)
  public static List<Row> rows(Integer count) {
    List<Row> out = new List<Row>();
    for (Integer i = 0; i < count; i++) { Row r = new Row(); r.name = 'Row ' + i; out.add(r); }
    return out;
  }
  @AuraEnabled
  public static String refuse() {
    AuraHandledException e = new AuraHandledException('Could not load: fix the connection.');
    throw e;
  }
  @AuraEnabled
  public static String fail() { throw new CtrlException('custom failure'); }
  public class CtrlException extends Exception {}
  public static String notEnabled() { return 'x'; }
  @AuraEnabled
  private static String secret() { return 'private'; }
  @AuraEnabled
  static String implicitPrivate() { return 'private'; }
  @AuraEnabled
  public String instanceMethod() { return 'instance'; }
}`;

const TEST_CLASS = `@IsTest
public class CtrlTest {
  @AuraEnabled
  public static String fromTest() { return 'test'; }
  public class Inner { @AuraEnabled public static String nested() { return 'nested'; } }
}`;

const host = (canAccess = true) => {
  const h = createMemoryOrg({
    classes: [
      { name: 'Ctrl', body: CONTROLLER },
      { name: 'CtrlTest', body: TEST_CLASS },
    ],
  }).host;
  return Object.assign(h, { canAccessClass: async () => canAccess });
};
const call = (methodName: string, params: Record<string, unknown> = {}, cacheable = false, h = host()) =>
  runAuraAction(h, { className: 'Ctrl', methodName, params, cacheable });

describe('runAuraAction', () => {
  it('returns the value serialized without null fields, with named params', async () => {
    expect(await call('rows', { count: 2 }, true)).toEqual({
      ok: true,
      cacheable: true,
      returnValue: [{ name: 'Row 0' }, { name: 'Row 1' }],
    });
  });

  it("an AuraHandledException reaches the client with the constructor's message", async () => {
    const r = await call('refuse');
    expect(r).toMatchObject({ ok: false, error: { message: 'Could not load: fix the connection.', isUserDefinedException: false } });
    if (!r.ok) expect(r.error.exceptionType).toMatch(/AuraHandledException$/);
  });

  it('a custom exception keeps its type and message', async () => {
    expect(await call('fail')).toMatchObject({
      ok: false,
      error: { message: 'custom failure', exceptionType: 'Ctrl.CtrlException', isUserDefinedException: true },
    });
  });

  it('refuses a wired call of a method that is not cacheable, a method without @AuraEnabled, and a class the user cannot access', async () => {
    expect(await call('refuse', {}, true)).toMatchObject({
      ok: false,
      error: { message: 'Apex methods that are to be cached must be marked as @AuraEnabled(cacheable=true)' },
    });
    expect(await call('notEnabled')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('No @AuraEnabled static method notEnabled') },
    });
    expect(await call('rows', { count: 1 }, true, host(false))).toMatchObject({
      ok: false,
      error: { message: "You do not have access to the Apex class named 'Ctrl'." },
    });
  });

  it('runs only public or global static methods of classes that are not tests', async () => {
    for (const m of ['secret', 'implicitPrivate', 'instanceMethod'])
      expect(await call(m), m).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining(`No @AuraEnabled static method ${m}`) },
      });
    const h = host();
    expect(await runAuraAction(h, { className: 'CtrlTest', methodName: 'fromTest', params: {}, cacheable: false })).toMatchObject({
      ok: false,
    });
    expect(await runAuraAction(h, { className: 'CtrlTest.Inner', methodName: 'nested', params: {}, cacheable: false })).toMatchObject({
      ok: false,
    });
    expect(await call('rows', { count: 1 })).toMatchObject({ ok: true });
  });
});
