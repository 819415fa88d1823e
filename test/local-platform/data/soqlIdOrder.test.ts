/**
 * ORDER BY Id sorts as `Id <` compares: case-sensitively, as Salesforce Ids are. With a case-insensitive
 * ORDER BY beside a case-sensitive `<`, a keyset walk (`WHERE Id < :lastId ORDER BY Id DESC`) skipped and
 * repeated rows whenever two Ids differed only in the case of a letter (RecordsResource's cursor).
 */
import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../tools/data/soql.ts';
import { insertRecord } from '../../../tools/data/store.ts';
import { orgDatabase } from './orgDatabase.ts';

const { db, orgId } = orgDatabase('Ids');

describe('SOQL ORDER BY Id', () => {
  it('walks every row once by keyset, in the order ORDER BY gives', () => {
    for (let i = 0; i < 60; i++) insertRecord(db, orgId, 'Account', { Name: `A${i}` });
    const all = runSoql(db, orgId, 'SELECT Id FROM Account ORDER BY Id DESC').records.map((r) => String(r.Id));
    const walked: string[] = [];
    let last: string | undefined;
    for (;;) {
      const q =
        last === undefined
          ? 'SELECT Id FROM Account ORDER BY Id DESC LIMIT 7'
          : 'SELECT Id FROM Account WHERE Id < :lastId ORDER BY Id DESC LIMIT 7';
      const page = runSoql(db, orgId, q, { binds: { lastId: last } }).records.map((r) => String(r.Id));
      if (!page.length) break;
      walked.push(...page);
      last = page[page.length - 1];
    }
    expect(walked).toEqual(all);
    expect(new Set(walked).size).toBe(60);
  });
});
