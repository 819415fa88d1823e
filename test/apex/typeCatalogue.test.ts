/**
 * Issue 18: unknown type names refused with Salesforce's message, known system names the runtime
 * lacks deployed with a warning (model/catalogue.ts), and no false refusal of what Salesforce
 * compiles: sObjects, managed-package types, inner types, generics.
 */
import { describe, expect, it } from 'vitest';
import '../../tools/apex/index.ts';
import { programFor } from '../../tools/apex/compiler.ts';
import { isStandardSObject, systemTypeStatus } from '../../tools/apex/model/catalogue.ts';
import { run } from './helpers.ts';

const compile = (body: string, name = 'C') => {
  const p = programFor([{ name, body }]);
  return { errors: p.errors.map((e) => `${e.message} (${e.line}:${e.column})`), warnings: p.warnings.map((w) => w.message) };
};
const inMethod = (stmt: string) => compile(`public class C {\n  static void m() {\n    ${stmt}\n  }\n}`);

describe('unknown type names', () => {
  it.each([
    ['a local', 'Widget w = null;', 'Invalid type: Widget (3:5)'],
    ['a type argument', 'List<Widget> ws = null;', 'Invalid type: Widget (3:5)'],
    ['a cast', 'Object o = (Widget) null;', 'Invalid type: Widget (3:17)'],
  ])('refuses %s of a name no one declares', (_what, stmt, expected) => {
    expect(inMethod(stmt).errors).toEqual([expected]);
  });

  it('refuses them in a field without initializer and in an interface method', () => {
    expect(compile('public class C {\n  Widget w;\n}').errors).toEqual(['Invalid type: Widget (2:1)']);
    expect(compile('public interface C {\n  Widget make();\n}').errors).toEqual(['Invalid type: Widget (2:1)']);
  });

  it.each([
    ['a system type the library has', 'Database.SaveResult r = null; Schema.DescribeSObjectResult d = null; SObjectField f = null;'],
    ['an inner type and generics', 'C.Inner i = null; Map<String, List<C.Inner>> m = null; Inner j = null;'],
    ['the org objects and standard sObjects', 'Widget__c w = null; acme__Thing__mdt t = null; Account a = null; Schema.Contact c = null;'],
    [
      'standard sObjects beyond the local schema, and those derived from one',
      'ServiceAppointment sa = null; AccountShare s = null; OpportunityFieldHistory h = null;',
    ],
  ])('accepts %s', (_what, stmt) => {
    expect(compile(`public class C {\n  public class Inner {}\n  static void m() {\n    ${stmt}\n  }\n}`)).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it.each([
    [
      'a system type the library lacks',
      'Reports.ReportResults r = null;',
      'not supported by the local runtime: Reports.ReportResults (it deploys; running it fails)',
    ],
    [
      'an inner system type',
      'Metadata.Layout d = null;',
      'not supported by the local runtime: Metadata.Layout (it deploys; running it fails)',
    ],
    ["a managed package's type", 'acme.Gadget g = null;', 'not supported by the local runtime: acme.Gadget (it deploys; running it fails)'],
  ])('deploys %s, with a warning naming it', (_what, stmt, warning) => {
    expect(inMethod(stmt)).toEqual({ errors: [], warnings: [warning] });
  });

  it('runs a standard sObject the local schema does not list as an sObject (it failed as Invalid type)', async () => {
    const r = await run("QuickText q = new QuickText(Name = 'x');\nSystem.debug(q.Name);");
    expect([r.success, r.compileProblem ?? r.exceptionMessage, r.debug]).toEqual([true, undefined, ['x']]);
  });

  it('fails only when run, as unsupported rather than as a compile error', async () => {
    const r = await run('Object o = DomainCreator.getLightningHostname();');
    expect(r.compiled).toBe(true);
    expect(r.exceptionMessage).toBe('not supported by the local runtime: DomainCreator.getLightningHostname at AnonymousBlock:1');
  });
});

describe('the catalogue', () => {
  it('knows system names in any case, and standard sObjects', () => {
    expect(
      ['Invocable.Action', 'system.finalizer', 'EventBus.ChangeEventHeader', 'Component.Apex.OutputText', 'FinalizerContext'].map(
        systemTypeStatus,
      ),
    ).toEqual(['known', 'known', 'known', 'known', 'known']);
    expect([systemTypeStatus('Widget'), systemTypeStatus('acme.Widget')]).toEqual(['unknown', 'namespace']);
    expect(['UserRecordAccess', 'Schema.GroupMember', 'OpportunityFieldHistory', 'Widget'].map(isStandardSObject)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
