/**
 * System.Version, InstallContext and Test.testInstall / Test.testUninstall, by a test class of our own
 * (test/apex/packaging); docs/salesforce-rules.md#async-in-tests.
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runFixture } from './helpers.ts';

describe('package install scripts in tests', () => {
  it('run with an InstallContext of the previous version, and versions compare by value', async () => {
    const r = await runFixture('packaging');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.length).toBe(4);
  }, 60_000);
});
