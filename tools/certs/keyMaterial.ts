/**
 * One call for what JWT bearer needs: an RSA key pair and the self-signed certificate over it, plus the
 * facts a person checks later (fingerprint, serial, validity). The rest of the project calls this.
 */
import { X509Certificate } from 'node:crypto';
import { assertValidApiName } from './apiName.ts';
import { certErrors } from './certErrors.ts';
import { generateRsaKeyPair } from './keyPair.ts';
import { createSelfSignedCertificate, fingerprintSha256 } from './selfSignedCertificate.ts';

export const DEFAULT_ALIAS = 'orga_jwt_signing';
export const DEFAULT_DAYS = 365;
export const MAX_DAYS = 3650;

export interface KeyMaterialOptions {
  /** Keystore alias = the certificate's Unique Name in Org A. Stored lower-case (see jks.ts). */
  alias?: string;
  /** Subject CN; defaults to the alias. */
  cn?: string;
  bits?: number;
  days?: number;
  now?: Date;
}

export interface KeyMaterial {
  alias: string;
  cn: string;
  bits: number;
  certificatePem: string;
  /** PKCS#8 PEM. Secret. */
  privateKeyPem: string;
  fingerprintSha256: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

export function assertValidDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw certErrors.invalidOption(`--days must be a whole number from 1 to ${MAX_DAYS}, got ${days}.`, 'Pass e.g. --days 365');
  }
}

export function assertValidCn(cn: string): void {
  if (cn.trim().length === 0 || cn.length > 64) {
    throw certErrors.invalidOption(`--cn must be 1 to 64 characters, got ${cn.length}.`, 'Pass e.g. --cn "Org A JWT signing"');
  }
}

export async function createKeyMaterial(options: KeyMaterialOptions = {}): Promise<KeyMaterial> {
  const alias = options.alias ?? DEFAULT_ALIAS;
  assertValidApiName(alias);
  const cn = options.cn ?? alias;
  assertValidCn(cn);
  const days = options.days ?? DEFAULT_DAYS;
  assertValidDays(days);
  const pair = await generateRsaKeyPair(options.bits ?? 2048);
  const cert = createSelfSignedCertificate({ ...pair, cn, days, now: options.now });
  return {
    alias: alias.toLowerCase(),
    cn,
    bits: pair.bits,
    certificatePem: cert.certificatePem,
    privateKeyPem: pair.privateKeyPem,
    fingerprintSha256: fingerprintSha256(new X509Certificate(cert.certificatePem).raw),
    serialHex: cert.serialHex,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}
