/**
 * `local-orgs import-keystore --target-org <alias|username> --file <keystore.jks> [--label <label>] [--json]`
 * Setup's "Import from Keystore" for an org of the local platform: Salesforce has no API for it, so this
 * posts the JKS to the platform's local-only endpoint with the sf CLI's session of that org (an admin).
 * The password comes from KEYSTORE_PASSWORD or the keystore's `.password` file (tools/certs), travels in a
 * header — never argv, URL or output.
 */
import { pathToFileURL } from 'node:url';
import { ToolError } from '../core/ToolError.ts';
import { importKeystoreIntoOrg, type ImportKeystoreFlags, type ImportKeystoreResult } from '../provisioning/importKeystore.ts';
import { runCommand } from './runCommand.ts';

export type { ImportKeystoreFlags, ImportKeystoreResult };

const USAGE = 'npm run local-orgs -- import-keystore --target-org <alias> --file <keystore.jks> [--label <label>] [--json]';

export function parseImportKeystoreFlags(args: string[]): ImportKeystoreFlags {
  const value = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ToolError(`--${name} needs a value.`, 'InvalidFlag', [USAGE]);
    return v;
  };
  if (args.some((a) => /^--(password|storepass)/.test(a))) {
    throw new ToolError('The keystore password is never taken as a flag.', 'InvalidFlag', [
      'Set KEYSTORE_PASSWORD, or keep it in the .password file next to the keystore.',
    ]);
  }
  const targetOrg = value('target-org') ?? value('o');
  const file = value('file') ?? value('f');
  if (!targetOrg || !file) throw new ToolError('--target-org and --file are required.', 'InvalidFlag', [USAGE]);
  return { targetOrg, file, label: value('label') };
}

export function importedHuman(r: ImportKeystoreResult): string {
  return [
    `Imported into ${r.orgId} (${r.instanceUrl}):`,
    ...r.imported.map(
      (c) =>
        `  ${c.name}  "${c.label}"  RSA ${c.keySize}  expires ${c.expirationDate}${c.unchanged ? '  (already imported, unchanged)' : ''}`,
    ),
    'Apex signs with it by that name (Crypto.signWithCertificate / Auth.JWS).',
  ].join('\n');
}

/** What `local-orgs import-keystore` runs: flags after the subcommand, `--json` for machine output. */
export async function runImportKeystore(args: string[], json = args.includes('--json')): Promise<void> {
  await runCommand(json, () => importKeystoreIntoOrg(parseImportKeystoreFlags(args)), importedHuman);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runImportKeystore(process.argv.slice(2));
}
