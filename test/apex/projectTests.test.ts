/**
 * The project's own Apex tests (force-app) on the local runtime. Failures in the project's Apex are
 * reported, not asserted here (that code is written elsewhere); what this file asserts is that the
 * runtime compiles every class, runs every test and never hits an unsupported construct or an
 * internal error — and that `npm run apex-test` prints sf-style results with coverage.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { testRunHuman } from '../../tools/apex/testFormatters.ts';

const hasProject = existsSync('force-app');

describe.runIf(hasProject)("the project's Apex tests on the local runtime", () => {
  let result: Awaited<ReturnType<typeof runTests>> | undefined;

  it('compiles every class and runs every test without unsupported constructs', { timeout: 60_000 }, async () => {
    const r = (result = await runTests(projectOrg(['force-app']).host));
    expect(r.compileErrors).toEqual([]);
    expect(r.compileWarnings).toEqual([]); // the project uses nothing the local runtime lacks
    expect(r.testsRan).toBeGreaterThan(0);
    const runtimeProblems = r.tests.filter((t) =>
      /not supported by the local runtime|Internal error in the local Apex runtime|Variable does not exist|Method does not exist/.test(
        t.message ?? '',
      ),
    );
    expect(runtimeProblems.map((t) => `${t.className}.${t.methodName}: ${t.message}`)).toEqual([]);
    for (const t of r.tests.filter((x) => x.outcome !== 'Pass'))
      console.warn(`[project Apex test failed] ${t.className}.${t.methodName}: ${t.message}`);
    expect(r.coverage.length).toBeGreaterThan(0);
  });

  it('formats results the way sf does: summary, results, coverage by class', () => {
    const r = result!;
    const human = testRunHuman(r, { orgId: '00D000000000001AAA', username: 'u@x' });
    expect(human).toContain('=== Test Summary');
    expect(human).toMatch(/Org Wide Coverage\s+\d+%/);
    expect(human).toContain('=== Apex Code Coverage by Class');
    for (const c of r.coverage) expect(human).toMatch(new RegExp(`${c.className}\\s+${c.percent}%`));
    expect(human).toMatch(/JwtTest\.\w+\s+(Pass|Fail)/);
  });

  it('npm run apex-test writes --json and --junit and exits 1 on bad input', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-test-'));
    try {
      const junit = join(dir, 'junit.xml');
      const json = await execa('node_modules/.bin/tsx', ['tools/cli/apexTest.ts', '--json', '--class-names', 'JwtTest', '--junit', junit], {
        reject: false,
      });
      const parsed = JSON.parse(json.stdout);
      expect(parsed.result.summary.testsRan).toBeGreaterThan(0);
      expect(parsed.result.tests.every((t: { FullName: string }) => t.FullName.startsWith('JwtTest.'))).toBe(true);
      expect(json.exitCode).toBe(parsed.result.summary.outcome === 'Passed' ? 0 : 1);
      expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="force.apex"[^>]* tests="\d+"/);
      const bad = await execa('node_modules/.bin/tsx', ['tools/cli/apexTest.ts', '--source-dir', dir], { reject: false });
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toContain('No Apex classes found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
