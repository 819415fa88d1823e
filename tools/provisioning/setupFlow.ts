/**
 * `setup:orgs` as a flow of small steps. Each step says what it needs, records what it produced in the
 * state file, and is skipped on a re-run once done; a step that runs again invalidates the ones after it.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { chooseDevHub, startLocalPlatform, whileLocalPlatformRuns } from './devHub.ts';
import { assignPermissionSet, collectSfWarnings, createScratchOrg, deploySource, displayOrg, importTree, query, retrieveComponent, toolingQuery } from './orgOps.ts';
import { APP_NAME, CERTIFICATE_NAME, INTEGRATION_PERMSET } from './render.ts';
import { ensureLocalKeyPair, importIntoConsumer } from './localCertificate.ts';
import { consumerPermissionSets, renderConsumerFor } from './consumerAuthPath.ts';
import { saveState, statePathIn, type OrgRef, type SetupState } from './setupState.ts';
import { projectRoot } from './sfCli.ts';
import { waitForToken, verifyCallout, type TokenWait, type VerifyReport } from './verifyCallout.ts';
import { consumerExtras, exposeStep, extraTokensStep, moreProvidersStep } from './remoteRecordsFlow.ts';
import { remoteRecordsFailure, verifyRemoteRecords, type RemoteRecordsCheck } from './remoteRecordsVerify.ts';
import { deployProviderApp, prepareProvider } from './providerSide.ts';
import { renderedDir, type Ctx, type SetupOptions, type Step } from './setupTypes.ts';
import { writeRendered } from './render.ts';

export type { SetupOptions } from './setupTypes.ts';
export { newConsumerKey } from './providerSide.ts';
import { audienceCandidates, discoverAudience, readOrgKind } from './audience.ts';
import { planTokenCache, withoutFor } from './tokenCache.ts';

/** How long setup waits for a new app on real orgs by default: public samples report up to 30 minutes. */
export const REAL_TOKEN_WAIT_MINUTES = 30;

export interface SetupResult {
  devHub: { alias: string; local: boolean };
  provider: OrgRef;
  consumer: OrgRef;
  integrationUsername: string;
  consumerKey: string;
  certificateFingerprint: string;
  verify: VerifyReport;
  /** When this run asked B for a token: how many attempts it took and what B answered while the app propagated. */
  tokenWait?: TokenWait;
  /** `--providers`/`--objects`: the source orgs after the first, and each connection asked for each object. */
  extraProviders: OrgRef[];
  remoteRecords: RemoteRecordsCheck[];
  timings: Record<string, number>;
  warnings: string[];
}

/** A's empty certificate lives outside every package directory: a redeploy of it would renew A's key. */
export const CERTIFICATE_SOURCE = join(projectRoot, 'deploy-once', 'consumer');

