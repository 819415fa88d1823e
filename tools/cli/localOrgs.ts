/**
 * npm run local-orgs -- start|stop|status|reset [--json] [--force] [--no-login]
 * npm run local-orgs -- import-keystore --target-org <alias> --file <x.jks> [--label <label>] [--json]
 *   (password from KEYSTORE_PASSWORD or the keystore's .password file, never argv)
 * Thin command over tools/local-platform/daemon.ts. Prints paths and ids, never key contents.
 */
import { ToolError } from '../core/ToolError.ts';

// node:sqlite prints an ExperimentalWarning on load; keep stderr for real problems (callers show its first line).
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});
const { DEVHUB_ALIAS, loginDevHub, resetState, serverStatus, startServer, stopServer } = await import('../local-platform/daemon.ts');

const args = process.argv.slice(2);
const json = args.includes('--json');
const command = args[0] && !args[0].startsWith('--') ? args[0] : undefined;

function print(human: string, data: unknown): void {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : human + '\n');
}

async function main(): Promise<void> {
  switch (command) {
    case 'start': {
      const { info, pid, alreadyRunning, logFile } = await startServer();
      if (!args.includes('--no-login')) await loginDevHub(info);
      print(
        [
          alreadyRunning ? `Local platform already running (pid ${pid}).` : `Local platform started (pid ${pid}, log ${logFile}).`,
          `Instance URL:   ${info.instanceUrl}`,
          `Admin username: ${info.username}`,
          `Client id:      ${info.clientId}`,
          `Private key:    ${info.keyPath}`,
          args.includes('--no-login') ? 'sf CLI login skipped (--no-login).' : `Logged the sf CLI into the Dev Hub as alias "${DEVHUB_ALIAS}" (default Dev Hub).`,
        ].join('\n'),
        info,
      );
      return;
    }
    case 'stop': {
      const r = await stopServer();
      print(r.stopped ? `Stopped the local platform (pid ${r.pid}).` : 'The local platform was not running.', r);
      return;
    }
    case 'status': {
      const s = await serverStatus();
      print(
        s.running
          ? [`Running (pid ${s.pid}) at ${s.devHub?.instanceUrl}; home ${s.home}`, ...s.orgs.map((o) => `  ${o.kind.padEnd(7)} ${o.id} ${o.instanceUrl} ${o.name}`)].join('\n')
          : `Not running; home ${s.home}${s.devHub ? ' (state kept; start resumes it)' : ''}`,
        s,
      );
      if (!s.running) process.exitCode = 1;
      return;
    }
    case 'reset': {
      const r = await resetState({ force: args.includes('--force') });
      print(`Deleted ${r.home}${r.stopped ? ' after stopping the server' : ''}.`, r);
      return;
    }
    case 'import-keystore': {
      // Same password rules as `npm run cert`: KEYSTORE_PASSWORD or the .password file beside the keystore.
      const { importKeystoreIntoOrg, importedHuman, parseImportKeystoreFlags } = await import('./importKeystore.ts');
      const r = await importKeystoreIntoOrg(parseImportKeystoreFlags(args.slice(1)));
      print(importedHuman(r), r);
      return;
    }
    default:
      throw new ToolError(`Unknown command "${command ?? ''}".`, 'UsageError', ['Use: npm run local-orgs -- start|stop|status|reset [--json] [--force] [--no-login] | import-keystore --target-org <alias> --file <x.jks>']);
  }
}

main().catch((e: unknown) => {
  const err = e instanceof ToolError ? e : new ToolError((e as Error).message ?? String(e), 'LocalOrgsError');
  if (json) process.stdout.write(JSON.stringify({ status: err.exitCode, ...err.toJson() }, null, 2) + '\n');
  else process.stderr.write(`Error (${err.name}): ${err.message}\n${err.actions.map((a) => `  Try: ${a}`).join('\n')}\n`);
  process.exitCode = err.exitCode;
});
