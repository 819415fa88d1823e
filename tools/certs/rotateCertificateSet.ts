/**
 * `cert rotate`: a new certificate set beside the current one, under the next alias (`x` → `x_v2` →
 * `x_v3`), so Org A can hold both certificates (Unique Names differ) and B can be switched to the new
 * certificate before the old key is retired. Nothing of the old set is touched.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertValidApiName } from './apiName.ts';
import { ToolError } from '../core/ToolError.ts';
import { createCertificateSet, type CertificateSetResult } from './createCertificateSet.ts';
import type { KeystorePassword } from './keystorePassword.ts';
import { certificateSetPaths } from './writeCertificateSet.ts';
import { fingerprintSha256 } from './selfSignedCertificate.ts';

export interface RotateOptions {
  /** The alias to rotate; default: the newest set in the folder. */
  alias?: string;
  cn?: string;
  bits?: number;
  days?: number;
}

export interface RotateResult {
  previous: { alias: string; fingerprintSha256: string; notAfter: string; certificate: string };
  current: CertificateSetResult;
}

/** `x` → `x_v2`, `x_v2` → `x_v3`: still a valid API name (no double or trailing underscore). */
export function nextAlias(alias: string): string {
  const m = /^(.*)_v(\d+)$/.exec(alias);
  return m ? `${m[1]}_v${Number(m[2]) + 1}` : `${alias}_v2`;
}

export async function rotateCertificateSet(outDir: string, password: KeystorePassword, options: RotateOptions = {}): Promise<RotateResult> {
  const dir = resolve(outDir);
  const current = options.alias?.toLowerCase() ?? newestAlias(dir);
  if (options.alias !== undefined) assertValidApiName(options.alias);
  const certPath = certificateSetPaths(dir, current).certificate;
  if (!existsSync(certPath)) {
    throw new ToolError(`No certificate '${current}' in ${dir} to rotate.`, 'NothingToRotate', [
      'Create the first set: npm run cert -- create --out ' + outDir,
    ]);
  }
  const oldCert = new X509Certificate(readFileSync(certPath));
  let alias = nextAlias(current);
  while (existsSync(certificateSetPaths(dir, alias).certificate)) alias = nextAlias(alias);
  const oldCn = /(?:^|\n)CN=([^\n]*)/.exec(oldCert.subject)?.[1];
  const result = await createCertificateSet(dir, password, {
    alias,
    cn: options.cn ?? oldCn ?? alias,
    bits: options.bits ?? createPrivateKeyBits(oldCert),
    days: options.days,
  });
  return {
    previous: {
      alias: current,
      fingerprintSha256: fingerprintSha256(oldCert.raw),
      notAfter: new Date(oldCert.validTo).toISOString(),
      certificate: certPath,
    },
    current: result,
  };
}

function createPrivateKeyBits(cert: X509Certificate): number {
  return cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048;
}

/** The alias of the `*.cert.pem` with the latest notBefore in `dir`. */
function newestAlias(dir: string): string {
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.cert.pem')) : [];
  if (names.length === 0) {
    throw new ToolError(`No certificate set in ${dir} to rotate.`, 'NothingToRotate', ['Create one first: npm run cert -- create']);
  }
  const dated = names.map((n) => ({
    alias: n.slice(0, -'.cert.pem'.length),
    from: new Date(new X509Certificate(readFileSync(join(dir, n))).validFrom).getTime(),
  }));
  dated.sort((a, b) => b.from - a.from || version(b.alias) - version(a.alias));
  return dated[0]!.alias;
}

function version(alias: string): number {
  const m = /_v(\d+)$/.exec(alias);
  return m ? Number(m[1]) : 1;
}
