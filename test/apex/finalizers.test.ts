/**
 * Transaction finalizers, checked by test classes of our own (test/apex/finalizers) run as
 * `npm run apex-test` runs them.
 */
import { describe, expect, it } from 'vitest';
import { runFixture, failuresOf } from './helpers.ts';

describe('transaction finalizers', () => {
  it('run after their Queueable with its result and exception', async () => {
    const r = await runFixture('finalizers');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.length).toBe(7);
  }, 60_000);
});
