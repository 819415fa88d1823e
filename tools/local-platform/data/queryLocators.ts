import { randomBytes } from 'node:crypto';

/**
 * Query locators (`nextRecordsUrl`): the rest of a query's rows, held for the user who ran it. As on
 * Salesforce, a locator unused for 15 minutes expires and a user has at most 10 open: opening an
 * eleventh releases the oldest (SOAP API Developer Guide, query(): "A user can have up to 10 query
 * cursors open at a time"; REST API Developer Guide, "Execute a SOQL Query": locators time out after
 * 15 minutes of inactivity). Another user's or another org's locator is INVALID_QUERY_LOCATOR.
 */
export const LOCATOR_IDLE_MS = 15 * 60_000;
export const LOCATORS_PER_USER = 10;

interface Locator {
  orgId: string;
  userId: string;
  records: Record<string, unknown>[];
  lastUsed: number;
}

const locators = new Map<string, Locator>();

/** Drops every locator unused for longer than LOCATOR_IDLE_MS (called on each use; cheap: Map order is age order). */
function sweep(now: number): void {
  for (const [id, l] of locators) if (now - l.lastUsed > LOCATOR_IDLE_MS) locators.delete(id);
}

/** Keeps `records` for the user under `id` (a new id unless given), releasing that user's oldest beyond the bound. */
export function keepLocator(orgId: string, userId: string, records: Record<string, unknown>[], id?: string, now = Date.now()): string {
  sweep(now);
  const key = id ?? `01g${randomBytes(6).toString('hex')}`;
  locators.delete(key);
  locators.set(key, { orgId, userId, records, lastUsed: now });
  const mine = [...locators].filter(([, l]) => l.orgId === orgId && l.userId === userId);
  for (const [old] of mine.slice(0, Math.max(0, mine.length - LOCATORS_PER_USER))) locators.delete(old);
  return key;
}

/** The rows behind a locator, if it is live and belongs to this org and user. */
export function readLocator(orgId: string, userId: string, id: string, now = Date.now()): Record<string, unknown>[] | undefined {
  sweep(now);
  const l = locators.get(id);
  if (!l || l.orgId !== orgId || l.userId !== userId) return undefined;
  l.lastUsed = now;
  // Re-inserted so the Map stays in order of last use.
  locators.delete(id);
  locators.set(id, l);
  return l.records;
}

/** Open locators (tests and the memory figures). */
export function openLocators(): number {
  return locators.size;
}
