/**
 * The keystore alias becomes the certificate's Unique Name in Org A (Apex signs with it), so it must be a
 * valid Salesforce API name. The rule is Salesforce's DeveloperName rule; that Import from Keystore applies
 * it to the alias is an inference (docs/salesforce-rules.md#import-keystore: "Alias rules: not found") — unverified.
 */
import { certErrors } from './certErrors.ts';

/** Throws InvalidAlias unless `alias` is letters, digits and single underscores, starting with a letter. */
export function assertValidApiName(alias: string): void {
  if (alias.length === 0) throw certErrors.invalidAlias(alias, 'it is empty');
  if (alias.length > 64) throw certErrors.invalidAlias(alias, 'it is longer than 64 characters');
  if (!/^[A-Za-z]/.test(alias)) throw certErrors.invalidAlias(alias, 'it must start with a letter');
  if (!/^[A-Za-z0-9_]+$/.test(alias)) throw certErrors.invalidAlias(alias, 'only letters, digits and underscores are allowed');
  if (alias.includes('__')) throw certErrors.invalidAlias(alias, 'it must not contain two underscores in a row');
  if (alias.endsWith('_')) throw certErrors.invalidAlias(alias, 'it must not end with an underscore');
}
