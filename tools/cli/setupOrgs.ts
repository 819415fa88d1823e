/** `npm run setup:orgs`: from nothing to Org A showing Org B's latest Accounts. */
import { ToolError } from '../core/ToolError.ts';
import { LOCAL_DEVHUB_ALIAS } from '../provisioning/devHub.ts';
import { checkFlags, FLAG_ERROR_EXIT_CODE, nonEmpty, oneOf, parseFlags, urlOr, wholeNumber } from './flags.ts';
import { createProgress } from '../provisioning/progress.ts';
import { readProjectConfig } from '../provisioning/projectConfig.ts';
import { runSetup, type SetupResult } from '../provisioning/setupFlow.ts';
import { loadState, statePathIn } from '../provisioning/setupState.ts';
import { runCommand } from './runCommand.ts';
import type { ExternalServiceReport } from '../provisioning/externalServiceSetup.ts';
import { withExternalServiceDefault } from './externalServiceFlag.ts';
import { objectsFlag, providersFlag } from './remoteRecordsFlags.ts';
import { showLibraryWarnings } from '../provisioning/sfWarnings.ts';

export const USAGE = `Usage: npm run setup:orgs -- [--dev-hub ALIAS] [--local] [--cert org|local] [--app eca|connected-app]
         [--auth apex-jwt|named-credential] [--external-service [URL]] [--duration-days N] [--serial]
         [--token-wait-minutes N] [--objects Account,Contact,…] [--providers 1-3] [--json]`;

const { values } = parseFlags(USAGE, {
  args: withExternalServiceDefault(process.argv.slice(2)),
  options: {
    'external-service': { type: 'string' },
    'dev-hub': { type: 'string' },
    local: { type: 'boolean', default: false },
    cert: { type: 'string' },
    app: { type: 'string' },
    auth: { type: 'string' },
    'duration-days': { type: 'string' },
    'token-wait-minutes': { type: 'string' },
    serial: { type: 'boolean', default: false },
    objects: { type: 'string' },
    providers: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const json = values.json ?? false;

/** Every value setup:orgs takes, checked before any work (flags.ts); a new flag is one more row. */
export const SETUP_FLAG_CHECKS = {
  'dev-hub': nonEmpty,
  cert: oneOf('org', 'local'),
  app: oneOf('eca', 'connected-app'),
  auth: oneOf('apex-jwt', 'named-credential'),
  'duration-days': wholeNumber(1, 30),
  'token-wait-minutes': wholeNumber(0, 120),
  'external-service': urlOr('local'),
};
const checked = checkFlags(USAGE, SETUP_FLAG_CHECKS, values, json);
// The libraries warn through process warnings: each once, as a line (loopback http notes dropped).
showLibraryWarnings(json);
await runCommand(
  json,
  async () => {
    const config = readProjectConfig();
    const waitMinutes = checked['token-wait-minutes'];
    const auth = checked.auth ?? 'apex-jwt';
    const options = {
      devHub: checked['dev-hub'],
      local: values.local ?? false,
      cert: checked.cert ?? 'org',
      app: checked.app ?? 'eca',
      auth,
      objects: objectsFlag(values.objects, USAGE),
      providers: providersFlag(values.providers, USAGE, auth),
      durationDays: checked['duration-days'] ?? 7,
      tokenWaitMs: waitMinutes === undefined ? undefined : waitMinutes * 60_000,
      serial: values.serial ?? false,
      providerAlias: config.providerAlias,
      consumerAlias: config.consumerAlias,
      externalService: values['external-service'],
      workDir: config.workDir,
      progress: createProgress(json ? 'silent' : process.stderr.isTTY ? 'tty' : 'plain'),
    };
    const started = performance.now();
    const state = await loadState(statePathIn(options.workDir));
    // The orgs of this work folder came from one Dev Hub: another --dev-hub would be ignored by the finished step.
    if (
      options.devHub &&
      state.devHub &&
      options.devHub !== state.devHub.alias &&
      !(options.devHub === LOCAL_DEVHUB_ALIAS && state.devHub.local)
    ) {
      throw new ToolError(
        `--dev-hub ${options.devHub} is not the Dev Hub this work folder's orgs came from (${state.devHub.alias}, recorded in ${statePathIn(options.workDir)}).`,
        'InvalidFlag',
        [
          `Drop --dev-hub to carry on with ${state.devHub.alias}, or delete those orgs first (npm run teardown), then run setup:orgs --dev-hub ${options.devHub}.`,
          USAGE,
        ],
        FLAG_ERROR_EXIT_CODE,
      );
    }
    const result = await runSetup(options, state);
    return { ...result, totalMs: Math.round(performance.now() - started) };
  },
  (r: SetupResult & { totalMs: number }) =>
    [
      `Org B (provider): ${r.provider.alias} ${r.provider.username} ${r.provider.instanceUrl}`,
      `Org A (consumer): ${r.consumer.alias} ${r.consumer.username} ${r.consumer.instanceUrl}`,
      `A signs as ${r.integrationUsername} with consumer key ${r.consumerKey}; certificate SHA-256 ${r.certificateFingerprint}`,
      ...r.extraProviders.map((p, i) => `Org B ${i + 2} (provider): ${p.alias} ${p.username} ${p.instanceUrl}`),
      `Verified: A got B's latest ${r.verify.accounts.length} Accounts (${r.verify.legs.map((l) => `${l.name} ${l.ms} ms`).join(', ')}).`,
      ...(r.remoteRecords.length
        ? [`Verified: A read ${r.remoteRecords.map((c) => `${c.object} from ${c.source}`).join(', ')} through RecordsResource.`]
        : []),
      ...externalServiceLines(r.externalService),
      // Local orgs live at http://127.0.0.1:<port>, where sf's wait for a Lightning domain (DNS, up to 240 s) can never succeed.
      `Done in ${(r.totalMs / 1000).toFixed(1)} s. Open A with: ${r.devHub.local ? 'SF_DOMAIN_RETRY=0 ' : ''}npx sf org open --target-org ${r.consumer.alias} --path lightning/n/${r.remoteRecords.length ? 'Remote_Records' : 'Org_B_Accounts'}`,
    ].join('\n'),
);

// A failed step may leave a client polling (e.g. sf waiting on a platform that died): the answer is given, end here.
if (process.exitCode) process.exit();

function externalServiceLines(e: ExternalServiceReport | undefined): string[] {
  if (!e) return [];
  return [
    `External service (${e.mode}) ${e.url}: A's Salesforce-minted JWT (iss ${e.issuer}, sub ${e.subject}, aud ${e.audience}) accepted; ${e.verified.users} users in ${e.verified.ms} ms.`,
    ...Object.entries(e.serviceSettings ?? {}).map(([k, v]) => `  service setting ${k}=${v}`),
  ];
}
