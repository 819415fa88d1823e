import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from '../http/errors.ts';
import { getOrg, getRecord, insertRecord, nowIso, tx, type StoredOrg } from '../../data/store.ts';
import { createOrg } from './orgs.ts';
import { findApp, insertApp } from '../oauth/oauth.ts';
import { issueToken } from '../oauth/tokens.ts';
import { to15 } from '../../data/ids.ts';
import { ADMIN_PROFILE } from '../../data/access.ts';
import type { MetadataModule } from '../http/contracts.ts';

/**
 * Dev Hub behaviour: a ScratchOrgInfo insert signs up a scratch org (synchronously, so the CLI's
 * first poll already sees Status = Active), an ActiveScratchOrg delete tears it down. Allocation
 * limits are enforced like a hub's ActiveScratchOrgs / DailyScratchOrgs.
 */
export const EDITIONS = [
  'Developer',
  'Enterprise',
  'Group',
  'Professional',
  'Partner Developer',
  'Partner Enterprise',
  'Partner Group',
  'Partner Professional',
];

export interface ScratchLimits {
  maxActive: number;
  maxDaily: number;
}

export interface SignupDeps {
  db: DatabaseSync;
  metadata: MetadataModule;
  limits: ScratchLimits;
  /** Simulated sign-up time (LOCAL_SF_SIGNUP_SECONDS); 0 = at once. */
  signupSeconds?: number;
  /** Opens a listener on a free loopback port and returns it; `attach` binds it to the new org. */
  openPort(): Promise<{ port: number; attach(orgId: string): void; close(): Promise<void> }>;
  closeOrg(orgId: string): Promise<void>;
}

/** Meta key: sign-ups before this time no longer count towards the daily limit (`local-orgs reset-limits`). */
const DAILY_RESET_KEY = 'daily_signups_reset_at';

/**
 * Forgets today's sign-ups for the daily limit, as if the rolling 24-hour window had passed (a local
 * convenience: on Salesforce only time does this). Active orgs still count: delete them to free those.
 */
export function resetDailySignups(db: DatabaseSync, now = new Date()): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(DAILY_RESET_KEY, nowIso(now));
}

export function scratchUsage(db: DatabaseSync, hubId: string): { active: number; daily: number } {
  const active = (db.prepare("SELECT count(*) AS n FROM orgs WHERE hub_id = ? AND status = 'Active'").get(hubId) as { n: number }).n;
  const reset = (db.prepare('SELECT value FROM meta WHERE key = ?').get(DAILY_RESET_KEY) as { value: string } | undefined)?.value;
  const windowStart = nowIso(new Date(Date.now() - 86_400_000));
  const since = reset && reset > windowStart ? reset : windowStart;
  const daily = (db.prepare('SELECT count(*) AS n FROM orgs WHERE hub_id = ? AND created_at > ?').get(hubId, since) as { n: number }).n;
  return { active, daily };
}

export function hubLimits(db: DatabaseSync, org: StoredOrg, limits: ScratchLimits): Record<string, { Max: number; Remaining: number }> {
  if (org.kind !== 'devhub') return {};
  const u = scratchUsage(db, org.id);
  return {
    ActiveScratchOrgs: { Max: limits.maxActive, Remaining: Math.max(0, limits.maxActive - u.active) },
    DailyScratchOrgs: { Max: limits.maxDaily, Remaining: Math.max(0, limits.maxDaily - u.daily) },
  };
}

