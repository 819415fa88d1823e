/**
 * The seed's steps of `setup:orgs`: the Dev Hub, B and A, A's certificate, B's side, A's side and B's
 * first token. Each declares what it needs and produces (setupTypes.ts); stepRunner.ts orders them.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { chooseDevHub, startLocalPlatform } from './devHub.ts';
import {
  assignPermissionSet,
  collectSfWarnings,
  createScratchOrg,
  deploySource,
  displayOrg,
  importTree,
  query,
  retrieveComponent,
  toolingQuery,
} from './orgOps.ts';
import { APP_NAME, CERTIFICATE_NAME, INTEGRATION_PERMSET, writeRendered } from './render.ts';
import { ensureLocalKeyPair, importIntoConsumer } from './localCertificate.ts';
import { consumerPermissionSets, renderConsumerFor } from './consumerAuthPath.ts';
import { forgetProducts } from './setupProducts.ts';
import { projectRoot } from './sfCli.ts';
import { waitForToken } from './verifyCallout.ts';
import { consumerExtras } from './remoteRecordsFlow.ts';
import { deployProviderApp, prepareProvider } from './providerSide.ts';
import { defineAhead, defineStep, renderedDir, type Ctx, type Products } from './setupTypes.ts';
import { audienceCandidates, discoverAudience, readOrgKind } from './audience.ts';
import { planTokenCache, withoutFor } from './tokenCache.ts';

/** How long setup waits for a new app on real orgs by default: public samples report up to 30 minutes. */
export const REAL_TOKEN_WAIT_MINUTES = 30;

/** A's empty certificate lives outside every package directory: a redeploy of it would renew A's key. */
export const CERTIFICATE_SOURCE = join(projectRoot, 'deploy-once', 'consumer');

/** How long a token step waits for a new app: --token-wait-minutes, else 60 s locally and 30 minutes on real orgs. */
export const tokenWaitMs = (ctx: Ctx, devHub: Products['devHub']) =>
  ctx.options.tokenWaitMs ?? (devHub.local ? 60_000 : REAL_TOKEN_WAIT_MINUTES * 60_000);

export const devHubStep = defineStep({
  id: 'dev-hub',
  title: 'Dev Hub',
  needs: [],
  produces: ['devHub'],
  // The local Dev Hub is a process of this machine: a re-run (re)starts it when it was stopped or killed.
  async stillDone(_ctx, _input, recorded) {
    if (recorded.devHub?.local) await startLocalPlatform();
    return true;
  },
  async run(ctx) {
    const choice = await chooseDevHub(ctx.options.devHub, ctx.options.local);
    ctx.options.progress.info(
      choice.local
        ? `Using the LOCAL Salesforce platform (Dev Hub ${choice.alias} on this machine): these are not real orgs, and they run on plain http at 127.0.0.1.`
        : `Using the Dev Hub ${choice.alias} (from ${choice.source === 'flag' ? '--dev-hub' : 'sf config target-dev-hub'}): real scratch orgs.`,
    );
    return { products: { devHub: { alias: choice.alias, local: choice.local } }, detail: choice.alias };
  },
});

export const orgsStep = defineStep({
  id: 'orgs',
  title: 'Scratch orgs B (provider) and A (consumer)',
  needs: ['devHub'],
  produces: ['orgs'],
  async stillDone(ctx, _input, recorded) {
    const [b, a] = await Promise.all([displayOrg(ctx.options.providerAlias), displayOrg(ctx.options.consumerAlias)]);
    return Boolean(b && a && b.orgId === recorded.orgs?.provider.orgId && a.orgId === recorded.orgs?.consumer.orgId);
  },
  async run(ctx, { devHub }) {
    const o = ctx.options;
    // What later steps made belongs to the old orgs (a consumer key is unique platform-wide).
    forgetProducts(ctx.state, ['app', 'certificate', 'integrationUser', 'audience']);
    const create = (alias: string, def: string) =>
      createScratchOrg({
        devHub: devHub.alias,
        alias,
        definitionFile: join(projectRoot, 'config', def),
        durationDays: o.durationDays,
        waitMinutes: 15,
        local: devHub.local,
      });
    let orgs: Products['orgs'] | undefined;
    const { warnings } = await collectSfWarnings(async () => {
      if (o.serial) {
        const provider = await create(o.providerAlias, 'provider-scratch-def.json');
        orgs = { provider, consumer: await create(o.consumerAlias, 'consumer-scratch-def.json') };
      } else {
        const [provider, consumer] = await Promise.all([
          create(o.providerAlias, 'provider-scratch-def.json'),
          create(o.consumerAlias, 'consumer-scratch-def.json'),
        ]);
        orgs = { provider, consumer };
      }
    });
    if (!orgs) throw new ToolError('The scratch orgs were not created.', 'ScratchOrgsMissing', ['Run setup:orgs again.']);
    reportDefinitionWarnings(
      ctx,
      warnings,
      ['provider-scratch-def.json', 'consumer-scratch-def.json'].map((d) => join(projectRoot, 'config', d)),
    );
    return { products: { orgs }, detail: `${orgs.provider.username}, ${orgs.consumer.username}` };
  },
});

