/**
 * System.enqueueJob with AsyncOptions or a delay, AsyncInfo, Database.releaseSavepoint and System.scheduleBatch,
 * by a test class of our own (test/apex/asyncOptions); docs/salesforce-rules.md#async-in-tests.
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runFixture } from './helpers.ts';

describe('AsyncOptions, AsyncInfo, releaseSavepoint and scheduleBatch', () => {
  it('refuse a duplicate signature, report the running job, release savepoints, schedule a batch', async () => {
    const r = await runFixture('asyncOptions');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.length).toBe(7);
  }, 60_000);
});
