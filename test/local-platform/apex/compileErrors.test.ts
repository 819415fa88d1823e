/**
 * Salesforce's compile errors through the real `sf` CLI: `sf project deploy start` refuses each broken
 * class with a component failure carrying its file, line and column, deploys the valid ones (classes
 * grouped in folders too), and `sf apex run` reports a compile problem. One platform and one org (the
 * Dev Hub) serve every case; HOME is a temp folder so the CLI's auth files never touch the user's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startPlatform, type RunningPlatform } from '../../../tools/local-platform/http/server.ts';
import { listApexClasses } from '../../../tools/local-platform/metadata/index.ts';
import { sfWorkspace, type SfJson } from '../helpers.ts';
import { classMeta as meta } from '../metadata/fixtures.ts';

const { work, project, sf, loginJwt, remove } = sfWorkspace('apex-compile-');

/** Each broken class, its Salesforce message and where the compiler points. */
const broken: { cls: string; body: string; problem: string; line: number; column: number }[] = [
  {
    cls: 'UnknownVar',
    body: 'public class UnknownVar {\n  public static void m() {\n    if (false) { x = 1; }\n  }\n}',
    problem: 'Variable does not exist: x',
    line: 3,
    column: 18,
  },
  {
    cls: 'WrongArg',
    body: "public class WrongArg {\n  static void f(Integer i) {}\n  static void m() { f('a'); }\n}",
    problem: 'Method does not exist or incorrect signature: void f(String) from the type WrongArg',
    line: 3,
    column: 21,
  },
  {
    cls: 'BadAssign',
    body: 'public class BadAssign {\n  static void m() {\n    String s = 5;\n  }\n}',
    problem: 'Illegal assignment from Integer to String',
    line: 3,
    column: 12,
  },
  {
    cls: 'BadType',
    body: 'public class BadType {\n  static void m() {\n    BadType.Missing x;\n  }\n}',
    problem: 'Invalid type: BadType.Missing',
    line: 3,
    column: 5,
  },
  {
    cls: 'NoReturn',
    body: 'public class NoReturn {\n  static Integer m(Boolean b) {\n    if (b) { return 1; }\n  }\n}',
    problem: 'Missing return statement required return type: Integer',
    line: 2,
    column: 31,
  },
  {
    cls: 'BadField',
    body: "public class BadField {\n  static void m() {\n    Account a = new Account(Name = 'x', Nope__c = 'y');\n  }\n}",
    problem: 'Invalid field Nope__c for Account',
    line: 3,
    column: 41,
  },
  {
    cls: 'BadColumn',
    body: 'public class BadColumn {\n  static void m() {\n    List<Widget__c> ws = [SELECT Id, Size__c, Colour__c FROM Widget__c];\n  }\n}',
    problem:
      "No such column 'Colour__c' on entity 'Widget__c'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    line: 3,
    column: 26,
  },
  {
    cls: 'DupLocal',
    body: "public class DupLocal {\n  static void m() {\n    Integer a = 1;\n    if (a > 0) { String a = 'x'; }\n  }\n}",
    problem: 'Duplicate variable: a',
    line: 4,
    column: 25,
  },
  {
    cls: 'NoSuchStringMethod',
    body: "public class NoSuchStringMethod {\n  static void m() {\n    'abc'.foo();\n  }\n}",
    problem: 'Method does not exist or incorrect signature: void foo() from the type String',
    line: 3,
    column: 11,
  },
  {
    cls: 'WrongElement',
    body: 'public class WrongElement {\n  static void m() {\n    List<String> l = new List<String>();\n    l.add(5);\n  }\n}',
    problem: 'Method does not exist or incorrect signature: void add(Integer) from the type List<String>',
    line: 4,
    column: 7,
  },
  {
    cls: 'Ambiguous',
    body: 'public class Ambiguous {\n  static void f(String s) {}\n  static void f(Boolean b) {}\n  static void m() { f(null); }\n}',
    problem: 'Ambiguous method signature: void f(NULL)',
    line: 4,
    column: 21,
  },
  {
    cls: 'BadReturn',
    body: "public class BadReturn {\n  static Integer m() {\n    return 'x';\n  }\n}",
    problem: 'Illegal conversion from String to Integer',
    line: 3,
    column: 12,
  },
  {
    cls: 'NotVisible',
    body: 'public class NotVisible {\n  static void m() {\n    Hidden.p();\n  }\n}',
    problem: 'Method is not visible: void Hidden.p()',
    line: 3,
    column: 12,
  },
  {
    cls: 'UnknownType',
    body: 'public class UnknownType {\n  static void m() {\n    Widget w = null;\n  }\n}',
    problem: 'Invalid type: Widget',
    line: 3,
    column: 5,
  },
  {
    cls: 'StaticContext',
    body: 'public class StaticContext {\n  void inst() {}\n  static void m() { inst(); }\n}',
    problem: 'Non static method cannot be referenced from a static context: void StaticContext.inst()',
    line: 3,
    column: 21,
  },
];

