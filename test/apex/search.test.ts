/**
 * SOSL in Apex tests (inline, Search.query, Search.find, Test.setFixedSearchResults), checked by a test
 * class of our own (test/apex/search) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runTests } from '../../tools/apex/index.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';

const SOURCE = join(import.meta.dirname, 'search', 'force-app');

describe('SOSL in tests', () => {
  it('returns the fixed search results through each RETURNING clause', async () => {
    const r = await runTests(projectOrg([SOURCE]).host);
    expect(r.compileErrors).toEqual([]);
    expect(r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message}`)).toEqual([]);
    expect(r.tests.length).toBe(4);
  }, 60_000);
});