export const certificateStep = defineStep({
  id: 'certificate',
  title: "A's signing certificate",
  needs: ['devHub', 'orgs'],
  produces: ['certificate'],
  // Asking for the other source (--cert) makes or imports A's key again; B's app then trusts the new one.
  stillDone: async (ctx, _input, recorded) => recorded.certificate?.source === ctx.options.cert,
  async run(ctx, { devHub }) {
    const o = ctx.options;
    if (o.cert === 'local') {
      const cert = await ensureLocalKeyPair(join(o.workDir, 'certs'));
      await importIntoConsumer(cert, { alias: o.consumerAlias, local: devHub.local }, 30 * 60_000, o.progress);
      return {
        products: { certificate: { source: 'local', pem: cert.pem, fingerprintSha256: cert.fingerprintSha256, name: cert.name } },
        detail: `SHA-256 ${cert.fingerprintSha256} (made here, imported from ${cert.jksPath})`,
      };
    }
    // The org generates the key pair; only the public certificate comes back. Deploying over an existing
    // certificate renews its key pair (docs/salesforce-rules.md#certificate-renewal) and breaks B's trust, so it is deployed only when absent.
    const existing = await toolingQuery(o.consumerAlias, `SELECT Id FROM Certificate WHERE DeveloperName = '${CERTIFICATE_NAME}'`);
    if (existing.length === 0) await deploySource(o.consumerAlias, [CERTIFICATE_SOURCE]);
    const files = await retrieveComponent(o.consumerAlias, `Certificate:${CERTIFICATE_NAME}`);
    const pem = files.get(`${CERTIFICATE_NAME}.crt`)?.toString('utf8') ?? '';
    const fingerprint = fingerprintOf(pem);
    return {
      products: { certificate: { source: 'org', pem, fingerprintSha256: fingerprint, name: CERTIFICATE_NAME } },
      detail: `SHA-256 ${fingerprint}${existing.length ? ' (already in A, kept)' : ' (generated in A)'}`,
    };
  },
});

export const providerStep = defineStep({
  id: 'provider',
  title: 'B: integration user, External Client App, sample Accounts',
  needs: ['orgs', 'certificate', 'integrationUser'],
  produces: ['app'],
  // B's integration user, license and force-app/provider need nothing of A: in parallel mode they run while A makes its key.
  ahead: defineAhead({
    id: 'provider-user',
    needs: ['orgs'],
    produces: ['integrationUser'],
    run: async (ctx, { orgs }) => ({
      integrationUser: await prepareProvider(ctx, { alias: ctx.options.providerAlias, org: orgs.provider }),
    }),
  }),
  // Asking for the other kind of app (--app) renders and deploys B's side again.
  stillDone: async (ctx, _input, recorded) => recorded.app?.kind === ctx.options.app,
  async run(ctx, { orgs, certificate, integrationUser }) {
    const o = ctx.options;
    const target = { alias: o.providerAlias, org: orgs.provider };
    const recorded = ctx.state.app?.kind === o.app ? ctx.state.app.consumerKey : undefined;
    // Saved before the deploy: if the deploy creates the app and a later step fails, a retry knows the key.
    const app = await deployProviderApp(ctx, target, certificate.pem, recorded, async (app) => {
      ctx.state.app = app;
      await ctx.save();
    });
    await assignPermissionSet(o.providerAlias, INTEGRATION_PERMSET, integrationUser);
    // Imported once: a re-run adds none.
    if (!(await hasSampleAccounts(o.providerAlias))) {
      await importTree(o.providerAlias, join(projectRoot, 'config', 'data', 'sample-accounts.json'));
    }
    return { products: { app }, detail: `app ${APP_NAME} (${o.app}), user ${integrationUser} on ${orgs.provider.instanceUrl}` };
  },
});

/** What A's rendering reads: B, its app and user, A's certificate, the further source orgs and --objects. */
type ConsumerInput = Pick<Products, 'orgs' | 'app' | 'integrationUser' | 'certificate' | 'extraProviders' | 'exposed' | 'audience'>;
const CONSUMER_NEEDS = ['orgs', 'app', 'integrationUser', 'certificate', 'extraProviders', 'exposed'] as const;

