/**
 * The checks Salesforce's Import from Keystore makes on a private key and its certificate, in one place
 * so the encoder refuses to write what Setup would reject and the decoder rejects it the same way.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { certErrors, type KeySize } from './certErrors.ts';
import { assertSupportedKeySize } from './keyPair.ts';

export interface CheckedKeyPair {
  key: KeyObject;
  certificate: X509Certificate;
  bits: KeySize;
}

/** Reads a PKCS#8 DER key, or throws Salesforce's "The key must be in PKCS#8 format." */
export function readPkcs8Der(der: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw certErrors.notPkcs8(cause);
  }
}

/** RSA, 2048/3072/4096 bits, and the certificate carries this key's public half; else the matching error. */
export function checkKeyPair(key: KeyObject, certificate: X509Certificate): CheckedKeyPair {
  if (key.asymmetricKeyType !== 'rsa') throw certErrors.notRsa(key.asymmetricKeyType ?? 'not an asymmetric key');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  assertSupportedKeySize(bits);
  if (!certificate.checkPrivateKey(key)) throw certErrors.mismatch();
  return { key, certificate, bits };
}

/** Certificate PEM → X509Certificate, or an UnreadableFile error naming what was passed. */
export function readCertificate(pem: string | Buffer, what = 'the certificate'): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw certErrors.unreadable(what, `not an X.509 certificate (${(cause as Error).message})`);
  }
}
