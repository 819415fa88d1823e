/** `npm run teardown`: deletes the scratch orgs (each source org and A) and the rendered files; keeps keys unless `--purge`. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlags } from './flags.ts';
import { deleteScratchOrg } from '../provisioning/orgOps.ts';
import { readProjectConfig } from '../provisioning/projectConfig.ts';
import { projectRoot } from '../provisioning/sfCli.ts';
import { runCommand } from './runCommand.ts';
import { stopLocalService } from '../provisioning/externalServiceProcess.ts';
import { loadState, statePathIn } from '../provisioning/setupState.ts';

const { values } = parseFlags('Usage: npm run teardown -- [--purge] [--json]', { options: { json: { type: 'boolean', default: false }, purge: { type: 'boolean', default: false } } });

await runCommand(
  values.json ?? false,
  async () => {
    const config = readProjectConfig();
    const deleted: string[] = [];
    const kept: string[] = [];
    // --providers N made <provider>-2 … too; they are in the state file.
    const state = await loadState(statePathIn(config.workDir));
    const extra = (state.extraProviders ?? []).map((e) => e.org.alias);
    for (const alias of [config.providerAlias, ...extra, config.consumerAlias]) {
      try {
        await deleteScratchOrg(alias);
        deleted.push(alias);
      } catch (error) {
        kept.push(`${alias} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    await stopLocalService(config.workDir);
    await rm(config.workDir, { recursive: true, force: true });
    if (values.purge) await rm(join(projectRoot, '.local', 'certs'), { recursive: true, force: true });
    return { deleted, notDeleted: kept, removed: [config.workDir, ...(values.purge ? ['.local/certs'] : [])] };
  },
  (r) => [`Deleted: ${r.deleted.join(', ') || 'none'}`, ...(r.notDeleted.length ? [`Not deleted: ${r.notDeleted.join('; ')}`] : []), `Removed ${r.removed.join(', ')}`].join('\n'),
);
