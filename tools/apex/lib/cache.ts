/** Platform Cache: Cache.Org, Cache.Session, their partitions and Cache.Visibility (keys, partitions, test isolation). */
import { defineEnum, NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexObject, ApexSet, TypeValue, stringValueOf } from '../run/values.ts';
import { newObject, callVirtual } from '../run/calls.ts';
import { throwEx, throwNpe, unsupported } from '../run/exceptions.ts';
import { instanceOf } from '../run/types.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

import { isStoredCacheValue, readCacheValue, storeCacheValue } from './cacheValues.ts';

const str = (v: unknown) => stringValueOf(v);

// ---------------------------------------------------------------- Platform Cache

const CACHE_KEY = /^[a-zA-Z0-9]{1,50}$/;

function cacheKey(f: Frame, partition: string | null, key: unknown): string {
  const k = str(key);
  const parts = k.split('.');
  const bare = parts[parts.length - 1];
  if (!CACHE_KEY.test(bare)) throwEx(f, 'IllegalArgumentException', `Key must be alphanumeric: ${k}`);
  if (partition) return partition + '.' + bare;
  return k;
}

function partitionOf(full: string): string | undefined {
  const parts = full.split('.');
  return parts.length >= 3 ? parts.slice(0, 2).join('.') : undefined;
}

/**
 * Whether an org cache operation runs: a partition the org does not have throws OrgCacheException ("an
 * attempt is made to access a partition that doesn't exist", Apex Reference "Cache Exceptions"; the same
 * in tests: aer-dist#160, Pharos-AI/triton#33); one with no allocation is skipped without error ("cache
 * operations (such as get and put) are not invoked and no error is returned", Apex Developer Guide
 * "Platform Cache Partitions"). unverified: the exception's exact text.
 */
async function orgCacheUsable(f: Frame, op: string, partition: string | null, key: unknown, k: string): Promise<boolean> {
  const name = partition ?? partitionOf(k);
  const cap = await f.tx.hostCall(() => f.tx.host.cacheCapacityMb(name));
  if (!(await orgPartitionExists(f, name, cap))) {
    throwEx(
      f,
      'Cache.Org.OrgCacheException',
      name
        ? `Failed Cache.Org.${op}() for key '${str(key)}': partition ${name} does not exist in this org. Create it in Setup (Platform Cache) or deploy its PlatformCachePartition.`
        : `Failed Cache.Org.${op}() for key '${str(key)}': this org has no default org cache partition. Qualify the key with its partition (local.Partition.key) or mark a partition as default in Setup.`,
    );
  }
  return cap > 0;
}

async function orgPartitionExists(f: Frame, name: string | undefined, cap?: number): Promise<boolean> {
  const host = f.tx.host;
  if (host.cachePartitionExists) return f.tx.hostCall(() => host.cachePartitionExists!(name));
  return (cap ?? (await f.tx.hostCall(() => host.cacheCapacityMb(name)))) > 0;
}

/**
 * Cache.Org.getPartition checks its partition at once: a null or empty name throws
 * Cache.InvalidParamException, a partition the org lacks Cache.Org.OrgCacheException (Apex Reference,
 * "Cache Exceptions"; NebulaLogger's LoggerCache and force-di's di_PlatformCache catch it there and fall
 * back, tests green on real orgs). unverified: the exceptions' exact text.
 */
async function orgPartition(f: Frame, name: unknown): Promise<NObj> {
  if (name === null || str(name).trim() === '')
    throwEx(f, 'Cache.InvalidParamException', 'Invalid partition name: the partition name is null or empty.');
  const full = str(name);
  if (!(await orgPartitionExists(f, full)))
    throwEx(
      f,
      'Cache.Org.OrgCacheException',
      `Failed Cache.Org.getPartition(): partition ${full} does not exist in this org. Create it in Setup (Platform Cache) or deploy its PlatformCachePartition.`,
    );
  const p = new NObj('Cache.OrgPartition');
  p.set('name', full);
  return p;
}

