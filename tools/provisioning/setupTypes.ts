/**
 * The shapes setup's steps share (setupSteps.ts and remoteRecordsFlow.ts declare them, stepRunner.ts
 * runs them): the options, the products steps pass each other, a step, and where rendered metadata goes.
 */
import { join } from 'node:path';
import type { Progress } from './progress.ts';
import type { ExternalServiceReport } from './externalServiceSetup.ts';
import type { RemoteRecordsCheck } from './remoteRecordsVerify.ts';
import type { ExtraProvider, OrgRef, SetupState } from './setupState.ts';
import type { TokenWait, VerifyReport } from './verifyCallout.ts';

export interface SetupOptions {
  devHub?: string;
  local: boolean;
  cert: 'org' | 'local';
  app: 'eca' | 'connected-app';
  auth: 'apex-jwt' | 'named-credential';
  durationDays: number;
  serial: boolean;
  /** How long to wait for B's app to accept A's token, in ms (30 minutes on real orgs). */
  tokenWaitMs?: number;
  providerAlias: string;
  consumerAlias: string;
  /** `--objects`: objects each source org exposes and A's App page shows (issue 20). */
  objects?: string[];
  /** `--providers`: how many source orgs setup:orgs creates and wires to A (1–3). */
  providers?: number;
  /** configure: the further source orgs, by alias (they exist; none is created). */
  extraProviderAliases?: string[];
  /** `--external-service [URL]`: 'local' starts the reference service here; a URL names one deployed elsewhere. */
  externalService?: string;
  /** Folder for the state file and rendered metadata (git-ignored). */
  workDir: string;
  progress: Progress;
}

/** An app a source org holds for A: its kind, name and the consumer key A signs with. */
export type AppRecord = NonNullable<SetupState['app']>;

/** A source org after the first, once wired: its app and integration user are known. */
export interface WiredProvider {
  org: OrgRef;
  app: AppRecord;
  integrationUsername: string;
  /** The JWT audience this source org accepted (its connection's Audience__c). */
  audience?: ExtraProvider['audience'];
}

/**
 * What steps produce and need, by name (setupProducts.ts reads and writes each in the state file, or
 * keeps it for this run only). `null` is "none, by design" (no --objects, no audience on the
 * Named Credential path); a product that is missing when a step needs it is an error.
 */
export interface Products {
  devHub: { alias: string; local: boolean };
  orgs: { provider: OrgRef; consumer: OrgRef };
  certificate: NonNullable<SetupState['certificate']>;
  integrationUser: string;
  app: AppRecord;
  extraProviders: WiredProvider[];
  exposed: NonNullable<SetupState['remoteRecords']> | null;
  consumerSide: { auth: SetupOptions['auth']; tokenCache: NonNullable<SetupState['tokenCache']> | null };
  audience: NonNullable<SetupState['audience']> | null;
  tokenWait: TokenWait | null;
  /** Per further source org: what its token took (or the audience it accepted). */
  extraTokens: string[] | null;
  verified: VerifyReport;
  remoteRecordsChecked: RemoteRecordsCheck[] | null;
  externalService: ExternalServiceReport | null;
}
export type ProductName = keyof Products;

export interface StepOutcome<P extends ProductName> {
  products: Pick<Products, P>;
  /** The rest of the step's ✔ line. */
  detail?: string;
}

/**
 * A step of setup: what it needs and produces (stepPlan.ts orders the steps and finds what can run
 * together from these), whether it is still done on a re-run, and its work.
 */
export interface StepSpec<N extends ProductName = ProductName, P extends ProductName = ProductName> {
  id: string;
  /** The line shown while it runs. */
  title: string;
  /** The ✔/✖ line's name, when shorter than the title. */
  endTitle?: string;
  needs: readonly N[];
  produces: readonly P[];
  /** Its key in the --json timings; null leaves it out. Default: the id. */
  timingKey?: string | null;
  /** Runs on every run, never recorded as done (the verifies). */
  always?: boolean;
  /** False when the run asked for nothing this step does (no --providers, no --objects): no line, no timing. */
  applies?(ctx: Ctx): boolean;
  /** Extra check beyond the state file's record, e.g. the orgs still exist. `recorded`: what it produced last time. */
  stillDone?(ctx: Ctx, input: Pick<Products, N>, recorded: Partial<Pick<Products, P>>): Promise<boolean>;
  /**
   * Part of the step's work that needs less than the rest (B's integration user while A makes its key):
   * in parallel mode it starts as soon as its own needs are there; its line and timing are the step's.
   */
  ahead?: AheadSpec;
  run(ctx: Ctx, input: Pick<Products, N>): Promise<StepOutcome<P>>;
}

export interface AheadSpec<N extends ProductName = ProductName, P extends ProductName = ProductName> {
  id: string;
  needs: readonly N[];
  produces: readonly P[];
  run(ctx: Ctx, input: Pick<Products, N>): Promise<Pick<Products, P>>;
}

/** Checks a step's run and stillDone against its declared needs and products. */
export const defineStep = <N extends ProductName, P extends ProductName>(spec: StepSpec<N, P>): StepSpec => spec as unknown as StepSpec;
export const defineAhead = <N extends ProductName, P extends ProductName>(spec: AheadSpec<N, P>): AheadSpec => spec as unknown as AheadSpec;

export interface Ctx {
  options: SetupOptions;
  /** The state file's contents: steps read their inputs through their needs; a step reads its own partial record here. */
  state: SetupState;
  warnings: string[];
  /** Writes the state file; writes are queued, so steps running together cannot interleave them. */
  save(): Promise<void>;
}

export const renderedDir = (o: SetupOptions, role: string) => join(o.workDir, 'rendered', role);

/** One source org: its sf alias and where it is. */
export interface ProviderTarget {
  alias: string;
  org: OrgRef;
}
