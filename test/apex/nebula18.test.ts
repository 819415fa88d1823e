/**
 * Causes found running NebulaLogger (issue 18, held-out corpus), each checked by a method of a test class
 * of our own (test/apex/nebula18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: causes found running NebulaLogger', () => {
  it('compiles and passes every method', async () => {
    const r = await runFixture('nebula18');
    expect(r.compileErrors).toEqual([]);
    const failed = failuresOf(r);
    expect(failed).toEqual([]);
    expect(r.tests.map((t) => t.methodName)).toEqual([
      'loggingLevelOrdinalsRiseWithSeverity',
      'uuidFromStringAndJson',
      'shareObjectOfAPrivateCustomObject',
      'setOptionsAllowsFieldTruncation',
      'dmlOnAnEmptyListIsNoStatement',
      'genericSObjectCollectionsHaveNoSObjectType',
      'apexEmailNotificationIsQueryable',
      'castToListOfSObjectPicksThatOverload',
      'upsertByExternalIdUpdatesTheMatchingRecord',
      'uniqueFieldRefusesADuplicate',
      'publishImmediatelyEventsCountApart',
    ]);
  }, 60_000);
});