/** Outside tests the value goes to the host serialized (cacheValues.ts), so every worker's transactions read it. */
async function cachePut(f: Frame, partition: string | null, args: unknown[]): Promise<null> {
  const [key, value, ttl] = args;
  const k = cacheKey(f, partition, key);
  if (!(await orgCacheUsable(f, 'put', partition, key, k))) return null;
  let seconds = typeof ttl === 'number' ? ttl : 86400;
  if (seconds < 300) seconds = 300;
  if (seconds > 172800) seconds = 172800;
  if (f.tx.isTest) testCache(f).set(k, value);
  else await f.tx.hostCall(() => f.tx.host.cachePut(k, storeCacheValue(f, value) ?? value, seconds));
  return null;
}

/**
 * In tests the org cache starts empty and what a test puts stays with it: apex-recipes' tests, green
 * on real orgs, expect a miss for a key another test method put. unverified beyond that suite.
 */
function testCache(f: Frame): Map<string, unknown> {
  let m = f.tx.cacheLocal.get('orgcache.test') as Map<string, unknown> | undefined;
  if (!m) f.tx.cacheLocal.set('orgcache.test', (m = new Map()));
  return m;
}

async function orgGet(f: Frame, k: string): Promise<unknown> {
  if (f.tx.isTest) return testCache(f).get(k);
  const v = await f.tx.hostCall(() => f.tx.host.cacheGet(k));
  return isStoredCacheValue(v) ? readCacheValue(f, v) : v;
}

/** Keys of a partition without their `namespace.partition.` prefix. */
function keysIn(all: Iterable<string>, partition: string | null): ApexSet {
  const out = new ApexSet({ name: 'String', args: [], array: 0 });
  const prefix = partition ? partition.toLowerCase() + '.' : null;
  for (const k of all) {
    if (prefix ? k.toLowerCase().startsWith(prefix) : partitionOf(k) === undefined) out.add(prefix ? k.slice(prefix.length) : k);
  }
  return out;
}

function cacheOps(partition: (self: NObj | null) => string | null) {
  return {
    get: async (f: Frame, self: NObj | null, [key]: unknown[]) => {
      const k = cacheKey(f, partition(self), key);
      if (!(await orgCacheUsable(f, 'get', partition(self), key, k))) return null;
      const v = await orgGet(f, k);
      return v === undefined ? null : v;
    },
    put: (f: Frame, self: NObj | null, args: unknown[]) => cachePut(f, partition(self), args),
    remove: async (f: Frame, self: NObj | null, args: unknown[]) => {
      const key = builderKey(args);
      const k = cacheKey(f, partition(self), key);
      if (!(await orgCacheUsable(f, 'remove', partition(self), key, k))) return false;
      return f.tx.isTest ? testCache(f).delete(k) : f.tx.hostCall(() => f.tx.host.cacheRemove(k));
    },
    contains: async (f: Frame, self: NObj | null, [key]: unknown[]) => {
      const k = cacheKey(f, partition(self), key);
      if (!(await orgCacheUsable(f, 'contains', partition(self), key, k))) return false;
      return (await orgGet(f, k)) !== undefined;
    },
    getCapacity: async (f: Frame, self: NObj | null) => f.tx.hostCall(() => f.tx.host.cacheCapacityMb(partition(self) ?? undefined)),
    getKeys: async (f: Frame, self: NObj | null, _a: unknown[], site: Site) => {
      if (f.tx.isTest) return keysIn(testCache(f).keys(), partition(self));
      const host = f.tx.host;
      if (!host.cacheKeys) return unsupported(f, 'Cache.Org getKeys on this org', site);
      return keysIn(await f.tx.hostCall(() => host.cacheKeys!()), partition(self));
    },
  };
}
const staticOps = cacheOps(() => null);
const partOps = cacheOps((self) => self!.get<string>('name'));
defineNative({
  name: 'Cache.Org',
  statics: {
    get: (f, a, site) => viaBuilder(f, staticOps, null, a, site),
    put: (f, a) => staticOps.put(f, null, a),
    remove: (f, a) => staticOps.remove(f, null, a),
    contains: (f, a) => staticOps.contains(f, null, a),
    getPartition: (f, [name]) => orgPartition(f, name),
    getCapacity: (f) => staticOps.getCapacity(f, null),
    getKeys: (f, a, site) => staticOps.getKeys(f, null, a, site),
    getNumKeys: async (f, a, site) => ((await staticOps.getKeys(f, null, a, site)) as ApexSet).map.size,
  },
});
defineNative({
  name: 'Cache.OrgPartition',
  methods: {
    get: (f, p: NObj, a, site) => viaBuilder(f, partOps, p, a, site),
    put: partOps.put,
    remove: partOps.remove,
    contains: partOps.contains,
    getCapacity: partOps.getCapacity,
    getKeys: partOps.getKeys,
    getNumKeys: async (f, p: NObj, a, site) => ((await partOps.getKeys(f, p, a, site)) as ApexSet).map.size,
    getName: (f, p: NObj) => p.get('name'),
    // Partition.isAvailable "only applies to Cache.SessionPartition" (Apex Reference, "Partition Class"):
    // an org partition needs no session
    isAvailable: () => true,
  },
});
// an enum like any other: values(), valueOf('ALL') (Apex Reference, "Visibility Enum" and "Enum Methods")
defineEnum('Cache.Visibility', ['ALL', 'NAMESPACE']);
// ---------------------------------------------------------------- Session cache

