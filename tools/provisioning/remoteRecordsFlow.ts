/**
 * The setup steps of `--providers N` and `--objects A,B` (issue 20), run by setupFlow.ts between its own:
 * more source orgs wired like the first (integration user, app trusting A's certificate, sample data),
 * the exposed objects in each, A's connection per source org and its App page, a token from each new
 * source org, and a verify that asks every source org for every object.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import {
  assignPermissionSet,
  createScratchOrg,
  deploySource,
  describeFields,
  displayOrg,
  importTree,
  query,
  runAnonymousApex,
  type ApexRunResult,
} from './orgOps.ts';
import { connectionRecord } from './remoteRecordsVerify.ts';
import { INTEGRATION_PERMSET, writeRendered, type ConnectionName, type RenderedFiles } from './render.ts';
import {
  exposedObject,
  OBJECTS_PERMSET,
  PAGE_VIEWER_PERMSET,
  renderConsumerPage,
  renderProviderObjects,
  SAMPLE_DATA,
  type ExposedObject,
} from './renderRemoteRecords.ts';
import type { renderConsumerConfig } from './render.ts';
import { deployProviderApp, prepareProvider } from './providerSide.ts';
import { defineStep, renderedDir, type Ctx, type Products, type ProviderTarget, type WiredProvider } from './setupTypes.ts';
import type { ExtraProvider } from './setupState.ts';
import { projectRoot } from './sfCli.ts';
import { waitForToken } from './verifyCallout.ts';
import { audienceCandidates, discoverAudience, readOrgKind, type OrgKind } from './audience.ts';

/** The aliases of the source orgs after the first: configure's --provider-org list, or `<alias>-2` … for scratch orgs. */
export function extraProviderAliases(ctx: Ctx): string[] {
  const o = ctx.options;
  if (o.extraProviderAliases) return o.extraProviderAliases;
  return Array.from({ length: Math.max(0, (o.providers ?? 1) - 1) }, (_, i) => `${o.providerAlias}-${i + 2}`);
}

const remoteRecordsWanted = (ctx: Ctx) => Boolean(ctx.options.objects?.length) || extraProviderAliases(ctx).length > 0;

async function seedOnce(alias: string, object: string): Promise<void> {
  const sample = SAMPLE_DATA[object];
  if (!sample) return;
  const rows = await query<{ Id: string }>(alias, sample.marker);
  if (rows.length === 0) await importTree(alias, join(projectRoot, 'config', 'data', sample.file));
}

async function setUpExtraProvider(ctx: Ctx, devHub: Products['devHub'], certificatePem: string, alias: string): Promise<WiredProvider> {
  const o = ctx.options;
  // This step's own record of a previous try (its app key, when the app deployed and a later part failed).
  const before = ctx.state.extraProviders?.find((e) => e.org.alias === alias);
  let org = await displayOrg(alias);
  if (!org && o.extraProviderAliases) {
    throw new ToolError(`sf knows no org ${alias}.`, 'UnknownOrg', [
      `Run sf org login web --alias ${alias} --instance-url https://<MyDomain>.my.salesforce.com`,
    ]);
  }
  if (!org || (before && before.org.orgId !== org.orgId && !o.extraProviderAliases)) {
    org = await createScratchOrg({
      devHub: devHub.alias,
      alias,
      definitionFile: join(projectRoot, 'config', 'provider-scratch-def.json'),
      durationDays: o.durationDays,
      waitMinutes: 15,
      local: devHub.local,
    });
  }
  const target = { alias, org };
  const entry: ExtraProvider = { org, app: before?.org.orgId === org.orgId ? before.app : undefined };
  const integrationUsername = await prepareProvider(ctx, target);
  entry.integrationUsername = integrationUsername;
  const app = await deployProviderApp(
    ctx,
    target,
    certificatePem,
    entry.app?.kind === o.app ? entry.app.consumerKey : undefined,
    async (app) => {
      entry.app = app;
      ctx.state.extraProviders = [...(ctx.state.extraProviders ?? []).filter((e) => e.org.alias !== alias), entry];
      await ctx.save();
    },
  );
  await assignPermissionSet(alias, INTEGRATION_PERMSET, integrationUsername);
  await seedOnce(alias, 'Account');
  return { org, app, integrationUsername };
}

