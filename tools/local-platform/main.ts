/**
 * Entry point of the background server that `local-orgs start` spawns: starts the platform with
 * settings from the environment (LOCAL_SF_HOME, LOCAL_SF_PORT, LOCAL_SF_PROPAGATION_SECONDS,
 * LOCAL_SF_ACTIVE_SCRATCH_ORGS, LOCAL_SF_DAILY_SCRATCH_ORGS, LOCAL_SF_LOG_REQUESTS=0 to silence) and
 * closes cleanly on SIGTERM/SIGINT so the SQLite file is left consistent.
 */
// Warnings go to the log as one line each (node:sqlite's experimental notice is silenced at its load, tools/core/sqlite.ts).
process.removeAllListeners('warning');
process.on('warning', (w) => process.stdout.write(`${new Date().toISOString()} warning ${w.name}: ${w.message}\n`));
const { startPlatform } = await import('./server.ts');

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
try {
  const platform = await startPlatform({ log, logRequests: process.env.LOCAL_SF_LOG_REQUESTS !== '0' });
  log(`listening: Dev Hub ${platform.devHub.id} at ${platform.url}; ${platform.orgs().length - 1} scratch org(s); routes ${platform.routeNames().join(', ')}`);
  const stop = async (signal: string) => {
    log(`${signal}: stopping`);
    await platform.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (e) {
  log(`failed to start: ${(e as Error).message}`);
  process.exit(1);
}
