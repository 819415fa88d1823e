/**
 * Transaction finalizers, checked by test classes of our own (test/apex/finalizers) run as
 * `npm run apex-test` runs them.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

const SOURCE = join(import.meta.dirname, 'finalizers', 'force-app');

describe('transaction finalizers', () => {
  it('run after their Queueable with its result and exception', async () => {
    const r = await runTests(projectOrg([SOURCE]).host);
    expect(r.compileErrors).toEqual([]);
    expect(r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message} ${t.stackTrace ?? ''}`)).toEqual([]);
    expect(r.tests.length).toBe(7);
  }, 60_000);
});