export const moreProvidersStep = defineStep({
  id: 'more-providers',
  title: 'More source orgs (--providers): integration user, External Client App, sample Accounts',
  needs: ['devHub', 'certificate'],
  produces: ['extraProviders'],
  applies: (ctx) => extraProviderAliases(ctx).length > 0 || (ctx.state.extraProviders?.length ?? 0) > 0,
  async stillDone(ctx, _input, recorded) {
    const wanted = extraProviderAliases(ctx);
    const have = recorded.extraProviders ?? [];
    if (wanted.length !== have.length || !wanted.every((a, i) => have[i]?.org.alias === a && have[i]?.app.kind === ctx.options.app))
      return false;
    const orgs = await Promise.all(have.map((e) => displayOrg(e.org.alias)));
    return orgs.every((org, i) => org?.orgId === have[i]?.org.orgId);
  },
  async run(ctx, { devHub, certificate }) {
    const aliases = extraProviderAliases(ctx);
    const entries: WiredProvider[] = [];
    const one = (alias: string) => setUpExtraProvider(ctx, devHub, certificate.pem, alias);
    if (ctx.options.serial) for (const alias of aliases) entries.push(await one(alias));
    else entries.push(...(await Promise.all(aliases.map(one))));
    return {
      products: { extraProviders: entries },
      detail: entries.length ? entries.map((e) => `${e.org.alias} (${e.integrationUsername})`).join(', ') : 'none asked',
    };
  },
});

