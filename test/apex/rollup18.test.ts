/**
 * apex-rollup's causes (issue 18): behaviour checked by test classes of our own (test/apex/rollup18)
 * run as `npm run apex-test` runs them, with test data isolation.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: apex-rollup causes', () => {
  it('compiles the classes and passes every method', async () => {
    const r = await runFixture('rollup18');
    expect(r.compileErrors).toEqual([]);
    expect(r.compileWarnings).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => `${t.className}.${t.methodName}`)).toEqual([
      'CustomMetadataGetInstanceTest.getInstanceByIdNameOrQualifiedNamePositive',
      'CustomMetadataGetInstanceTest.getInstanceOfUnknownNameNegative',
      'DynamicSoqlSubqueryTest.dynamicQueryWithChildSubqueryReadsTheOuterObjectPositive',
      'ParentFieldLookupTest.parentFieldQueryPopulatesLookupPositive',
      'PutSObjectTest.putSObjectSetsTheParentPositive',
      'QueriedReadOnlyFieldsTest.updateOfQueriedRecordWithReadOnlyFieldsPositive',
      'UserGeolocationTest.userLatitudeLongitudeUpdatePositive',
    ]);
  }, 60_000);
});