let platform: RunningPlatform;
let deploy: SfJson;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

beforeAll(async () => {
  platform = await startPlatform({ home: join(work, 'platform'), port: 0, log: () => {} });
  write(
    'sfdx-project.json',
    JSON.stringify({
      packageDirectories: [{ path: 'src', default: true }],
      name: 'compile-errors',
      namespace: '',
      sourceApiVersion: '62.0',
    }),
  );
  for (const b of broken) {
    write(`src/main/default/classes/Broken/${b.cls}.cls`, b.body);
    write(`src/main/default/classes/Broken/${b.cls}.cls-meta.xml`, meta);
  }
  // Valid Apex in grouped folders, as source-deploy-retrieve finds it: it must deploy.
  write(
    'src/main/default/classes/Shapes/Overloads.cls',
    "public class Overloads {\n  public enum Kind { READ, EDIT }\n  public static String f(Object o) { return 'Object'; }\n  public static String f(String s) { return 'String'; }\n  public static String g(Kind k) { return 'Kind ' + k; }\n}",
  );
  write('src/main/default/classes/Shapes/Overloads.cls-meta.xml', meta);
  write(
    'src/tests/OverloadsTest.cls',
    "@IsTest\nprivate class OverloadsTest {\n  @IsTest static void staticTypesChooseTheOverload() {\n    Object o = 'x';\n    Assert.areEqual('Object', Overloads.f(o));\n    Assert.areEqual('String', Overloads.f((String) null));\n    Assert.areEqual('Kind EDIT', Overloads.g(Overloads.Kind.EDIT));\n  }\n  @IsTest static void customFieldsOfTheSameDeploy() {\n    Assert.areEqual(1, Widgets.count());\n  }\n  @IsTest static void privateReachedThroughPublic() {\n    Hidden.q();\n    Assert.areEqual(1, Dashboards.load(false));\n    Assert.isNull(Describer.deferred(false));\n  }\n}",
  );
  write('src/tests/OverloadsTest.cls-meta.xml', meta);
  // A custom object deployed with the Apex that names its field.
  write(
    'src/main/default/objects/Widget__c/Widget__c.object-meta.xml',
    '<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Widget</label><pluralLabel>Widgets</pluralLabel><nameField><label>Widget Name</label><type>Text</type></nameField><deploymentStatus>Deployed</deploymentStatus><sharingModel>ReadWrite</sharingModel></CustomObject>\n',
  );
  write(
    'src/main/default/objects/Widget__c/fields/Size__c.field-meta.xml',
    '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Size__c</fullName><label>Size</label><type>Number</type><precision>5</precision><scale>0</scale></CustomField>\n',
  );
  write(
    'src/main/default/classes/Shapes/Widgets.cls',
    "public class Widgets {\n  public static Integer count() {\n    insert new Widget__c(Name = 'w', Size__c = 3);\n    return [SELECT Id, Size__c FROM Widget__c].size();\n  }\n}",
  );
  write('src/main/default/classes/Shapes/Widgets.cls-meta.xml', meta);
  // A trigger is checked as a class body is.
  write(
    'src/main/default/triggers/BadTrigger.trigger',
    'trigger BadTrigger on Account (before insert) {\n  for (Account a : Trigger.new) {\n    String s = 5;\n  }\n}',
  );
  write(
    'src/main/default/triggers/BadTrigger.trigger-meta.xml',
    '<?xml version="1.0" encoding="UTF-8"?>\n<ApexTrigger xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexTrigger>\n',
  );
  // Valid on its own; NotVisible calls its private method. And a class naming a system class the
  // runtime lacks: it deploys, with a warning that names it.
  write(
    'src/main/default/classes/Shapes/Hidden.cls',
    'public class Hidden {\n  private static void p() {}\n  public static void q() { p(); }\n}',
  );
  write('src/main/default/classes/Shapes/Hidden.cls-meta.xml', meta);
  write(
    'src/main/default/classes/Shapes/Dashboards.cls',
    "public class Dashboards {\n  public static Integer load(Boolean live) {\n    Integer shown = 1;\n    if (live) { Wave.QueryBuilder.load('x'); }\n    return shown;\n  }\n}",
  );
  write('src/main/default/classes/Shapes/Dashboards.cls-meta.xml', meta);
  // A system type the runtime lacks deploys with a warning; issue 18's fixtures (names, overloads) deploy and pass.
  write(
    'src/main/default/classes/Shapes/Describer.cls',
    'public class Describer {\n  public static Object deferred(Boolean asked) {\n    Object options = null;\n    if (asked) {\n      options = Reports.ReportManager.describeReport(null);\n    }\n    return options;\n  }\n}',
  );
  write('src/main/default/classes/Shapes/Describer.cls-meta.xml', meta);
  const fixtures = join(import.meta.dirname, '../../apex/fixtures/issue18/classes');
  for (const f of readdirSync(fixtures)) write(`src/issue18/classes/${f}`, readFileSync(join(fixtures, f), 'utf8'));
  const login = await loginJwt(platform, 'hub', '--set-default');
  expect(login.exitCode, JSON.stringify(login.json)).toBe(0);
  deploy = await sf(['project', 'deploy', 'start', '--source-dir', 'src', '--target-org', 'hub']);
}, 180_000);

