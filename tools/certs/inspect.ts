/**
 * `cert inspect`: what a file holds and whether it is usable, for a PEM certificate, a PEM key, a JKS or a
 * PKCS#12. A keystore is read the way Salesforce imports it (jks.ts), so a keystore Setup would reject
 * fails here with the same message. A certificate and a key that do not belong together are an error.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { certErrors } from './certErrors.ts';
import { decodeJks } from './jks.ts';
import { readKeystorePassword } from './keystorePassword.ts';
import { decodePkcs12 } from './pkcs12.ts';
import { fingerprintSha256 } from './selfSignedCertificate.ts';

export type InspectedKind = 'certificate' | 'private-key' | 'jks' | 'pkcs12';

export interface InspectedEntry {
  alias?: string;
  subject?: string;
  issuer?: string;
  serialHex?: string;
  fingerprintSha256?: string;
  notBefore?: string;
  notAfter?: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft?: number;
  expired?: boolean;
  keyType?: string;
  keyBits?: number;
  /** `pkcs8`, `pkcs1` (BEGIN RSA PRIVATE KEY: convert before use) or `other`. */
  keyFormat?: 'pkcs8' | 'pkcs1' | 'other';
  /** true: key and certificate belong together; null: only one of them was available. */
  keyMatchesCertificate: boolean | null;
}

export interface InspectReport {
  file: string;
  kind: InspectedKind;
  /** The key file checked against a PEM certificate (given or found beside it), if any. */
  keyFile?: string;
  entries: InspectedEntry[];
}

export interface InspectOptions {
  /** A key PEM to check a certificate against. Default: `<name>.key.pem` beside `<name>.cert.pem`. */
  keyPath?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

export function inspectFile(file: string, options: InspectOptions = {}): InspectReport {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (cause) {
    throw certErrors.unreadable(file, (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message);
  }
  const now = options.now ?? new Date();
  const env = options.env ?? process.env;

  if (data.length >= 4 && (data.readUInt32BE(0) === 0xfeedfeed || data.readUInt32BE(0) === 0xcececece)) {
    const entries = decodeJks(data, readKeystorePassword(file, env), file);
    return {
      file,
      kind: 'jks',
      entries: entries.map((e) => ({
        ...describeCertificate(new X509Certificate(e.certificatePem), now),
        alias: e.alias,
        ...describeKey(createPrivateKey(e.privateKeyPem), 'pkcs8'),
        keyMatchesCertificate: true,
      })),
    };
  }
  const text = data.toString('utf8');
  if (text.includes('-----BEGIN ')) return inspectPem(file, text, options, now);
  if (data[0] === 0x30) {
    const der = tryCertificate(data);
    if (der) return { file, kind: 'certificate', entries: [describePair(der, undefined, undefined, now)] };
    const p12 = decodePkcs12(data, readKeystorePassword(file, env), file);
    const cert = p12.certificatePem ? new X509Certificate(p12.certificatePem) : undefined;
    const key = p12.privateKeyPem ? createPrivateKey(p12.privateKeyPem) : undefined;
    return { file, kind: 'pkcs12', entries: [{ alias: p12.alias, ...describePair(cert, key, 'pkcs8', now) }] };
  }
  throw certErrors.unreadable(file, 'not PEM, JKS or PKCS#12');
}

/** A DER (.cer/.crt binary) certificate, or undefined when the bytes are something else (PKCS#12). */
function tryCertificate(data: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(data);
  } catch {
    return undefined;
  }
}

function inspectPem(file: string, text: string, options: InspectOptions, now: Date): InspectReport {
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, pem: m[0] }));
  const certBlocks = blocks.filter((b) => b.label === 'CERTIFICATE');
  const keyBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (certBlocks.length === 0 && !keyBlock) throw certErrors.unreadable(file, 'no certificate or private key PEM block');

  let keyFile: string | undefined;
  let keyPem = keyBlock?.pem;
  let keyLabel = keyBlock?.label;
  if (!keyPem && certBlocks.length > 0) {
    const sibling = file.endsWith('.cert.pem') ? file.replace(/\.cert\.pem$/, '.key.pem') : undefined;
    keyFile = options.keyPath ?? (sibling && existsSync(sibling) ? sibling : undefined);
    if (keyFile) {
      const keyText = readFileSync(keyFile, 'utf8');
      const found = [...keyText.matchAll(PEM_BLOCK)].find((m) => m[1]!.endsWith('PRIVATE KEY'));
      if (!found) throw certErrors.unreadable(keyFile, 'no private key PEM block');
      keyPem = found[0];
      keyLabel = found[1];
    }
  }
  let key: KeyObject | undefined;
  if (keyPem) {
    if (keyLabel === 'ENCRYPTED PRIVATE KEY') {
      throw certErrors.invalidOption(
        `${keyFile ?? file} holds an encrypted private key.`,
        'Decrypt it first: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem',
      );
    }
    try {
      key = createPrivateKey(keyPem);
    } catch (cause) {
      throw certErrors.unreadable(keyFile ?? file, `the private key cannot be read (${(cause as Error).message})`);
    }
  }
  const format = keyLabel === 'PRIVATE KEY' ? 'pkcs8' : keyLabel === 'RSA PRIVATE KEY' ? 'pkcs1' : 'other';
  const certs = certBlocks.map((b) => {
    try {
      return new X509Certificate(b.pem);
    } catch (cause) {
      throw certErrors.unreadable(file, `a certificate cannot be parsed (${(cause as Error).message})`);
    }
  });
  const kind: InspectedKind = certs.length > 0 ? 'certificate' : 'private-key';
  const entries =
    certs.length > 0
      ? certs.map((c, i) => describePair(c, i === 0 ? key : undefined, format, now))
      : [describePair(undefined, key, format, now)];
  return { file, kind, ...(keyFile ? { keyFile } : {}), entries };
}

function describePair(
  cert: X509Certificate | undefined,
  key: KeyObject | undefined,
  format: InspectedEntry['keyFormat'],
  now: Date,
): InspectedEntry {
  if (cert && key && !cert.checkPrivateKey(key)) throw certErrors.mismatch();
  return {
    ...(cert ? describeCertificate(cert, now) : {}),
    ...(key ? describeKey(key, format) : cert ? describeKey(cert.publicKey, undefined) : {}),
    keyMatchesCertificate: cert && key ? true : null,
  };
}

function describeKey(key: KeyObject, format: InspectedEntry['keyFormat'] | undefined): Partial<InspectedEntry> {
  return {
    keyType: key.asymmetricKeyType,
    keyBits: key.asymmetricKeyDetails?.modulusLength,
    ...(format ? { keyFormat: format } : {}),
  };
}

function describeCertificate(cert: X509Certificate, now: Date): Partial<InspectedEntry> {
  const notAfter = new Date(cert.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialHex: cert.serialNumber.toLowerCase(),
    fingerprintSha256: fingerprintSha256(cert.raw),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft,
    expired: notAfter.getTime() <= now.getTime(),
  };
}
