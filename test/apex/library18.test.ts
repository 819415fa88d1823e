/**
 * System types, standard objects and project metadata that public Apex projects use (issue 18), each
 * checked by a test class of our own (test/apex/library18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture } from './helpers.ts';

describe('issue 18: library gaps found by the corpus', () => {
  it('compiles the class and passes every method but the one that needs Salesforce', async () => {
    const r = await runFixture('library18');
    expect(r.compileErrors).toEqual([]);
    const failed = r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message}`);
    expect(failed).toEqual([
      expect.stringMatching(
        /^invocableActionInvokeRunsOnSalesforceOnly: not supported by the local runtime: Invocable.Action.invoke of flow My_Flow/,
      ),
    ]);
    expect(r.tests.map((t) => t.methodName)).toEqual([
      'describeWithSObjectDescribeOptions',
      'fieldTokenOfCustomMetadataType',
      'loggingLevelIsAnEnum',
      'customMetadataRecordsFromTheSourceFolder',
      'hierarchyCustomSettings',
      'standardObjectsAndRows',
      'invocableActionResults',
      'invocableActionInvokeRunsOnSalesforceOnly',
      'changeEventHeaderAndDmlOptions',
      'timeZoneOffsetsAndLimits',
      'checkboxOfANewSObjectReadsFalse',
      'standardPricebookInTests',
      'stringFormatCallsToString',
    ]);
  }, 60_000);
});
