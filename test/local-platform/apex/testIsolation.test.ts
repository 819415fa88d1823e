import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScratchOrg, startTestPlatform } from '../helpers.ts';
import { createApexHost } from '../../../tools/local-platform/apex/apexHost.ts';
import { insertRecord } from '../../../tools/data/store.ts';
import { runTests } from '../../../tools/apex/index.ts';

/**
 * A data-siloed test sees only the records it made, by every query path: inline SOQL, Database.query,
 * Database.queryWithBinds and Database.countQuery (Apex guide, "Isolation of Test Data from Organization
 * Data in Unit Tests"). Dynamic SOQL once saw the org's records on the platform.
 */
const TEST_CLASS = `@IsTest
private class SiloTest {
    @IsTest static void everyQueryPathSeesOnlyTheTestsRows() {
        insert new Account(Name = 'Made by the test');
        Assert.areEqual(1, [SELECT Id FROM Account].size(), 'inline SOQL');
        Assert.areEqual(1, Database.query('SELECT Id FROM Account ORDER BY CreatedDate DESC LIMIT 10').size(), 'Database.query');
        Assert.areEqual(1, Database.queryWithBinds('SELECT Id FROM Account WHERE Name != :n', new Map<String, Object>{ 'n' => 'x' }, AccessLevel.USER_MODE).size(), 'queryWithBinds');
        Assert.areEqual(1, Database.countQuery('SELECT COUNT() FROM Account'), 'countQuery');
    }
}`;

let p: Awaited<ReturnType<typeof startTestPlatform>>;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.cleanup();
});

describe('Apex test data isolation on the platform', () => {
  it('hides the org’s records from inline and dynamic SOQL alike', async () => {
    const { org, adminId } = addScratchOrg(p, 'Silo org', 'silo@scratch.local');
    for (let i = 0; i < 3; i++) insertRecord(p.db, org.id, 'Account', { Name: `Org data ${i}` });
    const metadata = { listApexClasses: () => [{ name: 'SiloTest', body: TEST_CLASS }] };
    const host = createApexHost({ db: p.db, org, userId: adminId, metadata, records: p.records });
    const r = await runTests(host, { classNames: ['SiloTest'] });
    expect(r.compileErrors).toEqual([]);
    expect(r.tests.map((t) => [t.methodName, t.outcome, t.message ?? ''])).toEqual([['everyQueryPathSeesOnlyTheTestsRows', 'Pass', '']]);
  });
});
