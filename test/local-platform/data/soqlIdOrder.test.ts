/**
 * ORDER BY Id sorts as `Id <` compares: case-sensitively, as Salesforce Ids are. With a case-insensitive
 * ORDER BY beside a case-sensitive `<`, a keyset walk (`WHERE Id < :lastId ORDER BY Id DESC`) skipped and
 * repeated rows whenever two Ids differed only in the case of a letter (RecordsResource's cursor).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../../tools/local-platform/devhub/orgs.ts';
import { runSoql } from '../../../tools/data/soql.ts';
import { insertRecord, openDatabase } from '../../../tools/data/store.ts';

const home = mkdtempSync(path.join(tmpdir(), 'soql-id-order-'));
const db = openDatabase(home);
afterAll(() => {
  db.close();
  rmSync(home, { recursive: true, force: true });
});

describe('SOQL ORDER BY Id', () => {
  it('walks every row once by keyset, in the order ORDER BY gives', () => {
    const { org } = createOrg(db, { name: 'Ids', kind: 'scratch', port: 1, edition: 'Developer', features: ['API'], settings: {}, admin: { username: 'admin@ids.test', email: 'admin@example.test', lastName: 'Admin' } });
    for (let i = 0; i < 60; i++) insertRecord(db, org.id, 'Account', { Name: `A${i}` });
    const all = runSoql(db, org.id, 'SELECT Id FROM Account ORDER BY Id DESC').records.map((r) => String(r.Id));
    const walked: string[] = [];
    let last: string | undefined;
    for (;;) {
      const q = last === undefined ? 'SELECT Id FROM Account ORDER BY Id DESC LIMIT 7' : 'SELECT Id FROM Account WHERE Id < :lastId ORDER BY Id DESC LIMIT 7';
      const page = runSoql(db, org.id, q, { binds: { lastId: last } }).records.map((r) => String(r.Id));
      if (!page.length) break;
      walked.push(...page);
      last = page[page.length - 1];
    }
    expect(walked).toEqual(all);
    expect(new Set(walked).size).toBe(60);
  });
});
