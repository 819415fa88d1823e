import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerify, X509Certificate } from 'node:crypto';
import { addScratchOrg, startTestPlatform } from './helpers.ts';
import { createApexHost, remoteSiteAllows, unauthorizedEndpoint } from '../../tools/local-platform/apex/apexHost.ts';
import { generateSelfSigned } from '../../tools/local-platform/devhub/cliApp.ts';
import { getOrg, openDatabase, type StoredOrg } from '../../tools/data/store.ts';
import { clearSimulationChanges, networkLatencyMs, writeSimulationChanges } from '../../tools/local-platform/process/simulation.ts';
import type { MetadataModule } from '../../tools/local-platform/http/contracts.ts';

/** The ApexHost the platform gives the Apex runtime: SOQL/DML, transactions, callouts, signing, cache. */
let p: Awaited<ReturnType<typeof startTestPlatform>>;
let cacheOrg: StoredOrg;
let cacheAdmin: string;
const key = generateSelfSigned('Org_A_Signing');

beforeAll(async () => {
  p = await startTestPlatform();
  const made = addScratchOrg(p, 'Cache org', 'cache@scratch.local', {
    features: ['PlatformCache'],
    settings: { platformCache: { orgCapacityMb: 3 } },
  });
  cacheOrg = made.org;
  cacheAdmin = made.adminId;
});
afterAll(async () => {
  await p?.cleanup();
});

function hubHost(metadata: MetadataModule = {}) {
  const hub = getOrg(p.db, p.devHub.id)!;
  const admin = p.db
    .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'User' AND json_extract(fields,'$.Username') = ?")
    .get(hub.id, p.adminUsername) as { id: string };
  return createApexHost({ db: p.db, org: hub, userId: admin.id, metadata, records: p.records });
}

