/**
 * `npm run teardown`: deletes the scratch orgs (each source org and A) and the rendered files; keeps keys unless `--purge`.
 * An org it cannot delete is named with the command that deletes it, and the exit code is 1.
 */
import { parseFlags } from './flags.ts';
import { readProjectConfig } from '../provisioning/projectConfig.ts';
import { projectRoot } from '../provisioning/sfCli.ts';
import { tearDown } from '../provisioning/teardown.ts';
import { runCommand } from './runCommand.ts';
import { showLibraryWarnings } from '../provisioning/sfWarnings.ts';

const { values } = parseFlags('Usage: npm run teardown -- [--purge] [--json]', {
  options: { json: { type: 'boolean', default: false }, purge: { type: 'boolean', default: false } },
});
showLibraryWarnings(values.json ?? false);

await runCommand(
  values.json ?? false,
  () => tearDown(readProjectConfig(), { purge: values.purge ?? false, projectRoot }),
  (r) =>
    [
      `Deleted: ${r.deleted.join(', ') || 'none'}`,
      ...(r.absent.length ? [`Already gone: ${r.absent.join(', ')}`] : []),
      `Removed ${r.removed.join(', ')}`,
    ].join('\n'),
);
