import { describe, expect, it } from 'vitest';
import { planTokenCache, withoutFor } from '../../tools/provisioning/tokenCache.ts';

describe("A's token cache plan", () => {
  it('deploys the partition when A validates it', async () => {
    const plan = await planTokenCache('orga', async () => undefined);
    expect(plan.partition).toBe(true);
    expect(withoutFor(plan)).toEqual([]);
  });

  it('goes without when A has no room, naming the refusal', async () => {
    const plan = await planTokenCache('orga', async () => {
      throw new Error(
        "Deploy to orga failed: PlatformCachePartition OrgBTokens: The total allocated capacity (1 MB) exceeds the org's available Platform Cache capacity (0 MB).",
      );
    });
    expect(plan.partition).toBe(false);
    expect(plan.detail).toContain('(0 MB)');
    expect(plan.detail).toContain('one token per transaction');
    expect(withoutFor(plan)).toEqual(['PlatformCachePartition']);
  });

  it('does not read any other failure as "no room"', async () => {
    await expect(
      planTokenCache('orga', async () => {
        throw new Error('INVALID_SESSION_ID: Session expired or invalid');
      }),
    ).rejects.toThrow('INVALID_SESSION_ID');
  });
});
