/**
 * The corpus's query-builder and DI projects (issue 18): behaviour checked by a test class of our own
 * (test/apex/queries18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: query builders and DI', () => {
  it('compiles the class and passes every method', async () => {
    const r = await runFixture('queries18');
    expect(r.compileErrors).toEqual([]);
    expect(r.compileWarnings).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => t.methodName)).toEqual([
      'hierarchySettingWithoutRowsReadsCheckboxFalse',
      'soslCountStartsAgainAfterStartTest',
      'visualforceComponentsDeployAndRun',
    ]);
  }, 60_000);
});