/**
 * Session cache, kept per user for the life of the runtime's transaction (a local simplification:
 * Salesforce keeps it for the login session; a miss is always allowed, so callers must cope). The
 * capacity is the partition's Session allocation; 0 throws SessionCacheException.
 */
async function sessionPut(f: Frame, partition: string | null, args: unknown[]): Promise<null> {
  const [key, value, ttl] = args;
  const k = cacheKey(f, partition, key);
  const cap = await f.tx.hostCall(async () =>
    f.tx.host.sessionCacheCapacityMb ? f.tx.host.sessionCacheCapacityMb(partition ?? partitionOf(k)) : 0,
  );
  if (cap <= 0)
    // unverified: exact SessionCacheException text for a partition without session capacity.
    throwEx(
      f,
      'Cache.Session.SessionCacheException',
      `Failed Cache.Session.put() for key '${str(key)}': the partition has no allocated session cache capacity. Allocate capacity to the partition in Setup.`,
    );
  let seconds = typeof ttl === 'number' ? ttl : 28800;
  if (seconds < 300) seconds = 300;
  if (seconds > 28800) seconds = 28800;
  sessionStore(f).set(k, { value, expires: Date.now() + seconds * 1000 });
  return null;
}

function sessionStore(f: Frame): Map<string, { value: unknown; expires: number }> {
  const id = 'session.' + f.tx.host.user.id;
  let m = f.tx.cacheLocal.get(id) as Map<string, { value: unknown; expires: number }> | undefined;
  if (!m) f.tx.cacheLocal.set(id, (m = new Map()));
  return m;
}

function sessionOps(partition: (self: NObj | null) => string | null) {
  const read = (f: Frame, self: NObj | null, key: unknown) => {
    const e = sessionStore(f).get(cacheKey(f, partition(self), key));
    return e && e.expires >= Date.now() ? e : undefined;
  };
  return {
    get: (f: Frame, self: NObj | null, [key]: unknown[]) => read(f, self, key)?.value ?? null,
    put: (f: Frame, self: NObj | null, args: unknown[]) => sessionPut(f, partition(self), args),
    remove: (f: Frame, self: NObj | null, args: unknown[]) => sessionStore(f).delete(cacheKey(f, partition(self), builderKey(args))),
    contains: (f: Frame, self: NObj | null, [key]: unknown[]) => read(f, self, key) !== undefined,
    getKeys: (f: Frame, self: NObj | null) => keysIn(sessionStore(f).keys(), partition(self)),
    getCapacity: async (f: Frame, self: NObj | null) =>
      f.tx.hostCall(async () => (f.tx.host.sessionCacheCapacityMb ? f.tx.host.sessionCacheCapacityMb(partition(self) ?? undefined) : 0)),
  };
}
const sessionStatic = sessionOps(() => null);
const sessionPart = sessionOps((self) => self!.get<string>('name'));

