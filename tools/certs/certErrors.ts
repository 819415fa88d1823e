/**
 * Every certificate and keystore failure a person can hit, as ToolErrors with the fix to try.
 * The texts Salesforce shows on Setup → Certificate and Key Management → Import from Keystore are
 * copied verbatim from docs/salesforce-rules.md#import-keystore (KEYSTORE-HELP, KEYSTORE-KB) so the local platform
 * rejects a keystore exactly the way Setup does.
 */
import { ToolError } from '../core/ToolError.ts';

export const SUPPORTED_KEY_SIZES = [2048, 3072, 4096] as const;
export type KeySize = (typeof SUPPORTED_KEY_SIZES)[number];

/** Salesforce's own import messages (docs/salesforce-rules.md#import-keystore), verbatim. */
export const SALESFORCE_IMPORT_MESSAGES = {
  noPrivateKeyEntry: "No certificate was imported because the keystore file doesn't contain a PrivateKey entry.",
  notRsa: 'The key is not an RSA key.',
  notPkcs8: 'The key must be in PKCS#8 format.',
  keySize: 'Imported keys must have a bit size of 2048, 3072, or 4096.',
  mismatch: 'The private key does not match the certificate chain in the keystore.',
  keyPasswordDiffers: (alias: string) =>
    `The Keystore contains a certificate '${alias}' whose per key password is not the same as the keystore password.`,
} as const;

const CREATE_AGAIN = 'Create a fresh set: npm run cert -- create --out .local/certs';

export const certErrors = {
  noPrivateKeyEntry: () =>
    new ToolError(SALESFORCE_IMPORT_MESSAGES.noPrivateKeyEntry, 'NoPrivateKeyEntry', [
      'The keystore holds only trusted certificates; import a keystore that holds the key pair.',
      CREATE_AGAIN,
    ]),
  notRsa: (found: string) =>
    new ToolError(SALESFORCE_IMPORT_MESSAGES.notRsa, 'KeyNotRsa', [
      `The key is ${found}; Salesforce signs JWTs with RSA keys only.`,
      CREATE_AGAIN,
    ]),
  notPkcs8: (cause?: unknown) =>
    new ToolError(
      SALESFORCE_IMPORT_MESSAGES.notPkcs8,
      'KeyNotPkcs8',
      ['Convert the key: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem', CREATE_AGAIN],
      1,
      cause,
    ),
  keySize: (bits: number | string) =>
    new ToolError(SALESFORCE_IMPORT_MESSAGES.keySize, 'UnsupportedKeySize', [`The key has ${bits} bits; use --bits 2048, 3072 or 4096.`]),
  mismatch: () =>
    new ToolError(SALESFORCE_IMPORT_MESSAGES.mismatch, 'KeyCertificateMismatch', [
      'Use the private key that was created together with this certificate.',
      CREATE_AGAIN,
    ]),
  keyPasswordDiffers: (alias: string) =>
    new ToolError(SALESFORCE_IMPORT_MESSAGES.keyPasswordDiffers(alias), 'KeyPasswordDiffers', [
      'Salesforce requires the key password and the keystore password to be identical.',
      `Fix it: keytool -keypasswd -alias ${alias} -keystore FILE (set the key password to the store password)`,
    ]),
  /** Java's own wording (keytool); what Salesforce shows for a wrong password is not documented (unverified). */
  wrongPassword: (file = 'the keystore') =>
    new ToolError(`Keystore was tampered with, or password was incorrect (${file}).`, 'KeystorePasswordIncorrect', [
      'Set KEYSTORE_PASSWORD to the password the keystore was created with, or use its .password file beside it.',
    ]),
  corruptKeystore: (detail: string, file = 'the keystore') =>
    new ToolError(`${file} is not a valid keystore: ${detail}.`, 'CorruptKeystore', [
      'Check that the file was copied whole (binary, not text mode).',
      CREATE_AGAIN,
    ]),
  notJks: (kind: string) =>
    new ToolError(`The keystore is in ${kind} format; Salesforce's Import from Keystore accepts JKS only.`, 'KeystoreNotJks', [
      'Convert it: keytool -importkeystore -srckeystore FILE -srcstoretype PKCS12 -destkeystore out.jks -deststoretype JKS',
      CREATE_AGAIN,
    ]),
  invalidAlias: (alias: string, why: string) =>
    new ToolError(`Alias '${alias}' is not a valid Salesforce API name: ${why}.`, 'InvalidAlias', [
      'Use letters, digits and single underscores, starting with a letter, e.g. --alias OrgA_JWT_Signing',
    ]),
  invalidOption: (message: string, action: string) => new ToolError(message, 'InvalidOption', [action]),
  outputExists: (paths: string[]) =>
    new ToolError(`Output already exists: ${paths.join(', ')}.`, 'OutputExists', [
      'Add --force to overwrite it, choose another --out folder, or run: npm run cert -- rotate',
    ]),
  insideForceApp: (dir: string) =>
    new ToolError(`Refusing to write keys inside force-app/ (${dir}): it is deployed and committed.`, 'OutputInsideForceApp', [
      'Write them to a git-ignored folder: --out .local/certs',
    ]),
  notIgnored: (dir: string) =>
    new ToolError(`Refusing to write keys to ${dir}: git does not ignore it, so they could be committed.`, 'OutputNotIgnored', [
      'Write them to a git-ignored folder: --out .local/certs (or add the folder to .gitignore)',
    ]),
  missingPassword: (file: string) =>
    new ToolError(`No password for ${file}.`, 'KeystorePasswordMissing', [
      'Set KEYSTORE_PASSWORD, or keep the .password file the tool wrote beside the keystore.',
    ]),
  unreadable: (file: string, detail: string) =>
    new ToolError(`Cannot read ${file}: ${detail}.`, 'UnreadableFile', ['Pass a PEM certificate or key, a .jks or a .p12 file.']),
};
