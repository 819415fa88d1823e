/**
 * Our own Java KeyStore (JKS) encoder and decoder. node-forge has no JKS and the npm JKS packages only
 * read, yet Salesforce's "Import from Keystore" takes JKS only (docs/salesforce-rules.md#import-keystore). The format
 * (sun.security.provider.JavaKeyStore) is small:
 *
 *   u32 magic 0xFEEDFEED, u32 version 2, u32 entry count, then per entry
 *     u32 tag (1 = PrivateKeyEntry, 2 = trusted certificate), UTF alias, u64 creation time (ms)
 *     tag 1: u32 length + EncryptedPrivateKeyInfo (see javaKeyProtector.ts), u32 chain length,
 *            per certificate: UTF type "X.509", u32 length + DER
 *     tag 2: UTF type, u32 length + DER
 *   20 bytes SHA-1(password as UTF-16BE ‖ "Mighty Aphrodite" ‖ everything above)
 *
 * UTF is Java's modified UTF-8 with a u16 length. Java's JKS provider lower-cases aliases when it stores
 * them and when it looks them up, so we store them lower-cased too: keytool finds the entry by any case.
 */
import { type X509Certificate, createHash, timingSafeEqual } from 'node:crypto';
import { certErrors } from './certErrors.ts';
import { assertValidApiName } from './apiName.ts';
import { checkKeyPair, readCertificate, readPkcs8Der } from './checkKeyPair.ts';
import { passwordBytes, protectKey, recoverKey } from './javaKeyProtector.ts';
import { readPrivateKey } from './keyPair.ts';

const MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;
const WHITENER = Buffer.from('Mighty Aphrodite', 'utf8');
const TAG_PRIVATE_KEY = 1;
const TAG_TRUSTED_CERT = 2;

export interface JksInput {
  alias: string;
  privateKeyPem: string;
  certificatePem: string;
  /** Store password; also the key password, as Salesforce requires. */
  password: string;
  createdAt?: Date;
}

export interface JksPrivateKeyEntry {
  /** As stored: lower-case. */
  alias: string;
  createdAt: Date;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  certificatePem: string;
  /** The whole chain, leaf first (PEM). */
  chainPem: string[];
  bits: number;
}

