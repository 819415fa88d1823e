/**
 * Behaviour the query-builder and DI projects of the corpus (force-di, apex-dml-mocking, Query.apex,
 * NebulaQueryAndSearch, soql-lib) showed wrong (issue 18), each with a small block of our own.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('Cache.Org.getPartition (Apex Reference, "Cache Exceptions")', () => {
  it('throws OrgCacheException for a partition the org lacks and InvalidParamException for a null name, at getPartition', async () => {
    const out = await debugOf(
      `for (String name : new List<String>{ 'local.Missing', 'Missing', null, 'local.Tokens', 'Tokens' }) {
  try {
    Cache.OrgPartition p = Cache.Org.getPartition(name);
    System.debug(name + ' ' + p.getName());
  } catch (Exception e) {
    System.debug(name + ' ' + e.getTypeName());
  }
}`,
      { cachePartitions: { Tokens: 1 } },
    );
    expect(out).toEqual([
      'local.Missing Cache.Org.OrgCacheException',
      'Missing Cache.Org.OrgCacheException',
      'null Cache.InvalidParamException',
      'local.Tokens local.Tokens',
      'Tokens Tokens',
    ]);
  });
});
