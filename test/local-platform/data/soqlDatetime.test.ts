/**
 * Datetime comparisons in the platform's SOQL: a row stored as `…+0000` (the REST format, nowIso) or as
 * `…Z` (Apex DML, Test.setCreatedDate) matches a bound or literal Datetime of the same instant with `=`
 * and `<=`, not with `<` — a keyset cursor (`CreatedDate < :last OR (CreatedDate = :last AND Id < :id)`)
 * depends on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../../tools/local-platform/devhub/orgs.ts';
import { runSoql } from '../../../tools/data/soql.ts';
import { insertRecord, openDatabase, updateRecord } from '../../../tools/data/store.ts';

const home = mkdtempSync(path.join(tmpdir(), 'soql-datetime-'));
const db = openDatabase(home);
afterAll(() => {
  db.close();
  rmSync(home, { recursive: true, force: true });
});

describe('SOQL Datetime comparisons', () => {
  it('compare instants, whichever spelling the row and the value have', () => {
    const { org } = createOrg(db, {
      name: 'Datetimes',
      kind: 'scratch',
      port: 1,
      edition: 'Developer',
      features: ['API'],
      settings: {},
      admin: { username: 'admin@datetimes.test', email: 'admin@example.test', lastName: 'Admin' },
    });
    const plus = insertRecord(db, org.id, 'Account', { Name: 'Plus' });
    updateRecord(db, org.id, 'Account', plus, { CreatedDate: '2026-01-01T00:03:00.000+0000' }, { trusted: true });
    const zulu = insertRecord(db, org.id, 'Account', { Name: 'Zulu' });
    updateRecord(db, org.id, 'Account', zulu, { CreatedDate: '2026-01-01T00:03:00.000Z' }, { trusted: true });
    const count = (where: string, binds: Record<string, unknown> = {}) =>
      runSoql(db, org.id, `SELECT Id FROM Account WHERE ${where}`, { binds }).totalSize;

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
