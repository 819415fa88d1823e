import { readFileSync, existsSync } from 'node:fs';
import { Org } from '@salesforce/core';
import { ToolError } from '../core/ToolError.ts';

/**
 * `local-orgs import-keystore`: Setup's "Import from Keystore" for a local org. Salesforce has no API
 * for it; the local platform offers `POST /local/import-keystore` (Metadata module), and this sends the
 * JKS there through the sf CLI's stored auth of the target org. The password comes from the
 * environment or stdin, never from argv.
 */
export interface ImportKeystoreRequest {
  targetOrg: string;
  file: string;
  password: string;
  label?: string;
}

export async function importKeystoreIntoOrg(req: ImportKeystoreRequest): Promise<{ orgId: string; imported: unknown }> {
  if (!existsSync(req.file)) throw new ToolError(`No keystore file at ${req.file}.`, 'KeystoreNotFound', ['Pass the path of a .jks file with --file.']);
  let org: Org;
  try {
    org = await Org.create({ aliasOrUsername: req.targetOrg });
  } catch (e) {
    throw new ToolError(`The sf CLI has no org "${req.targetOrg}": ${(e as Error).message}`, 'TargetOrgNotFound', ['Check `sf org list`; log in with `npm run local-orgs -- start` or `sf org login jwt`.']);
  }
  const conn = org.getConnection();
  const instanceUrl = conn.instanceUrl;
  if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+/.test(instanceUrl)) {
    throw new ToolError(`${req.targetOrg} (${instanceUrl}) is not a local org; Salesforce offers Import from Keystore only in Setup.`, 'NotALocalOrg', [
      'In a real org: Setup → Certificate and Key Management → Import from Keystore.',
    ]);
  }
  const body = JSON.stringify({ jks: readFileSync(req.file).toString('base64'), password: req.password, ...(req.label ? { label: req.label } : {}) });
  try {
    const answer = (await conn.request({ method: 'POST', url: `${instanceUrl}/local/import-keystore`, body, headers: { 'Content-Type': 'application/json' } })) as { imported?: unknown };
    return { orgId: org.getOrgId(), imported: answer.imported ?? answer };
  } catch (e) {
    const err = e as Error & { errorCode?: string };
    throw new ToolError(err.message, err.errorCode ?? err.name ?? 'ImportKeystoreFailed', ['Check the keystore password (key and store passwords must be the same) and that the keystore holds an RSA PrivateKeyEntry.']);
  }
}

/** Reads the keystore password from LOCAL_SF_KEYSTORE_PASSWORD or the first line of stdin. */
export async function readKeystorePassword(): Promise<string> {
  const fromEnv = process.env.LOCAL_SF_KEYSTORE_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    throw new ToolError('No keystore password given.', 'KeystorePasswordMissing', ['Set LOCAL_SF_KEYSTORE_PASSWORD or pipe the password on stdin (never as an argument).']);
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const pw = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  if (!pw) throw new ToolError('The keystore password on stdin is empty.', 'KeystorePasswordMissing', ['Pipe the password on stdin or set LOCAL_SF_KEYSTORE_PASSWORD.']);
  return pw;
}
