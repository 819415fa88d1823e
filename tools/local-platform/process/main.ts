/**
 * Entry point of the background server that `local-orgs start` spawns: starts the platform with
 * settings from the environment (LOCAL_SF_HOME, LOCAL_SF_PORT, LOCAL_SF_PROPAGATION_SECONDS,
 * LOCAL_SF_ACTIVE_SCRATCH_ORGS, LOCAL_SF_DAILY_SCRATCH_ORGS, LOCAL_SF_LOG_REQUESTS=0 to silence,
 * LOCAL_SF_PRECOMPILE_TABS=0 to compile LWC tabs only when first viewed, LOCAL_SF_BUNDLE_CACHE) and
 * closes cleanly on SIGTERM/SIGINT so the SQLite file is left consistent. A stop always ends the
 * process: after 5 s, or on a second signal, it exits whatever is still closing (the Apex journal
 * undoes an unfinished transaction at the next start).
 */
// Warnings go to the log as one line each (node:sqlite's experimental notice is silenced at its load, tools/core/sqlite.ts).
// The log is stdout (server.log): a write that fails (disk full) drops the line, never the process (lineLog.ts).
const { writeSync } = await import('node:fs');
const { lineLog } = await import('../http/lineLog.ts');
const log = lineLog((text) => writeSync(1, text));
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
process.removeAllListeners('warning');
process.on('warning', (w) => log(`warning ${w.name}: ${w.message}`));
const { startPlatform } = await import('../http/server.ts');
const { BACKGROUND_WARM_WORKERS } = await import('../apex/apexPool.ts');
const { exitWithParent } = await import('../../core/background.ts');

try {
  const platform = await startPlatform({
    log,
    logRequests: process.env.LOCAL_SF_LOG_REQUESTS !== '0',
    precompileTabs: process.env.LOCAL_SF_PRECOMPILE_TABS !== '0',
    warmApexWorkers: BACKGROUND_WARM_WORKERS,
    readyAhead: true,
  });
  log(
    `listening: Dev Hub ${platform.devHub.id} at ${platform.url}; ${platform.orgs().length - 1} scratch org(s); routes ${platform.routeNames().join(', ')}`,
  );
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) {
      log(`${why} while stopping: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${why}: stopping`);
    setTimeout(() => {
      log('stopping took over 5 s: exiting');
      process.exit(1);
    }, 5000).unref();
    platform.close().then(
      () => process.exit(0),
      (e: Error) => {
        log(`stop failed: ${e.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  exitWithParent(() => stop('the process that started this one is gone'));
} catch (e) {
  log(`failed to start: ${(e as Error).message}`);
  process.exit(1);
}
