/**
 * The standard schema as a catalogue (issue 18, causes found in SalesforceFoundation/EDA): standard
 * fields by the Object Reference, geolocation parts, schema tokens, record types; each checked by a test class of our
 * own (test/apex/schema18) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: the standard schema as a catalogue', () => {
  it('compiles and passes every method', async () => {
    const r = await runFixture('schema18');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => t.methodName).sort()).toEqual([
      'aQueriedNullParentIsNotWritten',
      'attachmentsNotesAndFeedPostsHangOffRecords',
      'contactOtherAddressAndPhoneFieldsAreStored',
      'contentVersionMajorVersionIsStored',
      'describeListsMasterAndEachRecordType',
      'documentsCampaignMembersAndOtherStandardObjects',
      'fieldsOfAnSObjectNameAreFieldTokens',
      'geolocationPartsAreFieldsOfTheirOwn',
      'objectsWithoutRecordTypesHaveNoRecordTypeId',
      'profilePermissionFieldsFilterProfiles',
      'recordTypeIdIsAFieldOfObjectsWithRecordTypes',
      'recordTypeRowsAreVisibleWithoutSeeAllData',
      'userContactAccountAndPhotoFields',
    ]);
  }, 60_000);
});
