/**
 * Datetime comparisons in the platform's SOQL: a row stored as `…+0000` (the REST format, nowIso) or as
 * `…Z` (Apex DML, Test.setCreatedDate) matches a bound or literal Datetime of the same instant with `=`
 * and `<=`, not with `<` — a keyset cursor (`CreatedDate < :last OR (CreatedDate = :last AND Id < :id)`)
 * depends on it.
 */
import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../tools/data/soql.ts';
import { insertRecord, updateRecord } from '../../../tools/data/store.ts';
import { orgDatabase } from './orgDatabase.ts';

const { db, orgId } = orgDatabase('Datetimes');

describe('SOQL Datetime comparisons', () => {
  it('compare instants, whichever spelling the row and the value have', () => {
    const plus = insertRecord(db, orgId, 'Account', { Name: 'Plus' });
    updateRecord(db, orgId, 'Account', plus, { CreatedDate: '2026-01-01T00:03:00.000+0000' }, { trusted: true });
    const zulu = insertRecord(db, orgId, 'Account', { Name: 'Zulu' });
    updateRecord(db, orgId, 'Account', zulu, { CreatedDate: '2026-01-01T00:03:00.000Z' }, { trusted: true });
    const count = (where: string, binds: Record<string, unknown> = {}) =>
      runSoql(db, orgId, `SELECT Id FROM Account WHERE ${where}`, { binds }).totalSize;

    for (const last of ['2026-01-01T00:03:00.000Z', '2026-01-01T00:03:00.000+0000']) {
      expect(count('CreatedDate = :lastValue', { lastValue: last }), `= ${last}`).toBe(2);
      expect(count('CreatedDate < :lastValue', { lastValue: last }), `< ${last}`).toBe(0);
      expect(count('CreatedDate > :lastValue', { lastValue: last }), `> ${last}`).toBe(0);
      expect(count('CreatedDate <= :lastValue', { lastValue: last }), `<= ${last}`).toBe(2);
      expect(count('CreatedDate IN :lastValue', { lastValue: [last] }), `IN ${last}`).toBe(2);
    }
    expect(count('CreatedDate = 2026-01-01T00:03:00Z')).toBe(2);
    expect(count('CreatedDate < 2026-01-01T00:03:01Z')).toBe(2);
  });
});
