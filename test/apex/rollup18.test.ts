/**
 * apex-rollup's causes (issue 18): behaviour checked by test classes of our own (test/apex/rollup18)
 * run as `npm run apex-test` runs them, with test data isolation.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

const SOURCE = join(import.meta.dirname, 'rollup18', 'force-app');

describe('issue 18: apex-rollup causes', () => {
  it('compiles the classes and passes every method', async () => {
    const r = await runTests(projectOrg([SOURCE]).host);
    expect(r.compileErrors).toEqual([]);
    expect(r.compileWarnings).toEqual([]);
    expect(r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.className}.${t.methodName}: ${t.message}`)).toEqual([]);
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