describe('ApexHost', () => {
  it('runs SOQL and DML, and rolls back a transaction', async () => {
    const host = hubHost();
    expect(host.user.profileName).toBe('System Administrator');
    await host.begin();
    const [id] = await host.insert([{ attributes: { type: 'Account' }, Name: 'Rolled back' }], { userMode: true });
    expect((await host.query(`SELECT Name FROM Account WHERE Id = '${id}'`, { userMode: true, binds: {} }))[0].Name).toBe('Rolled back');
    await host.rollback();
    expect(await host.query("SELECT Id FROM Account WHERE Name = 'Rolled back'", { userMode: false, binds: {} })).toHaveLength(0);
    await host.begin();
    const [kept] = await host.insert([{ attributes: { type: 'Account' }, Name: 'Kept' }], { userMode: false });
    await host.update([{ attributes: { type: 'Account' }, Id: kept, Name: 'Kept 2' }], { userMode: false });
    await host.commit();
    const rows = await host.query('SELECT Id, Name FROM Account WHERE Name = :n', { userMode: false, binds: { n: 'Kept 2' } });
    expect(rows).toHaveLength(1);
    // Test.setCreatedDate: an update of CreatedDate alone is accepted; other system fields are not.
    await host.update([{ Id: kept, CreatedDate: '2026-01-01T00:00:00.000+0000' }], { userMode: false });
    expect(
      (await host.query('SELECT CreatedDate FROM Account WHERE Id = :id LIMIT :n', { userMode: true, binds: { id: kept, n: 1 } }))[0]
        .CreatedDate,
    ).toBe('2026-01-01T00:00:00.000+0000');
    // A changed CreatedById fails; the same value the record holds is skipped (a queried record carries it).
    await expect(host.update([{ Id: kept, CreatedById: '005000000000001AAA', Name: 'x' }], { userMode: false })).rejects.toThrow(
      'CreatedById',
    );
    await host.update([{ Id: kept, CreatedById: host.user.id, Name: 'Kept 2' }], { userMode: false });
    await host.delete([kept], { userMode: false });
    expect(await host.query('SELECT Id FROM Account WHERE Name = :n', { userMode: false, binds: { n: 'Kept 2' } })).toHaveLength(0);
  });

  it("ends a read-only transaction without SQLite's write lock, so read-only Apex never queues behind a writer", async () => {
    const writer = openDatabase(p.home);
    writer.exec('BEGIN IMMEDIATE'); // another connection (an Apex worker, the server) holds the write lock
    try {
      const host = hubHost();
      await host.begin();
      expect(await host.query('SELECT Id FROM Organization', { userMode: false, binds: {} })).toHaveLength(1);
      await host.commit(); // before: BEGIN IMMEDIATE here waited busy_timeout (5 s), then "database is locked"
      await host.begin();
      await host.query('SELECT Id FROM Account', { userMode: true, binds: {} });
      await host.rollback();
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it("reads the org's classes again only after the database changed (a deploy by another connection, or a write of its own)", async () => {
    let reads = 0;
    let body = 'public class Versioned { public static Integer v() { return 1; } }';
    const metadata: MetadataModule = { listApexClasses: () => (reads++, [{ name: 'Versioned', body }]) };
    const host = hubHost(metadata);
    expect((await host.listClasses())[0]!.body).toContain('return 1;');
    await host.listClasses();
    await hubHost(metadata).listClasses();
    expect(reads).toBe(1);
    // A deploy on another connection (the server's main thread, seen from an Apex worker).
    body = 'public class Versioned { public static Integer v() { return 2; } }';
    const other = openDatabase(p.home);
    other.exec('CREATE TABLE IF NOT EXISTS deploy_marker (n INTEGER); INSERT INTO deploy_marker VALUES (1)');
    other.close();
    expect((await host.listClasses())[0]!.body).toContain('return 2;');
    expect(reads).toBe(2);
    // A write on this connection.
    body = 'public class Versioned { public static Integer v() { return 3; } }';
    await host.insert([{ attributes: { type: 'Account' }, Name: 'Any write' }], { userMode: false });
    expect((await host.listClasses())[0]!.body).toContain('return 3;');
    expect(reads).toBe(3);
  });

  it('keeps interleaved transactions of two orgs apart (Org A awaiting a callout that Org B serves)', async () => {
    const a = hubHost();
    const b = createApexHost({ db: p.db, org: cacheOrg, userId: cacheAdmin, metadata: {}, records: p.records });
    await a.begin();
    await a.insert([{ attributes: { type: 'Account' }, Name: 'A before callout' }], { userMode: false });
    await b.begin();
    await b.insert([{ attributes: { type: 'Account' }, Name: 'B committed' }], { userMode: false });
    await b.commit();
    await a.insert([{ attributes: { type: 'Account' }, Name: 'A after callout' }], { userMode: false });
    await a.rollback();
    expect(await a.query("SELECT Id FROM Account WHERE Name LIKE 'A %callout'", { userMode: false, binds: {} })).toHaveLength(0);
    expect(await b.query("SELECT Name FROM Account WHERE Name = 'B committed'", { userMode: false, binds: {} })).toHaveLength(1);
  });

  it("refuses callouts to hosts without a Remote Site Setting, with Salesforce's message", async () => {
    const host = hubHost({ findRemoteSites: () => [] });
    const endpoint = `${p.url}/services/data`;
    await expect(host.callout({ method: 'GET', endpoint, headers: {}, body: '', timeoutMs: 5000 })).rejects.toThrow(
      unauthorizedEndpoint(endpoint),
    );
    expect(unauthorizedEndpoint('https://x.test/a')).toBe(
      'Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = https://x.test/a',
    );
  });

  it('makes real loopback HTTP callouts to a registered remote site', async () => {
    const host = hubHost({ findRemoteSites: () => [{ name: 'Self', url: p.url, isActive: true }] });
    const r = await host.callout({ method: 'GET', endpoint: `${p.url}/services/data`, headers: {}, body: '', timeoutMs: 5000 });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body.toString()).at(-1).version).toBe('66.0');
  });

  it('waits the simulated network latency on each callout, set while the platform runs (LOCAL_SF_NETWORK_LATENCY_MS)', async () => {
    const host = hubHost({ findRemoteSites: () => [{ name: 'Self', url: p.url, isActive: true }] });
    const timed = async () => {
      const t0 = performance.now();
      expect(
        (await host.callout({ method: 'GET', endpoint: `${p.url}/services/data`, headers: {}, body: '', timeoutMs: 5000 })).statusCode,
      ).toBe(200);
      return performance.now() - t0;
    };
    writeSimulationChanges(p.db, { networkLatencyMs: 300 });
    try {
      expect(await timed()).toBeGreaterThanOrEqual(300);
    } finally {
      writeSimulationChanges(p.db, { networkLatencyMs: 0 });
    }
    expect(networkLatencyMs(p.db, {})).toBe(0);
    clearSimulationChanges(p.db);
    expect(() => networkLatencyMs(p.db, { LOCAL_SF_NETWORK_LATENCY_MS: 'slow' })).toThrow(
      'LOCAL_SF_NETWORK_LATENCY_MS must be a non-negative number, got "slow"',
    );
  });

  it('matches remote sites by scheme, host, port and path prefix; inactive sites do not count', () => {
    const sites = [
      { url: 'https://b.example.com/services', isActive: true },
      { url: 'https://off.example.com', isActive: false },
    ];
    expect(remoteSiteAllows(sites, 'https://b.example.com/services/apexrest/x')).toBe(true);
    expect(remoteSiteAllows(sites, 'https://b.example.com/other')).toBe(false);
    expect(remoteSiteAllows(sites, 'http://b.example.com/services/x')).toBe(false);
    expect(remoteSiteAllows(sites, 'https://b.example.com:8443/services/x')).toBe(false);
    expect(remoteSiteAllows(sites, 'https://off.example.com/')).toBe(false);
  });

  it("signs with a certificate's private key (RSA-SHA256), verifiable with its public certificate", async () => {
    const host = hubHost({ findCertificate: (_db, _org, name) => (name === 'Org_A_Signing' ? key : undefined) });
    const data = Buffer.from('header.payload');
    const sig = await host.signWithCertificate('RSA-SHA256', data, 'Org_A_Signing');
    expect(createVerify('RSA-SHA256').update(data).verify(new X509Certificate(key.certificatePem).publicKey, sig)).toBe(true);
    await expect(host.signWithCertificate('RSA-SHA256', data, 'Missing')).rejects.toThrow('Missing');
  });

  it('gives a PlatformCache scratch org 3 MB of org cache and a Developer hub none', async () => {
    const host = createApexHost({ db: p.db, org: cacheOrg, userId: cacheAdmin, metadata: {}, records: p.records });
    expect(await host.cacheCapacityMb()).toBe(3);
    await host.cachePut('token', { access_token: 'abc' }, 600);
    expect(await host.cacheGet('token')).toEqual({ access_token: 'abc' });
    expect(await host.cacheRemove('token')).toBe(true);
    expect(await host.cacheGet('token')).toBeUndefined();
    // The runtime's own values (cyclic object graphs) are kept as given, by this process.
    const cyclic: Record<string, unknown> = { token: 'abc' };
    cyclic.self = cyclic;
    await host.cachePut('apexValue', cyclic, 600);
    expect(await host.cacheGet('apexValue')).toBe(cyclic);
    const again = createApexHost({ db: p.db, org: cacheOrg, userId: cacheAdmin, metadata: {}, records: p.records });
    expect(await again.cacheGet('apexValue')).toBe(cyclic);
    // A named partition the org lacks holds nothing, whatever the org's capacity (Cache.Org throws for it).
    expect(await host.cacheCapacityMb('local.NotDeployed')).toBe(0);
    expect(await host.cachePartitionExists!('local.NotDeployed')).toBe(false);
    const hub = hubHost();
    expect(await hub.cacheCapacityMb()).toBe(0);
    await expect(hub.cachePut('token', 'x', 600)).rejects.toThrow('OrgCacheException');
  });

  it('runs as another user of the same org (System.runAs)', async () => {
    const host = hubHost();
    const other = await host.withUser!({ username: p.adminUsername });
    expect(other.user.username).toBe(p.adminUsername);
    await expect(host.withUser!({ username: 'nobody@x.test' })).rejects.toThrow('nobody@x.test');
  });

  it("describes the org's objects for the host's user: an admin edits every field, a Standard User cannot delete or see custom objects", async () => {
    const admin = createApexHost({ db: p.db, org: cacheOrg, userId: cacheAdmin, metadata: {}, records: p.records });
    const account = (await admin.describeSObject!('account'))!;
    expect([account.name, account.keyPrefix, account.accessible, account.deletable]).toEqual(['Account', '001', true, true]);
    const industry = account.fields.find((f) => f.name === 'Industry')!;
    expect([industry.type, industry.accessible, industry.updateable, industry.picklistValues[0].value]).toEqual([
      'picklist',
      true,
      true,
      'Agriculture',
    ]);
    expect(account.fields.find((f) => f.name === 'Id')!.updateable).toBe(false);
    expect(account.childRelationships.map((c) => c.relationshipName)).toContain('Contacts');
    expect(await admin.describeSObject!('NoSuchObject__c')).toBeUndefined();
    expect((await admin.describeGlobal!()).find((o) => o.name === 'Contact')?.keyPrefix).toBe('003');

    const profileId = (
      p.db
        .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'Profile' AND json_extract(fields,'$.Name') = 'Standard User'")
        .get(cacheOrg.id) as { id: string }
    ).id;
    const userId = p.records.upsert(cacheOrg.id, 'User', 'Username', {
      Username: 'std@scratch.local',
      LastName: 'Std',
      Email: 'std@scratch.local',
      ProfileId: profileId,
    });
    const std = await admin.withUser!({ id: userId });
    const asStd = (await std.describeSObject!('Account'))!;
    expect([asStd.accessible, asStd.createable, asStd.deletable]).toEqual([true, true, false]);
  });
});
