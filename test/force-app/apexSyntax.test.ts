/**
 * Every Apex class and trigger parses with Salesforce's own Apex parser (jorje, shipped natively by
 * prettier-plugin-apex) and is formatted the way Prettier formats it (`prettier --check` semantics).
 * Fix a failure with:
 *   npx prettier --plugin=prettier-plugin-apex --apex-standalone-parser=native --no-config --write 'force-app/**\/*.{cls,trigger}'
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';
import { describe, expect, it } from 'vitest';
import { relative, sourceFiles } from './projectFiles.ts';

/** The options the fix command above uses: Prettier's defaults, the Apex plugin, the native parser. */
const APEX_OPTIONS: prettier.Options & { apexStandaloneParser: string } = {
  parser: 'apex',
  plugins: [apexPlugin],
  apexStandaloneParser: 'native',
};

const apexFiles = sourceFiles('.cls', '.trigger');

describe('Apex sources', () => {
  it('are found in both package directories', () => {
    const names = apexFiles.map(relative);
    expect(names).toContain('force-app/provider/main/default/classes/AccountRetriever.cls');
    expect(names).toContain('force-app/consumer/main/default/classes/Jwt.cls');
  });

  it('are parsed by the native jorje build, not the Java fallback', () => {
    // prettier-plugin-apex silently falls back to Java when the native package is missing.
    const require = createRequire(import.meta.resolve('prettier-plugin-apex'));
    const binary = require.resolve(
      `@prettier-apex/apex-ast-serializer-${process.platform}-${process.arch}/apex-ast-serializer-${process.platform}-${process.arch}`,
    );
    expect(binary).toMatch(/apex-ast-serializer/);
  });

  it.each(apexFiles.map((file) => [relative(file), file]))('%s parses and is formatted', async (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const formatted = await prettier.format(source, APEX_OPTIONS);
    expect(source, "not formatted: run the prettier --write command in this file's header").toBe(formatted);
  });

  it('keep test-only behaviour out of production classes and org values out of the code', () => {
    const problems: string[] = [];
    for (const file of apexFiles) {
      const source = readFileSync(file, 'utf8');
      const isTestClass = /^@IsTest\b/im.test(source);
      if (!isTestClass && /Test\.isRunningTest\s*\(/.test(source)) {
        problems.push(`${relative(file)}: Test.isRunningTest() in production code; use a seam instead`);
      }
      // Consumer keys of connected apps and External Client Apps start with 3MVG; they belong in Org_B_Connection__mdt.
      if (!isTestClass && /'3MVG/.test(source)) problems.push(`${relative(file)}: hard-coded consumer key`);
    }
    expect(problems).toEqual([]);
  });

  it('rejects a class with a syntax error, naming the problem', async () => {
    const broken = 'public with sharing class Broken {\n  public void run() {\n    Integer x = ;\n  }\n}\n';
    await expect(prettier.format(broken, APEX_OPTIONS)).rejects.toThrow("Unexpected token ';'");
  });

  it('rejects a class whose braces do not close', async () => {
    const broken = 'public class Unclosed {\n  public void run() {\n    System.debug(1);\n  }\n';
    await expect(prettier.format(broken, APEX_OPTIONS)).rejects.toThrow("Expecting '}' but was: '<EOF>'");
  });

  it('reports a formatting difference as unformatted', async () => {
    const source = 'public class Ugly{public void run(){System.debug( 1 );}}\n';
    expect(await prettier.check(source, APEX_OPTIONS)).toBe(false);
    expect(await prettier.check(await prettier.format(source, APEX_OPTIONS), APEX_OPTIONS)).toBe(true);
  });
});
