import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * The key pair and self-signed certificate of the Dev Hub's CLI app, so `sf org login jwt` can sign
 * assertions that the hub verifies. The private key is written once, mode 0600, inside the
 * platform's git-ignored home; only its path is ever printed.
 */
export interface GeneratedKey {
  privateKeyPem: string;
  certificatePem: string;
}

export function generateSelfSigned(commonName: string, days = 365): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Local Salesforce Platform' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) };
}

/** A consumer key shaped like Salesforce's (3MVG9 + 80 URL-safe characters). */
export function newConsumerKey(): string {
  return '3MVG9' + randomBytes(60).toString('base64url').replace(/[-_]/g, 'x').slice(0, 80);
}

/** Writes the key (0600) and certificate beside it; returns their paths. */
export function writeKeyFiles(home: string, baseName: string, key: GeneratedKey): { keyPath: string; certPath: string } {
  const dir = join(home, 'keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, `${baseName}.key`);
  const certPath = join(dir, `${baseName}.crt`);
  writeFileSync(keyPath, key.privateKeyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, key.certificatePem, { mode: 0o644 });
  return { keyPath, certPath };
}