function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Validates and records a ScratchOrgInfo, creates the org and returns the ScratchOrgInfo Id. */
export async function signUpScratchOrg(deps: SignupDeps, hubId: string, input: Record<string, unknown>, userId: string): Promise<string> {
  const { db } = deps;
  const hub = getOrg(db, hubId)!;
  const get = (name: string) => {
    const k = Object.keys(input).find((x) => x.toLowerCase() === name.toLowerCase());
    return k === undefined ? undefined : input[k];
  };
  const edition = String(get('Edition') ?? '');
  if (!edition) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Edition]', ['Edition']);
  const canonicalEdition = EDITIONS.find((e) => e.toLowerCase() === edition.toLowerCase());
  if (!canonicalEdition) {
    throw new ApiError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Edition: bad value for restricted picklist field: ${edition}`, [
      'Edition',
    ]);
  }
  // Both are required (Object Reference, ScratchOrgInfo: "Required." on each); an empty string is as missing
  // as an absent field, as GitHub's unset variables make it (forcedotcom/cli#3515 quotes the refusal).
  const missing = REQUIRED_APP_FIELDS.filter((name) => String(get(name) ?? '').trim() === '');
  if (missing.length) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  const usage = scratchUsage(db, hubId);
  // Wording of these two refusals is unverified (Salesforce reports them as signup errors; the daily one is
  // what users quote). The limits are LOCAL_SF_ACTIVE_SCRATCH_ORGS / LOCAL_SF_DAILY_SCRATCH_ORGS.
  if (usage.active >= deps.limits.maxActive) {
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      `The signup request failed because this organization has reached its active scratch org limit (${deps.limits.maxActive}).`,
    );
  }
  if (usage.daily >= deps.limits.maxDaily) {
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      `The signup request failed because this organization has reached its daily scratch org signup limit (${deps.limits.maxDaily}).`,
    );
  }
  // Salesforce takes minutes to sign an org up; LOCAL_SF_SIGNUP_SECONDS makes the local one take that long
  // (the request returns once the org is Active, as the CLI's first poll expects), for timing benchmarks.
  if (deps.signupSeconds && deps.signupSeconds > 0) await new Promise((r) => setTimeout(r, deps.signupSeconds! * 1000));
  const features = String(get('Features') ?? '')
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const duration = Math.min(30, Math.max(1, Number(get('DurationDays') ?? 7) || 7));
  const expires = new Date(Date.now() + duration * 86_400_000);
  const username = String(get('Username') ?? `test-${randomBytes(6).toString('hex')}@example.com`).toLowerCase();
  const adminEmail = String(get('AdminEmail') ?? get('SignupEmail') ?? 'admin@example.com');
  const orgName = String(get('OrgName') ?? 'Company');
  const consumerKey = String(get('ConnectedAppConsumerKey'));
  const signupApp = findApp(db, hubId, consumerKey, deps.metadata);
  // Proxy Signup replicates the named app into the new org and cannot replicate an External Client App:
  // the sign-up ends in Status Error with C-1016 (forcedotcom/cli#3515, forcedotcom/sfdx-core#1315).
  if (signupApp?.kind === 'ExternalClientApplication') return recordFailedSignup(db, hubId, input, userId, canonicalEdition, 'C-1016');

  const listener = await deps.openPort();
  try {
    const soiId = tx(db, () => {
      const settings: Record<string, unknown> = {};
      // Feature PlatformCache "enables Platform Cache and allocates a 3 MB cache" (docs/salesforce-rules.md#platform-cache).
      if (features.some((f) => f.toLowerCase() === 'platformcache')) settings.platformCache = { orgCapacityMb: 3 };
      const { org, adminId } = createOrg(db, {
        name: orgName,
        kind: 'scratch',
        port: listener.port,
        edition: canonicalEdition,
        features,
        settings,
        hubId,
        expiresAt: nowIso(expires),
        admin: { username, email: adminEmail, firstName: 'User', lastName: 'User' },
        country: get('Country') as string | undefined,
        language: get('Language') as string | undefined,
      });
      // The hub's CLI app is replicated into the scratch org, pre-authorized for its admin (as Salesforce
      // does for the app named in ConnectedAppConsumerKey).
      // PlatformCLI is Salesforce's built-in CLI app, present in every org (forcedotcom/cli#3515).
      insertApp(db, org.id, {
        kind: 'ConnectedApp',
        name: signupApp?.name ?? (consumerKey === PLATFORM_CLI ? 'Salesforce CLI' : 'SalesforceCLI'),
        consumerKey,
        certificatePem: signupApp?.certificatePem,
        adminApproved: true,
        profiles: [ADMIN_PROFILE],
        permissionSets: [],
        deployedAt: Date.now(),
        sessionTimeoutMinutes: signupApp?.sessionTimeoutMinutes,
      });
      const authCode = issueToken(db, 'code', org.id, adminId, consumerKey, 15 * 60);
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) if (k !== 'attributes') fields[k] = v;
      Object.assign(fields, {
        Edition: canonicalEdition,
        OrgName: orgName,
        Status: 'Active',
        ScratchOrg: to15(org.id),
        SignupUsername: username,
        Username: username,
        LoginUrl: org.instanceUrl,
        AuthCode: authCode,
        SignupInstance: null,
        ExpirationDate: dateOnly(expires),
        DurationDays: duration,
        Features: features.join(';') || null,
        ErrorCode: null,
      });
      const id = insertRecord(db, hubId, 'ScratchOrgInfo', fields, { trusted: true, userId });
      insertRecord(
        db,
        hubId,
        'ActiveScratchOrg',
        {
          Name: `${orgName}`,
          ScratchOrg: to15(org.id),
          SignupUsername: username,
          Edition: canonicalEdition,
          ExpirationDate: dateOnly(expires),
          OrgName: orgName,
          ScratchOrgInfoId: id,
          Features: features.join(';') || null,
          Description: get('Description') ?? null,
        },
        { trusted: true, userId },
      );
      return { id, orgId: org.id };
    });
    listener.attach(soiId.orgId);
    void hub;
    return soiId.id;
  } catch (e) {
    await listener.close();
    throw e;
  }
}

/** The consumer key of Salesforce's built-in CLI Connected App, which sign-up can name instead of the hub's own app. */
export const PLATFORM_CLI = 'PlatformCLI';
const REQUIRED_APP_FIELDS = ['ConnectedAppConsumerKey', 'ConnectedAppCallbackUrl'];

/**
 * A sign-up that Salesforce accepts and then fails: the ScratchOrgInfo is saved with Status Error and its
 * ErrorCode, no org is created (sfdx-core reads the code and prints its own message for it).
 */
function recordFailedSignup(
  db: DatabaseSync,
  hubId: string,
  input: Record<string, unknown>,
  userId: string,
  edition: string,
  errorCode: string,
): string {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (k !== 'attributes') fields[k] = v;
  Object.assign(fields, { Edition: edition, Status: 'Error', ErrorCode: errorCode, ScratchOrg: null, AuthCode: null, LoginUrl: null });
  return insertRecord(db, hubId, 'ScratchOrgInfo', fields, { trusted: true, userId });
}

/** Every table with an org_id column loses the org's rows (ours and the neighbours'). */
export function purgeOrgData(db: DatabaseSync, orgId: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  for (const { name } of tables) {
    if (name === 'orgs') continue;
    const cols = db.prepare(`PRAGMA table_info(${JSON.stringify(name)})`).all() as { name: string }[];
    if (cols.some((c) => c.name === 'org_id')) db.prepare(`DELETE FROM ${JSON.stringify(name)} WHERE org_id = ?`).run(orgId);
  }
}

/** Deletes a scratch org through its ActiveScratchOrg row: data purged, listener closed, SOI marked Deleted. */
export async function deleteScratchOrg(
  deps: SignupDeps,
  hubId: string,
  asoId: string,
  finalStatus: 'Deleted' | 'Expired' = 'Deleted',
): Promise<void> {
  const { db } = deps;
  const aso = getRecord(db, hubId, asoId);
  if (!aso || aso.sobject !== 'ActiveScratchOrg') throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  const scratch = db.prepare('SELECT id FROM orgs WHERE hub_id = ? AND substr(id,1,15) = ?').get(hubId, String(aso.fields.ScratchOrg)) as
    { id: string } | undefined;
  tx(db, () => {
    db.prepare('DELETE FROM records WHERE id = ?').run(aso.id);
    const soiId = aso.fields.ScratchOrgInfoId as string | undefined;
    if (soiId) {
      const soi = getRecord(db, hubId, soiId);
      if (soi)
        db.prepare('UPDATE records SET fields = ? WHERE id = ?').run(
          JSON.stringify({ ...soi.fields, Status: 'Deleted', AuthCode: null }),
          soi.id,
        );
    }
    if (scratch) {
      purgeOrgData(db, scratch.id);
      db.prepare('UPDATE orgs SET status = ? WHERE id = ?').run(finalStatus, scratch.id);
    }
  });
  if (scratch) await deps.closeOrg(scratch.id);
}

/** Deletes every active scratch org past its ExpirationDate (as Salesforce does); returns how many. */
export async function expireScratchOrgs(deps: SignupDeps, now = new Date()): Promise<number> {
  const { db } = deps;
  const due = db
    .prepare("SELECT id, hub_id FROM orgs WHERE kind = 'scratch' AND status = 'Active' AND expires_at IS NOT NULL AND expires_at < ?")
    .all(nowIso(now)) as { id: string; hub_id: string }[];
  for (const o of due) {
    const aso = db
      .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'ActiveScratchOrg' AND json_extract(fields,'$.ScratchOrg') = ?")
      .get(o.hub_id, to15(o.id)) as { id: string } | undefined;
    if (aso) await deleteScratchOrg(deps, o.hub_id, aso.id, 'Expired');
    else {
      tx(db, () => {
        purgeOrgData(db, o.id);
        db.prepare("UPDATE orgs SET status = 'Expired' WHERE id = ?").run(o.id);
      });
      await deps.closeOrg(o.id);
    }
  }
  return due.length;
}
