import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { newTestPlatform } from './fixtures.ts';
import { importKeystore, getCertificate, retrieveComponents } from '../../../tools/local-platform/metadata/index.ts';
import type { OrgInfo } from '../../../tools/local-platform/http/contracts.ts';
import JSZip from 'jszip';

// Keystores made by the real keytool, as a person following Salesforce's help would make them.
const platform = newTestPlatform();
const dir = mkdtempSync(join(tmpdir(), 'md-jks-'));
let org: OrgInfo;
const PASS = 'store-pass-1';

function keytool(args: string[]): void {
  execFileSync('keytool', args, { stdio: 'pipe' });
}
function genKey(file: string, alias: string, opts: { keyalg?: string; keysize?: string; keypass?: string } = {}): Buffer {
  keytool([
    '-genkeypair',
    '-alias',
    alias,
    '-keyalg',
    opts.keyalg ?? 'RSA',
    '-keysize',
    opts.keysize ?? '2048',
    '-storetype',
    'JKS',
    '-keystore',
    join(dir, file),
    '-storepass',
    PASS,
    '-keypass',
    opts.keypass ?? PASS,
    '-dname',
    `CN=${alias}`,
    '-validity',
    '30',
  ]);
  return readFileSync(join(dir, file));
}

beforeAll(() => {
  ({ org } = platform.addOrg({ name: 'Keystore org' }));
});
afterAll(() => {
  platform.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('Import from Keystore', () => {
  it('imports a JKS key pair as a Certificate named after its alias, retrievable as public PEM only', async () => {
    const jks = genKey('good.jks', 'OrgA_Imported');
    const imported = importKeystore(platform.db, org.id, { jks, password: PASS, label: 'Imported signing key' });
    // JKS stores aliases in lower case, so that is the name the certificate gets.
    expect(imported).toEqual([{ name: 'orga_imported', label: 'Imported signing key', keySize: 2048, expirationDate: expect.any(String) }]);
    const kp = getCertificate(platform.db, org.id, 'orga_imported')!;
    expect(new X509Certificate(kp.certificatePem).checkPrivateKey(createPrivateKey(kp.privateKeyPem))).toBe(true);
    const r = await retrieveComponents(platform.db, org.id, { unpackaged: { types: [{ name: 'Certificate', members: ['*'] }] } }, 'k1');
    const zip = await JSZip.loadAsync(Buffer.from(r.zipFile, 'base64'));
    expect(await zip.file('unpackaged/certs/orga_imported.crt')!.async('string')).toContain('BEGIN CERTIFICATE');
    for (const f of Object.values(zip.files)) expect(await f.async('string')).not.toMatch(/PRIVATE KEY/);
    // the same keystore again changes nothing; another key under the same alias is refused
    expect(importKeystore(platform.db, org.id, { jks, password: PASS })).toEqual([
      expect.objectContaining({ name: 'orga_imported', unchanged: true }),
    ]);
    expect(getCertificate(platform.db, org.id, 'orga_imported')!.privateKeyPem).toBe(kp.privateKeyPem);
    const other = genKey('other.jks', 'OrgA_Imported');
    expect(() => importKeystore(platform.db, org.id, { jks: other, password: PASS })).toThrow(/already exists/);
  });

  it('refuses a key password that differs from the store password, with Salesforce message', () => {
    const jks = genKey('keypass.jks', 'Diff_Pass', { keypass: 'another-pass-2' });
    expect(() => importKeystore(platform.db, org.id, { jks, password: PASS })).toThrow(
      "The Keystore contains a certificate 'diff_pass' whose per key password is not the same as the keystore password.",
    );
  });

  it('refuses a non-RSA key and a keystore without a PrivateKey entry', () => {
    const ec = genKey('ec.jks', 'Ec_Key', { keyalg: 'EC', keysize: '256' });
    expect(() => importKeystore(platform.db, org.id, { jks: ec, password: PASS })).toThrow('The key is not an RSA key.');
    const pem = join(dir, 'trusted.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', pem, '-subj', '/CN=t', '-days', '2'],
      { stdio: 'pipe' },
    );
    keytool([
      '-importcert',
      '-noprompt',
      '-alias',
      'trusted',
      '-file',
      pem,
      '-storetype',
      'JKS',
      '-keystore',
      join(dir, 'trust.jks'),
      '-storepass',
      PASS,
    ]);
    expect(() => importKeystore(platform.db, org.id, { jks: readFileSync(join(dir, 'trust.jks')), password: PASS })).toThrow(
      "No certificate was imported because the keystore file doesn't contain a PrivateKey entry.",
    );
    const rows = platform.db.prepare("SELECT full_name FROM md_components WHERE org_id = ? AND type = 'Certificate'").all(org.id) as {
      full_name: string;
    }[];
    expect(rows.map((r) => r.full_name)).toEqual(['orga_imported']);
  });
});
