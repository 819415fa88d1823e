/** `npm run setup:orgs`: from nothing to Org A showing Org B's latest Accounts. */
import { parseFlags } from './flags.ts';
import { createProgress } from '../provisioning/progress.ts';
import { readProjectConfig } from '../provisioning/projectConfig.ts';
import { REAL_TOKEN_WAIT_MINUTES, runSetup, type SetupResult } from '../provisioning/setupFlow.ts';
import { loadState, statePathIn } from '../provisioning/setupState.ts';
import { choiceFlag, intFlag, runCommand } from './runCommand.ts';
import { setupExternalService, type ExternalServiceReport } from '../provisioning/externalServiceSetup.ts';
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
// The libraries warn through process warnings: each once, as a line (loopback http notes dropped).
showLibraryWarnings(json);
await runCommand(
  json,
  async () => {
    const config = readProjectConfig();
    const waitMinutes = values['token-wait-minutes'];
    const auth = choiceFlag('auth', values.auth, ['apex-jwt', 'named-credential'] as const, 'apex-jwt');
    const options = {
      devHub: values['dev-hub'],
      local: values.local ?? false,
      cert: choiceFlag('cert', values.cert, ['org', 'local'] as const, 'org'),
      app: choiceFlag('app', values.app, ['eca', 'connected-app'] as const, 'eca'),
      auth,
      objects: objectsFlag(values.objects, USAGE),
      providers: providersFlag(values.providers, USAGE, auth),
      durationDays: intFlag('duration-days', values['duration-days'], 7, 1, 30),
      tokenWaitMs: waitMinutes === undefined ? undefined : intFlag('token-wait-minutes', waitMinutes, REAL_TOKEN_WAIT_MINUTES, 0, 120) * 60_000,
      serial: values.serial ?? false,
      providerAlias: config.providerAlias,
      consumerAlias: config.consumerAlias,
      workDir: config.workDir,
      progress: createProgress(json ? 'silent' : process.stderr.isTTY ? 'tty' : 'plain'),
    };
    const started = performance.now();
    const state = await loadState(statePathIn(options.workDir));
    const result = await runSetup(options, state);
    let externalService: ExternalServiceReport | undefined;
    if (values['external-service']) {
      options.progress.start('External service: A calls it with a JWT Salesforce mints');
      const at = performance.now();
      externalService = await setupExternalService({ target: values['external-service'], consumerAlias: options.consumerAlias, workDir: options.workDir, progress: options.progress }, state).catch((e) => {
        options.progress.fail('External service', performance.now() - at);
        throw e;
      });
      options.progress.succeed('External service', performance.now() - at, `${externalService.verified.users} users from ${externalService.url}`);
    }
    return { ...result, externalService, totalMs: Math.round(performance.now() - started) };
  },
  (r: SetupResult & { externalService?: ExternalServiceReport; totalMs: number }) =>
    [
      `Org B (provider): ${r.provider.alias} ${r.provider.username} ${r.provider.instanceUrl}`,
      `Org A (consumer): ${r.consumer.alias} ${r.consumer.username} ${r.consumer.instanceUrl}`,
      `A signs as ${r.integrationUsername} with consumer key ${r.consumerKey}; certificate SHA-256 ${r.certificateFingerprint}`,
      ...r.extraProviders.map((p, i) => `Org B ${i + 2} (provider): ${p.alias} ${p.username} ${p.instanceUrl}`),
      `Verified: A got B's latest ${r.verify.accounts.length} Accounts (${r.verify.legs.map((l) => `${l.name} ${l.ms} ms`).join(', ')}).`,
      ...(r.remoteRecords.length ? [`Verified: A read ${r.remoteRecords.map((c) => `${c.object} from ${c.source}`).join(', ')} through RecordsResource.`] : []),
      ...externalServiceLines(r.externalService),
      // Local orgs live at http://127.0.0.1:<port>, where sf's wait for a Lightning domain (DNS, up to 240 s) can never succeed.
      `Done in ${(r.totalMs / 1000).toFixed(1)} s. Open A with: ${r.devHub.local ? 'SF_DOMAIN_RETRY=0 ' : ''}npx sf org open --target-org ${r.consumer.alias} --path lightning/n/${r.remoteRecords.length ? 'Remote_Records' : 'Org_B_Accounts'}`,
    ].join('\n'),
);

function externalServiceLines(e: ExternalServiceReport | undefined): string[] {
  if (!e) return [];
  return [
    `External service (${e.mode}) ${e.url}: A's Salesforce-minted JWT (iss ${e.issuer}, sub ${e.subject}, aud ${e.audience}) accepted; ${e.verified.users} users in ${e.verified.ms} ms.`,
    ...Object.entries(e.serviceSettings ?? {}).map(([k, v]) => `  service setting ${k}=${v}`),
  ];
}