const sameList = (a: string[] | undefined, b: string[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

export const exposeStep = defineStep({
  id: 'expose',
  title: 'Source orgs expose the --objects (Exposed_Object__mdt, read permission, sample records)',
  // After B's app: one deploy to B at a time, in the order a person would make them.
  needs: ['orgs', 'integrationUser', 'app', 'extraProviders'],
  produces: ['exposed'],
  applies: (ctx) => (ctx.options.objects?.length ?? 0) > 0 || !!ctx.state.remoteRecords,
  stillDone: async (ctx, input, recorded) =>
    sameList(
      recorded.exposed?.objects.map((o) => o.name),
      ctx.options.objects,
    ) &&
    sameList(
      recorded.exposed?.connections,
      sourceOrgs(ctx, input).map((_, i) => connectionRecord(i)),
    ),
  async run(ctx, input) {
    const o = ctx.options;
    const names = o.objects ?? [];
    const targets = sourceOrgs(ctx, input);
    const usernames = [input.integrationUser, ...input.extraProviders.map((e) => e.integrationUsername)];
    let first: ExposedObject[] = [];
    await Promise.all(
      targets.map(async (target, i) => {
        if (!names.length) return;
        const objects: ExposedObject[] = [];
        for (const name of names) {
          const fields = await describeFields(target.alias, name).catch(() => undefined);
          if (!fields) {
            throw new ToolError(`${target.alias} has no object ${name} (from --objects).`, 'UnknownObject', [
              `Check the API name (custom objects end in __c), deploy the object to ${target.alias}, or leave it out of --objects.`,
            ]);
          }
          objects.push(exposedObject(name, fields));
        }
        if (i === 0) first = objects;
        const dir = renderedDir(o, `objects-${target.alias}`);
        await writeRendered(dir, renderProviderObjects(objects));
        await deploySource(target.alias, [dir]);
        await assignPermissionSet(target.alias, OBJECTS_PERMSET, usernames[i]);
        for (const name of names) await seedOnce(target.alias, name);
      }),
    );
    return {
      products: {
        exposed: {
          objects: first.map((x) => ({ name: x.name, fields: x.fields })),
          connections: targets.map((_, i) => connectionRecord(i)),
        },
      },
      detail: names.length ? `${names.join(', ')} in ${targets.map((t) => t.alias).join(', ')}` : 'no --objects',
    };
  },
});

/** Every source org, the first included, in connection order. */
function sourceOrgs(ctx: Ctx, input: Pick<Products, 'orgs' | 'extraProviders'>): ProviderTarget[] {
  return [
    { alias: ctx.options.providerAlias, org: input.orgs.provider },
    ...input.extraProviders.map((e) => ({ alias: e.org.alias, org: e.org })),
  ];
}

/** The component the App page places; its absence fails the page's deploy, so it is checked first. */
const COMPONENT_DIR = join(projectRoot, 'force-app', 'consumer', 'main', 'default', 'lwc', 'remoteRecords');

/**
 * What A gets besides the seed's rendering: a connection record and remote sites per further source
 * org, the App page with its tab when --objects was given, and the permission sets A's admin needs.
 */
export function consumerExtras(
  ctx: Ctx,
  input: Pick<Products, 'extraProviders' | 'exposed' | 'certificate'>,
  renderFor: (input: Parameters<typeof renderConsumerConfig>[0], connection: ConnectionName) => RenderedFiles,
): { files: RenderedFiles; permissionSets: string[]; defaultConnection?: ConnectionName } {
  if (!remoteRecordsWanted(ctx)) return { files: {}, permissionSets: [] };
  const files: RenderedFiles = {};
  input.extraProviders.forEach((e, i) => {
    const connection = { record: connectionRecord(i + 1), label: e.org.alias, sitePrefix: `Org_B_${i + 2}` };
    Object.assign(
      files,
      renderFor(
        {
          loginUrl: e.org.loginUrl,
          audience: e.audience?.value,
          instanceUrl: e.org.instanceUrl,
          consumerKey: e.app.consumerKey,
          username: e.integrationUsername,
          certificateName: input.certificate.name,
        },
        connection,
      ),
    );
  });
  const permissionSets: string[] = [];
  if (input.exposed?.objects.length) {
    if (!existsSync(COMPONENT_DIR)) {
      throw new ToolError(
        'force-app/consumer has no remoteRecords component for the App page --objects places.',
        'RemoteRecordsComponentMissing',
        [
          'Update the project (the component lives in force-app/consumer/main/default/lwc/remoteRecords), or run setup:orgs without --objects.',
        ],
      );
    }
    Object.assign(
      files,
      renderConsumerPage({
        connections: input.exposed.connections,
        objects: input.exposed.objects.map((x) => ({ ...x, permissionable: [] })),
      }),
    );
    permissionSets.push(PAGE_VIEWER_PERMSET);
  }
  return { files, permissionSets, defaultConnection: { record: 'Default', label: ctx.options.providerAlias, sitePrefix: 'Org_B' } };
}

type Ask = (alias: string, code: string) => Promise<ApexRunResult>;

/**
 * Finds the JWT audience each further source org accepts, as the token step does for Default
 * (audience.ts: its My Domain first, then the generic host of its kind of org), asking through that
 * connection's record; records it on the source org (its Audience__c). Answers whether any changed, so
 * the caller redeploys A's connection records.
 */
export async function discoverExtraAudiences(
  ctx: Ctx,
  waitMs: number,
  ask: Ask = runAnonymousApex,
  kindOf: (alias: string) => Promise<OrgKind> = readOrgKind,
): Promise<{ changed: boolean; lines: string[] }> {
  const o = ctx.options;
  const extras = ctx.state.extraProviders ?? [];
  const found = await Promise.all(
    extras.map(async (e, i) => {
      const viaRecord: Ask = (alias, code) =>
        ask(alias, code.replace('OrgBAccountsClient.DEFAULT_CONNECTION', `'${connectionRecord(i + 1)}'`));
      const candidates = audienceCandidates(e.org.loginUrl, await kindOf(e.org.alias), Boolean(ctx.state.devHub?.alias));
      return discoverAudience(o.consumerAlias, candidates, waitMs, (line) => o.progress.info(`  ${e.org.alias}: ${line}`), viaRecord);
    }),
  );
  let changed = false;
  const lines = extras.map((e, i) => {
    const f = found[i];
    if (!f) return `${e.org.alias}: no answer`;
    changed ||= e.audience?.value !== f.audience;
    e.audience = { value: f.audience, refused: f.answers };
    return `${e.org.alias}: aud ${f.audience} after ${f.attempts} attempt(s)`;
  });
  return { changed, lines };
}

/** What A's rendering reads, for the redeploy after an audience changed. */
export type ConsumerRendering = Pick<
  Products,
  'orgs' | 'app' | 'integrationUser' | 'certificate' | 'extraProviders' | 'exposed' | 'audience'
>;

/** A token from each further source org; `redeployConsumer` renders and deploys A's records again (an audience changed). */
export const extraTokensStep = (redeployConsumer: (ctx: Ctx, input: ConsumerRendering) => Promise<void>) =>
  defineStep({
    id: 'extra-tokens',
    title: 'Each further source org issues A a token',
    // After B's token: that step may redeploy A's connection records, these among them.
    needs: ['devHub', 'extraProviders', 'consumerSide', 'audience', 'orgs', 'app', 'integrationUser', 'certificate', 'exposed'],
    produces: ['extraTokens'],
    applies: (ctx) => (ctx.state.extraProviders?.length ?? 0) > 0,
    async run(ctx, input) {
      const o = ctx.options;
      const waitMs = o.tokenWaitMs ?? (input.devHub.local ? 60_000 : 30 * 60_000);
      if (o.auth === 'named-credential') {
        // Each External Credential carries its own aud; the Apex path's discovery does not apply.
        const waits = await Promise.all(
          input.extraProviders.map((e, i) => {
            const ask: Ask = (alias, code) =>
              runAnonymousApex(alias, code.replace('OrgBAccountsClient.DEFAULT_CONNECTION', `'${connectionRecord(i + 1)}'`));
            return waitForToken(o.consumerAlias, waitMs, (line) => o.progress.info(`  ${e.org.alias}: ${line}`), e.org.loginUrl, ask);
          }),
        );
        const lines = waits.map((w, i) => `${input.extraProviders[i]?.org.alias} after ${w.attempts} attempt(s)`);
        return { products: { extraTokens: lines }, detail: lines.join(', ') };
      }
      const { changed, lines } = await discoverExtraAudiences(ctx, waitMs);
      // discoverExtraAudiences recorded each audience on the state's entries: render from those.
      if (changed)
        await redeployConsumer(ctx, {
          ...input,
          extraProviders: (ctx.state.extraProviders ?? []).filter((e): e is WiredProvider => Boolean(e.app && e.integrationUsername)),
        });
      return { products: { extraTokens: lines }, detail: lines.join(', ') };
    },
  });
