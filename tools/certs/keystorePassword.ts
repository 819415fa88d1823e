/**
 * Where the keystore password comes from: the KEYSTORE_PASSWORD environment variable, else a fresh random
 * one the tool writes to `<alias>.password` (0600) beside the keystore. Never argv: arguments are visible
 * to every user through `ps` and land in shell history.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { certErrors } from './certErrors.ts';

export const PASSWORD_ENV = 'KEYSTORE_PASSWORD';
/** keytool refuses shorter store passwords. */
export const MIN_PASSWORD_LENGTH = 6;

export interface KeystorePassword {
  value: string;
  source: 'env' | 'generated';
}

export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** For create/rotate: the env var if set, else a new random password to be written beside the keystore. */
export function resolveNewKeystorePassword(env: NodeJS.ProcessEnv = process.env): KeystorePassword {
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_PASSWORD_LENGTH) {
      throw certErrors.invalidOption(
        `${PASSWORD_ENV} is shorter than ${MIN_PASSWORD_LENGTH} characters, which keytool refuses.`,
        `Use a longer ${PASSWORD_ENV}, or unset it to let the tool generate one.`,
      );
    }
    if (!/^[\x21-\x7e]+$/.test(fromEnv)) {
      throw certErrors.invalidOption(
        `${PASSWORD_ENV} must be printable ASCII without spaces: Java's PKCS#12 refuses other characters.`,
        `Choose another ${PASSWORD_ENV}, or unset it to let the tool generate one.`,
      );
    }
    return { value: fromEnv, source: 'env' };
  }
  return { value: generatePassword(), source: 'generated' };
}

/** The `.password` file the tool writes for a keystore or PKCS#12 file: same base name. */
export function passwordFileFor(keystorePath: string): string {
  return join(dirname(keystorePath), `${basename(keystorePath).replace(/\.(jks|p12|pfx)$/i, '')}.password`);
}

/** For reading a keystore: the env var, else its `.password` file; KeystorePasswordMissing otherwise. */
export function readKeystorePassword(keystorePath: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const file = passwordFileFor(keystorePath);
  if (existsSync(file)) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  throw certErrors.missingPassword(keystorePath);
}
