/**
 * Causes found in the fresh held-out corpus (issue 18, test/corpus/fresh.json: ActionPlansV4, async-lib,
 * http-mock-lib, NebulaCacheManager, SimpleLightningComponents), each checked by a test class of our
 * own (test/apex/fresh18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: causes found in the fresh held-out corpus', () => {
  it('compiles and passes every method', async () => {
    const r = await runFixture('fresh18');
    expect(r.compileErrors).toEqual([]);
    const failed = failuresOf(r);
    expect(failed).toEqual([]);
    expect(r.tests.map((t) => t.methodName)).toEqual([
      'orgConfigurationRowsAreVisibleInTests',
      'profilePermissionFieldsAreQueryable',
      'systemEnumValueOfAndValues',
      'pageReferencesAndTheCurrentPage',
      'pageMessagesAndSelectOptions',
      'standardControllersOverRecords',
      'activityCustomFieldsAreTaskAndEventFields',
    ]);
  }, 60_000);
});
