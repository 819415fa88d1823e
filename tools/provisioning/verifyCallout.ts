/**
 * Step 7 of setup and the core of `verify`: anonymous Apex in A asks B for a token and for the latest
 * Accounts; the tool reads B directly and compares. Each leg is timed.
 */
import { ToolError } from '../core/ToolError.ts';
import { answersFor, audienceCandidates, readOrgKind, type AudienceAnswer } from './audience.ts';
import { debugValue, displayOrg, query, runAnonymousApex, type ApexRunResult } from './orgOps.ts';
import { diagnoseCalloutError, diagnoseTokenError } from './tokenErrors.ts';
import { VERIFY_TOKEN_SCRIPT } from './consumerAuthPath.ts';
import { describeTokenCache } from './tokenCache.ts';

export interface VerifyLeg {
  name: 'token' | 'callout' | 'data match';
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface VerifyReport {
  ok: boolean;
  legs: VerifyLeg[];
  accounts: Array<{ id: string; name: string; createdDate: string }>;
  /** A's token cache: the partition, or none (one token per transaction). */
  tokenCache?: string;
  /** The JWT audience A signed for when B issued the token (Apex JWT path). */
  audience?: string;
  /** When B refused A's token: what B answered for each audience setup would try. */
  audienceAnswers?: AudienceAnswer[];
  failure?: { message: string; cause?: string; actions: string[] };
}

const CALLOUT_SCRIPT = `List<OrgBAccountsClient.RemoteAccount> accounts = OrgBAccountsClient.getLatestAccounts();
System.debug(LoggingLevel.ERROR, 'VERIFY_ACCOUNTS ' + JSON.serialize(accounts));`;

/** What a token wait met: the attempts it took and each refusal it retried, in the order first met. */
export interface TokenWait {
  attempts: number;
  refusals: Array<{ answer: string; count: number }>;
}

/**
 * Asks B for a token from A until it works or `waitMs` passes (app propagation).
 * `audience` is B's login URL as rendered into A (the JWT's aud): some errors are propagation only with My Domain.
 */
export async function waitForToken(
  consumerAlias: string,
  waitMs: number,
  say: (line: string) => void,
  audience?: string,
  ask: (alias: string, code: string) => Promise<ApexRunResult> = runAnonymousApex,
  firstDelayMs = 2_000,
): Promise<TokenWait> {
  const deadline = Date.now() + waitMs;
  // Each distinct answer once, with how often it came: a wait of ten identical refusals is one line.
  const errors = new Map<string, number>();
  const refusals = new Map<string, number>();
  for (let attempt = 1; ; attempt++) {
    const run = await ask(consumerAlias, VERIFY_TOKEN_SCRIPT);
    if (run.success) return { attempts: attempt, refusals: [...refusals].map(([answer, count]) => ({ answer, count })) };
    const message = apexFailure(run);
    const diagnosis = diagnoseTokenError(message, audience);
    errors.set(message, (errors.get(message) ?? 0) + 1);
    const delay = Math.min(firstDelayMs * 2 ** (attempt - 1), 60_000);
    if (!diagnosis?.transient || Date.now() + delay > deadline) {
      throw new ToolError(`B did not issue a token to A: ${message}`, 'TokenRequestFailed', [
        ...(diagnosis ? [diagnosis.cause, diagnosis.fix] : []),
        ...(attempt > 1 ? [`Answers while waiting (${attempt} attempts):\n${[...errors].map(([m, n]) => `${n}x ${m}`).join('\n')}`] : []),
        'Run npm run verify for a full diagnosis.',
      ]);
    }
    refusals.set(diagnosis.description, (refusals.get(diagnosis.description) ?? 0) + 1);
    say(`waiting for B's app (${diagnosis.description}); retry in ${Math.round(delay / 1000)} s`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

export async function verifyCallout(orgs: { consumerAlias: string; providerAlias: string }): Promise<VerifyReport> {
  const legs: VerifyLeg[] = [];
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const value = await fn();
    return [value, Math.round(performance.now() - started)];
  };

  const [tokenRun, tokenMs] = await timed(() => runAnonymousApex(orgs.consumerAlias, VERIFY_TOKEN_SCRIPT));
  const audience = debugValue(tokenRun.logs, 'VERIFY_AUDIENCE');
  const instance = debugValue(tokenRun.logs, 'VERIFY_TOKEN');
  legs.push({
    name: 'token',
    ok: tokenRun.success,
    ms: tokenMs,
    detail: instance && audience ? `${instance} (aud ${audience})` : instance,
  });
  if (!tokenRun.success) {
    const report = failed(legs, apexFailure(tokenRun));
    const answers = /Jwt\.TokenException/.test(report.failure!.message) ? await audienceAnswers(orgs).catch(() => undefined) : undefined;
    if (!answers) return report;
    const works = answers.find((a) => a.answer === 'accepted');
    report.audienceAnswers = answers;
    report.failure!.actions.unshift(
      ...answers.map((a) => `aud=${a.audience}: ${a.answer}`),
      ...(works ? [`B accepts aud=${works.audience}: run the setup command again to record it in Audience__c.`] : []),
    );
    return report;
  }

  const [calloutRun, calloutMs] = await timed(() => runAnonymousApex(orgs.consumerAlias, CALLOUT_SCRIPT));
  const raw = debugValue(calloutRun.logs, 'VERIFY_ACCOUNTS');
  legs.push({ name: 'callout', ok: calloutRun.success && raw !== undefined, ms: calloutMs });
  if (!calloutRun.success || raw === undefined) return failed(legs, calloutRun.success ? 'A printed no result' : apexFailure(calloutRun));
  const accounts = (JSON.parse(raw) as Array<{ id: string; name: string; createdDate: string }>).map((a) => ({
    id: a.id,
    name: a.name,
    createdDate: a.createdDate,
  }));

  const [direct, matchMs] = await timed(() =>
    query<{ Id: string; Name: string }>(
      orgs.providerAlias,
      'SELECT Id, Name, CreatedDate FROM Account ORDER BY CreatedDate DESC, Id DESC LIMIT 10',
    ),
  );
  const same = direct.length === accounts.length && direct.every((r, i) => sameId(r.Id, accounts[i].id) && r.Name === accounts[i].name);
  legs.push({ name: 'data match', ok: same, ms: matchMs, detail: `${accounts.length} Accounts` });
  if (!same) {
    return failed(
      legs,
      `A got ${accounts.length} Accounts that differ from B's latest ${direct.length} (${direct.map((r) => r.Name).join(', ')})`,
    );
  }
  const tokenCache = await describeTokenCache(orgs.consumerAlias).catch(
    (error: unknown) => `unknown (${error instanceof Error ? error.message : String(error)})`,
  );
  return { ok: true, legs, accounts, audience, tokenCache };
}

/** What B answers for each audience setup tries (B's My Domain, then test/login.salesforce.com). */
async function audienceAnswers(orgs: { consumerAlias: string; providerAlias: string }): Promise<AudienceAnswer[] | undefined> {
  const b = await displayOrg(orgs.providerAlias);
  if (!b) return undefined;
  return answersFor(orgs.consumerAlias, audienceCandidates(b.loginUrl, await readOrgKind(orgs.providerAlias)));
}

function failed(legs: VerifyLeg[], message: string): VerifyReport {
  const token = diagnoseTokenError(message);
  const callout = token ? undefined : diagnoseCalloutError(message);
  const diagnosis = token ?? callout;
  return {
    ok: false,
    legs,
    accounts: [],
    failure: { message, cause: diagnosis?.cause, actions: diagnosis ? [diagnosis.fix] : ['Run npm run verify for diagnostics.'] },
  };
}

function apexFailure(run: ApexRunResult): string {
  if (!run.compiled)
    return `Anonymous Apex did not compile: ${run.compileProblem ?? 'unknown problem'} (is force-app/consumer deployed to A?)`;
  return run.exceptionMessage ?? 'Anonymous Apex failed without a message';
}

function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
