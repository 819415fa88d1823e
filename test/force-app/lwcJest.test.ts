/**
 * Runs the LWC Jest suites (sfdx-lwc-jest with the repository's jest.config.js) from vitest, so
 * `npm test` covers the components too. Jest runs in its own process: its module system and jsdom
 * environment cannot share vitest's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, relative, sourceFiles } from './projectFiles.ts';

const require = createRequire(import.meta.url);
const lwcJestBin = require.resolve('@salesforce/sfdx-lwc-jest/bin/sfdx-lwc-jest');

interface JestReport {
  success: boolean;
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

describe('LWC Jest', () => {
  it('passes every component test', () => {
    const specs = sourceFiles('.test.js').filter((file) => file.includes(`${path.sep}__tests__${path.sep}`));
    expect(specs.map(relative)).toContain('force-app/consumer/main/default/lwc/latestOrgBAccounts/__tests__/latestOrgBAccounts.test.js');

    const outDir = mkdtempSync(path.join(tmpdir(), 'lwc-jest-'));
    const reportFile = path.join(outDir, 'report.json');
    try {
      const run = spawnSync(process.execPath, [lwcJestBin, '--', '--ci', '--json', `--outputFile=${reportFile}`], {
        cwd: projectRoot,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
        timeout: 110_000,
      });
      expect(run.status, `sfdx-lwc-jest failed:\n${run.stdout}\n${run.stderr}`).toBe(0);

      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport;
      expect(report.success).toBe(true);
      expect(report.numFailedTests).toBe(0);
      const suites = report.testResults.map((suite) => relative(suite.name));
      expect(suites.sort()).toEqual(specs.map(relative).sort());
      expect(report.numTotalTests).toBeGreaterThanOrEqual(6);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
