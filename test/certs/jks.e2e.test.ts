/**
 * Our JKS encoder and decoder against the real keytool (Java 17), openssl and jks-js: every file we write
 * is read by an independent implementation, and keystores made by keytool are read by our decoder with
 * Salesforce's Import from Keystore messages for everything Setup rejects.
 */
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jks from 'jks-js';
import { createKeyMaterial, type KeyMaterial } from '../../tools/certs/keyMaterial.ts';
import { decodeJks, encodeJks } from '../../tools/certs/jks.ts';
import { encodePkcs12, decodePkcs12 } from '../../tools/certs/pkcs12.ts';
import { protectKey, recoverKey, passwordBytes } from '../../tools/certs/javaKeyProtector.ts';
import { SALESFORCE_IMPORT_MESSAGES } from '../../tools/certs/certErrors.ts';
import { ToolError } from '../../tools/core/ToolError.ts';
import { keytool, openssl, pemBody, PKCS8_HEADER, removeDir, tempDir } from './helpers.ts';

const PASSWORD = 'test-store-pw-1';
let dir: string;
let material: KeyMaterial;
let jksPath: string;
let p12Path: string;
let certPath: string;
let keyPath: string;
const made: Record<string, string> = {};

function expectToolError(fn: () => unknown, name: string, message?: string): ToolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    const e = error as ToolError;
    expect(e.name).toBe(name);
    if (message !== undefined) expect(e.message).toBe(message);
    expect(e.message).not.toContain('\n');
    expect(e.actions.length).toBeGreaterThan(0);
    return e;
  }
  throw new Error(`expected ToolError ${name}, nothing was thrown`);
}

/** keytool -genkeypair into a JKS; returns the path. Passwords via the environment. */
async function keytoolGenerate(name: string, args: string[], storePass = PASSWORD, keyPass = PASSWORD): Promise<string> {
  const path = join(dir, `${name}.jks`);
  const r = await keytool(
    [
      '-genkeypair',
      '-alias',
      name,
      '-dname',
      `CN=${name}`,
      '-validity',
      '30',
      '-storetype',
      'JKS',
      '-keystore',
      path,
      '-storepass:env',
      'PW',
      '-keypass:env',
      'KP',
      ...args,
    ],
    storePass,
    { KP: keyPass },
  );
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return path;
}

beforeAll(async () => {
  dir = tempDir();
  material = await createKeyMaterial({ alias: 'OrgA_JWT_Signing', cn: 'Org A JWT signing', days: 30 });
  jksPath = join(dir, 'ours.jks');
  p12Path = join(dir, 'ours.p12');
  certPath = join(dir, 'ours.cert.pem');
  keyPath = join(dir, 'ours.key.pem');
  writeFileSync(jksPath, encodeJks({ ...material, password: PASSWORD }));
  writeFileSync(p12Path, encodePkcs12({ ...material, password: PASSWORD }));
  writeFileSync(certPath, material.certificatePem);
  writeFileSync(keyPath, material.privateKeyPem);
  // keystores made by keytool itself, for our decoder (run two at a time: two cores)
  const jobs: Array<[string, () => Promise<string>]> = [
    ['rsa2048', () => keytoolGenerate('kt_rsa', ['-keyalg', 'RSA', '-keysize', '2048'])],
    ['rsa1024', () => keytoolGenerate('kt_small', ['-keyalg', 'RSA', '-keysize', '1024'])],
    ['ec', () => keytoolGenerate('kt_ec', ['-keyalg', 'EC', '-groupname', 'secp256r1'])],
    ['keypass', () => keytoolGenerate('kt_keypass', ['-keyalg', 'RSA', '-keysize', '2048'], PASSWORD, 'another-password')],
    [
      'trusted',
      async () => {
        const path = join(dir, 'trusted.jks');
        const r = await keytool(
          [
            '-importcert',
            '-noprompt',
            '-alias',
            'b_cert',
            '-file',
            certPath,
            '-storetype',
            'JKS',
            '-keystore',
            path,
            '-storepass:env',
            'PW',
          ],
          PASSWORD,
        );
        expect(r.exitCode, String(r.stderr)).toBe(0);
        return path;
      },
    ],
    [
      'pkcs12',
      async () => {
        const path = join(dir, 'kt_p12.p12');
        const r = await keytool(
          [
            '-genkeypair',
            '-alias',
            'kt_p12',
            '-dname',
            'CN=p12',
            '-keyalg',
            'RSA',
            '-keysize',
            '2048',
            '-storetype',
            'PKCS12',
            '-keystore',
            path,
            '-storepass:env',
            'PW',
          ],
          PASSWORD,
        );
        expect(r.exitCode, String(r.stderr)).toBe(0);
        return path;
      },
    ],
  ];
  for (let i = 0; i < jobs.length; i += 2) {
    const batch = jobs.slice(i, i + 2);
    const paths = await Promise.all(batch.map(([, job]) => job()));
    batch.forEach(([name], j) => (made[name] = paths[j]!));
  }
});

