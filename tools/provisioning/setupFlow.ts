/**
 * `setup:orgs` (and configure) as a graph of small steps: each says what it needs and produces, records
 * what it produced in the state file, and is skipped on a re-run while done; stepRunner.ts derives the
 * order and what runs together. The verifies and the external service are steps too, run every time.
 */
import { ToolError } from '../core/ToolError.ts';
import { whileLocalPlatformRuns } from './devHub.ts';
import { saveState, statePathIn, type OrgRef, type SetupState } from './setupState.ts';
import { verifyCallout, type TokenWait, type VerifyReport } from './verifyCallout.ts';
import { exposeStep, extraTokensStep, moreProvidersStep } from './remoteRecordsFlow.ts';
import { remoteRecordsFailure, verifyRemoteRecords, type RemoteRecordsCheck } from './remoteRecordsVerify.ts';
import { setupExternalService, type ExternalServiceReport } from './externalServiceSetup.ts';
import { certificateStep, consumerStep, devHubStep, orgsStep, providerStep, redeployConsumer, tokenStep } from './setupSteps.ts';
import { runSteps } from './stepRunner.ts';
import { defineStep, type Ctx, type Products, type SetupOptions, type StepSpec } from './setupTypes.ts';

export type { SetupOptions } from './setupTypes.ts';
export { newConsumerKey } from './providerSide.ts';
export { CERTIFICATE_SOURCE, fingerprintOf, REAL_TOKEN_WAIT_MINUTES } from './setupSteps.ts';

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
  /** `--external-service`: A called the service with a JWT Salesforce mints. */
  externalService?: ExternalServiceReport;
}

const verifyStep = defineStep({
  id: 'verify',
  title: "Verify: A calls B and gets B's latest Accounts",
  endTitle: 'Verify',
  always: true,
  needs: ['audience', 'extraTokens'],
  produces: ['verified'],
  async run(ctx) {
    const verify = await verifyCallout({ consumerAlias: ctx.options.consumerAlias, providerAlias: ctx.options.providerAlias });
    if (!verify.ok) {
      throw new ToolError(
        `Verification failed: ${verify.failure?.message ?? 'unknown'}`,
        'VerifyFailed',
        verify.failure?.actions ?? ['Run npm run verify for diagnostics.'],
      );
    }
    return {
      products: { verified: verify },
      detail: [...verify.legs.map((l) => `${l.name} ${l.ms} ms`), ...(verify.tokenCache ? [`token cache ${verify.tokenCache}`] : [])].join(
        ', ',
      ),
    };
  },
});

const verifyRemoteRecordsStep = defineStep({
  id: 'verify-remote-records',
  title: 'Verify: A reads every --objects object from every source org',
  endTitle: 'Verify remote records',
  timingKey: 'verifyRemoteRecords',
  always: true,
  needs: ['verified', 'exposed', 'extraProviders'],
  produces: ['remoteRecordsChecked'],
  applies: (ctx) => Boolean(ctx.state.remoteRecords?.objects.length),
  async run(ctx) {
    const checks = await verifyRemoteRecords(ctx.state, ctx.options.consumerAlias, ctx.options.providerAlias);
    const failure = remoteRecordsFailure(checks);
    if (failure) throw failure;
    return { products: { remoteRecordsChecked: checks }, detail: checks.map((c) => `${c.object}@${c.source} ${c.records}`).join(', ') };
  },
});

const externalServiceStep = defineStep({
  id: 'external-service',
  title: 'External service: A calls it with a JWT Salesforce mints',
  endTitle: 'External service',
  timingKey: null,
  always: true,
  needs: ['verified', 'remoteRecordsChecked', 'certificate', 'consumerSide'],
  produces: ['externalService'],
  applies: (ctx) => Boolean(ctx.options.externalService),
  async run(ctx) {
    const o = ctx.options;
    const report = await setupExternalService(
      { target: o.externalService ?? 'local', consumerAlias: o.consumerAlias, workDir: o.workDir, progress: o.progress },
      ctx.state,
    );
    return { products: { externalService: report }, detail: `${report.verified.users} users from ${report.url}` };
  },
});

/** Every step, in the order a person would do them; the runner derives from their needs what may overlap. */
export const SETUP_STEPS: readonly StepSpec[] = [
  devHubStep,
  orgsStep,
  certificateStep,
  providerStep,
  moreProvidersStep,
  exposeStep,
  consumerStep,
  tokenStep,
  extraTokensStep(redeployConsumer),
  verifyStep,
  verifyRemoteRecordsStep,
  externalServiceStep,
];

/** Runs the steps not done yet (and the verifies), then reports what the orgs hold. */
export async function runSetup(options: SetupOptions, state: SetupState): Promise<SetupResult> {
  let saving = Promise.resolve();
  const ctx: Ctx = {
    options,
    state,
    warnings: [],
    save: () => (saving = saving.catch(() => undefined).then(() => saveState(statePathIn(options.workDir), state))),
  };
  const { timings, products } = await runSteps(SETUP_STEPS, ctx, {
    serial: options.serial,
    // A step of a local run fails fast when the platform dies under it (issue 21), rather than waiting on it.
    guard: (step, work) => (state.devHub?.local && step.id !== 'dev-hub' && !step.always ? whileLocalPlatformRuns(work, step.title) : work),
  });
  const got = <K extends keyof Products>(key: K): NonNullable<Products[K]> => {
    const value = products[key];
    if (value === undefined || value === null)
      throw new ToolError(`Setup finished without "${key}".`, 'SetupStateIncomplete', ['Run setup:orgs again.']);
    return value as NonNullable<Products[K]>;
  };
  const orgs = got('orgs');
  return {
    devHub: got('devHub'),
    provider: orgs.provider,
    consumer: orgs.consumer,
    integrationUsername: got('integrationUser'),
    consumerKey: got('app').consumerKey,
    certificateFingerprint: got('certificate').fingerprintSha256,
    verify: got('verified'),
    tokenWait: products.tokenWait ?? undefined,
    extraProviders: (products.extraProviders ?? []).map((e) => e.org),
    remoteRecords: products.remoteRecordsChecked ?? [],
    timings,
    warnings: ctx.warnings,
    externalService: products.externalService ?? undefined,
  };
}
