/**
 * Custom metadata reads through `getAll()`/`getInstance()` count against no SOQL limit, neither queries nor rows
 * (Apex Reference, "Custom Metadata Type Methods",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_custom_metadata_types.htm);
 * apex-rollup asserts `Limits.getQueryRows()` after reading its configuration this way.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { debugOf } from './helpers.ts';

describe('custom metadata reads and limits', () => {
  it('getAll and getInstance leave Limits.getQueries and getQueryRows at zero', async () => {
    const org = projectOrg([join(import.meta.dirname, 'library18', 'force-app')]);
    const out = await debugOf(
      `System.debug(Gap_Setting__mdt.getAll().size() > 0);
       System.debug(Gap_Setting__mdt.getInstance('Default') != null);
       System.debug(Limits.getQueries() + ' ' + Limits.getQueryRows());`,
      { host: org.host },
    );
    expect(out).toEqual(['true', 'true', '0 0']);
  });
});
