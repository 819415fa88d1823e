/**
 * Async Apex queued by asynchronous code during Test.stopTest(): queued, not run (test/apex/asyncNesting);
 * docs/salesforce-rules.md#async-in-tests.
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runFixture } from './helpers.ts';

describe('Test.stopTest runs one level of async Apex', () => {
  it('lets a scheduled job or a batch finish() enqueue without running what they queue', async () => {
    const r = await runFixture('asyncNesting');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.length).toBe(4);
  }, 60_000);
});
