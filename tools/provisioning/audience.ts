/**
 * Which JWT audience (`aud`) Org B accepts is not settled in public sources
 * (docs/salesforce-rules.md#jwt-audience-discovery): External Client Apps are
 * reported to refuse login/test.salesforce.com (n8n-io/n8n#29016), other working code sends
 * https://test.salesforce.com to scratch orgs (Lightning Flow Scanner's ToolingAPI.cls getAudience()),
 * and older libraries keep login/test even with a My Domain token host (restforce#886,
 * simple-salesforce#711). sfdx-core tries several combinations until one works (getLoginAudienceCombos).
 * So setup tries B's My Domain first, then the generic host for B's kind of org, and records the one B
 * accepts (Audience__c); the token host stays B's My Domain (Help "Configure OAuth 2.0 JWT Bearer Flow
 * for External Client Apps").
 */
import { ToolError } from '../core/ToolError.ts';
import { verifyTokenScript } from './consumerAuthPath.ts';
import { debugValue, query, runAnonymousApex, type ApexRunResult } from './orgOps.ts';
import { diagnoseTokenError } from './tokenErrors.ts';

export const PRODUCTION_LOGIN = 'https://login.salesforce.com';
export const SANDBOX_LOGIN = 'https://test.salesforce.com';

/** What the Organization object says about B, enough to choose login or test. */
export interface OrgKind {
  IsSandbox?: boolean | null;
  OrganizationType?: string | null;
  TrialExpirationDate?: string | null;
}

/**
 * The audiences to try, best first: B's My Domain, then test.salesforce.com for sandboxes and scratch orgs
 * (a scratch org is a Developer Edition with a trial expiration date; setup's own scratch orgs are known),
 * login.salesforce.com otherwise (production, Developer Edition).
 */
export function audienceCandidates(myDomain: string, org: OrgKind, knownScratch = false): string[] {
  const scratch = knownScratch || (Boolean(org.TrialExpirationDate) && /developer edition/i.test(org.OrganizationType ?? ''));
  const generic = org.IsSandbox || scratch ? SANDBOX_LOGIN : PRODUCTION_LOGIN;
  return [...new Set([myDomain.replace(/\/+$/, ''), generic])];
}

/** Reads B's kind of org (IsSandbox, OrganizationType, TrialExpirationDate). */
export async function readOrgKind(alias: string): Promise<OrgKind> {
  const rows = await query<OrgKind>(alias, 'SELECT IsSandbox, OrganizationType, TrialExpirationDate FROM Organization LIMIT 1');
  return rows[0] ?? {};
}

/** One candidate's last answer. */
export interface AudienceAnswer {
  audience: string;
  answer: string;
}

export interface AudienceFound {
  audience: string;
  attempts: number;
  /** Each refusal met on the way, once, with how often it came (propagation of a new app included). */
  refusals: Array<{ answer: string; count: number }>;
  /** The last answer of each candidate that was refused. */
  answers: AudienceAnswer[];
}

type Ask = (alias: string, code: string) => Promise<ApexRunResult>;

/**
 * Asks B for a token from A with each candidate audience in turn until one works. A refusal moves on to
 * the next candidate; a candidate whose refusal is final (`audience is invalid`, a bad signature) is
 * dropped; the others are tried again after a pause while `waitMs` lasts (a new app
 * propagates). Fails with every candidate's last answer.
 */
export async function discoverAudience(
  consumerAlias: string,
  candidates: string[],
  waitMs: number,
  say: (line: string) => void,
  ask: Ask = runAnonymousApex,
  firstDelayMs = 2_000,
): Promise<AudienceFound> {
  const deadline = Date.now() + waitMs;
  const last = new Map<string, string>();
  const refusals = new Map<string, number>();
  let open = [...candidates];
  let attempts = 0;
  for (let round = 1; ; round++) {
    for (const audience of [...open]) {
      attempts++;
      const run = await ask(consumerAlias, verifyTokenScript(audience));
      if (run.success) {
        const answers = [...last].filter(([a]) => a !== audience).map(([a, answer]) => ({ audience: a, answer }));
        return {
          audience: debugValue(run.logs, 'VERIFY_AUDIENCE') ?? audience,
          attempts,
          refusals: [...refusals].map(([answer, count]) => ({ answer, count })),
          answers,
        };
      }
      const message = failureOf(run);
      last.set(audience, message);
      // "Not installed in this org" is not final for a login host here: a new app answers it for every
      // audience while it propagates (forcedotcom/cli#3482), and My Domain, tried first, settles the rest.
      const diagnosis = diagnoseTokenError(message);
      refusals.set(diagnosis?.description ?? message, (refusals.get(diagnosis?.description ?? message) ?? 0) + 1);
      if (!diagnosis?.transient) open = open.filter((a) => a !== audience);
    }
    const delay = Math.min(firstDelayMs * 2 ** (round - 1), 60_000);
    if (open.length === 0 || Date.now() + delay > deadline) throw noAudience(candidates, last, attempts);
    say(
      `waiting for B's app (${open.map((a) => `${a}: ${shortAnswer(last.get(a)!)}`).join('; ')}); retry in ${Math.round(delay / 1000)} s`,
    );
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Every candidate's answer, for `verify` when the recorded audience fails. */
export async function answersFor(consumerAlias: string, candidates: string[], ask: Ask = runAnonymousApex): Promise<AudienceAnswer[]> {
  const out: AudienceAnswer[] = [];
  for (const audience of candidates) {
    const run = await ask(consumerAlias, verifyTokenScript(audience));
    out.push({ audience, answer: run.success ? 'accepted' : failureOf(run) });
  }
  return out;
}

function noAudience(candidates: string[], last: Map<string, string>, attempts: number): ToolError {
  const lines = candidates.map((a) => `aud=${a}: ${last.get(a) ?? 'not tried'}`);
  const first = last.get(candidates[0]!) ?? '';
  const diagnosis = diagnoseTokenError(first, candidates[0]);
  return new ToolError(`B did not issue a token to A for any audience (${attempts} attempts):\n${lines.join('\n')}`, 'TokenRequestFailed', [
    ...(diagnosis ? [diagnosis.cause, diagnosis.fix] : []),
    'Run npm run verify for a full diagnosis.',
  ]);
}

function failureOf(run: ApexRunResult): string {
  if (!run.compiled)
    return `Anonymous Apex did not compile: ${run.compileProblem ?? 'unknown problem'} (is force-app/consumer deployed to A?)`;
  return run.exceptionMessage ?? 'Anonymous Apex failed without a message';
}

function shortAnswer(message: string): string {
  return diagnoseTokenError(message)?.description ?? message.slice(0, 80);
}
