/**
 * this(...) in a constructor: bound to the overload the arguments' static types select, and an endless chain
 * ends at the stack depth limit (found in jongpie/SimpleLightningComponents, whose run grew without bound).
 */
import { describe, expect, it } from 'vitest';
import { runFixture } from './helpers.ts';

describe('constructor chains', () => {
  it('binds this(...) statically and limits an endless chain', async () => {
    const r = await runFixture('constructorChains');
    expect(r.compileErrors).toEqual([]);
    const outcome = Object.fromEntries(r.tests.map((t) => [t.methodName, `${t.outcome}: ${t.message ?? ''}`]));
    expect(outcome).toEqual({
      nullOfADescribeKeepsTheStaticOverload: 'Pass: ',
      anEndlessChainReachesTheStackDepthLimit: 'Fail: System.LimitException: Maximum stack depth reached: 1001',
    });
  }, 60_000);
});
