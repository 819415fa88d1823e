/**
 * The corpus's query-builder and DI projects (issue 18): behaviour checked by a test class of our own
 * (test/apex/queries18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

const SOURCE = join(import.meta.dirname, 'queries18', 'force-app');

describe('issue 18: query builders and DI', () => {
  it('compiles the class and passes every method', async () => {
    const r = await runTests(projectOrg([SOURCE]).host);
    expect(r.compileErrors).toEqual([]);
    expect(r.compileWarnings).toEqual([]);
    expect(r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message}`)).toEqual([]);
    expect(r.tests.map((t) => t.methodName)).toEqual([
      'hierarchySettingWithoutRowsReadsCheckboxFalse',
      'soslCountStartsAgainAfterStartTest',
      'visualforceComponentsDeployAndRun',
    ]);
  }, 60_000);
});
