/**
 * `--objects` and `--providers` (issue 20), checked before any work: a bad value ends the command with
 * one `Error (InvalidFlag)` line and the usage (exit code 2).
 */
import { flagError } from './flags.ts';
import { MAX_PROVIDERS } from '../provisioning/renderRemoteRecords.ts';

/** Objects one App page shows at most: each is a component instance asking every source org. */
export const MAX_OBJECTS = 10;

// A standard or custom object API name, namespace prefix allowed: Account, My_Thing__c, ns__Thing__c.
const OBJECT_NAME = /^(?:[A-Za-z][A-Za-z0-9]{0,14}__)?[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__c)?$/;

export function objectsFlag(value: string | undefined, usage: string): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim());
  const bad = names.find((n) => !OBJECT_NAME.test(n) || n.endsWith('_'));
  if (bad !== undefined || names.length === 0) {
    throw flagError(`--objects takes comma-separated object API names (Account,Contact,My_Object__c), not "${bad ?? value}".`, usage);
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) throw flagError(`--objects names ${n} twice.`, usage);
    seen.add(n.toLowerCase());
  }
  if (names.length > MAX_OBJECTS) throw flagError(`--objects takes at most ${MAX_OBJECTS} objects, not ${names.length}.`, usage);
  return names;
}

export function providersFlag(value: string | undefined, usage: string, auth: string): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_PROVIDERS) {
    throw flagError(
      `--providers must be a whole number from 1 to ${MAX_PROVIDERS} (one Continuation holds at most ${MAX_PROVIDERS} requests), not "${value}".`,
      usage,
    );
  }
  // The Named Credential path renders one credential, Org_B: further source orgs need the Apex signer.
  if (n > 1 && auth === 'named-credential')
    throw flagError('--providers above 1 needs --auth apex-jwt (the Named Credential path wires one source org).', usage);
  return n;
}