afterAll(() => removeDir(dir));

describe('keytool reads the JKS we write', () => {
  it('lists one PrivateKeyEntry with our alias, fingerprint, serial and key size', async () => {
    const r = await keytool(['-list', '-v', '-keystore', jksPath, '-storepass:env', 'PW'], PASSWORD);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    expect(out).toContain('Keystore type: JKS');
    expect(out).toContain('Your keystore contains 1 entry');
    expect(out).toContain('Alias name: orga_jwt_signing');
    expect(out).toContain('Entry type: PrivateKeyEntry');
    expect(out).toContain(`SHA256: ${material.fingerprintSha256}`);
    expect(out).toContain(`Serial number: ${material.serialHex}`);
    expect(out).toContain('2048-bit RSA key');
    expect(out).toContain('SHA256withRSA');
  });

  it('rejects the JKS with a wrong password (so the integrity digest is really checked)', async () => {
    const r = await keytool(['-list', '-keystore', jksPath, '-storepass:env', 'PW'], 'wrong-password');
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stdout) + String(r.stderr)).toContain('password was incorrect');
  });

  it('exports exactly our certificate, found by the alias in any case', async () => {
    const r = await keytool(['-exportcert', '-rfc', '-alias', 'OrgA_JWT_Signing', '-keystore', jksPath, '-storepass:env', 'PW'], PASSWORD);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(pemBody(String(r.stdout))).toBe(pemBody(material.certificatePem));
  });

  it('imports it into a PKCS12 store (decrypting the key with the store password) that openssl reads back as our key', async () => {
    const dest = join(dir, 'imported.p12');
    const r = await keytool(
      [
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        jksPath,
        '-srcstoretype',
        'JKS',
        '-srcstorepass:env',
        'PW',
        '-destkeystore',
        dest,
        '-deststoretype',
        'PKCS12',
        '-deststorepass:env',
        'PW',
      ],
      PASSWORD,
    );
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const key = await openssl(['pkcs12', '-in', dest, '-passin', 'env:PW', '-nocerts', '-nodes'], PASSWORD);
    expect(key.exitCode, String(key.stderr)).toBe(0);
    const exported = createPrivateKey(String(key.stdout)).export({ format: 'der', type: 'pkcs8' });
    expect(exported.equals(createPrivateKey(material.privateKeyPem).export({ format: 'der', type: 'pkcs8' }))).toBe(true);
  });

  it('imports it into another JKS with keytool', async () => {
    const dest = join(dir, 'copy.jks');
    const r = await keytool(
      [
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        jksPath,
        '-srcstoretype',
        'JKS',
        '-srcstorepass:env',
        'PW',
        '-destkeystore',
        dest,
        '-deststoretype',
        'JKS',
        '-deststorepass:env',
        'PW',
      ],
      PASSWORD,
    );
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const [entry] = decodeJks(readFileSync(dest), PASSWORD);
    expect(entry!.alias).toBe('orga_jwt_signing');
    expect(pemBody(entry!.privateKeyPem)).toBe(pemBody(material.privateKeyPem));
  });

  it('hashes a non-ASCII password as Java chars, as keytool does', async () => {
    const path = join(dir, 'umlaut.jks');
    writeFileSync(path, encodeJks({ ...material, password: 'Störe-päss-€' }));
    const r = await keytool(['-list', '-keystore', path, '-storepass:env', 'PW'], 'Störe-päss-€');
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toContain('orga_jwt_signing, ');
  });

  it('writes a 4096-bit key keytool reads as such', async () => {
    const big = await createKeyMaterial({ alias: 'Big_Key', bits: 4096, days: 1 });
    const path = join(dir, 'big.jks');
    writeFileSync(path, encodeJks({ ...big, password: PASSWORD }));
    const r = await keytool(['-list', '-v', '-keystore', path, '-storepass:env', 'PW'], PASSWORD);
    expect(String(r.stdout)).toContain('4096-bit RSA key');
    expect(decodeJks(readFileSync(path), PASSWORD)[0]!.bits).toBe(4096);
  });
});

