/**
 * A's token cache (docs/salesforce-rules.md#cache-partition-missing): the Platform Cache partition OrgBTokens (1 MB of org cache) when A has room for it,
 * none otherwise. No API reports an org's total cache capacity (Tooling/Metadata PlatformCachePartition
 * and PlatformCachePartitionType give only what partitions hold; the Apex Developer Guide's "Platform
 * Cache Limits" gives it by edition, with trial and purchased cache on top), so A itself is asked: a
 * check-only deploy of the partition succeeds exactly when it fits. Developer Edition orgs have 0 MB
 * unless a trial is granted. Without the partition the client mints one token per transaction:
 * OrgBAccountsClient.PlatformTokenCache treats the missing partition's OrgCacheException as a miss.
 */
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { deploySource, listMetadata } from './orgOps.ts';
import { projectRoot } from './sfCli.ts';

export const TOKEN_PARTITION = 'OrgBTokens';
export const PARTITION_TYPE = 'PlatformCachePartition';
export const PARTITION_SOURCE = join(
  projectRoot,
  'force-app',
  'consumer',
  'main',
  'default',
  'cachePartitions',
  `${TOKEN_PARTITION}.cachePartition-meta.xml`,
);

export interface TokenCachePlan {
  /** Deploy the partition with force-app/consumer. */
  partition: boolean;
  /** Why, for the user (the org's refusal when it has no room). */
  detail: string;
}

/** Whether A can hold the token partition: a check-only deploy of it, nothing saved. */
export async function planTokenCache(
  alias: string,
  validate = (a: string) => deploySource(a, [PARTITION_SOURCE], { checkOnly: true }),
): Promise<TokenCachePlan> {
  try {
    await validate(alias);
    return { partition: true, detail: `local.${TOKEN_PARTITION} (1 MB of org cache)` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Salesforce's wording for "no room" is unverified: anything about capacity or allocation counts as that;
    // any other refusal is an error of its own, not a reason to go without a cache.
    if (!/capacity|allocat/i.test(message)) throw error;
    return {
      partition: false,
      detail: `none: ${alias} has no room for local.${TOKEN_PARTITION} (${message.replace(/^Deploy to \S+ failed: /, '')}); A mints one token per transaction`,
    };
  }
}

/** The metadata types to leave out of A's deploy for a plan. */
export function withoutFor(plan: TokenCachePlan | undefined): string[] {
  return plan && !plan.partition ? [PARTITION_TYPE] : [];
}

/** What verify says about A's token cache: the partition when A has it, else none. */
export async function describeTokenCache(alias: string): Promise<string> {
  const names = await listMetadata(alias, PARTITION_TYPE).catch((error: unknown) => {
    throw new ToolError(
      `Could not list ${alias}'s Platform Cache partitions: ${error instanceof Error ? error.message : String(error)}`,
      'CacheCheckFailed',
    );
  });
  return names.some((n) => n.toLowerCase() === TOKEN_PARTITION.toLowerCase())
    ? `local.${TOKEN_PARTITION} (tokens kept between transactions)`
    : `none (no partition local.${TOKEN_PARTITION}: one token per transaction)`;
}
