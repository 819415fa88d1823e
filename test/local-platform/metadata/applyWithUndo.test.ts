import { afterAll, describe, expect, it } from 'vitest';
import { newTestPlatform } from './fixtures.ts';
import { openDatabase } from '../../../tools/data/store.ts';
import { applyWithUndo, keepApply, undoApply } from '../../../tools/local-platform/metadata/applyWithUndo.ts';
import { ensureMetadataSchema } from '../../../tools/local-platform/metadata/index.ts';

// The undo journal deploy-time tests run under: exact restore of inserted, updated, deleted and replaced rows.
const platform = newTestPlatform();
const { org } = platform.addOrg({ name: 'Undo org' });
afterAll(() => platform.cleanup());

const rows = (db = platform.db) =>
  Object.fromEntries(
    ['records', 'md_components', 'sobject_fields', 'oauth_apps', 'md_async_results'].map((t) => [
      t,
      (db.prepare(`SELECT rowid AS r, * FROM ${t}`).all() as object[]).map((x) => JSON.stringify(x)).sort(),
    ]),
  );
const write = (tag: string) => {
  const db = platform.db;
  db.prepare(
    "INSERT INTO md_components (org_id, type, full_name, files, data, created_at, updated_at) VALUES (?, 'PermissionSet', ?, '{}', '{}', 1, 1)",
  ).run(org.id, `P_${tag}`);
  db.prepare("UPDATE records SET fields = json_set(fields, '$.LastName', ?) WHERE org_id = ? AND sobject = 'User'").run(
    `Changed ${tag}`,
    org.id,
  );
  db.prepare("DELETE FROM records WHERE org_id = ? AND sobject = 'Profile' AND json_extract(fields, '$.Name') = 'Standard User'").run(
    org.id,
  );
  db.prepare("INSERT OR REPLACE INTO sobject_fields (org_id, sobject, name, type) VALUES (?, 'W__c', 'A__c', 'string')").run(org.id);
  db.prepare("INSERT OR REPLACE INTO sobject_fields (org_id, sobject, name, type) VALUES (?, 'W__c', 'A__c', 'double')").run(org.id);
  db.prepare("UPDATE md_async_results SET zip = ?, status = 'Changed'").run(Buffer.from(tag));
};
platform.db
  .prepare(
    "INSERT INTO md_async_results (id, org_id, kind, status, check_only, result, zip, created_at) VALUES ('0Af000000000009AAA', ?, 'deploy', 'Succeeded', 1, '{}', ?, 1)",
  )
  .run(org.id, Buffer.from([0, 1, 2, 255]));

describe('applyWithUndo', () => {
  it('undoes inserts, updates, deletes and INSERT OR REPLACE exactly, rowids included', () => {
    const before = rows();
    const log = applyWithUndo(platform.db, '0Af000000000001AAA', () => write('a'));
    expect(rows()).not.toEqual(before);
    expect(log.entries.map((e) => e.op)).toEqual(expect.arrayContaining(['I', 'U', 'D']));
    undoApply(platform.db, log);
    expect(rows()).toEqual(before);
    expect(platform.db.prepare('SELECT COUNT(*) AS n FROM md_deploy_undo').get()).toEqual({ n: 0 });
    expect(
      platform.db.prepare("SELECT name FROM sqlite_temp_master WHERE type IN ('trigger', 'table') AND name LIKE 'deploy_undo%'").all(),
    ).toEqual([]);
  });

  it('writes nothing when the apply throws, and journals nothing after it returns', () => {
    const before = rows();
    expect(() =>
      applyWithUndo(platform.db, '0Af000000000002AAA', () => {
        write('b');
        throw new Error('bad component');
      }),
    ).toThrow('bad component');
    expect(rows()).toEqual(before);
    const log = applyWithUndo(platform.db, '0Af000000000003AAA', () => write('c'));
    const after = rows();
    platform.db.prepare("INSERT INTO sobject_fields (org_id, sobject, name, type) VALUES (?, 'Other__c', 'B__c', 'string')").run(org.id);
    keepApply(platform.db, log);
    expect(rows().md_components).toEqual(after.md_components);
    expect(platform.db.prepare('SELECT COUNT(*) AS n FROM md_deploy_undo').get()).toEqual({ n: 0 });
  });

  it('a deploy the process died in the middle of is undone when the database is next opened', () => {
    const before = rows();
    applyWithUndo(platform.db, '0Af000000000004AAA', () => write('d')); // no verdict: the "process" stops here
    const reopened = openDatabase(platform.home);
    try {
      ensureMetadataSchema(reopened);
      expect(rows(reopened)).toEqual(before);
      expect(reopened.prepare('SELECT COUNT(*) AS n FROM md_deploy_undo').get()).toEqual({ n: 0 });
    } finally {
      reopened.close();
    }
  });
});
