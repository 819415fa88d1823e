/**
 * The scratch definitions give each org what its package directory needs, and the numbers that tie the
 * orgs together agree: A's cache partition fits the PlatformCache allocation, and A caches B's tokens for
 * less than B's session lasts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './projectFiles.ts';

interface ScratchDefinition {
  edition: string;
  features: string[];
  settings?: Record<string, Record<string, unknown>>;
}

const read = (file: string): string => readFileSync(path.join(projectRoot, file), 'utf8');
const provider = JSON.parse(read('config/provider-scratch-def.json')) as ScratchDefinition;
const consumer = JSON.parse(read('config/consumer-scratch-def.json')) as ScratchDefinition;

/** Metadata API SessionSettings.sessionTimeout values, in seconds. */
const SESSION_TIMEOUTS: Record<string, number> = {
  FifteenMinutes: 900,
  ThirtyMinutes: 1800,
  SixtyMinutes: 3600,
  TwoHours: 7200,
  FourHours: 14400,
  EightHours: 28800,
  TwelveHours: 43200,
  TwentyFourHours: 86400,
};

/** "Enables Platform Cache and allocates a 3 MB cache" (Salesforce DX Developer Guide, scratch org features). */
const SCRATCH_PLATFORM_CACHE_MB = 3;

function apexInteger(className: string, constant: string): number {
  const source = read(`force-app/consumer/main/default/classes/${className}.cls`);
  const match = new RegExp(`static final Integer ${constant} = (\\d+);`).exec(source);
  if (!match) throw new Error(`${className}.${constant} not found`);
  return Number(match[1]);
}

describe('scratch definitions', () => {
  it('give Org B the API and Apex it serves AccountRetriever with', () => {
    expect(provider.edition).toBe('Developer');
    expect(provider.features).toEqual(expect.arrayContaining(['API', 'AuthorApex']));
  });

  it("follow Salesforce's recipe for External Client Apps in B, without the deprecated consumer-secret setting", () => {
    expect(provider.features).toEqual(expect.arrayContaining(['ExternalClientApps', 'ExtlClntAppSecretExposeCtl']));
    expect(provider.settings?.externalClientAppSettings).toEqual({ enableExternalClientApps: true });
  });

  it('give Org A the API, Apex and Platform Cache its caller needs', () => {
    expect(consumer.edition).toBe('Developer');
    expect(consumer.features).toEqual(expect.arrayContaining(['API', 'AuthorApex', 'PlatformCache']));
  });

  it("size A's token partition within the scratch org's Platform Cache", () => {
    const partition = new XMLParser().parse(read('force-app/consumer/main/default/cachePartitions/OrgBTokens.cachePartition-meta.xml')) as {
      PlatformCachePartition: { platformCachePartitionTypes: { cacheType: string; allocatedCapacity: number }[] };
    };
    const types = partition.PlatformCachePartition.platformCachePartitionTypes;
    const total = types.reduce((sum, t) => sum + t.allocatedCapacity, 0);
    expect(types.find((t) => t.cacheType === 'Organization')?.allocatedCapacity).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(SCRATCH_PLATFORM_CACHE_MB);
  });

  it("cache B's tokens for less than B's session lasts, and at least the org cache minimum", () => {
    const ttl = apexInteger('OrgBAccountsClient', 'TOKEN_TTL_SECONDS');
    const timeout = String(
      (provider.settings?.securitySettings?.sessionSettings as { sessionTimeout?: string } | undefined)?.sessionTimeout,
    );
    expect(SESSION_TIMEOUTS[timeout], `unknown sessionTimeout ${timeout}`).toBeDefined();
    expect(ttl).toBeLessThan(SESSION_TIMEOUTS[timeout]);
    expect(ttl).toBeLessThan(Math.min(...Object.values(SESSION_TIMEOUTS)));
    expect(ttl).toBeGreaterThanOrEqual(300);
  });

  it('keep the JWT inside the 3-minute window Salesforce allows', () => {
    const validity = apexInteger('Jwt', 'VALIDITY_SECONDS');
    expect(validity).toBeGreaterThan(0);
    expect(validity).toBeLessThanOrEqual(180);
  });
});
