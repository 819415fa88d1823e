/**
 * `--cert local`: the key pair is made here (tools/certs) and imported into Org A as a JKS. Salesforce
 * has no API for "Import from Keystore", so on a real org a person does that step in Setup while this
 * waits; the local platform has a local-only endpoint for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateSet } from '../certs/createCertificateSet.ts';
import { resolveNewKeystorePassword } from '../certs/keystorePassword.ts';
import { importKeystoreIntoOrg } from './importKeystore.ts';
import { ToolError } from '../core/ToolError.ts';
import { retrieveComponent } from './orgOps.ts';
import type { Progress } from './progress.ts';
import { sf } from './sfCli.ts';

/** JKS aliases are lower case (keytool stores them so), and the alias becomes the certificate's Unique Name. */
export const LOCAL_CERTIFICATE_ALIAS = 'orga_jwt_local';

export interface LocalCertificate {
  name: string;
  pem: string;
  fingerprintSha256: string;
  jksPath: string;
}

/** Creates the set once (a re-run reuses it) and returns its public half. */
export async function ensureLocalKeyPair(certDir: string): Promise<LocalCertificate> {
  const pemPath = join(certDir, `${LOCAL_CERTIFICATE_ALIAS}.cert.pem`);
  const jksPath = join(certDir, `${LOCAL_CERTIFICATE_ALIAS}.jks`);
  if (!existsSync(pemPath) || !existsSync(jksPath)) {
    await createCertificateSet(certDir, resolveNewKeystorePassword(), { alias: LOCAL_CERTIFICATE_ALIAS, cn: 'Org A JWT signing' });
  }
  const pem = readFileSync(pemPath, 'utf8');
  const { X509Certificate } = await import('node:crypto');
  return { name: LOCAL_CERTIFICATE_ALIAS, pem, fingerprintSha256: new X509Certificate(pem).fingerprint256, jksPath };
}

/** Puts the keystore into Org A: by the local endpoint, or by a person in Setup while this polls. */
export async function importIntoConsumer(
  cert: LocalCertificate,
  org: { alias: string; local: boolean },
  waitMs: number,
  progress: Progress,
): Promise<void> {
  if (org.local) {
    await importKeystoreIntoOrg({ targetOrg: org.alias, file: cert.jksPath });
    return;
  }
  progress.info(
    [
      'Salesforce accepts a private key only through Setup. In Org A (opening it now):',
      '  Setup → Certificate and Key Management → Import from Keystore',
      `  Keystore file: ${cert.jksPath}`,
      `  Keystore password: the content of ${cert.jksPath.replace(/\.jks$/, '.password')} (or your KEYSTORE_PASSWORD)`,
      `Waiting until certificate ${cert.name} appears in Org A…`,
    ].join('\n'),
  );
  await sf(['org', 'open', '--target-org', org.alias, '--path', 'lightning/setup/CertificatesAndKeysManagement/home']).catch(
    () => undefined,
  );
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const files = await retrieveComponent(org.alias, `Certificate:${cert.name}`).catch(() => new Map<string, Buffer>());
    if (files.size > 0) return;
    await new Promise((r) => setTimeout(r, 10_000));
  }
  throw new ToolError(`Certificate ${cert.name} did not appear in Org A in time.`, 'KeystoreNotImported', [
    `Import ${cert.jksPath} in Org A's Setup (Certificate and Key Management → Import from Keystore), then run npm run setup:orgs again.`,
  ]);
}
