/**
 * Setup → Certificate and Key Management → "Import from Keystore", which Salesforce offers in the UI only
 * (docs/salesforce-rules.md#import-keystore). The JKS is decoded by tools/certs (decodeJks), which applies Salesforce's import
 * rules and exact messages (no PrivateKey entry, not RSA, not PKCS#8, key size, key/chain mismatch, key
 * password ≠ store password). Each private-key entry becomes a Certificate whose Unique Name is its alias;
 * the key is kept in md_certificate_keys, the public certificate is retrievable like any Certificate.
 * An alias that is already a certificate of the org is refused (wording unverified), unless it is the very
 * same certificate (a re-run), which changes nothing.
 */
import type { DatabaseSync } from 'node:sqlite';
import { X509Certificate } from 'node:crypto';
import { decodeJks } from '../../certs/jks.ts';
import { assertValidApiName } from '../../certs/apiName.ts';
import { ToolError } from '../../core/ToolError.ts';
import { tx } from '../../data/store.ts';
import { ensureMetadataSchema } from './ensureMetadataSchema.ts';
import { buildMetadataXml } from './metadataXml.ts';

export interface ImportKeystoreInput {
  jks: Buffer;
  password: string;
  /** Master label of the imported certificate(s); defaults to the alias. */
  label?: string;
}

export interface ImportedCertificate {
  name: string;
  label: string;
  keySize: number;
  expirationDate: string;
  /** The same key pair was already imported under this name: nothing changed. */
  unchanged?: boolean;
}

export function importKeystore(db: DatabaseSync, orgId: string, input: ImportKeystoreInput): ImportedCertificate[] {
  ensureMetadataSchema(db);
  const entries = decodeJks(input.jks, input.password);
  const out: ImportedCertificate[] = [];
  for (const e of entries) assertValidApiName(e.alias);
  const fresh: typeof entries = [];
  for (const e of entries) {
    const taken = db
      .prepare("SELECT 1 FROM md_components WHERE org_id = ? AND type = 'Certificate' AND lower(full_name) = lower(?)")
      .get(orgId, e.alias);
    if (!taken) {
      fresh.push(e);
      continue;
    }
    // Importing the very same key pair again changes nothing (so provisioning can re-run); anything else is refused.
    const stored = db
      .prepare('SELECT certificate_pem, private_key_pem FROM md_certificate_keys WHERE org_id = ? AND lower(dev_name) = lower(?)')
      .get(orgId, e.alias) as { certificate_pem: string; private_key_pem: string } | undefined;
    const same =
      stored && new X509Certificate(stored.certificate_pem).fingerprint256 === new X509Certificate(e.certificatePem).fingerprint256;
    if (!same) {
      throw new ToolError(`A certificate with the Unique Name ${e.alias} already exists in this org.`, 'DuplicateCertificate', [
        'Import the keystore under a different alias (keytool -changealias), or delete the existing certificate first.',
      ]);
    }
    const cert = new X509Certificate(e.certificatePem);
    out.push({
      name: e.alias,
      label: input.label ?? e.alias,
      keySize: e.bits,
      expirationDate: new Date(cert.validTo).toISOString(),
      unchanged: true,
    });
  }
  const now = Date.now();
  tx(db, () => {
    for (const e of fresh) {
      const cert = new X509Certificate(e.certificatePem);
      const label = (input.label ?? e.alias).slice(0, 64);
      const meta = buildMetadataXml('Certificate', {
        caSigned: cert.issuer !== cert.subject,
        expirationDate: new Date(cert.validTo).toISOString(),
        keySize: e.bits,
        masterLabel: label,
        privateKeyExportable: true,
      });
      const files = {
        [`certs/${e.alias}.crt`]: Buffer.from(e.certificatePem, 'utf8').toString('base64'),
        [`certs/${e.alias}.crt-meta.xml`]: Buffer.from(meta, 'utf8').toString('base64'),
      };
      db.prepare(
        `INSERT INTO md_certificate_keys (org_id, dev_name, certificate_pem, private_key_pem, key_size, source, created_at) VALUES (?, ?, ?, ?, ?, 'keystore', ?)`,
      ).run(orgId, e.alias, e.certificatePem, e.privateKeyPem, e.bits, now);
      db.prepare(
        `INSERT INTO md_components (org_id, type, full_name, files, data, created_at, updated_at) VALUES (?, 'Certificate', ?, ?, ?, ?, ?)`,
      ).run(
        orgId,
        e.alias,
        JSON.stringify(files),
        JSON.stringify({ masterLabel: label, keySize: e.bits, expirationDate: cert.validTo, imported: true }),
        now,
        now,
      );
      out.push({ name: e.alias, label, keySize: e.bits, expirationDate: new Date(cert.validTo).toISOString() });
    }
  });
  return out;
}
