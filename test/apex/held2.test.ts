/**
 * Causes found in the held-out corpus, second pass (issue 18: at4dx, apex-domainbuilder, fflib, apex-recipes,
 * rflib, apex-mdapi), each checked by a test class of our own (test/apex/held2) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

const SOURCE = join(import.meta.dirname, 'held2', 'force-app');

describe('issue 18: held-out corpus causes, second pass', () => {
  it('compiles and passes every method', async () => {
    const r = await runTests(projectOrg([SOURCE]).host);
    expect(r.compileErrors).toEqual([]);
    const failed = r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.className}.${t.methodName}: ${t.message}`);
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
