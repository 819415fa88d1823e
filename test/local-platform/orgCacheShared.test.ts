import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScratchOrg, startTestPlatform } from './helpers.ts';
import { createApexHost } from '../../tools/local-platform/apex/apexHost.ts';
import { executeAnonymous } from '../../tools/apex/index.ts';
import type { StoredOrg } from '../../tools/data/store.ts';
import type { MetadataModule } from '../../tools/local-platform/http/contracts.ts';

/**
 * The org cache is the org's, not a worker thread's: "available to the organization across requests and
 * to all users" (Apex Reference, "Org Class"). The local platform runs each transaction on one of several
 * Apex worker threads, each with its own compiled classes; a value one put must read back in another as
 * an object of the same class. Before the fix an Apex object stayed in the putting thread's memory only,
 * so RemoteRecordsController minted a token per connection on every view (issue 20's bench: 100 of 100).
 */
let p: Awaited<ReturnType<typeof startTestPlatform>>;
let org: StoredOrg;
let admin: string;

const HOLDER = `public class Holder {
  public String token;
  public Integer n;
  public Map<String, List<Date>> days = new Map<String, List<Date>>();
  public Holder(String token) { this.token = token; }
}`;

/** A host as one worker thread has it: its own compile of the org's classes (the comment makes it a new program). */
function workerHost(worker: number) {
  const metadata: MetadataModule = {
    findCachePartition: (_db, _org, name) =>
      name === undefined || name === 'Tokens' ? { name: 'Tokens', isDefault: false, orgCapacityMb: 1 } : undefined,
    listApexClasses: () => [{ name: 'Holder', body: `// compiled by worker ${worker}\n${HOLDER}` }],
  };
  return createApexHost({ db: p.db, org, userId: admin, metadata, records: p.records });
}

async function run(worker: number, code: string): Promise<void> {
  const r = await executeAnonymous(workerHost(worker), code);
  expect(r.compileProblem, r.compileProblem).toBeUndefined();
  expect(r.exceptionMessage ?? null, r.exceptionMessage).toBeNull();
}

beforeAll(async () => {
  p = await startTestPlatform();
  const made = addScratchOrg(p, 'Shared cache org', 'shared-cache@scratch.local', {
    features: ['PlatformCache'],
    settings: { platformCache: { orgCapacityMb: 3 } },
  });
  org = made.org;
  admin = made.adminId;
});
afterAll(async () => {
  await p?.cleanup();
});

describe('Cache.Org across Apex worker threads', () => {
  it('reads an Apex object put by another worker as an object of its class, and as a copy', async () => {
    await run(
      1,
      `Holder h = new Holder('abc'); h.n = 3; h.days.put('x', new List<Date>{ Date.newInstance(2026, 12, 7) });
      Cache.Org.put('local.Tokens.tok1', h, 600);`,
    );
    const row = p.db
      .prepare("SELECT count(*) AS n FROM cache_entries WHERE org_id = ? AND partition = 'local.Tokens' AND key = 'tok1'")
      .get(org.id) as { n: number };
    expect(row.n, 'the value is in the store every worker reads').toBe(1);
    await run(
      2,
      `Object v = Cache.Org.get('local.Tokens.tok1');
      System.assert(v instanceof Holder, 'not a Holder: ' + v);
      Holder h = (Holder) v;
      System.assertEquals('abc', h.token);
      System.assertEquals(3, h.n);
      System.assertEquals(Date.newInstance(2026, 12, 7), h.days.get('x')[0]);
      h.token = 'changed';`,
    );
    await run(3, `System.assertEquals('abc', ((Holder) Cache.Org.get('local.Tokens.tok1')).token, 'a get returns a copy');`);
  });

  it('sees a remove or a new put of another worker', async () => {
    await run(1, `Cache.Org.put('local.Tokens.tok2', new Holder('first'), 600);`);
    await run(2, `System.assertEquals('first', ((Holder) Cache.Org.get('local.Tokens.tok2')).token);`);
    await run(3, `Cache.Org.put('local.Tokens.tok2', new Holder('second'), 600);`);
    await run(1, `System.assertEquals('second', ((Holder) Cache.Org.get('local.Tokens.tok2')).token);`);
    await run(2, `System.assert(Cache.Org.remove('local.Tokens.tok2'));`);
    await run(1, `System.assertEquals(null, Cache.Org.get('local.Tokens.tok2'));`);
  });
});
