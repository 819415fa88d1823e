/**
 * The library pieces the command builds on: the atomic writer (nothing half-written, exact modes),
 * the force-app guard through symlinks, alias rules, rotation names, and inspect's validity arithmetic.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyMaterial, type KeyMaterial } from '../../tools/certs/keyMaterial.ts';
import { writeCertificateSet } from '../../tools/certs/writeCertificateSet.ts';
import { assertValidApiName } from '../../tools/certs/apiName.ts';
import { nextAlias } from '../../tools/certs/rotateCertificateSet.ts';
import { inspectFile } from '../../tools/certs/inspect.ts';
import { decodeJks } from '../../tools/certs/jks.ts';
import { listAll, removeDir, tempDir } from './helpers.ts';

let root: string;
let material: KeyMaterial;
let other: KeyMaterial;

beforeAll(async () => {
  root = tempDir('certs-lib-');
  [material, other] = await Promise.all([
    createKeyMaterial({ alias: 'Lib_Key', days: 2 }),
    createKeyMaterial({ alias: 'Other_Key', days: 2 }),
  ]);
});
afterAll(() => removeDir(root));

describe('writeCertificateSet', () => {
  it('a key that does not match the certificate: throws before creating anything, not even the folder', () => {
    const out = join(root, 'new', 'nested');
    expect(() =>
      writeCertificateSet(out, { ...material, privateKeyPem: other.privateKeyPem }, { value: 'password-1', source: 'generated' }),
    ).toThrow('The private key does not match the certificate chain in the keystore.');
    expect(existsSync(join(root, 'new'))).toBe(false);
  });

  it('writes exact modes even under a permissive umask, and leaves no temporary files', () => {
    const out = join(root, 'modes');
    const old = process.umask(0);
    try {
      const set = writeCertificateSet(out, material, { value: 'password-1', source: 'generated' });
      expect(statSync(set.privateKey).mode & 0o777).toBe(0o600);
      expect(statSync(set.jks).mode & 0o777).toBe(0o600);
      expect(statSync(set.pkcs12).mode & 0o777).toBe(0o600);
      expect(statSync(set.password!).mode & 0o777).toBe(0o600);
      expect(statSync(set.certificate).mode & 0o777).toBe(0o644);
      expect(statSync(out).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(old);
    }
    expect(listAll(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('with force and a password from the environment, a stale generated password file is removed', () => {
    const out = join(root, 'stale');
    writeCertificateSet(out, material, { value: 'generated-1', source: 'generated' });
    expect(listAll(out)).toContain('lib_key.password');
    writeCertificateSet(out, material, { value: 'from-env-22', source: 'env' }, { force: true });
    expect(listAll(out)).not.toContain('lib_key.password');
    expect(decodeJks(readFileSync(join(out, 'lib_key.jks')), 'from-env-22')[0]!.alias).toBe('lib_key');
  });

  it('refuses force-app/ also when reached through a symlink', () => {
    const project = join(root, 'project');
    mkdirSync(join(project, 'force-app', 'main'), { recursive: true });
    symlinkSync(join(project, 'force-app', 'main'), join(root, 'innocent'));
    expect(() => writeCertificateSet(join(root, 'innocent', 'certs'), material, { value: 'password-1', source: 'generated' })).toThrow(
      /inside force-app/,
    );
    expect(listAll(join(project, 'force-app', 'main'))).toEqual([]);
  });
});

describe('aliases', () => {
  it('accepts Salesforce API names and rejects the rest', () => {
    for (const ok of ['A', 'OrgA_JWT_Signing', 'key_v2', 'x1']) expect(() => assertValidApiName(ok)).not.toThrow();
    for (const bad of ['_a', '9a', 'a__b', 'a_', 'a-b', 'a.b', 'ä', ''])
      expect(() => assertValidApiName(bad), bad).toThrow(/not a valid Salesforce API name/);
  });

  it('rotation names stay valid and count up', () => {
    expect(nextAlias('orga_jwt_signing')).toBe('orga_jwt_signing_v2');
    expect(nextAlias('orga_jwt_signing_v2')).toBe('orga_jwt_signing_v3');
    expect(nextAlias('k_v9')).toBe('k_v10');
    expect(() => assertValidApiName(nextAlias('k_v9'))).not.toThrow();
  });
});

describe('inspectFile', () => {
  it('days left and expiry follow the clock', () => {
    const path = join(root, 'lib.cert.pem');
    writeFileSync(path, material.certificatePem);
    const now = inspectFile(path).entries[0]!;
    expect([1, 2]).toContain(now.daysLeft);
    expect(now.expired).toBe(false);
    const later = inspectFile(path, { now: new Date(material.notAfter.getTime() + 3 * 86_400_000) }).entries[0]!;
    expect(later.expired).toBe(true);
    expect(later.daysLeft).toBe(-3);
  });

  it('reads a DER certificate (binary .cer) as a certificate, not as a PKCS#12', () => {
    const path = join(root, 'lib.cer');
    writeFileSync(path, new X509Certificate(material.certificatePem).raw);
    expect(inspectFile(path)).toMatchObject({
      kind: 'certificate',
      entries: [{ fingerprintSha256: material.fingerprintSha256, keyBits: 2048 }],
    });
  });

  it('reports a PKCS#1 key as such (it must be converted before use)', () => {
    const path = join(root, 'pkcs1.pem');
    writeFileSync(path, createPrivateKey(material.privateKeyPem).export({ format: 'pem', type: 'pkcs1' }) as string);
    expect(inspectFile(path).entries[0]).toMatchObject({ keyFormat: 'pkcs1', keyBits: 2048, keyMatchesCertificate: null });
  });
});
