/**
 * Teardown never leaks an org silently: one it cannot delete is named with the commands that delete it,
 * the state file that records it stays, and the command exits 1.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/core/ToolError.ts';
import { tearDown } from '../../tools/provisioning/teardown.ts';
import { saveState, statePathIn, type SetupState } from '../../tools/provisioning/setupState.ts';
import { root, tsx } from './commandHarness.ts';

let base: string;
let workDir: string;
const config = () => ({ providerAlias: 'orgb-provider', consumerAlias: 'orga-consumer', workDir });
const org = (alias: string, orgId: string) => ({
  alias,
  username: `${alias}@example.com`,
  orgId,
  instanceUrl: 'https://x.my.salesforce.com',
  loginUrl: 'https://x.my.salesforce.com',
});
const state: SetupState = {
  version: 1,
  devHub: { alias: 'ci-devhub', local: false },
  provider: org('orgb-provider', '00D000000000001AAA'),
  consumer: org('orga-consumer', '00D000000000002AAA'),
  done: {},
};
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'teardown-'));
  workDir = join(base, 'setup');
  await mkdir(workDir);
});
afterEach(async () => rm(base, { recursive: true, force: true }));

describe('tearDown', () => {
  it('names an org it could not delete with the commands that delete it, keeps the state and fails', async () => {
    await saveState(statePathIn(workDir), state);
    const error = await tearDown(config(), {
      purge: false,
      projectRoot: base,
      deleteOrg: async (alias) => {
        if (alias === 'orgb-provider') throw named('Error', "ENOENT: no such file or directory, open '/tmp/runner/devhub.key'");
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).name).toBe('ScratchOrgsLeft');
    expect((error as ToolError).message).toContain(
      "orgb-provider (orgb-provider@example.com): ENOENT: no such file or directory, open '/tmp/runner/devhub.key'",
    );
    expect((error as ToolError).actions).toEqual([
      'sf org delete scratch --target-org orgb-provider@example.com --no-prompt',
      'sf data delete record --sobject ActiveScratchOrg --where "ScratchOrg=00D000000000001" --target-org ci-devhub',
      `Or run npm run teardown again: ${workDir} is kept so it still knows these orgs.`,
    ]);
    expect(existsSync(statePathIn(workDir))).toBe(true);
  });

  it('deletes the further source orgs the state records (--providers), between B and A', async () => {
    await saveState(statePathIn(workDir), { ...state, extraProviders: [{ org: org('orgb-provider-2', '00D000000000003AAA') }] });
    const asked: string[] = [];
    const result = await tearDown(config(), { purge: false, projectRoot: base, deleteOrg: async (alias) => void asked.push(alias) });
    expect(asked).toEqual(['orgb-provider', 'orgb-provider-2', 'orga-consumer']);
    expect(result.deleted).toEqual(asked);
  });

  it('takes an org the hub no longer has (expired, deleted) or one never created as gone, and removes the work folder', async () => {
    const result = await tearDown(config(), {
      purge: false,
      projectRoot: base,
      deleteOrg: async (alias) => {
        throw alias === 'orgb-provider'
          ? named('ScratchOrgNotFound', 'Attempting to delete an expired or deleted org')
          : named('NamedOrgNotFoundError');
      },
    });
    expect(result).toEqual({ deleted: [], absent: ['orgb-provider', 'orga-consumer'], removed: [workDir] });
    expect(existsSync(workDir)).toBe(false);
  });
});

describe('npm run teardown', () => {
  it('exits 1 and names both orgs when the state records orgs this machine has no auth for', async () => {
    await saveState(statePathIn(workDir), state);
    const env = {
      HOME: join(base, 'home'),
      ORG_A_TO_B_WORKDIR: workDir,
      SF_DISABLE_TELEMETRY: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    };
    await mkdir(env.HOME);
    const child = await execa(tsx, [join(root, 'tools', 'cli', 'teardown.ts')], { cwd: root, env, reject: false });
    expect(child.exitCode).toBe(1);
    expect(child.stderr).toContain('Error (ScratchOrgsLeft): 2 scratch org(s) could not be deleted');
    expect(child.stderr).toContain('Try this: sf org delete scratch --target-org orga-consumer@example.com --no-prompt');
    expect(child.stderr).toContain(
      'Try this: sf data delete record --sobject ActiveScratchOrg --where "ScratchOrg=00D000000000002" --target-org ci-devhub',
    );
  });
});
