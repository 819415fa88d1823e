/**
 * The sf libraries' warnings as this project's commands show them: each once, as one line, without the
 * notes that only restate what the project already says. Two such notes exist:
 * - "Using insecure protocol: http: on url: http://127.0.0.1:…": @salesforce/core's SfdcUrl warns once per
 *   plain-http origin; on the loopback interface that is the local platform, which setup announces itself;
 * - "Record types defined in the scratch org definition file will stop being capitalized…": sfdx-core's
 *   settings generator warns on each sign-up while the `org-capitalize-record-types` config is unset;
 *   `settleRecordTypeCapitalization` sets what it does today, unless the user chose.
 */
import { ConfigAggregator } from '@salesforce/core';

const LOOPBACK_HTTP = /^Using insecure protocol: http: on url: http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/;

/** sfdx-core's plain-http note for a loopback URL (the local platform). Any other host stays a warning. */
export function isLoopbackHttpNotice(warning: string): boolean {
  return LOOPBACK_HTTP.test(warning.trim());
}

/**
 * Prints the libraries' process warnings as `Warning: <first line>`, each once, on stderr (none with --json),
 * instead of Node's "(node:PID) Warning: …" with its hint; loopback http notes are dropped.
 */
export function showLibraryWarnings(json: boolean, write: (line: string) => void = (l) => process.stderr.write(l)): void {
  process.removeAllListeners('warning');
  const seen = new Set<string>();
  process.on('warning', (w) => {
    if (json || seen.has(w.message) || isLoopbackHttpNotice(w.message)) return;
    seen.add(w.message);
    write(`Warning: ${w.message.split('\n')[0]}\n`);
  });
}

/**
 * Answers sfdx-core's question for sign-ups: record types capitalized (`true`, its behaviour today; this
 * project's definitions declare none). A value the user set (sf config or SF_ORG_CAPITALIZE_RECORD_TYPES) wins.
 */
export async function settleRecordTypeCapitalization(): Promise<void> {
  const config = await ConfigAggregator.create();
  if (config.getInfo('org-capitalize-record-types').value === undefined) process.env.SF_ORG_CAPITALIZE_RECORD_TYPES = 'true';
}
