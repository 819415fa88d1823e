/**
 * The platform under load (issue 21), against a freshly set-up pair of orgs (`setup:orgs` on its own
 * local platform, loopback only), in one run:
 * - B's Apex REST `GET /services/apexrest/AccountRetriever` (as the integration user) and the Dev Hub's
 *   token endpoint (JWT bearer, RS256), requests per second at concurrency 1 and 10;
 * - A's tab view — the `/aura` action `OrgBAccountsController.getLatestAccounts`, whose Apex calls B's
 *   Apex REST — at 1, 10 and 50 concurrent: p50, p99, failures;
 * - the anonymous-Apex view: `OrgBAccountsController.getLatestAccounts();` through the Tooling API's
 *   executeAnonymous, p50.
 * Every phase is bounded in requests and seconds and each request has a client timeout, so the bench
 * stops by itself whatever the platform does. BENCH_LOAD_SCALE (default 1) scales the request counts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../provisioning/sfCli.ts';
import { openDatabase } from '../data/store.ts';
import { issueToken } from '../local-platform/oauth/tokens.ts';
import { readHubInfo } from '../local-platform/process/daemon.ts';
import { createBrowserSession, sessionCookieName } from '../local-platform/lightning/uiSessions.ts';
import { jwtAssertion } from './figures.ts';

const SCALE = Math.max(0.1, Number(process.env.BENCH_LOAD_SCALE ?? 1));
const n = (count: number) => Math.max(1, Math.round(count * SCALE));
const REQUEST_TIMEOUT_MS = 60_000;
const V = '/services/data/v66.0';
const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');

interface Sample {
  ms: number;
  ok: boolean;
  why?: string;
}

/** `count` calls of `once`, `concurrency` at a time, stopping early after `maxSeconds`. */
async function drive(
  count: number,
  concurrency: number,
  maxSeconds: number,
  once: () => Promise<void>,
): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  const lane = async () => {
    while (started < count && performance.now() < deadline) {
      started++;
      const s = performance.now();
      try {
        await once();
        samples.push({ ms: performance.now() - s, ok: true });
      } catch (e) {
        samples.push({ ms: performance.now() - s, ok: false, why: (e as Error).message.slice(0, 160) });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { samples, wallMs: performance.now() - t0 };
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (x: number) => (Number.isNaN(x) ? '   -' : `${x.toFixed(0).padStart(5)} ms`);

function line(label: string, r: { samples: Sample[]; wallMs: number }, withRate: boolean): void {
  const good = r.samples.filter((s) => s.ok).map((s) => s.ms);
  const failed = r.samples.filter((s) => !s.ok);
  const rate = withRate ? `${((good.length / r.wallMs) * 1000).toFixed(1).padStart(7)} req/s  ` : '';
  console.log(
    `  ${label.padEnd(34)} ${rate}p50 ${ms(pct(good, 50))}  p99 ${ms(pct(good, 99))}  ${failed.length}/${r.samples.length} failed  (load ${loadAverage()})`,
  );
  const reasons = new Map<string, number>();
  for (const f of failed) reasons.set(f.why ?? '?', (reasons.get(f.why ?? '?') ?? 0) + 1);
  for (const [why, count] of reasons) console.log(`    ${count}x ${why}`);
}

/** The 1, 5 and 15 minute load averages: the machine is shared, so each figure carries the load it was taken under. */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function expectOk(r: Response, check?: (text: string) => string | undefined): Promise<void> {
  const text = await r.text();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${text.slice(0, 120)}`);
  const problem = check?.(text);
  if (problem) throw new Error(problem);
}

export async function run(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'bench-load-'));
  const env = {
    HOME: join(base, 'home'),
    LOCAL_SF_HOME: join(base, 'platform'),
    LOCAL_SF_PORT: process.env.BENCH_LOAD_PORT ?? String(30_000 + Math.floor(Math.random() * 20_000)),
    LOCAL_SF_EXIT_WITH_PID: String(process.pid),
    LOCAL_SF_LOG_REQUESTS: '0',
    ORG_A_TO_B_WORKDIR: join(base, 'work'),
    SF_DISABLE_TELEMETRY: 'true',
  };
  try {
    const setupStarted = performance.now();
    const setup = await execa(tsx, [join(projectRoot, 'tools', 'cli', 'setupOrgs.ts'), '--json'], {
      cwd: projectRoot,
      env,
      reject: false,
      timeout: 300_000,
    });
    const out = JSON.parse(String(setup.stdout || '{}')) as {
      status?: number;
      message?: string;
      result?: {
        provider: { orgId: string; instanceUrl: string };
        consumer: { orgId: string; instanceUrl: string; username: string };
        integrationUsername: string;
      };
    };
    if (out.status !== 0 || !out.result) throw new Error(`setup:orgs failed: ${out.message ?? String(setup.stderr).slice(-400)}`);
    console.log(
      `pair of orgs set up in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (setup:orgs, own platform on port ${env.LOCAL_SF_PORT}); load average ${loadAverage()}`,
    );
    const { provider: b, consumer: a, integrationUsername } = out.result;

    // Sessions minted in the platform's own store (as its token endpoint and front door would).
    const db = openDatabase(env.LOCAL_SF_HOME);
    const userId = (orgId: string, username: string) =>
      (
        db
          .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'User' AND lower(json_extract(fields, '$.Username')) = lower(?)")
          .get(orgId, username) as { id: string }
      ).id;
    const integrationToken = issueToken(db, 'access', b.orgId, userId(b.orgId, integrationUsername), undefined, 3600);
    const adminA = userId(a.orgId, a.username);
    const adminAToken = issueToken(db, 'access', a.orgId, adminA, undefined, 3600);
    const ui = createBrowserSession(db, a.orgId, adminA, 60);
    db.close();
    const hub = readHubInfo({ home: env.LOCAL_SF_HOME })!;
    const grantBody = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: jwtAssertion(hub.clientId, hub.username, hub.instanceUrl, readFileSync(hub.keyPath, 'utf8')),
    }).toString();

    const signal = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const retriever = async () =>
      expectOk(
        await fetch(`${b.instanceUrl}/services/apexrest/AccountRetriever`, {
          headers: { Authorization: `Bearer ${integrationToken}` },
          signal: signal(),
        }),
        (t) => (Array.isArray(JSON.parse(t)) ? undefined : `not a list: ${t.slice(0, 80)}`),
      );
    const token = async () =>
      expectOk(
        await fetch(`${hub.instanceUrl}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: grantBody,
          signal: signal(),
        }),
        (t) => (JSON.parse(t).access_token ? undefined : 'no access_token'),
      );
    const message = JSON.stringify({
      actions: [
        {
          id: '1;a',
          descriptor: 'aura://ApexActionController/ACTION$execute',
          params: { namespace: '', classname: 'OrgBAccountsController', method: 'getLatestAccounts', params: {}, cacheable: false },
        },
      ],
    });
    const auraForm = new URLSearchParams({ message, 'aura.context': '{}', 'aura.token': ui.session.csrf }).toString();
    const tabView = async () =>
      expectOk(
        await fetch(`${a.instanceUrl}/aura?r=1&aura.ApexAction.execute=1`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
            Cookie: `${sessionCookieName(a.orgId)}=${encodeURIComponent(ui.sid)}`,
          },
          body: auraForm,
          signal: signal(),
        }),
        (t) => {
          const action = (JSON.parse(t) as { actions: { state: string; error?: { message: string }[] }[] }).actions[0]!;
          return action.state === 'SUCCESS' ? undefined : `${action.state}: ${action.error?.[0]?.message ?? '?'}`;
        },
      );
    const anonymous = async () =>
      expectOk(
        await fetch(
          `${a.instanceUrl}${V}/tooling/executeAnonymous/?anonymousBody=${encodeURIComponent('OrgBAccountsController.getLatestAccounts();')}`,
          { headers: { Authorization: `Bearer ${adminAToken}` }, signal: signal() },
        ),
        (t) => {
          const r = JSON.parse(t) as { success: boolean; exceptionMessage?: string; compileProblem?: string };
          return r.success ? undefined : (r.exceptionMessage ?? r.compileProblem ?? 'failed');
        },
      );

    // Warm-up: each path once, so the figures are of a platform in use (programs compiled, token cached).
    for (const f of [retriever, token, tabView, anonymous]) await f().catch(() => undefined);

    console.log(`B's Apex REST and the token endpoint (loopback, keep-alive):`);
    line('AccountRetriever, concurrency 1', await drive(n(100), 1, 20, retriever), true);
    line('AccountRetriever, concurrency 10', await drive(n(400), 10, 20, retriever), true);
    line('token endpoint (JWT), concurrency 1', await drive(n(100), 1, 20, token), true);
    line('token endpoint (JWT), concurrency 10', await drive(n(400), 10, 20, token), true);
    console.log(`A's tab view (/aura → A's Apex → callout → B's Apex REST):`);
    line('tab view, 1 at a time', await drive(n(10), 1, 60, tabView), false);
    line('tab view, 10 concurrent', await drive(n(40), 10, 90, tabView), false);
    line('tab view, 50 concurrent', await drive(n(100), 50, 120, tabView), false);
    console.log(`Anonymous-Apex view (Tooling executeAnonymous of OrgBAccountsController.getLatestAccounts()):`);
    line('anonymous Apex, 1 at a time', await drive(n(20), 1, 60, anonymous), false);
  } finally {
    await execa(tsx, [join(projectRoot, 'tools', 'cli', 'localOrgs.ts'), 'stop'], {
      cwd: projectRoot,
      env,
      reject: false,
      timeout: 30_000,
    });
    await rm(base, { recursive: true, force: true });
  }
}
