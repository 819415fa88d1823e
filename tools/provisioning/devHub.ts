/**
 * Which Dev Hub creates the scratch orgs: the flag, else the sf config's target-dev-hub, else the
 * embedded local platform (started if needed). Announced in one line by the caller.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { projectRoot, sf, sfEnv, type SfOptions } from './sfCli.ts';

export const LOCAL_DEVHUB_ALIAS = 'local-devhub';

export interface DevHubChoice {
  alias: string;
  local: boolean;
  source: 'flag' | 'config' | 'local';
}

export async function chooseDevHub(flag: string | undefined, forceLocal: boolean, options: SfOptions): Promise<DevHubChoice> {
  if (forceLocal) return { alias: await startLocalPlatform(options), local: true, source: 'local' };
  // The local alias always goes through start: it is a no-op when the platform runs, and it (re)logs
  // sf in, which a new HOME or a reset platform needs.
  if (flag === LOCAL_DEVHUB_ALIAS) return { alias: await startLocalPlatform(options), local: true, source: 'flag' };
  if (flag) return { alias: flag, local: false, source: 'flag' };
  const configured = await configuredDevHub(options);
  if (configured === LOCAL_DEVHUB_ALIAS) return { alias: await startLocalPlatform(options), local: true, source: 'config' };
  if (configured) return { alias: configured, local: false, source: 'config' };
  return { alias: await startLocalPlatform(options), local: true, source: 'local' };
}

async function configuredDevHub(options: SfOptions): Promise<string | undefined> {
  try {
    const result = await sf<Array<{ name: string; value?: string }>>(['config', 'get', 'target-dev-hub'], options);
    return result.find((r) => r.name === 'target-dev-hub')?.value || undefined;
  } catch {
    return undefined;
  }
}

/** Starts the local platform (a no-op when it runs) and logs the sf CLI into its Dev Hub. */
export async function startLocalPlatform(options: SfOptions): Promise<string> {
  const child = await execa(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'tools', 'cli', 'localOrgs.ts'), 'start', '--json'], {
    cwd: projectRoot,
    env: sfEnv(options.env),
    reject: false,
  });
  if (child.exitCode !== 0) {
    throw new ToolError(`The local platform did not start: ${(child.stderr || child.stdout).split('\n').find(Boolean) ?? 'no output'}`, 'LocalPlatformStartFailed', [
      'Run `npm run local-orgs -- status` and see .local/platform/server.log.',
    ]);
  }
  return LOCAL_DEVHUB_ALIAS;
}
