/**
 * `npm run configure -- --provider-org X --consumer-org Y`: the setup:orgs wiring for orgs that already
 * exist (sandboxes, Developer Edition orgs): no Dev Hub, no scratch orgs, same steps after that.
 */
import { parseFlags } from './flags.ts';
import { ToolError } from '../core/ToolError.ts';
import { displayOrg } from '../provisioning/orgOps.ts';
import { createProgress } from '../provisioning/progress.ts';
import { readProjectConfig } from '../provisioning/projectConfig.ts';
import { REAL_TOKEN_WAIT_MINUTES, runSetup } from '../provisioning/setupFlow.ts';
import { loadState, statePathIn } from '../provisioning/setupState.ts';
import { choiceFlag, intFlag, runCommand } from './runCommand.ts';
import { withExternalServiceDefault } from './externalServiceFlag.ts';
import { objectsFlag, providersFlag } from './remoteRecordsFlags.ts';
import { flagError } from './flags.ts';
import { showLibraryWarnings } from '../provisioning/sfWarnings.ts';

const USAGE = `Usage: npm run configure -- --provider-org ALIAS [--provider-org ALIAS2 …] --consumer-org ALIAS [--app eca|connected-app]
         [--auth apex-jwt|named-credential] [--objects Account,Contact,…] [--external-service [URL]]
         [--token-wait-minutes N] [--json]`;

const { values } = parseFlags(USAGE, {
  args: withExternalServiceDefault(process.argv.slice(2)),
  options: {
    'external-service': { type: 'string' },
    'provider-org': { type: 'string', multiple: true },
    objects: { type: 'string' },
    'consumer-org': { type: 'string' },
    app: { type: 'string' },
    auth: { type: 'string' },
    'token-wait-minutes': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const json = values.json ?? false;
showLibraryWarnings(json);

await runCommand(
  json,
  async () => {
    const [providerAlias, ...extraProviderAliases] = values['provider-org'] ?? [];
    const consumerAlias = values['consumer-org'];
    const auth = choiceFlag('auth', values.auth, ['apex-jwt', 'named-credential'] as const, 'apex-jwt');
    const objects = objectsFlag(values.objects, USAGE);
    // Up to three source orgs, as setup:orgs --providers (one Continuation holds three requests).
    providersFlag(String(1 + extraProviderAliases.length), USAGE, auth);
    if (new Set([providerAlias, ...extraProviderAliases, consumerAlias]).size !== 2 + extraProviderAliases.length) {
      throw flagError('Each --provider-org and the --consumer-org must be a different org alias.', USAGE);
    }
    if (!providerAlias || !consumerAlias) {
      throw new ToolError('Both --provider-org and --consumer-org are required.', 'MissingFlag', [
        'Log in to each org first (sf org login web --alias X) and pass the aliases.',
      ]);
    }
    const [provider, consumer] = await Promise.all([displayOrg(providerAlias), displayOrg(consumerAlias)]);
    for (const [alias, org] of [
      [providerAlias, provider],
      [consumerAlias, consumer],
    ] as const) {
      if (!org)
        throw new ToolError(`sf knows no org ${alias}.`, 'UnknownOrg', [
          `Run sf org login web --alias ${alias} --instance-url https://<MyDomain>.my.salesforce.com`,
        ]);
    }
    const config = readProjectConfig();
    const options = {
      local: false,
      cert: 'org' as const,
      app: choiceFlag('app', values.app, ['eca', 'connected-app'] as const, 'eca'),
      auth,
      objects,
      extraProviderAliases,
      durationDays: 1,
      serial: false,
      tokenWaitMs: intFlag('token-wait-minutes', values['token-wait-minutes'], REAL_TOKEN_WAIT_MINUTES, 0, 120) * 60_000,
      providerAlias,
      consumerAlias,
      externalService: values['external-service'],
      workDir: `${config.workDir}-${providerAlias}-${consumerAlias}`,
      progress: createProgress(json ? 'silent' : process.stderr.isTTY ? 'tty' : 'plain'),
    };
    const state = await loadState(statePathIn(options.workDir));
    const now = { at: new Date().toISOString(), ms: 0 };
    if (state.provider?.orgId !== provider!.orgId || state.consumer?.orgId !== consumer!.orgId) {
      Object.assign(state, { done: {}, devHub: { alias: '', local: false }, provider, consumer, audience: undefined });
    }
    state.done['dev-hub'] = state.done['dev-hub'] ?? now;
    state.done.orgs = state.done.orgs ?? now;
    return runSetup(options, state);
  },
  (r) =>
    [
      `Verified: ${r.consumer.alias} reads ${r.verify.accounts.length} Accounts from ${r.provider.alias}.`,
      ...(r.remoteRecords.length
        ? [`Verified: ${r.consumer.alias} reads ${r.remoteRecords.map((c) => `${c.object} from ${c.source}`).join(', ')}.`]
        : []),
      ...(r.externalService
        ? [
            `Verified: ${r.consumer.alias} calls ${r.externalService.url} with a Salesforce-minted JWT (${r.externalService.verified.users} users).`,
            ...Object.entries(r.externalService.serviceSettings ?? {}).map(([k, v]) => `  service setting ${k}=${v}`),
          ]
        : []),
    ].join('\n'),
);
