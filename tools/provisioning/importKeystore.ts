/**
 * Setup's "Import from Keystore" for an org of the local platform: Salesforce has no API for it, so this
 * posts the JKS to the platform's local-only endpoint with the sf CLI's session of that org (an admin).
 * The password comes from KEYSTORE_PASSWORD or the keystore's `.password` file (tools/certs) and travels in
 * a header — never argv, URL or output. The command is tools/cli/importKeystore.ts.
 */
import { readFileSync, existsSync } from 'node:fs';
import { Org } from '@salesforce/core';
import { ToolError } from '../core/ToolError.ts';
import { readKeystorePassword } from '../certs/keystorePassword.ts';

export interface ImportKeystoreFlags {
  targetOrg: string;
  file: string;
  label?: string;
}

export interface ImportKeystoreResult {
  orgId: string;
  instanceUrl: string;
  imported: { name: string; label: string; keySize: number; expirationDate: string; unchanged?: boolean }[];
}

/** Posts the keystore to the org's /local/import-keystore endpoint and returns what was imported. */
export async function importKeystoreIntoOrg(
  flags: ImportKeystoreFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ImportKeystoreResult> {
  if (!existsSync(flags.file))
    throw new ToolError(`${flags.file} does not exist.`, 'KeystoreNotFound', ['Create one: npm run cert -- create']);
  const jks = readFileSync(flags.file);
  const password = readKeystorePassword(flags.file, env);
  const org = await Org.create({ aliasOrUsername: flags.targetOrg });
  const conn = org.getConnection();
  const instanceUrl = conn.instanceUrl;
  const host = new URL(instanceUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new ToolError(`${flags.targetOrg} is not an org of the local platform (${instanceUrl}).`, 'NotLocalOrg', [
      'Salesforce has no API for Import from Keystore: use Setup → Certificate and Key Management → Import from Keystore in that org.',
    ]);
  }
  await org.refreshAuth();
  const res = await fetch(`${instanceUrl}/local/import-keystore`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${conn.accessToken}`,
      'Content-Type': 'application/octet-stream',
      'X-Keystore-Password': password,
      ...(flags.label ? { 'X-Certificate-Label': flags.label } : {}),
    },
    body: jks,
  });
  const body = (await res.json().catch(() => undefined)) as
    { imported?: ImportKeystoreResult['imported'] } | { errorCode: string; message: string; actions?: string[] }[] | undefined;
  if (!res.ok || !body || Array.isArray(body)) {
    const err = Array.isArray(body) ? body[0] : undefined;
    throw new ToolError(
      err?.message ?? `The local platform answered HTTP ${res.status}.`,
      err?.errorCode ?? 'ImportKeystoreFailed',
      err?.actions ?? [],
    );
  }
  return { orgId: org.getOrgId(), instanceUrl, imported: body.imported ?? [] };
}
