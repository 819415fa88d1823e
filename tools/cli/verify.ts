/** `npm run verify`: A calls B now; on failure, checks each piece of the wiring and names the cause. */
import { parseFlags } from './flags.ts';
import { ToolError } from '../core/ToolError.ts';
import { diagnose, type Check } from '../provisioning/diagnose.ts';
import { readProjectConfig } from '../provisioning/projectConfig.ts';
import { loadState, statePathIn } from '../provisioning/setupState.ts';
import { verifyCallout, type VerifyReport } from '../provisioning/verifyCallout.ts';
import { runCommand } from './runCommand.ts';
import { readWiring, verifyExternalService } from '../provisioning/externalServiceSetup.ts';
import { remoteRecordsFailure, verifyRemoteRecords, type RemoteRecordsCheck } from '../provisioning/remoteRecordsVerify.ts';
import { showLibraryWarnings } from '../provisioning/sfWarnings.ts';

const { values } = parseFlags('Usage: npm run verify -- [--json]', { options: { json: { type: 'boolean', default: false } } });
const json = values.json ?? false;
showLibraryWarnings(json);

await runCommand(
  json,
  async () => {
    const config = readProjectConfig();
    const state = await loadState(statePathIn(config.workDir));
    if (!state.consumer || !state.provider) {
      throw new ToolError('Nothing to verify: no orgs are recorded.', 'NotSetUp', [
        'Run npm run setup:orgs first (or npm run configure for existing orgs).',
      ]);
    }
    const report = await verifyCallout({ consumerAlias: state.consumer.alias, providerAlias: state.provider.alias });
    const checks = report.ok ? [] : await diagnose(state);
    if (!report.ok) {
      const problems = checks.filter((c) => !c.ok);
      throw new ToolError(`A could not read B's Accounts: ${report.failure?.message}`, 'VerifyFailed', [
        ...(report.failure?.cause ? [`Cause: ${report.failure.cause}`] : []),
        ...(report.failure?.actions ?? []),
        ...problems.map((c) => `${c.name}: ${c.detail}${c.fix ? ` Fix: ${c.fix}` : ''}`),
      ]);
    }
    // Set up with --objects/--providers: every source org asked for every exposed object, as the App page does.
    const remoteRecords = await verifyRemoteRecords(state, state.consumer.alias, state.provider.alias);
    const remoteFailure = remoteRecordsFailure(remoteRecords);
    if (remoteFailure) throw remoteFailure;
    // Set up with --external-service: A's call to the service, whose refusal names its cause.
    const wiring = readWiring(config.workDir);
    const externalService = wiring ? { url: wiring.url, ...(await verifyExternalService(state.consumer.alias, wiring)) } : undefined;
    return { ...report, checks, remoteRecords, externalService };
  },
  (
    r: VerifyReport & {
      checks: Check[];
      remoteRecords: RemoteRecordsCheck[];
      externalService?: { url: string; users: number; callerSubject: string; ms: number };
    },
  ) =>
    [
      ...r.legs.map((l) => `${l.ok ? '✔' : '✖'} ${l.name} (${l.ms} ms)${l.detail ? `: ${l.detail}` : ''}`),
      ...r.remoteRecords.map(
        (c) => `✔ ${c.object} from ${c.source} (connection ${c.connection}, ${c.ms} ms): ${c.records} record(s) on the first page`,
      ),
      ...(r.audience ? [`  JWT audience B accepts: ${r.audience}`] : []),
      ...(r.tokenCache ? [`  A's token cache: ${r.tokenCache}`] : []),
      ...(r.externalService
        ? [
            `✔ external service (${r.externalService.ms} ms): ${r.externalService.users} users from ${r.externalService.url} as ${r.externalService.callerSubject}`,
          ]
        : []),
      ...r.accounts.map((a) => `  ${a.createdDate}  ${a.name}`),
    ].join('\n'),
);
