/**
 * npm run local-orgs -- start|stop|status|reset|reset-limits [--json] [--force] [--no-login]
 * npm run local-orgs -- import-keystore --target-org <alias> --file <x.jks> [--label <label>] [--json]
 *   (password from KEYSTORE_PASSWORD or the keystore's .password file, never argv)
 * Thin command over tools/local-platform/daemon.ts. Prints paths and ids, never key contents.
 */
import { ToolError } from '../core/ToolError.ts';
import { checkFlags, exitWithFlagError, flagError, parseFlags } from './flags.ts';

import {
  DEVHUB_ALIAS,
  loginDevHub,
  resetScratchLimits,
  resetState,
  serverStatus,
  startServer,
  stopServer,
} from '../local-platform/process/daemon.ts';

const USAGE = `Usage: npm run local-orgs -- start [--no-login] [--json] | stop [--json] | status [--json] | reset --force [--json] | reset-limits [--json]
       npm run local-orgs -- import-keystore --target-org ALIAS --file KEYSTORE.jks [--label LABEL] [--json]`;
/** The flags each command takes; any other is refused with the usage. */
const COMMAND_FLAGS: Record<string, string[]> = {
  start: ['json', 'no-login'],
  stop: ['json'],
  status: ['json'],
  reset: ['json', 'force'],
  'reset-limits': ['json'],
  'import-keystore': ['json', 'target-org', 'file', 'label'],
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const { values, positionals } = parseFlags(USAGE, {
  args,
  allowPositionals: true,
  options: {
    json: { type: 'boolean' },
    force: { type: 'boolean' },
    'no-login': { type: 'boolean' },
    'target-org': { type: 'string' },
    file: { type: 'string' },
    label: { type: 'string' },
  },
});
const command = positionals[0];
if (command === undefined || !COMMAND_FLAGS[command] || positionals.length > 1) {
  exitWithFlagError(
    flagError(
      command === undefined
        ? 'Name a command.'
        : positionals.length > 1
          ? `Unexpected argument '${positionals[1]}'.`
          : `Unknown command '${command}'.`,
      USAGE,
    ),
    json,
  );
}
const misplaced = Object.keys(values).find((flag) => !COMMAND_FLAGS[command]!.includes(flag));
if (misplaced) exitWithFlagError(flagError(`--${misplaced} does not apply to ${command}.`, USAGE), json);
checkFlags(USAGE, {}, values, json);

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
          args.includes('--no-login')
            ? 'sf CLI login skipped (--no-login).'
            : `Logged the sf CLI into the Dev Hub as alias "${DEVHUB_ALIAS}" (default Dev Hub).`,
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
          ? [
              `Running (pid ${s.pid}) at ${s.devHub?.instanceUrl}; home ${s.home}`,
              ...s.orgs.map((o) => `  ${o.kind.padEnd(7)} ${o.id} ${o.instanceUrl} ${o.name}`),
            ].join('\n')
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
    case 'reset-limits': {
      // The local stand-in for Salesforce's rolling 24-hour window: today's sign-ups stop counting.
      const r = await resetScratchLimits();
      print(
        `Reset the daily scratch org sign-up counter (${r.home}). Counting now: ${r.daily} sign-ups today, ${r.active} active orgs (delete orgs to free active ones).`,
        r,
      );
      return;
    }
    case 'import-keystore': {
      // Same password rules as `npm run cert`: KEYSTORE_PASSWORD or the .password file beside the keystore.
      const { importedHuman, parseImportKeystoreFlags } = await import('./importKeystore.ts');
      const { importKeystoreIntoOrg } = await import('../provisioning/importKeystore.ts');
      const r = await importKeystoreIntoOrg(parseImportKeystoreFlags(args.filter((a) => a !== 'import-keystore')));
      print(importedHuman(r), r);
      return;
    }
    default:
      throw new ToolError(`Unknown command "${command ?? ''}".`, 'UsageError', [
        'Use: npm run local-orgs -- start|stop|status|reset|reset-limits [--json] [--force] [--no-login] | import-keystore --target-org <alias> --file <x.jks>',
      ]);
  }
}

main().catch((e: unknown) => {
  const err = e instanceof ToolError ? e : new ToolError((e as Error).message ?? String(e), 'LocalOrgsError');
  if (json) process.stdout.write(JSON.stringify({ status: err.exitCode, ...err.toJson() }, null, 2) + '\n');
  else process.stderr.write(`Error (${err.name}): ${err.message}\n${err.actions.map((a) => `  Try: ${a}`).join('\n')}\n`);
  process.exitCode = err.exitCode;
});
