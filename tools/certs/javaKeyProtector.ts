/**
 * Sun's JKS key protector (sun.security.provider.KeyProtector), the only private-key protection a JKS
 * PrivateKeyEntry can carry and therefore what Salesforce's Import from Keystore expects.
 *
 *   salt      = 20 random bytes
 *   stream    = SHA1(pw ‖ salt) ‖ SHA1(pw ‖ previous) ‖ …   (pw = password as UTF-16BE, Java chars)
 *   protected = salt ‖ (PKCS#8 DER XOR stream) ‖ SHA1(pw ‖ PKCS#8 DER)
 *
 * wrapped in an EncryptedPrivateKeyInfo whose algorithm is OID 1.3.6.1.4.1.42.2.17.1.1 with NULL
 * parameters. It is weak (SHA-1 keystream) but public and fixed: the format, not our choice.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';

export const KEY_PROTECTOR_OID = '1.3.6.1.4.1.42.2.17.1.1';
const DIGEST_LEN = 20;

/** Java `char[]` bytes: each UTF-16 code unit big-endian, as JKS hashes passwords. */
export function passwordBytes(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function sha1(...parts: Buffer[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function xorStream(pw: Buffer, salt: Buffer, data: Buffer): Buffer {
  const out = Buffer.alloc(data.length);
  let digest = salt;
  for (let offset = 0; offset < data.length; offset += DIGEST_LEN) {
    digest = sha1(pw, digest);
    for (let i = 0; i < DIGEST_LEN && offset + i < data.length; i++) out[offset + i] = data[offset + i]! ^ digest[i]!;
  }
  return out;
}

/** Protects a PKCS#8 DER private key; returns the DER EncryptedPrivateKeyInfo stored in the JKS entry. */
export function protectKey(pkcs8Der: Buffer, password: string, salt: Buffer = randomBytes(DIGEST_LEN)): Buffer {
  const pw = passwordBytes(password);
  const encrypted = Buffer.concat([salt, xorStream(pw, salt, pkcs8Der), sha1(pw, pkcs8Der)]);
  const { asn1 } = forge;
  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(KEY_PROTECTOR_OID).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, encrypted.toString('binary')),
  ]);
  return Buffer.from(asn1.toDer(info).getBytes(), 'binary');
}

export type RecoverResult =
  { ok: true; pkcs8Der: Buffer } | { ok: false; reason: 'wrong-password' | 'unknown-algorithm' | 'malformed'; algorithm?: string };

/** Inverse of protectKey. `wrong-password` means the checksum failed: the key has another password. */
export function recoverKey(encryptedPrivateKeyInfo: Buffer, password: string): RecoverResult {
  let algorithm: string;
  let encrypted: Buffer;
  try {
    const info = forge.asn1.fromDer(encryptedPrivateKeyInfo.toString('binary'), true);
    const [algId, data] = info.value as forge.asn1.Asn1[];
    const oid = (algId!.value as forge.asn1.Asn1[])[0]!;
    algorithm = forge.asn1.derToOid(oid.value as string);
    encrypted = Buffer.from(data!.value as string, 'binary');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (algorithm !== KEY_PROTECTOR_OID) return { ok: false, reason: 'unknown-algorithm', algorithm };
  if (encrypted.length < DIGEST_LEN * 2) return { ok: false, reason: 'malformed' };
  const pw = passwordBytes(password);
  const salt = encrypted.subarray(0, DIGEST_LEN);
  const body = encrypted.subarray(DIGEST_LEN, encrypted.length - DIGEST_LEN);
  const check = encrypted.subarray(encrypted.length - DIGEST_LEN);
  const plain = xorStream(pw, salt, body);
  if (!timingSafeEqual(sha1(pw, plain), check)) return { ok: false, reason: 'wrong-password' };
  return { ok: true, pkcs8Der: plain };
}
