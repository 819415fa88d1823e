/**
 * The platform's simulated delays and allocations: app propagation, sign-up time and the Dev Hub's scratch
 * org limits. They come from the environment when the platform starts; a test can change them while it runs
 * (`setSimulation` in daemon.ts writes them to the meta table, which the server reads on each use), so a
 * case that needs a slow app or a full Dev Hub does not restart the platform. A start clears those changes.
 */
import type { DatabaseSync } from 'node:sqlite';
import { statement } from '../../data/statements.ts';

export interface Simulation {
  /** A newly (re)deployed app is not yet "replicated" for this many seconds (LOCAL_SF_PROPAGATION_SECONDS). */
  propagationSeconds: number;
  /**
   * The same in token requests instead of seconds (LOCAL_SF_PROPAGATION_REQUESTS): the app refuses its first N,
   * the first half as unknown, the rest as not approved. Tests use it: it does not depend on the machine's speed.
   */
  propagationRequests: number;
  /** What a new External Client App answers while unknown (LOCAL_SF_PROPAGATION_ERROR; docs/salesforce-rules.md#eca-not-installed). */
  propagationError: 'invalid_client_id' | 'app_not_found';
  /**
   * Which JWT audiences the apps deployed to an org accept (LOCAL_SF_JWT_AUDIENCE), since public sources
   * disagree (FIDELITY.md): `my-domain` (default) takes the org's My Domain, and for a Connected App also
   * login/test.salesforce.com, while an External Client App answers app_not_found for those; `login-test`
   * takes only the generic host of the org's kind (test.salesforce.com for scratch orgs,
   * login.salesforce.com for production) and answers `audience is invalid` for the My Domain.
   */
  jwtAudience: JwtAudiencePolicy;
  /** How long a scratch org sign-up takes (LOCAL_SF_SIGNUP_SECONDS). */
  signupSeconds: number;
  /**
   * Each Apex callout's network round trip, in milliseconds (LOCAL_SF_NETWORK_LATENCY_MS, default 0). Real
   * orgs are on other hosts, so a callout waits on the network; here every org shares this machine's cores,
   * where a callout costs only CPU. Benchmarks of concurrent callouts set it (tools/bench/remoteRecords.ts).
   */
  networkLatencyMs: number;
  /** The Dev Hub's ActiveScratchOrgs / DailyScratchOrgs (LOCAL_SF_ACTIVE_SCRATCH_ORGS / LOCAL_SF_DAILY_SCRATCH_ORGS). */
  maxActive: number;
  maxDaily: number;
}

export type JwtAudiencePolicy = 'my-domain' | 'login-test';
export const JWT_AUDIENCE_POLICIES: readonly JwtAudiencePolicy[] = ['my-domain', 'login-test'];

const META_KEY = 'simulation';

function envAudiencePolicy(env: NodeJS.ProcessEnv): JwtAudiencePolicy | undefined {
  const v = env.LOCAL_SF_JWT_AUDIENCE;
  if (v === undefined || v === '') return undefined;
  if (!(JWT_AUDIENCE_POLICIES as readonly string[]).includes(v))
    throw new Error(`LOCAL_SF_JWT_AUDIENCE must be one of ${JWT_AUDIENCE_POLICIES.join(', ')}, got "${v}"`);
  return v as JwtAudiencePolicy;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

/** The values at start: explicit options first, then the environment, then Salesforce-like defaults. */
export function simulationAtStart(options: Partial<Simulation>, env: NodeJS.ProcessEnv = process.env): Simulation {
  return {
    propagationSeconds: options.propagationSeconds ?? envNumber(env, 'LOCAL_SF_PROPAGATION_SECONDS') ?? 0,
    propagationRequests: options.propagationRequests ?? envNumber(env, 'LOCAL_SF_PROPAGATION_REQUESTS') ?? 0,
    propagationError:
      options.propagationError ?? (env.LOCAL_SF_PROPAGATION_ERROR === 'app_not_found' ? 'app_not_found' : 'invalid_client_id'),
    jwtAudience: options.jwtAudience ?? envAudiencePolicy(env) ?? 'my-domain',
    signupSeconds: options.signupSeconds ?? envNumber(env, 'LOCAL_SF_SIGNUP_SECONDS') ?? 0,
    networkLatencyMs: options.networkLatencyMs ?? envNumber(env, 'LOCAL_SF_NETWORK_LATENCY_MS') ?? 0,
    maxActive: options.maxActive ?? envNumber(env, 'LOCAL_SF_ACTIVE_SCRATCH_ORGS') ?? 20,
    maxDaily: options.maxDaily ?? envNumber(env, 'LOCAL_SF_DAILY_SCRATCH_ORGS') ?? 40,
  };
}

/** Changes made while the platform runs. */
export function readSimulationChanges(db: DatabaseSync): Partial<Simulation> {
  const row = statement(db, 'SELECT value FROM meta WHERE key = ?').get(META_KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Partial<Simulation>) : {};
}

export function writeSimulationChanges(db: DatabaseSync, changes: Partial<Simulation>): Partial<Simulation> {
  const merged = { ...readSimulationChanges(db), ...changes };
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    META_KEY,
    JSON.stringify(merged),
  );
  return merged;
}

export function clearSimulationChanges(db: DatabaseSync): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(META_KEY);
}

/** The callout latency in force: a change made while the platform runs, else the environment's. */
export function networkLatencyMs(db: DatabaseSync, env: NodeJS.ProcessEnv = process.env): number {
  return readSimulationChanges(db).networkLatencyMs ?? envNumber(env, 'LOCAL_SF_NETWORK_LATENCY_MS') ?? 0;
}
