/**
 * Test helpers: a real SQLite store (the server's own) with one org, and Metadata API zips built the way
 * the CLI builds them (package.xml at the root, one folder per type).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase, createRecordStore } from '../../../tools/data/store.ts';
import { createOrg } from '../../../tools/local-platform/devhub/orgs.ts';
import type { OrgInfo, RecordStore } from '../../../tools/local-platform/http/contracts.ts';
import { deployZip, ensureMetadataSchema } from '../../../tools/local-platform/metadata/index.ts';

export interface TestOrg {
  db: DatabaseSync;
  org: OrgInfo;
  records: RecordStore;
  adminId: string;
  home: string;
  cleanup(): void;
}

let port = 7000;
export function newTestPlatform(): {
  db: DatabaseSync;
  home: string;
  records: RecordStore;
  addOrg(spec?: Partial<OrgInfo>): { org: OrgInfo; adminId: string };
  cleanup(): void;
} {
  const home = mkdtempSync(join(tmpdir(), 'md-test-'));
  const db = openDatabase(home);
  ensureMetadataSchema(db);
  const records = createRecordStore(db);
  return {
    db,
    home,
    records,
    addOrg(spec = {}) {
      const { org, adminId } = createOrg(db, {
        name: spec.name ?? 'Test Org',
        kind: spec.kind ?? 'scratch',
        port: port++,
        edition: spec.edition ?? 'Developer',
        features: spec.features ?? [],
        settings: spec.settings ?? {},
        admin: { username: `admin${port}@test.local`, email: `admin${port}@test.local`, lastName: 'Admin' },
      } as Parameters<typeof createOrg>[1]);
      return { org, adminId };
    },
    cleanup() {
      db.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `{ 'classes/A.cls': '…', … }` plus a package.xml naming every component. */
export async function zipOf(files: Record<string, string>, manifest: Record<string, string[]>, version = '62.0'): Promise<Buffer> {
  const zip = new JSZip();
  for (const [p, c] of Object.entries(files)) zip.file(p, c);
  const types = Object.entries(manifest)
    .map(([name, members]) => `<types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`)
    .join('');
  zip.file(
    'package.xml',
    `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata">${types}<version>${version}</version></Package>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

export const MD = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
export const classMeta = `<?xml version="1.0" encoding="UTF-8"?><ApexClass ${MD}><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>`;

/**
 * A fresh platform for one test file with Org A (the PlatformCache feature on) and Org B, made before its tests
 * and removed after; `deploy` deploys a zip into A as A's admin, or into `target`.
 */
export function deployOrgs() {
  const platform = newTestPlatform();
  const t = {
    platform,
    org: undefined as unknown as OrgInfo,
    other: undefined as unknown as OrgInfo,
    adminId: '',
    deploy: (zip: Buffer, options = {}, target?: OrgInfo) =>
      deployZip({ db: platform.db, org: target ?? t.org, records: platform.records, userId: t.adminId }, zip, options),
    failures: (r: Awaited<ReturnType<typeof deployZip>>) =>
      r.details.componentFailures.map((f) => `${f.componentType}:${f.fullName}: ${f.problem}`),
  };
  beforeAll(() => {
    ({ org: t.org, adminId: t.adminId } = platform.addOrg({ name: 'Org A', features: ['PlatformCache'] }));
    t.other = platform.addOrg({ name: 'Org B' }).org;
  });
  afterAll(() => platform.cleanup());
  return t;
}
