/**
 * The merge statement and Database.merge ("Merging Records"; "Triggers and Merge Statements"): the main
 * record's update triggers fire, the duplicates' related records move to it without triggers, and the
 * duplicates are deleted with MasterRecordId set. Known gap of issue 18 (apex-rollup, DLRS, EDA, V4S merge).
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runFixture } from './helpers.ts';

describe('merge', () => {
  it('merges duplicates into the main record, by statement and by Database.merge', async () => {
    const r = await runFixture('merge');
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => t.methodName).sort()).toEqual(['databaseMergeReturnsResults', 'mergeStatementReparentsAndDeletes']);
  });
});
