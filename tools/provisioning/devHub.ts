/**
 * Which Dev Hub creates the scratch orgs: the flag, else the sf config's target-dev-hub, else the
 * embedded local platform (started if needed). Announced in one line by the caller.
 */
import { AuthInfo, AuthRemover, ConfigAggregator } from '@salesforce/core';
import { DEVHUB_ALIAS, runningPid, startServer } from '../local-platform/process/daemon.ts';
import { ToolError } from '../core/ToolError.ts';

export const LOCAL_DEVHUB_ALIAS = DEVHUB_ALIAS;

export interface DevHubChoice {
  alias: string;
  local: boolean;
  source: 'flag' | 'config' | 'local';
}

export async function chooseDevHub(flag: string | undefined, forceLocal: boolean): Promise<DevHubChoice> {
  // The local alias always goes through start: a no-op when the platform runs, and it (re)logs sf in,
  // which a new HOME or a reset platform needs.
  if (forceLocal) return { alias: await startLocalPlatform(), local: true, source: 'local' };
  if (flag === LOCAL_DEVHUB_ALIAS) return { alias: await startLocalPlatform(), local: true, source: 'flag' };
  if (flag) return { alias: flag, local: false, source: 'flag' };
  const configured = await configuredDevHub();
  if (configured === LOCAL_DEVHUB_ALIAS) return { alias: await startLocalPlatform(), local: true, source: 'config' };
  if (configured) return { alias: configured, local: false, source: 'config' };
  return { alias: await startLocalPlatform(), local: true, source: 'local' };
}

async function configuredDevHub(): Promise<string | undefined> {
  const config = await ConfigAggregator.create();
  const value = config.getPropertyValue<string>('target-dev-hub');
  return value || undefined;
}

/**
 * Starts the local platform (a no-op when it runs) and logs sf into its Dev Hub the way
 * `sf org login jwt` does (same library, same auth files), in-process to spare the CLI's start-up.
 */
export async function startLocalPlatform(): Promise<string> {
  const { info } = await startServer();
  const options = {
    username: info.username,
    oauth2Options: { clientId: info.clientId, privateKeyFile: info.keyPath, loginUrl: info.instanceUrl },
  };
  // As `sf org login jwt`: an auth file left from an earlier (reset) platform is replaced, not an error.
  const authInfo = await AuthInfo.create(options).catch(async (error: Error) => {
    if (error.name !== 'AuthInfoOverwriteError') throw error;
    await (await AuthRemover.create()).removeAuth(info.username);
    return AuthInfo.create(options);
  });
  await authInfo.save();
  await authInfo.handleAliasAndDefaultSettings({ alias: LOCAL_DEVHUB_ALIAS, setDefault: false, setDefaultDevHub: true });
  return LOCAL_DEVHUB_ALIAS;
}

/**
 * `work` while the local platform lives: if its process ends mid-step (killed, crashed), the step ends
 * within seconds with what to do, instead of waiting on a client's retries for minutes.
 */
export async function whileLocalPlatformRuns<T>(work: Promise<T>, step: string, pollMs = 1000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (runningPid()) return;
      reject(
        new ToolError(`The local platform stopped during "${step}".`, 'LocalPlatformStopped', [
          'Run the same command again: it restarts the local platform and resumes from this step.',
          'If it stops again, read its log: npm run local-orgs -- status names it.',
        ]),
      );
    }, pollMs);
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearInterval(timer);
  }
}
