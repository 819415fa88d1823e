/**
 * Field sets, tabs and describe details found missing in the corpus (issue 18: ActionPlansV4, PMM,
 * SimpleLightningComponents), each checked by a test class of our own (test/apex/describe18) run as
 * `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('issue 18: field sets and describe', () => {
  it('compiles and passes every method', async () => {
    const r = await runFixture('describe18');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => `${t.className}.${t.methodName}`).sort()).toEqual([
      'DescribeDetailsTest.compoundFieldNames',
      'DescribeDetailsTest.defaultValueFormulas',
      'DescribeDetailsTest.packageFeatureParameters',
      'DescribeDetailsTest.selectOptionsSortByValueThenLabel',
      'DescribeDetailsTest.standardNameFields',
      'FieldSetsTest.fieldSetByNameAndThroughTheMap',
      'FieldSetsTest.gettersReadAsProperties',
      'FieldSetsTest.membersInDeclaredOrder',
      'FieldSetsTest.queryBuiltFromAFieldSet',
      'FieldSetsTest.standardObjectFieldSet',
      'SettingsInstanceTest.inheritedInstanceUpsertsAsANewUserRow',
      'TabsTest.projectAppAndItsTabs',
      'TabsTest.standardTabIconsAndProperties',
      'XmlStreamsTest.coalescingJoinsText',
      'XmlStreamsTest.misuseAndBadInput',
      'XmlStreamsTest.readerWalksEvents',
      'XmlStreamsTest.writerAsTheGuideWritesALibrary',
    ]);
  }, 60_000);
});
