/**
 * Deletes the project's scratch orgs and never leaks one silently: an org that could not be deleted is
 * named with the exact command that deletes it, the state file that records it is kept (a re-run retries),
 * and the command exits non-zero. Active scratch orgs count against the Dev Hub's limits until they expire
 * (Developer Edition: 3 active, 6 sign-ups a day; "Set Up Your SFDX Project", developer.salesforce.com).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { deleteScratchOrg } from './orgOps.ts';
import { stopLocalService } from './externalServiceProcess.ts';
import type { ProjectConfig } from './projectConfig.ts';
import { loadState, statePathIn, type OrgRef } from './setupState.ts';

export interface LeftOrg {
  alias: string;
  username?: string;
  orgId?: string;
  reason: string;
  /** Commands that delete it, the first through its own auth, the next through the Dev Hub. */
  commands: string[];
}

export interface TeardownResult {
  deleted: string[];
  /** Already gone (deleted or expired) or never created: nothing to do. */
  absent: string[];
  removed: string[];
}

/** Deletes one org by alias through the same library as `sf org delete scratch`. */
export type DeleteOrg = (alias: string) => Promise<void>;

/** sfdx-core's names for "no such org": no auth file for the alias, or no ActiveScratchOrg left on the hub. */
const GONE = new Set(['NamedOrgNotFoundError', 'ScratchOrgNotFound', 'ScratchOrgNotFoundError']);

function isGone(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return GONE.has(e?.name ?? '') || /Attempting to delete an expired or deleted org/.test(e?.message ?? '');
}

/** The commands that delete a left org: through its alias, else through the Dev Hub's ActiveScratchOrg record. */
export function deleteCommands(alias: string, org: OrgRef | undefined, devHub: string | undefined): string[] {
  const commands = [`sf org delete scratch --target-org ${org?.username ?? alias} --no-prompt`];
  if (org?.orgId && devHub) {
    // ActiveScratchOrg.ScratchOrg holds the 15-character org Id (Object Reference, ActiveScratchOrg).
    commands.push(`sf data delete record --sobject ActiveScratchOrg --where "ScratchOrg=${org.orgId.slice(0, 15)}" --target-org ${devHub}`);
  }
  return commands;
}

/**
 * Deletes both orgs; removes the work folder (state, rendered files) only when none is left, so a
 * left org stays on record. Throws `ScratchOrgsLeft` naming each left org and its commands.
 */
export async function tearDown(
  config: ProjectConfig,
  options: { purge: boolean; projectRoot: string; deleteOrg?: DeleteOrg },
): Promise<TeardownResult> {
  const deleteOrg = options.deleteOrg ?? deleteScratchOrg;
  const state = await loadState(statePathIn(config.workDir));
  const recorded: Record<string, OrgRef | undefined> = { [config.providerAlias]: state.provider, [config.consumerAlias]: state.consumer };
  // --providers N made <provider>-2 … too; they are in the state file.
  for (const extra of state.extraProviders ?? []) recorded[extra.org.alias] = extra.org;
  const result: TeardownResult = { deleted: [], absent: [], removed: [] };
  const left: LeftOrg[] = [];
  for (const alias of [config.providerAlias, ...(state.extraProviders ?? []).map((e) => e.org.alias), config.consumerAlias]) {
    const org = recorded[alias];
    try {
      await deleteOrg(alias);
      result.deleted.push(alias);
    } catch (error) {
      const noAuth = (error as { name?: string }).name === 'NamedOrgNotFoundError';
      // No auth file but the state file records the org: it may well be alive; only the hub can tell.
      if (isGone(error) && !(noAuth && org)) {
        result.absent.push(alias);
        continue;
      }
      left.push({
        alias,
        username: org?.username,
        orgId: org?.orgId,
        reason: error instanceof Error ? error.message : String(error),
        commands: deleteCommands(alias, org, state.devHub?.alias),
      });
    }
  }
  await stopLocalService(config.workDir);
  if (left.length) {
    throw new ToolError(
      `${left.length} scratch org(s) could not be deleted and still count against the Dev Hub's limits: ${left.map((o) => `${o.alias}${o.username ? ` (${o.username})` : ''}: ${o.reason}`).join('; ')}`,
      'ScratchOrgsLeft',
      [...left.flatMap((o) => o.commands), `Or run npm run teardown again: ${config.workDir} is kept so it still knows these orgs.`],
    );
  }
  await rm(config.workDir, { recursive: true, force: true });
  result.removed.push(config.workDir);
  if (options.purge) {
    await rm(join(options.projectRoot, '.local', 'certs'), { recursive: true, force: true });
    result.removed.push('.local/certs');
  }
  return result;
}
