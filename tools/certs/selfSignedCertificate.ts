/**
 * A self-signed X.509 v3 certificate for JWT signing: the public half B's app trusts. node-forge builds
 * the structure; the RSA signature itself is made by node:crypto (native, fast), through the `sign(md)`
 * hook forge calls with the finished SHA-256 digest of the TBSCertificate.
 */
import { constants, createHash, privateEncrypt, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertificateRequest {
  privateKeyPem: string;
  publicKeyPem: string;
  /** Subject and issuer common name. */
  cn: string;
  /** Validity in days from `now`. */
  days: number;
  now?: Date;
}

export interface SelfSignedCertificate {
  certificatePem: string;
  /** Lower-case hex, positive (high bit clear). */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

/** DER prefix of DigestInfo for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** 16 random bytes, high bit clear and first byte non-zero: a positive, minimally encoded INTEGER. */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

export function createSelfSignedCertificate(request: CertificateRequest): SelfSignedCertificate {
  const now = request.now ?? new Date();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + request.days * 86_400_000);

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(request.publicKeyPem);
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: request.cn }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);

  const nativeSigner = {
    // forge hands over the SHA-256 of the TBSCertificate; PKCS#1 v1.5 = RSA private op over DigestInfo.
    sign(md: forge.md.MessageDigest): string {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const signature = privateEncrypt(
        { key: request.privateKeyPem, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]),
      );
      return signature.toString('binary');
    },
  };
  cert.sign(nativeSigner as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());

  return { certificatePem: forge.pki.certificateToPem(cert), serialHex: cert.serialNumber, notBefore, notAfter };
}

/** SHA-256 over the DER certificate, as colon-separated upper-case hex (what keytool and openssl print). */
export function fingerprintSha256(certificateDer: Buffer): string {
  return createHash('sha256').update(certificateDer).digest('hex').toUpperCase().match(/../g)!.join(':');
}