/**
 * The key a CacheBuilder's value is cached under: the builder class's name and the key ("this parameter is
 * also used as part of the unique key", Apex Reference, "CacheBuilder Interface"; `getKeys()` shows the class
 * name on Salesforce, as codefriar/ApexKit's OrgShapeTests assert). The exact form is ours.
 */
function builderKey(args: unknown[]): unknown {
  const [type, key] = args;
  if (args.length < 2 || !(type instanceof TypeValue) || typeof key !== 'string') return args[0];
  // the composite stays within the 50 characters a key may have, so a valid key never fails for its length
  return type.display.replace(/[^A-Za-z0-9]/g, '').slice(0, Math.max(0, 50 - key.length)) + key;
}

/** get(Type cacheBuilder, key): a miss runs the CacheBuilder's doLoad(key) and stores its result. */
async function viaBuilder(
  f: Frame,
  ops: { get: (f: Frame, s: NObj | null, a: unknown[]) => unknown; put: (f: Frame, s: NObj | null, a: unknown[]) => Promise<unknown> },
  self: NObj | null,
  args: unknown[],
  site: Site,
): Promise<unknown> {
  const [type, key] = args;
  if (!(type instanceof TypeValue)) return ops.get(f, self, args);
  const stored = builderKey(args);
  const hit = await ops.get(f, self, [stored]);
  if (hit !== null) return hit;
  const builder = await newObject(f, type.ref, [], site);
  if (!(builder instanceof ApexObject) || !instanceOf(f, builder, { name: 'Cache.CacheBuilder', args: [], array: 0 }, site))
    throwEx(f, 'Cache.InvalidCacheBuilderException', `${type.display} does not implement Cache.CacheBuilder`);
  const v = await callVirtual(f, builder as ApexObject, 'doLoad', [key], site);
  if (v !== null) await ops.put(f, self, [stored, v]);
  return v;
}

defineNative({
  name: 'Cache.Session',
  statics: {
    get: (f, a, site) => viaBuilder(f, sessionStatic, null, a, site),
    put: (f, a) => sessionStatic.put(f, null, a),
    remove: (f, a) => sessionStatic.remove(f, null, a),
    contains: (f, a) => sessionStatic.contains(f, null, a),
    getCapacity: (f) => sessionStatic.getCapacity(f, null),
    getKeys: (f) => sessionStatic.getKeys(f, null),
    isAvailable: () => true,
    getPartition: (f, [name]) => {
      if (name === null) throwNpe(f);
      const p = new NObj('Cache.SessionPartition');
      p.set('name', str(name));
      return p;
    },
  },
});
defineNative({
  name: 'Cache.SessionPartition',
  methods: {
    get: (f, p: NObj, a, site) => viaBuilder(f, sessionPart, p, a, site),
    put: sessionPart.put,
    remove: sessionPart.remove,
    contains: sessionPart.contains,
    getCapacity: sessionPart.getCapacity,
    getKeys: sessionPart.getKeys,
    getName: (f, p: NObj) => p.get('name'),
    isAvailable: () => true,
  },
});
/** The common supertype of OrgPartition and SessionPartition. */
defineNative({
  name: 'Cache.Partition',
  instanceOf: (v) => v instanceof NObj && (v.typeName === 'Cache.OrgPartition' || v.typeName === 'Cache.SessionPartition'),
});

// Decimal helpers used by Limits CPU checks