afterAll(async () => {
  await platform?.close();
  remove();
});

describe('sf project deploy start refuses Apex that Salesforce would not compile', () => {
  const failures = () =>
    ((deploy.json.result['details'] as Record<string, unknown>)?.['componentFailures'] ?? []) as Record<string, unknown>[];

  it.each(broken)('$problem', (b) => {
    expect(deploy.exitCode).not.toBe(0);
    const f = failures().find((x) => x['fullName'] === b.cls);
    expect(f, JSON.stringify(failures())).toMatchObject({
      problem: b.problem,
      problemType: 'Error',
      lineNumber: b.line,
      columnNumber: b.column,
    });
    expect(String(f!['fileName'])).toMatch(new RegExp(`classes/${b.cls}\\.cls$`));
  });

  it('refuses a trigger whose body does not compile', () => {
    const f = failures().find((x) => x['fullName'] === 'BadTrigger');
    expect(f, JSON.stringify(failures())).toMatchObject({
      componentType: 'ApexTrigger',
      problem: 'Illegal assignment from Integer to String',
      problemType: 'Error',
      lineNumber: 3,
      columnNumber: 12,
    });
  });

  it('saves nothing of a refused deploy, and the valid grouped classes deploy alone with their test passing', async () => {
    expect(listApexClasses(platform.db, platform.devHub.id).map((c) => c.name)).not.toContain('UnknownVar');
    const ok = await sf([
      'project',
      'deploy',
      'start',
      '--source-dir',
      'src/main/default/classes/Shapes',
      '--source-dir',
      'src/main/default/objects',
      '--source-dir',
      'src/tests',
      '--source-dir',
      'src/issue18',
      '--target-org',
      'hub',
      '--test-level',
      'RunSpecifiedTests',
      '--tests',
      'OverloadsTest',
      '--tests',
      'NameResolutionTest',
    ]);
    expect(ok.exitCode, JSON.stringify(ok.json)).toBe(0);
    expect(listApexClasses(platform.db, platform.devHub.id).map((c) => c.name)).toEqual(
      expect.arrayContaining(['Overloads', 'OverloadsTest', 'Widgets', 'Dashboards']),
    );
    const successes = ((ok.json.result['details'] as Record<string, unknown>)['componentSuccesses'] ?? []) as Record<string, unknown>[];
    expect(successes.find((x) => x['fullName'] === 'Dashboards')).toMatchObject({
      success: true,
      problemType: 'Warning',
      problem: 'not supported by the local runtime: Wave.QueryBuilder.load (it deploys; running it fails) at line 4',
    });
    expect(successes.find((x) => x['fullName'] === 'Describer')).toMatchObject({
      success: true,
      problemType: 'Warning',
      problem: expect.stringContaining('not supported by the local runtime: Reports.ReportManager'),
    });
    const tests = ((ok.json.result['details'] as Record<string, unknown>)['runTestResult'] ?? {}) as Record<string, unknown>;
    expect([tests['numTestsRun'], tests['numFailures']], JSON.stringify(tests['failures'])).toEqual([8, 0]);
  }, 120_000);
});

describe('sf apex run reports a compile problem', () => {
  it('names the problem, its line and column, and runs nothing', async () => {
    write('anon.apex', "System.debug('ran');\nString s = 5;\n");
    const r = await sf(['apex', 'run', '--file', 'anon.apex', '--target-org', 'hub']);
    expect(r.exitCode).not.toBe(0);
    const json = r.json as unknown as { name: string; message: string; data: Record<string, unknown> };
    expect(json.name).toBe('executeCompileFailure');
    expect(json.data).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: 'Illegal assignment from Integer to String',
      line: '2',
      column: '8',
      logs: '',
    });
    expect(json.message).toBe('Compilation failed at Line 2 column 8 with the error:\n\nIllegal assignment from Integer to String');
  }, 120_000);
});