const steps: Step[] = [
  {
    id: 'dev-hub',
    title: 'Dev Hub',
    // The local Dev Hub is a process of this machine: a re-run (re)starts it when it was stopped or killed.
    async stillDone(ctx) {
      if (ctx.state.devHub?.local) await startLocalPlatform();
      return true;
    },
    async run(ctx) {
      const choice = await chooseDevHub(ctx.options.devHub, ctx.options.local);
      ctx.state.devHub = { alias: choice.alias, local: choice.local };
      ctx.options.progress.info(
        choice.local
          ? `Using the LOCAL Salesforce platform (Dev Hub ${choice.alias} on this machine): these are not real orgs, and they run on plain http at 127.0.0.1.`
          : `Using the Dev Hub ${choice.alias} (from ${choice.source === 'flag' ? '--dev-hub' : 'sf config target-dev-hub'}): real scratch orgs.`,
      );
      return choice.alias;
    },
  },
  {
    id: 'orgs',
    title: 'Scratch orgs B (provider) and A (consumer)',
    async stillDone(ctx) {
      const [b, a] = await Promise.all([displayOrg(ctx.options.providerAlias), displayOrg(ctx.options.consumerAlias)]);
      return Boolean(b && a && b.orgId === ctx.state.provider?.orgId && a.orgId === ctx.state.consumer?.orgId);
    },
    async run(ctx) {
      const o = ctx.options;
      const devHub = ctx.state.devHub!.alias;
      // What later steps made belongs to the old orgs (a consumer key is unique platform-wide).
      delete ctx.state.app;
      delete ctx.state.certificate;
      delete ctx.state.integrationUsername;
      delete ctx.state.audience;
      const create = (alias: string, def: string) =>
        createScratchOrg({ devHub, alias, definitionFile: join(projectRoot, 'config', def), durationDays: o.durationDays, waitMinutes: 15, local: Boolean(ctx.state.devHub?.local) });
      const { warnings } = await collectSfWarnings(async () => {
        if (o.serial) {
          ctx.state.provider = await create(o.providerAlias, 'provider-scratch-def.json');
          ctx.state.consumer = await create(o.consumerAlias, 'consumer-scratch-def.json');
        } else {
          [ctx.state.provider, ctx.state.consumer] = await Promise.all([
            create(o.providerAlias, 'provider-scratch-def.json'),
            create(o.consumerAlias, 'consumer-scratch-def.json'),
          ]);
        }
      });
      reportDefinitionWarnings(ctx, warnings, ['provider-scratch-def.json', 'consumer-scratch-def.json'].map((d) => join(projectRoot, 'config', d)));
      return `${ctx.state.provider!.username}, ${ctx.state.consumer!.username}`;
    },
  },
  {
    id: 'certificate',
    title: "A's signing certificate",
    // Asking for the other source (--cert) makes or imports A's key again; B's app then trusts the new one.
    stillDone: async (ctx) => ctx.state.certificate?.source === ctx.options.cert,
    async run(ctx) {
      const o = ctx.options;
      // B's preparation needs nothing of A: in parallel mode it runs while A makes its key; the next step awaits it.
      if (!o.serial) {
        ctx.providerPrepared = prepareProvider(ctx);
        ctx.providerPrepared.catch(() => undefined); // awaited (and reported) by the provider step
      }
      if (o.cert === 'local') {
        const cert = await ensureLocalKeyPair(join(o.workDir, 'certs'));
        await importIntoConsumer(cert, { alias: o.consumerAlias, local: Boolean(ctx.state.devHub?.local) }, 30 * 60_000, o.progress);
        ctx.state.certificate = { source: 'local', pem: cert.pem, fingerprintSha256: cert.fingerprintSha256, name: cert.name };
        return `SHA-256 ${cert.fingerprintSha256} (made here, imported from ${cert.jksPath})`;
      }
      // The org generates the key pair; only the public certificate comes back. Deploying over an existing
      // certificate renews its key pair (docs/salesforce-rules.md#certificate-renewal) and breaks B's trust, so it is deployed only when absent.
      const existing = await toolingQuery(o.consumerAlias, `SELECT Id FROM Certificate WHERE DeveloperName = '${CERTIFICATE_NAME}'`);
      if (existing.length === 0) await deploySource(o.consumerAlias, [CERTIFICATE_SOURCE]);
      const files = await retrieveComponent(o.consumerAlias, `Certificate:${CERTIFICATE_NAME}`);
      const pem = files.get(`${CERTIFICATE_NAME}.crt`)?.toString('utf8') ?? '';
      const fingerprint = fingerprintOf(pem);
      ctx.state.certificate = { source: 'org', pem, fingerprintSha256: fingerprint, name: CERTIFICATE_NAME };
      return `SHA-256 ${fingerprint}${existing.length ? ' (already in A, kept)' : ' (generated in A)'}`;
    },
  },
  {
    id: 'provider',
    title: 'B: integration user, External Client App, sample Accounts',
    // Asking for the other kind of app (--app) renders and deploys B's side again.
    stillDone: async (ctx) => ctx.state.app?.kind === ctx.options.app,
    async run(ctx) {
      const o = ctx.options;
      const b = ctx.state.provider!;
      // Started beside A's certificate when this run made that too (parallel mode); else now.
      const prepared = ctx.providerPrepared ?? prepareProvider(ctx);
      ctx.providerPrepared = undefined;
      ctx.state.integrationUsername = await prepared;
      const target = { alias: o.providerAlias, org: b };
      const recorded = ctx.state.app?.kind === o.app ? ctx.state.app.consumerKey : undefined;
      // Saved before the deploy: if the deploy creates the app and a later step fails, a retry knows the key.
      ctx.state.app = await deployProviderApp(ctx, target, recorded, async (app) => {
        ctx.state.app = app;
        await saveState(statePathIn(o.workDir), ctx.state);
      });
      await assignPermissionSet(o.providerAlias, INTEGRATION_PERMSET, ctx.state.integrationUsername);
      // Imported once: a re-run adds none.
      if (!(await hasSampleAccounts(ctx))) {
        await importTree(o.providerAlias, join(projectRoot, 'config', 'data', 'sample-accounts.json'));
      }
      return `app ${APP_NAME} (${o.app}), user ${ctx.state.integrationUsername} on ${b.instanceUrl}`;
    },
  },
  moreProvidersStep,
  exposeStep,
  {
    id: 'consumer',
    title: 'A: remote sites, connection record, viewer permission set',
    // --auth apex-jwt|named-credential decides what A gets (consumerAuthPath.ts); another --auth on a re-run redoes A's side.
    stillDone: async (ctx) => (ctx.state.auth ?? 'apex-jwt') === ctx.options.auth,
    async run(ctx) {
      const o = ctx.options;
      const { dir, permissionSets } = await renderConsumer(ctx);
      // The token partition only where A has room for it; the client works without (tokenCache.ts).
      const cache = await planTokenCache(o.consumerAlias);
      ctx.state.tokenCache = cache;
      if (!cache.partition) {
        ctx.warnings.push(`A's token cache: ${cache.detail}.`);
        o.progress.warn(`A's token cache: ${cache.detail}.`);
      }
      await deploySource(o.consumerAlias, [join(projectRoot, 'force-app', 'consumer'), dir], { without: withoutFor(cache) });
      for (const permissionSet of [...consumerPermissionSets(o.auth), ...permissionSets]) await assignPermissionSet(o.consumerAlias, permissionSet, undefined);
      ctx.state.auth = o.auth;
      return `token cache ${cache.detail}`;
    },
  },
  {
    id: 'token',
    title: 'B issues A a token (waits for the app to propagate)',
    async run(ctx) {
      const o = ctx.options;
      // A new External Client App can take up to 30 minutes on real orgs (docs/salesforce-rules.md#eca-not-installed); local ones, LOCAL_SF_PROPAGATION_SECONDS.
      const waitMs = o.tokenWaitMs ?? (ctx.state.devHub?.local ? 60_000 : REAL_TOKEN_WAIT_MINUTES * 60_000);
      const say = (line: string) => o.progress.info(`  ${line}`);
      const b = ctx.state.provider!;
      if (o.auth === 'named-credential') {
        // The External Credential carries its own aud; the Apex path's discovery does not apply.
        const wait = await waitForToken(o.consumerAlias, waitMs, say, b.loginUrl);
        ctx.tokenWait = wait;
        return wait.attempts > 1 ? `after ${wait.attempts} attempts (${wait.refusals.map((r) => `${r.count}x ${r.answer}`).join(', ')})` : undefined;
      }
      // Which aud B accepts is contested (audience.ts): B's My Domain first, then test/login.salesforce.com.
      // setup:orgs made B as a scratch org; configure's orgs say what they are.
      const candidates = audienceCandidates(b.loginUrl, await readOrgKind(o.providerAlias), Boolean(ctx.state.devHub?.alias));
      const found = await discoverAudience(o.consumerAlias, candidates, waitMs, say);
      ctx.tokenWait = { attempts: found.attempts, refusals: found.refusals };
      const deployed = ctx.state.audience?.value;
      ctx.state.audience = { value: found.audience, refused: found.answers };
      if (found.audience !== deployed) {
        // A's record names the audience found, so every later token (the client's, verify's) signs for it.
        await deploySource(o.consumerAlias, [(await renderConsumer(ctx)).dir]);
      }
      const tried = found.answers.map((a) => `${a.audience}: ${a.answer}`).join('; ');
      return `aud ${found.audience}${tried ? ` (refused: ${tried})` : ''}${found.attempts > candidates.length ? `, after ${found.attempts} attempts (${found.refusals.map((r) => `${r.count}x ${r.answer}`).join(', ')})` : ''}`;
    },
  },
  extraTokensStep(async (ctx) => {
    await deploySource(ctx.options.consumerAlias, [(await renderConsumer(ctx)).dir]);
  }),
];

