/**
 * Output of a local Apex test run: sf-style human tables, `--json` in the shape of
 * `sf apex run test --json` (summary + tests + coverage), and JUnit XML.
 */
import type { TestRunResult } from './index.ts';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function orgWideCoverage(r: TestRunResult): number {
  let covered = 0;
  let total = 0;
  for (const c of r.coverage) {
    covered += c.coveredLines.length;
    total += c.coveredLines.length + c.uncoveredLines.length;
  }
  return total ? Math.round((covered / total) * 100) : 0;
}

export function testRunHuman(r: TestRunResult, meta: { orgId: string; username: string }): string {
  const pct = (n: number) => (r.testsRan ? Math.round((n / r.testsRan) * 100) : 0) + '%';
  const out: string[] = [];
  out.push('=== Test Summary');
  out.push(
    table(
      ['NAME', 'VALUE'],
      [
        ['Outcome', r.outcome],
        ['Tests Ran', String(r.testsRan)],
        ['Pass Rate', pct(r.passing)],
        ['Fail Rate', pct(r.failing)],
        ['Skip Rate', pct(r.skipped)],
        ['Test Run Id', 'local'],
        ['Test Execution Time', `${r.totalTimeMs} ms`],
        ['Org Id', meta.orgId],
        ['Username', meta.username],
        ['Org Wide Coverage', `${orgWideCoverage(r)}%`],
      ],
    ),
  );
  out.push('', '=== Test Results');
  out.push(
    table(
      ['TEST NAME', 'OUTCOME', 'MESSAGE', 'RUNTIME (MS)'],
      r.tests.map((t) => [`${t.className}.${t.methodName}`, t.outcome, (t.message ?? '').split('\n')[0], String(t.runTimeMs)]),
    ),
  );
  const failed = r.tests.filter((t) => t.outcome !== 'Pass');
  if (failed.length) {
    out.push('', '=== Failures');
    for (const t of failed)
      out.push(
        `${t.className}.${t.methodName}`,
        `  ${t.message ?? ''}`,
        ...(t.stackTrace ? t.stackTrace.split('\n').map((l) => '  ' + l) : []),
      );
  }
  out.push('', '=== Apex Code Coverage by Class');
  out.push(
    table(
      ['CLASSES', 'PERCENT', 'UNCOVERED LINES'],
      r.coverage.map((c) => [c.className, `${c.percent}%`, c.uncoveredLines.join(',')]),
    ),
  );
  if (r.compileErrors.length) {
    out.push('', '=== Compile Errors');
    for (const e of r.compileErrors) out.push(`${e.className} (line ${e.line}, column ${e.column}): ${e.message}`);
  }
  if (r.compileWarnings?.length) {
    out.push('', '=== Warnings');
    for (const w of r.compileWarnings) out.push(`${w.className} (line ${w.line}, column ${w.column}): ${w.message}`);
  }
  return out.join('\n') + '\n';
}

export function testRunJson(r: TestRunResult, meta: { orgId: string; username: string }) {
  const pct = (n: number) => (r.testsRan ? Math.round((n / r.testsRan) * 100) : 0) + '%';
  return {
    summary: {
      outcome: r.outcome,
      testsRan: r.testsRan,
      passing: r.passing,
      failing: r.failing,
      skipped: r.skipped,
      passRate: pct(r.passing),
      failRate: pct(r.failing),
      testRunId: 'local',
      testExecutionTime: `${r.totalTimeMs} ms`,
      orgId: meta.orgId,
      username: meta.username,
      orgWideCoverage: `${orgWideCoverage(r)}%`,
    },
    tests: r.tests.map((t) => ({
      FullName: `${t.className}.${t.methodName}`,
      ApexClass: { Name: t.className },
      MethodName: t.methodName,
      Outcome: t.outcome,
      Message: t.message ?? null,
      StackTrace: t.stackTrace ?? null,
      RunTime: t.runTimeMs,
    })),
    coverage: {
      coverage: r.coverage.map((c) => ({
        name: c.className,
        totalLines: c.coveredLines.length + c.uncoveredLines.length,
        totalCovered: c.coveredLines.length,
        coveredPercent: c.percent,
        lines: Object.fromEntries([...c.coveredLines.map((l) => [l, 1]), ...c.uncoveredLines.map((l) => [l, 0])]),
      })),
    },
    compileErrors: r.compileErrors,
    compileWarnings: r.compileWarnings,
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function testRunJunit(r: TestRunResult): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites>`,
    `  <testsuite name="force.apex" timestamp="${new Date().toISOString()}" hostname="local" tests="${r.testsRan}" failures="${r.failing}" errors="0" skipped="${r.skipped}" time="${(r.totalTimeMs / 1000).toFixed(2)}">`,
  ];
  for (const t of r.tests) {
    lines.push(`    <testcase name="${esc(t.methodName)}" classname="${esc(t.className)}" time="${(t.runTimeMs / 1000).toFixed(2)}">`);
    if (t.outcome !== 'Pass')
      lines.push(
        `      <failure message="${esc(t.message ?? '')}"><![CDATA[${(t.stackTrace ?? '').replace(/]]>/g, ']]]]><![CDATA[>')}]]></failure>`,
      );
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}
