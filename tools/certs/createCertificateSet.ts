/**
 * `cert create` as a library call: new key material written as a complete certificate set. Returns only
 * what may be shown; the password stays with the caller.
 */
import { createKeyMaterial, DEFAULT_ALIAS, type KeyMaterialOptions } from './keyMaterial.ts';
import type { KeystorePassword } from './keystorePassword.ts';
import {
  assertNotCommittable,
  assertOutsideForceApp,
  certificateSetPaths,
  writeCertificateSet,
  type CertificateSet,
} from './writeCertificateSet.ts';
import { certErrors } from './certErrors.ts';
import { existsSync } from 'node:fs';
import { assertValidApiName } from './apiName.ts';

export const DEFAULT_OUT_DIR = '.local/certs';

export interface CertificateSetResult {
  alias: string;
  cn: string;
  bits: number;
  fingerprintSha256: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  paths: CertificateSet;
}

export interface CreateOptions extends KeyMaterialOptions {
  force?: boolean;
}

export async function createCertificateSet(
  outDir: string,
  password: KeystorePassword,
  options: CreateOptions = {},
): Promise<CertificateSetResult> {
  // Cheap refusals first, before spending time on a key pair.
  assertOutsideForceApp(outDir);
  const alias = options.alias ?? DEFAULT_ALIAS;
  assertValidApiName(alias);
  const paths = certificateSetPaths(outDir, alias.toLowerCase());
  assertNotCommittable(paths.privateKey);
  if (!options.force) {
    const existing = Object.values(paths).filter((p) => existsSync(p));
    if (existing.length > 0) throw certErrors.outputExists(existing);
  }
  const material = await createKeyMaterial(options);
  const written = writeCertificateSet(outDir, material, password, { force: options.force });
  return {
    alias: material.alias,
    cn: material.cn,
    bits: material.bits,
    fingerprintSha256: material.fingerprintSha256,
    serialHex: material.serialHex,
    notBefore: material.notBefore.toISOString(),
    notAfter: material.notAfter.toISOString(),
    paths: written,
  };
}