/** Java DataOutput.writeUTF: u16 length + modified UTF-8 (NUL as C0 80, surrogates encoded one by one). */
function encodeUtf(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) bytes.push(c);
    else if (c <= 0x7ff) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  const len = Buffer.alloc(2);
  len.writeUInt16BE(bytes.length);
  return Buffer.concat([len, Buffer.from(bytes)]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * Builds a JKS holding one PrivateKeyEntry, key password = store password. Refuses what Salesforce
 * would refuse on import (invalid alias, non-RSA, wrong size, key not matching the certificate).
 */
export function encodeJks(input: JksInput): Buffer {
  assertValidApiName(input.alias);
  if (input.password.length === 0)
    throw certErrors.invalidOption('The keystore password is empty.', 'Set KEYSTORE_PASSWORD or let the tool generate one.');
  const key = readPrivateKey(input.privateKeyPem);
  const certificate = readCertificate(input.certificatePem);
  checkKeyPair(key, certificate);
  const pkcs8Der = key.export({ format: 'der', type: 'pkcs8' });

  const body = Buffer.concat([
    u32(MAGIC),
    u32(2),
    u32(1),
    u32(TAG_PRIVATE_KEY),
    encodeUtf(input.alias.toLowerCase()),
    bigU64((input.createdAt ?? new Date()).getTime()),
    lengthPrefixed(protectKey(pkcs8Der, input.password)),
    u32(1),
    encodeUtf('X.509'),
    lengthPrefixed(certificate.raw),
  ]);
  return Buffer.concat([body, integrityDigest(input.password, body)]);
}

function bigU64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

function lengthPrefixed(data: Buffer): Buffer {
  return Buffer.concat([u32(data.length), data]);
}

function integrityDigest(password: string, body: Buffer): Buffer {
  return createHash('sha1').update(passwordBytes(password)).update(WHITENER).update(body).digest();
}

/** A bounds-checked cursor: every overrun becomes a CorruptKeystore error, never a RangeError. */
class Reader {
  offset = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly file: string,
  ) {}
  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw certErrors.corruptKeystore('it ends too early', this.file);
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return Number(v);
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  utf(): string {
    this.need(2);
    const len = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    const b = this.bytes(len);
    let out = '';
    for (let i = 0; i < b.length;) {
      const c = b[i]!;
      if (c < 0x80) {
        out += String.fromCharCode(c);
        i += 1;
      } else if ((c & 0xe0) === 0xc0 && i + 1 < b.length) {
        out += String.fromCharCode(((c & 0x1f) << 6) | (b[i + 1]! & 0x3f));
        i += 2;
      } else if ((c & 0xf0) === 0xe0 && i + 2 < b.length) {
        out += String.fromCharCode(((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
        i += 3;
      } else {
        throw certErrors.corruptKeystore('an alias is not valid modified UTF-8', this.file);
      }
    }
    return out;
  }
}

interface RawKeyEntry {
  alias: string;
  createdAt: Date;
  protectedKey: Buffer;
  chain: Buffer[];
}

/** Checks the magic, so a PKCS#12 or JCEKS store is named as such instead of called corrupt. */
function assertJksMagic(buffer: Buffer, file: string): void {
  if (buffer.length < 4) throw certErrors.corruptKeystore('it is too short', file);
  const magic = buffer.readUInt32BE(0);
  if (magic === MAGIC) return;
  if (magic === JCEKS_MAGIC) throw certErrors.notJks('JCEKS');
  if (buffer[0] === 0x30) throw certErrors.notJks('PKCS#12');
  throw certErrors.corruptKeystore('no JKS magic number (0xFEEDFEED)', file);
}

function parse(buffer: Buffer, password: string, file: string): RawKeyEntry[] {
  assertJksMagic(buffer, file);
  const r = new Reader(buffer, file);
  r.u32();
  const version = r.u32();
  if (version !== 1 && version !== 2) throw certErrors.corruptKeystore(`unknown JKS version ${version}`, file);
  const count = r.u32();
  const keys: RawKeyEntry[] = [];
  for (let i = 0; i < count; i++) {
    const tag = r.u32();
    if (tag !== TAG_PRIVATE_KEY && tag !== TAG_TRUSTED_CERT) throw certErrors.corruptKeystore(`unknown entry tag ${tag}`, file);
    const alias = r.utf();
    const createdAt = new Date(r.u64());
    if (tag === TAG_PRIVATE_KEY) {
      const protectedKey = r.bytes(r.u32());
      const chainLength = r.u32();
      const chain: Buffer[] = [];
      for (let j = 0; j < chainLength; j++) {
        if (version === 2) r.utf(); // certificate type, "X.509"
        chain.push(r.bytes(r.u32()));
      }
      keys.push({ alias, createdAt, protectedKey, chain });
    } else {
      if (version === 2) r.utf();
      r.bytes(r.u32());
    }
  }
  const body = buffer.subarray(0, r.offset);
  const stored = r.bytes(20);
  if (r.offset !== buffer.length) throw certErrors.corruptKeystore('there are bytes after the integrity digest', file);
  if (!timingSafeEqual(stored, integrityDigest(password, body))) throw certErrors.wrongPassword(file);
  return keys;
}

/**
 * Reads a JKS the way Salesforce's Import from Keystore does: verifies the store password, recovers every
 * PrivateKeyEntry with that same password, and checks each key (PKCS#8, RSA, 2048/3072/4096, matches its
 * certificate), throwing Salesforce's own message for the first failure.
 */
export function decodeJks(buffer: Buffer, password: string, file = 'the keystore'): JksPrivateKeyEntry[] {
  const raw = parse(buffer, password, file);
  if (raw.length === 0) throw certErrors.noPrivateKeyEntry();
  return raw.map((entry) => {
    const recovered = recoverKey(entry.protectedKey, password);
    if (!recovered.ok) {
      if (recovered.reason === 'wrong-password') throw certErrors.keyPasswordDiffers(entry.alias);
      if (recovered.reason === 'unknown-algorithm')
        throw certErrors.corruptKeystore(
          `key of '${entry.alias}' is protected with ${recovered.algorithm}, not Sun's JKS key protector`,
          file,
        );
      throw certErrors.corruptKeystore(`key of '${entry.alias}' is not an EncryptedPrivateKeyInfo`, file);
    }
    if (entry.chain.length === 0) throw certErrors.corruptKeystore(`entry '${entry.alias}' has no certificate`, file);
    const key = readPkcs8Der(recovered.pkcs8Der);
    const chain = entry.chain.map((der) => readCertificate(der, `certificate of '${entry.alias}'`));
    const { bits } = checkKeyPair(key, chain[0]!);
    return {
      alias: entry.alias,
      createdAt: entry.createdAt,
      privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }) as string,
      certificatePem: chain[0]!.toString(),
      chainPem: chain.map((c: X509Certificate) => c.toString()),
      bits,
    };
  });
}
