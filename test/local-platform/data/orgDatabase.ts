/**
 * One scratch org in a platform database of its own, for tests of the data engine (SOQL, DML) that
 * need no server: the database is closed and its folder removed after the file's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll } from 'vitest';
import { createOrg } from '../../../tools/local-platform/devhub/orgs.ts';
import { openDatabase } from '../../../tools/data/store.ts';

export function orgDatabase(name: string): { db: DatabaseSync; orgId: string } {
  const home = mkdtempSync(path.join(tmpdir(), `soql-${name.toLowerCase()}-`));
  const db = openDatabase(home);
  afterAll(() => {
    db.close();
    rmSync(home, { recursive: true, force: true });
  });
  const login = name.toLowerCase();
  const { org } = createOrg(db, {
    name,
    kind: 'scratch',
    port: 1,
    edition: 'Developer',
    features: ['API'],
    settings: {},
    admin: { username: `admin@${login}.test`, email: 'admin@example.test', lastName: 'Admin' },
  });
  return { db, orgId: org.id };
}
