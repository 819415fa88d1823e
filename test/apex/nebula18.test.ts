/**
 * Causes found running NebulaLogger (issue 18, held-out corpus), each checked by a method of a test class
 * of our own (test/apex/nebula18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

const SOURCE = join(import.meta.dirname, 'nebula18', 'force-app');

describe('issue 18: causes found running NebulaLogger', () => {
  it('compiles and passes every method', async () => {
    const r = await runTests(projectOrg([SOURCE]).host);
    expect(r.compileErrors).toEqual([]);
    const failed = r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message}`);
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
