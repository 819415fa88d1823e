/**
 * The shapes setup's steps share (setupFlow.ts runs them; remoteRecordsFlow.ts adds the --providers and
 * --objects ones): the options, the context a step gets, and where rendered metadata goes.
 */
import { join } from 'node:path';
import type { Progress } from './progress.ts';
import type { OrgRef, SetupState } from './setupState.ts';
import type { TokenWait } from './verifyCallout.ts';

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
  /** Folder for the state file and rendered metadata (git-ignored). */
  workDir: string;
  progress: Progress;
}

export interface Step {
  id: string;
  title: string;
  /** Extra check beyond the state file, e.g. the orgs still exist. */
  stillDone?: (ctx: Ctx) => Promise<boolean>;
  /** False when the run asked for nothing this step does (no --providers, no --objects): no line, no timing. */
  applies?: (ctx: Ctx) => boolean;
  run: (ctx: Ctx) => Promise<string | void>;
}

export interface Ctx {
  options: SetupOptions;
  state: SetupState;
  warnings: string[];
  tokenWait?: TokenWait;
  /** B's integration user, license and provider source, when started ahead of the provider step. */
  providerPrepared?: Promise<string>;
}

export const renderedDir = (o: SetupOptions, role: string) => join(o.workDir, 'rendered', role);

/** One source org: its sf alias and where it is. */
export interface ProviderTarget {
  alias: string;
  org: OrgRef;
}