export const consumerStep = defineStep({
  id: 'consumer',
  title: 'A: remote sites, connection record, viewer permission set',
  needs: CONSUMER_NEEDS,
  produces: ['consumerSide'],
  // --auth apex-jwt|named-credential decides what A gets (consumerAuthPath.ts); another --auth on a re-run redoes A's side.
  stillDone: async (ctx, _input, recorded) => recorded.consumerSide?.auth === ctx.options.auth,
  async run(ctx, input) {
    const o = ctx.options;
    // The audience a previous run found (the token step finds it again after this one).
    const { dir, permissionSets } = await renderConsumer(ctx, { ...input, audience: ctx.state.audience ?? null });
    // The token partition only where A has room for it; the client works without (tokenCache.ts).
    const cache = await planTokenCache(o.consumerAlias);
    if (!cache.partition) {
      ctx.warnings.push(`A's token cache: ${cache.detail}.`);
      o.progress.warn(`A's token cache: ${cache.detail}.`);
    }
    await deploySource(o.consumerAlias, [join(projectRoot, 'force-app', 'consumer'), dir], { without: withoutFor(cache) });
    for (const permissionSet of [...consumerPermissionSets(o.auth), ...permissionSets])
      await assignPermissionSet(o.consumerAlias, permissionSet, undefined);
    return { products: { consumerSide: { auth: o.auth, tokenCache: cache } }, detail: `token cache ${cache.detail}` };
  },
});

export const tokenStep = defineStep({
  id: 'token',
  title: 'B issues A a token (waits for the app to propagate)',
  needs: ['devHub', 'consumerSide', ...CONSUMER_NEEDS],
  produces: ['audience', 'tokenWait'],
  async run(ctx, input) {
    const o = ctx.options;
    // A new External Client App can take up to 30 minutes on real orgs (docs/salesforce-rules.md#eca-not-installed); local ones, LOCAL_SF_PROPAGATION_SECONDS.
    const waitMs = tokenWaitMs(ctx, input.devHub);
    const say = (line: string) => o.progress.info(`  ${line}`);
    const b = input.orgs.provider;
    if (o.auth === 'named-credential') {
      // The External Credential carries its own aud; the Apex path's discovery does not apply.
      const wait = await waitForToken(o.consumerAlias, waitMs, say, b.loginUrl);
      return {
        products: { audience: null, tokenWait: wait },
        detail:
          wait.attempts > 1
            ? `after ${wait.attempts} attempts (${wait.refusals.map((r) => `${r.count}x ${r.answer}`).join(', ')})`
            : undefined,
      };
    }
    // Which aud B accepts is contested (audience.ts): B's My Domain first, then test/login.salesforce.com.
    // setup:orgs made B as a scratch org; configure's orgs say what they are.
    const candidates = audienceCandidates(b.loginUrl, await readOrgKind(o.providerAlias), Boolean(input.devHub.alias));
    const found = await discoverAudience(o.consumerAlias, candidates, waitMs, say);
    const audience = { value: found.audience, refused: found.answers };
    if (found.audience !== ctx.state.audience?.value) {
      // A's record names the audience found, so every later token (the client's, verify's) signs for it.
      await deploySource(o.consumerAlias, [(await renderConsumer(ctx, { ...input, audience })).dir]);
    }
    const tried = found.answers.map((a) => `${a.audience}: ${a.answer}`).join('; ');
    return {
      products: { audience, tokenWait: { attempts: found.attempts, refusals: found.refusals } },
      detail: `aud ${found.audience}${tried ? ` (refused: ${tried})` : ''}${found.attempts > candidates.length ? `, after ${found.attempts} attempts (${found.refusals.map((r) => `${r.count}x ${r.answer}`).join(', ')})` : ''}`,
    };
  },
});

/** Renders A's records again and deploys them (an audience changed). */
export async function redeployConsumer(ctx: Ctx, input: ConsumerInput): Promise<void> {
  await deploySource(ctx.options.consumerAlias, [(await renderConsumer(ctx, input)).dir]);
}

/**
 * Renders A's connection records, remote sites (and Named Credential), and with --providers/--objects a
 * connection per further source org and the App page (remoteRecordsFlow.ts).
 * B's record carries the audience setup found (Audience__c). Returns the folder and the extra permission sets.
 */
async function renderConsumer(ctx: Ctx, input: ConsumerInput): Promise<{ dir: string; permissionSets: string[] }> {
  const o = ctx.options;
  const b = input.orgs.provider;
  const dir = renderedDir(o, 'consumer');
  const extras = consumerExtras(ctx, input, (rendering, connection) => renderConsumerFor(o.auth, rendering, false, connection));
  await writeRendered(dir, {
    ...renderConsumerFor(
      o.auth,
      {
        loginUrl: b.loginUrl,
        audience: input.audience?.value,
        instanceUrl: b.instanceUrl,
        consumerKey: input.app.consumerKey,
        username: input.integrationUser,
        certificateName: input.certificate.name,
      },
      false,
      extras.defaultConnection,
    ),
    ...extras.files,
  });
  return { dir, permissionSets: extras.permissionSets };
}

export function fingerprintOf(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    throw new ToolError('The certificate retrieved from Org A is not a PEM certificate.', 'BadCertificate', [
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
    const features =
      /^Scratch org definition validation issues in /.test(warning) && indices.every(Boolean)
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

async function hasSampleAccounts(providerAlias: string): Promise<boolean> {
  const rows = await query<{ Id: string }>(providerAlias, "SELECT Id FROM Account WHERE Name LIKE 'Org B Sample Account%' LIMIT 1");
  return rows.length > 0;
}