describe('jks-js (an independent reader) reads the JKS we write', () => {
  it('recovers our key and certificate', () => {
    const entries = jks.toPem(readFileSync(jksPath), PASSWORD) as Record<string, { cert: string; key: string }>;
    expect(Object.keys(entries)).toEqual(['orga_jwt_signing']);
    const { cert, key } = entries['orga_jwt_signing']!;
    expect(pemBody(cert)).toBe(pemBody(material.certificatePem));
    expect(
      createPrivateKey(key)
        .export({ format: 'der', type: 'pkcs8' })
        .equals(createPrivateKey(material.privateKeyPem).export({ format: 'der', type: 'pkcs8' })),
    ).toBe(true);
  });
});

describe('openssl reads the PEM files and the PKCS#12 we write', () => {
  it('certificate: X.509 v3, sha256WithRSA, CA:FALSE, signing key usage, 2048-bit, our CN and serial', async () => {
    const r = await openssl(['x509', '-in', certPath, '-noout', '-text']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    expect(out).toMatch(/Version: 3 \(0x2\)/);
    expect(out).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(out).toContain('Subject: CN = Org A JWT signing');
    expect(out).toContain('Issuer: CN = Org A JWT signing');
    expect(out).toContain('Public-Key: (2048 bit)');
    expect(out).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(out).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    const serial = await openssl(['x509', '-in', certPath, '-noout', '-serial']);
    expect(String(serial.stdout).trim().toLowerCase()).toBe(`serial=${material.serialHex}`);
    const selfVerify = await openssl(['verify', '-CAfile', certPath, '-check_ss_sig', '-partial_chain', certPath]);
    expect(String(selfVerify.stdout)).toContain(': OK');
  });

  it('private key: PKCS#8, and its modulus is the certificate modulus', async () => {
    expect(material.privateKeyPem.startsWith(PKCS8_HEADER)).toBe(true);
    const check = await openssl(['pkey', '-in', keyPath, '-noout', '-check']);
    expect(check.exitCode, String(check.stderr)).toBe(0);
    const keyMod = await openssl(['rsa', '-in', keyPath, '-noout', '-modulus']);
    const certMod = await openssl(['x509', '-in', certPath, '-noout', '-modulus']);
    expect(String(keyMod.stdout).trim()).toMatch(/^Modulus=[0-9A-F]{512}$/);
    expect(String(keyMod.stdout).trim()).toBe(String(certMod.stdout).trim());
  });

  it('PKCS#12: openssl -info with the password from the environment, our certificate, friendly name = alias', async () => {
    const r = await openssl(['pkcs12', '-in', p12Path, '-passin', 'env:PW', '-info', '-nokeys'], PASSWORD);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toContain('MAC: sha1');
    expect(String(r.stdout)).toContain('friendlyName: orga_jwt_signing');
    expect(pemBody(String(r.stdout).slice(String(r.stdout).indexOf('-----BEGIN CERTIFICATE')))).toBe(pemBody(material.certificatePem));
    const wrong = await openssl(['pkcs12', '-in', p12Path, '-passin', 'env:PW', '-nokeys'], 'wrong-password');
    expect(wrong.exitCode).not.toBe(0);
  });

  it('PKCS#12: keytool lists it and imports it into a JKS our decoder accepts', async () => {
    const list = await keytool(['-list', '-keystore', p12Path, '-storetype', 'PKCS12', '-storepass:env', 'PW'], PASSWORD);
    expect(String(list.stdout)).toContain('orga_jwt_signing');
    expect(String(list.stdout)).toContain(material.fingerprintSha256);
    const dest = join(dir, 'from-p12.jks');
    const r = await keytool(
      [
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        p12Path,
        '-srcstoretype',
        'PKCS12',
        '-srcstorepass:env',
        'PW',
        '-destkeystore',
        dest,
        '-deststoretype',
        'JKS',
        '-deststorepass:env',
        'PW',
      ],
      PASSWORD,
    );
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(decodeJks(readFileSync(dest), PASSWORD)[0]!.certificatePem).toBe(new X509Certificate(material.certificatePem).toString());
  });

  it('PKCS#12: our reader reads a file openssl wrote', async () => {
    const path = join(dir, 'openssl.p12');
    const r = await openssl(
      ['pkcs12', '-export', '-in', certPath, '-inkey', keyPath, '-name', 'from_openssl', '-passout', 'env:PW', '-out', path],
      PASSWORD,
    );
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const p12 = decodePkcs12(readFileSync(path), PASSWORD);
    expect(p12.alias).toBe('from_openssl');
    expect(pemBody(p12.certificatePem!)).toBe(pemBody(material.certificatePem));
    expectToolError(() => decodePkcs12(readFileSync(path), 'wrong-password'), 'KeystorePasswordIncorrect');
  });
});

describe('our decoder reads keystores keytool made, the way Import from Keystore does', () => {
  it('reads a keytool -genkeypair JKS: alias, PKCS#8 key matching the certificate keytool exports', async () => {
    const [entry, ...rest] = decodeJks(readFileSync(made.rsa2048!), PASSWORD);
    expect(rest).toHaveLength(0);
    expect(entry!.alias).toBe('kt_rsa');
    expect(entry!.bits).toBe(2048);
    expect(entry!.privateKeyPem.startsWith(PKCS8_HEADER)).toBe(true);
    const exported = await keytool(
      ['-exportcert', '-rfc', '-alias', 'kt_rsa', '-keystore', made.rsa2048!, '-storepass:env', 'PW'],
      PASSWORD,
    );
    expect(pemBody(entry!.certificatePem)).toBe(pemBody(String(exported.stdout)));
    expect(new X509Certificate(entry!.certificatePem).checkPrivateKey(createPrivateKey(entry!.privateKeyPem))).toBe(true);
  });

  it('1024-bit key: Salesforce key size message', () => {
    expectToolError(() => decodeJks(readFileSync(made.rsa1024!), PASSWORD), 'UnsupportedKeySize', SALESFORCE_IMPORT_MESSAGES.keySize);
  });

  it('EC key: Salesforce "not an RSA key" message', () => {
    expectToolError(() => decodeJks(readFileSync(made.ec!), PASSWORD), 'KeyNotRsa', SALESFORCE_IMPORT_MESSAGES.notRsa);
  });

  it('key password differs from the store password: Salesforce per-key password message naming the alias', () => {
    expectToolError(
      () => decodeJks(readFileSync(made.keypass!), PASSWORD),
      'KeyPasswordDiffers',
      SALESFORCE_IMPORT_MESSAGES.keyPasswordDiffers('kt_keypass'),
    );
  });

  it('only a trusted certificate: Salesforce "no PrivateKey entry" message', () => {
    expectToolError(
      () => decodeJks(readFileSync(made.trusted!), PASSWORD),
      'NoPrivateKeyEntry',
      SALESFORCE_IMPORT_MESSAGES.noPrivateKeyEntry,
    );
  });

  it('a PKCS12 keystore (keytool default since Java 9) is named as such, not called corrupt', () => {
    expectToolError(() => decodeJks(readFileSync(made.pkcs12!), PASSWORD), 'KeystoreNotJks');
  });

  it('a key stored as PKCS#1 instead of PKCS#8: Salesforce PKCS#8 message', () => {
    // Hand-assembled JKS (independent of encodeJks) whose protected key is an RSAPrivateKey (PKCS#1).
    const pkcs1 = createPrivateKey(material.privateKeyPem).export({ format: 'der', type: 'pkcs1' });
    const certDer = new X509Certificate(material.certificatePem).raw;
    const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    const utf = (t: string) => Buffer.concat([Buffer.from([0, t.length]), Buffer.from(t, 'ascii')]);
    const protectedKey = protectKey(pkcs1, PASSWORD);
    const body = Buffer.concat([
      u32(0xfeedfeed),
      u32(2),
      u32(1),
      u32(1),
      utf('pkcs1_key'),
      Buffer.alloc(8),
      u32(protectedKey.length),
      protectedKey,
      u32(1),
      utf('X.509'),
      u32(certDer.length),
      certDer,
    ]);
    const digest = createHash('sha1').update(passwordBytes(PASSWORD)).update('Mighty Aphrodite').update(body).digest();
    expectToolError(() => decodeJks(Buffer.concat([body, digest]), PASSWORD), 'KeyNotPkcs8', SALESFORCE_IMPORT_MESSAGES.notPkcs8);
  });

  it('wrong store password', () => {
    expectToolError(() => decodeJks(readFileSync(jksPath), 'not-the-password'), 'KeystorePasswordIncorrect');
    expectToolError(() => decodeJks(readFileSync(made.rsa2048!), 'not-the-password'), 'KeystorePasswordIncorrect');
  });

  it('corrupt keystores: truncated, garbage, a flipped byte', () => {
    const good = readFileSync(jksPath);
    expectToolError(() => decodeJks(good.subarray(0, 100), PASSWORD), 'CorruptKeystore');
    expectToolError(() => decodeJks(good.subarray(0, 2), PASSWORD), 'CorruptKeystore');
    expectToolError(() => decodeJks(Buffer.from('not a keystore at all'), PASSWORD), 'CorruptKeystore');
    expectToolError(() => decodeJks(Buffer.concat([good, Buffer.from([0])]), PASSWORD), 'CorruptKeystore');
    const flipped = Buffer.from(good);
    flipped[200] = flipped[200]! ^ 0xff;
    // Java cannot tell tampering from a wrong password either: the digest covers both.
    expectToolError(() => decodeJks(flipped, PASSWORD), 'KeystorePasswordIncorrect');
  });
});

describe('the encoder refuses what Salesforce would refuse', () => {
  it('a key that does not match the certificate', async () => {
    const other = await createKeyMaterial({ alias: 'Other', days: 1 });
    expectToolError(
      () => encodeJks({ alias: 'Mixed', privateKeyPem: other.privateKeyPem, certificatePem: material.certificatePem, password: PASSWORD }),
      'KeyCertificateMismatch',
      SALESFORCE_IMPORT_MESSAGES.mismatch,
    );
    expectToolError(
      () =>
        encodePkcs12({ alias: 'Mixed', privateKeyPem: other.privateKeyPem, certificatePem: material.certificatePem, password: PASSWORD }),
      'KeyCertificateMismatch',
    );
  });

  it('a non-RSA key and an unsupported key size', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expectToolError(
      () => encodeJks({ alias: 'Ec', privateKeyPem: ec, certificatePem: material.certificatePem, password: PASSWORD }),
      'KeyNotRsa',
    );
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expectToolError(
      () => encodeJks({ alias: 'Small', privateKeyPem: small, certificatePem: material.certificatePem, password: PASSWORD }),
      'UnsupportedKeySize',
      SALESFORCE_IMPORT_MESSAGES.keySize,
    );
    await expect(createKeyMaterial({ bits: 1024 })).rejects.toMatchObject({ name: 'UnsupportedKeySize' });
  });

  it('an alias that is not a Salesforce API name', () => {
    for (const alias of ['1st', 'a__b', 'trailing_', 'has-dash', 'has space', '', 'x'.repeat(65)]) {
      expectToolError(() => encodeJks({ ...material, alias, password: PASSWORD }), 'InvalidAlias');
    }
  });
});

describe("Sun's key protector", () => {
  it('round-trips, and a wrong password fails the checksum', () => {
    const der = createPrivateKey(material.privateKeyPem).export({ format: 'der', type: 'pkcs8' });
    const protectedKey = protectKey(der, PASSWORD);
    const ok = recoverKey(protectedKey, PASSWORD);
    expect(ok.ok && ok.pkcs8Der.equals(der)).toBe(true);
    expect(recoverKey(protectedKey, 'other')).toEqual({ ok: false, reason: 'wrong-password' });
  });

  it('hashes the password as Java chars (UTF-16BE)', () => {
    expect(passwordBytes('aö').toString('hex')).toBe('006100f6');
  });
});