/**
 * Renders A's connection records, remote sites (and Named Credential), and with --providers/--objects a
 * connection per further source org and the App page (remoteRecordsFlow.ts), from the state file.
 * B's record carries the audience setup found (Audience__c). Returns the folder and the extra permission sets.
 */
async function renderConsumer(ctx: Ctx): Promise<{ dir: string; permissionSets: string[] }> {
  const o = ctx.options;
  const b = ctx.state.provider!;
  const dir = renderedDir(o, 'consumer');
  const extras = consumerExtras(ctx, (input, connection) => renderConsumerFor(o.auth, input, false, connection));
  await writeRendered(dir, {
    ...renderConsumerFor(
      o.auth,
      {
        loginUrl: b.loginUrl,
        audience: ctx.state.audience?.value,
        instanceUrl: b.instanceUrl,
        consumerKey: ctx.state.app!.consumerKey,
        username: ctx.state.integrationUsername!,
        certificateName: ctx.state.certificate!.name,
      },
      false,
      extras.defaultConnection,
    ),
    ...extras.files,
  });
  return { dir, permissionSets: extras.permissionSets };
}

/** Runs the flow from the first unfinished step, then always verifies. */
export async function runSetup(options: SetupOptions, state: SetupState): Promise<SetupResult> {
  const ctx: Ctx = { options, state, warnings: [] };
  const timings: Record<string, number> = {};
  let rerun = false;
  for (const step of steps) {
    if (step.applies && !step.applies(ctx)) continue;
    const recorded = state.done[step.id];
    if (!rerun && recorded && (!step.stillDone || (await step.stillDone(ctx)))) {
      options.progress.skip(step.title, 'already done');
      continue;
    }
    rerun = true;
    options.progress.start(step.title);
    const started = performance.now();
    try {
      const detail = await (state.devHub?.local && step.id !== 'dev-hub' ? whileLocalPlatformRuns(step.run(ctx), step.title) : step.run(ctx));
      const ms = performance.now() - started;
      timings[step.id] = Math.round(ms);
      state.done[step.id] = { at: new Date().toISOString(), ms: Math.round(ms) };
      for (const later of steps.slice(steps.indexOf(step) + 1)) delete state.done[later.id];
      await saveState(statePathIn(options.workDir), state);
      options.progress.succeed(step.title, ms, detail || undefined);
    } catch (error) {
      // Work started ahead for a later step ends before the failure is reported.
      await ctx.providerPrepared?.catch(() => undefined);
      options.progress.fail(step.title, performance.now() - started);
      await saveState(statePathIn(options.workDir), state);
      throw error;
    }
  }
  options.progress.start('Verify: A calls B and gets B\'s latest Accounts');
  const started = performance.now();
  const verify = await verifyCallout({ consumerAlias: options.consumerAlias, providerAlias: options.providerAlias });
  timings.verify = Math.round(performance.now() - started);
  if (!verify.ok) {
    options.progress.fail('Verify', timings.verify);
    throw new ToolError(`Verification failed: ${verify.failure?.message ?? 'unknown'}`, 'VerifyFailed', verify.failure?.actions ?? ['Run npm run verify for diagnostics.']);
  }
  options.progress.succeed('Verify', timings.verify, [...verify.legs.map((l) => `${l.name} ${l.ms} ms`), ...(verify.tokenCache ? [`token cache ${verify.tokenCache}`] : [])].join(', '));
  let remoteRecords: RemoteRecordsCheck[] = [];
  if (state.remoteRecords?.objects.length) {
    options.progress.start('Verify: A reads every --objects object from every source org');
    const at = performance.now();
    remoteRecords = await verifyRemoteRecords(state, options.consumerAlias, options.providerAlias);
    timings.verifyRemoteRecords = Math.round(performance.now() - at);
    const failure = remoteRecordsFailure(remoteRecords);
    if (failure) {
      options.progress.fail('Verify remote records', timings.verifyRemoteRecords);
      throw failure;
    }
    options.progress.succeed('Verify remote records', timings.verifyRemoteRecords, remoteRecords.map((c) => `${c.object}@${c.source} ${c.records}`).join(', '));
  }
  return {
    devHub: state.devHub!,
    provider: state.provider!,
    consumer: state.consumer!,
    integrationUsername: state.integrationUsername!,
    consumerKey: state.app!.consumerKey,
    certificateFingerprint: state.certificate!.fingerprintSha256,
    verify,
    tokenWait: ctx.tokenWait,
    extraProviders: (state.extraProviders ?? []).map((e) => e.org),
    remoteRecords,
    timings,
    warnings: ctx.warnings,
  };
}

