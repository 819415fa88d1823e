/**
 * Classes of our own reproducing what fresh2's DLRS (afawcett/declarative-lookup-rollup-summaries) met:
 * a static property named `Test` beside the system class Test, and the ApexTrigger and ApexClass fields
 * its selectors read.
 */
import { describe, expect, it } from 'vitest';
import { programFor } from '../../tools/apex/compiler.ts';
import { debugOf } from './helpers.ts';

describe('a variable named like a system class', () => {
  const classes = [
    {
      name: 'Domain',
      body: `public virtual class Domain {
  public static Factory Test { get; private set; }
  static { Test = new Factory(); }
  public class Factory { public String made() { return 'factory'; } }
}`,
    },
    {
      name: 'Rules',
      body: `public class Rules extends Domain {
  public static String where() { return (Test.isRunningTest() ? 'test ' : 'live ') + Test.made(); }
}`,
    },
  ];

  it("calls the class's static method the variable's type lacks, and the variable's own method otherwise", async () => {
    expect(programFor(classes).errors).toEqual([]);
    expect(await debugOf('System.debug(Rules.where());', { classes })).toEqual(['live factory']);
  });
});

describe('ApexTrigger and ApexClass fields (Object Reference)', () => {
  it('describes and queries BodyCrc as a double', async () => {
    const source = [
      'System.debug(ApexTrigger.BodyCrc.getDescribe().getType());',
      'System.debug(Schema.SObjectType.ApexClass.fields.BodyCrc.getType());',
      'System.debug([SELECT Id, BodyCrc FROM ApexTrigger].size());',
      'System.debug([SELECT Id, BodyCrc FROM ApexClass].size());',
    ].join('\n');
    expect(await debugOf(source)).toEqual(['DOUBLE', 'DOUBLE', '0', '0']);
  });
});
