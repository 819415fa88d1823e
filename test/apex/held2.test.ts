/**
 * Causes found in the held-out corpus, second pass (issue 18: at4dx, apex-domainbuilder, fflib, apex-recipes,
 * rflib, apex-mdapi), each checked by a test class of our own (test/apex/held2) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: held-out corpus causes, second pass', () => {
  it('compiles and passes every method', async () => {
    const r = await runFixture('held2');
    expect(r.compileErrors).toEqual([]);
    const failed = failuresOf(r);
    expect(failed).toEqual([]);
    expect(r.tests.map((t) => `${t.className}.${t.methodName}`).sort()).toEqual(
      [
        'Held2FieldSetTest.fieldSetTypeNameAndEmptyMap',
        'Held2InitOrderTest.superConstructorSeesSubclassFieldsInitialized',
        'Held2ListOfObjectTest.listOfObjectIsNoListOfSObjectType',
        'Held2HttpRequestTest.bodySetAsBlobReadsBackAsText',
        'Held2HttpRequestTest.compressedFlagReadsBackAsSet',
        'Held2MalformedIdTest.malformedIdStringsAreRefused',
        'Held2MalformedIdTest.dmlWithAnIdOfAnotherObjectFails',
        'Held2MalformedIdTest.updateOfAnIdNoRecordHadIsAnInvalidReference',
        'Held2NullAndJsonStartTest.deleteOfANullRecordIsANullPointer',
        'Held2NullAndJsonStartTest.listTypesWantAnArrayFirst',
        'Held2PublishCallbackTest.deliveryCallsOnSuccess',
        'Held2RequiredOnUpdateTest.emptyingARequiredFieldFails',
        'Held2SoqlForChunksTest.listLoopGetsChunksOf200',
        'Held2PublishCallbackTest.failCallsOnFailure',
      ].sort(),
    );
  }, 60_000);
});