export function fingerprintOf(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    throw new ToolError("The certificate retrieved from Org A is not a PEM certificate.", 'BadCertificate', [
      `Check that Certificate ${CERTIFICATE_NAME} deployed to Org A (Setup → Certificate and Key Management).`,
    ]);
  }
}

/**
 * @salesforce/core warns `features.N: Invalid input` for features missing from its own list, and sends the
 * definition unchanged (docs/salesforce-rules.md#eca-scratch). Salesforce's recipe for External Client Apps needs two such features, so
 * that warning is expected: it becomes an info line naming them. Any other warning stays a warning.
 */
function reportDefinitionWarnings(ctx: Ctx, warnings: string[], definitionFiles: string[]): void {
  const unknownFeatures = new Set<string>();
  for (const warning of new Set(warnings)) {
    const issues = warning.split('\n').slice(1);
    const indices = issues.map((line) => /^features\.(\d+): Invalid input/.exec(line)?.[1]);
    // The warning names its source ("orgConfig"), not the file: the first definition that has those indices.
    const features = /^Scratch org definition validation issues in /.test(warning) && indices.every(Boolean)
      ? definitionFiles.map(readFeatures).find((f) => f && indices.every((i) => Number(i) < f.length))
      : undefined;
    if (features) {
      for (const i of indices) unknownFeatures.add(features[Number(i)]!);
      continue;
    }
    ctx.warnings.push(warning);
    ctx.options.progress.warn(warning);
  }
  if (unknownFeatures.size > 0) {
    ctx.options.progress.info(
      `  Note: the sf libraries' own feature list lacks ${[...unknownFeatures].join(', ')} (Salesforce's recipe for External Client Apps); the definition was sent unchanged and the Dev Hub accepted it.`,
    );
  }
}

function readFeatures(file: string): string[] | undefined {
  try {
    const def = JSON.parse(readFileSync(file, 'utf8')) as { features?: unknown };
    return Array.isArray(def.features) ? def.features.map(String) : undefined;
  } catch {
    return undefined;
  }
}

async function hasSampleAccounts(ctx: Ctx): Promise<boolean> {
  const rows = await query<{ Id: string }>(ctx.options.providerAlias, "SELECT Id FROM Account WHERE Name LIKE 'Org B Sample Account%' LIMIT 1");
  return rows.length > 0;
}
