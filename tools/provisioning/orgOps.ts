/**
 * The org operations provisioning needs, in-process through the libraries the `sf` CLI itself runs
 * (@salesforce/core, @salesforce/source-deploy-retrieve, @salesforce/apex-node): the same calls and
 * the same auth files as `sf`, without paying the CLI's start-up for each of some twenty steps.
 * Local platform and real orgs take the same path; only the Dev Hub differs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { ExecuteService } from '@salesforce/apex-node';
import { Lifecycle, Org, PermissionSetAssignment, StateAggregator, scratchOrgCreate, type Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, RequestStatus, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { ToolError } from '../core/ToolError.ts';
import { projectRoot } from './sfCli.ts';
import { isLoopbackHttpNotice, settleRecordTypeCapitalization } from './sfWarnings.ts';
import type { OrgRef } from './setupState.ts';

async function connect(alias: string): Promise<{ org: Org; conn: Connection }> {
  const org = await Org.create({ aliasOrUsername: alias });
  return { org, conn: org.getConnection() };
}

let cachedApiVersion: string | undefined;
/** The project's sourceApiVersion, so deploys match what an admin's `sf project deploy start` sends. */
function apiVersion(): string {
  cachedApiVersion ??= (JSON.parse(readFileSync(join(projectRoot, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion: string })
    .sourceApiVersion;
  return cachedApiVersion;
}

/** Creates a scratch org from a definition file (as `sf org create scratch`) and returns how to reach it. */
export async function createScratchOrg(input: {
  devHub: string;
  definitionFile: string;
  alias: string;
  durationDays: number;
  waitMinutes: number;
  /** The embedded local platform: its limits have a reset command instead of a 24-hour wait. */
  local?: boolean;
}): Promise<OrgRef> {
  checkSignupAppVariables();
  const hubOrg = await Org.create({ aliasOrUsername: input.devHub });
  checkHubKeyFile(input.devHub, hubOrg.getConnection().getAuthInfoFields().privateKey);
  await settleRecordTypeCapitalization();
  const orgConfig = JSON.parse(await readFile(input.definitionFile, 'utf8')) as Record<string, unknown>;
  const result = await scratchOrgCreate({
    hubOrg,
    orgConfig,
    alias: input.alias,
    durationDays: input.durationDays,
    wait: Duration.minutes(input.waitMinutes),
    apiversion: apiVersion(),
    tracksSource: false,
    // A hub authorized with JWT authorizes the new org with the same app, which the new org may not have
    // replicated yet ("user hasn't approved this consumer"); sfdx-core retries over SFDX_JWT_AUTH_RETRY_TIMEOUT (300 s).
    retry: 10,
  }).catch((error: unknown) => {
    throw signupFailure(error, input.devHub, Boolean(input.local)) ?? error;
  });
  if (!result.username) throw new ToolError(`Scratch org ${input.alias} was not created.`, 'ScratchOrgMissing', result.warnings);
  const org = await displayOrg(input.alias);
  if (!org) throw new ToolError(`Scratch org ${input.alias} was created but cannot be reached.`, 'ScratchOrgMissing');
  return org;
}

/**
 * A hub logged in with `sf org login jwt` keeps the key file's path; sfdx-core reads the file again to authorize
 * each new scratch org and to log in to the hub again. Gone, the sign-ups would succeed and their authorization
 * retry for 5 minutes ("Timeout after 300000ms") leaving two orgs nobody can delete by alias: refused first.
 */
export function checkHubKeyFile(devHub: string, keyFile: string | undefined): void {
  if (!keyFile || existsSync(keyFile)) return;
  throw new ToolError(
    `The Dev Hub ${devHub} was logged in with the JWT key ${keyFile}, which no longer exists: the sf libraries read it again for each new scratch org and each new hub login.`,
    'DevHubKeyMissing',
    [
      'Keep the key file until the job ends (in CI, remove it in a last step that runs always()), or log in again: sf org login jwt --jwt-key-file <key> ….',
    ],
  );
}

const SIGNUP_APP_VARIABLES = ['SF_SCRATCH_SIGNUP_CONNECTED_APP', 'SF_SCRATCH_SIGNUP_CALLBACK_URL'];

/**
 * sfdx-core sends these as the sign-up's required app fields when they are set, an empty string included,
 * and then fails on Salesforce's REQUIRED_FIELD_MISSING with a TypeError of its own (it reads `error.fields`,
 * which jsforce keeps in `error.data`): an empty one is refused here, by name
 * (docs/salesforce-rules.md#ci-scratch-orgs).
 */
export function checkSignupAppVariables(env: NodeJS.ProcessEnv = process.env): void {
  const empty = SIGNUP_APP_VARIABLES.filter((name) => env[name] !== undefined && env[name]!.trim() === '');
  if (!empty.length) return;
  throw new ToolError(
    `${empty.join(' and ')} ${empty.length > 1 ? 'are' : 'is'} set but empty: the sign-up would send an empty ConnectedAppConsumerKey/ConnectedAppCallbackUrl, which Salesforce requires.`,
    'EmptySignupAppVariable',
    [
      `For a Dev Hub authorized through a Connected App, unset them: unset ${SIGNUP_APP_VARIABLES.join(' ')} (in GitHub Actions, write them only when set).`,
      'For one authorized through an External Client App: SF_SCRATCH_SIGNUP_CONNECTED_APP=PlatformCLI and SF_SCRATCH_SIGNUP_CALLBACK_URL=http://localhost:1717/OauthRedirect (forcedotcom/cli#3515).',
    ],
  );
}

/**
 * Runs `fn` and collects the warnings the sf libraries emit meanwhile (Lifecycle warnings), which would
 * otherwise go to process.emitWarning and print as "(node) Warning: …" — alarming for a mere note.
 */
export async function collectSfWarnings<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const lifecycle = Lifecycle.getInstance();
  const warnings: string[] = [];
  lifecycle.onWarning(async (warning) => {
    if (!isLoopbackHttpNotice(warning)) warnings.push(warning);
  });
  try {
    return { value: await fn(), warnings };
  } finally {
    lifecycle.removeAllListeners('warning');
  }
}

/**
 * Dev Hub refusals that need the user to act, as named errors with the way out (docs/salesforce-rules.md#devhub-limits: daily
 * sign-ups count in a rolling 24-hour window; an active allocation frees when an org is deleted or
 * expires; §6.3 / C7: a hub authorized through an External Client App gets C-1016).
 */
export function signupFailure(error: unknown, devHub: string, local: boolean): ToolError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const check = `Check the allocations: sf limits api display --target-org ${devHub} (DailyScratchOrgs, ActiveScratchOrgs).`;
  if (/daily scratch org signup limit/i.test(message)) {
    return new ToolError(
      message,
      'DailyScratchOrgLimit',
      local
        ? [
            'Reset the local counter: npm run local-orgs -- reset-limits (or raise LOCAL_SF_DAILY_SCRATCH_ORGS and restart: npm run local-orgs -- stop, then start).',
            'Then run the command again.',
          ]
        : [
            'Salesforce counts sign-ups over a rolling 24-hour window: run again once the oldest sign-up of the last 24 hours is a day old, or use another Dev Hub (--dev-hub).',
            check,
          ],
    );
  }
  if (/active scratch org limit/i.test(message)) {
    return new ToolError(message, 'ActiveScratchOrgLimit', [
      `Delete scratch orgs you no longer need: sf org list --all, then sf org delete scratch --target-org <alias> --no-prompt (or npm run teardown for this project's two).`,
      local ? 'Or raise LOCAL_SF_ACTIVE_SCRATCH_ORGS and restart the local platform (npm run local-orgs -- stop, then start).' : check,
    ]);
  }
  if (/C-1016/.test(message)) {
    return new ToolError(message, 'ScratchSignupAppBlocked', [
      "A Dev Hub authorized through an External Client App cannot sign up scratch orgs with its own app (forcedotcom/cli#3515). Use Salesforce's built-in app for the sign-up:",
      'export SF_SCRATCH_SIGNUP_CONNECTED_APP=PlatformCLI SF_SCRATCH_SIGNUP_CALLBACK_URL=http://localhost:1717/OauthRedirect, then run the command again (or authorize the Dev Hub through a Connected App).',
    ]);
  }
  return undefined;
}

/** The org behind an alias, or undefined when it is gone (expired, deleted, logged out). */
export async function displayOrg(alias: string): Promise<OrgRef | undefined> {
  try {
    const { org, conn } = await connect(alias);
    // A cheap authenticated call: proves the org still exists and the auth still works.
    await conn.query('SELECT Id FROM Organization LIMIT 1');
    return { alias, username: org.getUsername()!, orgId: org.getOrgId(), instanceUrl: conn.instanceUrl, loginUrl: conn.instanceUrl };
  } catch {
    return undefined;
  }
}

export async function deleteScratchOrg(alias: string): Promise<void> {
  const { org } = await connect(alias);
  await org.delete();
  const state = await StateAggregator.getInstance();
  await state.aliases.unsetAndSave(alias).catch(() => undefined);
}

/**
 * Deploys source folders together: one deploy, one transaction in the org. `without` leaves out every
 * component of those metadata types; `checkOnly` validates without saving anything.
 */
export async function deploySource(
  alias: string,
  sourceDirs: string[],
  options: { without?: string[]; checkOnly?: boolean } = {},
): Promise<void> {
  const { conn } = await connect(alias);
  const staging = await mkdtemp(join(tmpdir(), 'deploy-'));
  try {
    const paths = await Promise.all(sourceDirs.map((dir, i) => stageIfHidden(dir, join(staging, `src${i}`))));
    const all = ComponentSet.fromSource(paths);
    const without = new Set(options.without ?? []);
    const set = without.size
      ? new ComponentSet(
          all
            .getSourceComponents()
            .toArray()
            .filter((c) => !without.has(c.type.name)),
        )
      : all;
    const deploy = await set.deploy({
      usernameOrConnection: conn,
      apiVersion: apiVersion(),
      apiOptions: { checkOnly: Boolean(options.checkOnly) },
    });
    const result = await deploy.pollStatus({ frequency: Duration.milliseconds(250), timeout: Duration.minutes(30) });
    if (result.response.status !== RequestStatus.Succeeded) throw deployFailure(alias, result);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * SDR skips every path inside a dot-folder of the project (its built-in `**\/.*` ignore), which is
 * where the rendered metadata lives (.local/setup/rendered): such folders are deployed from a copy.
 */
async function stageIfHidden(dir: string, copy: string): Promise<string> {
  const inProject = relative(projectRoot, resolve(dir));
  const hidden = !inProject.startsWith('..') && inProject.split(sep).some((part) => part.startsWith('.'));
  if (!hidden) return dir;
  await cp(dir, copy, { recursive: true });
  return copy;
}

function deployFailure(alias: string, result: DeployResult): ToolError {
  const failures = result.getFileResponses().filter((f) => f.state === 'Failed') as Array<{
    type: string;
    fullName: string;
    error?: string;
    lineNumber?: number;
  }>;
  const detail = failures.length
    ? failures.map((f) => `${f.type} ${f.fullName}${f.lineNumber ? ` (line ${f.lineNumber})` : ''}: ${f.error ?? 'failed'}`).join('; ')
    : (result.response.errorMessage ?? result.response.status);
  return new ToolError(`Deploy to ${alias} failed: ${detail}`, 'DeployFailed', [
    'Fix the components named above and run the command again; nothing of this deploy was saved.',
  ]);
}

/** Retrieves components (`Type:Name` or `Type`) in source format and returns the files' contents by name. */
export async function retrieveComponent(alias: string, metadata: string): Promise<Map<string, Buffer>> {
  const { conn } = await connect(alias);
  const [type, fullName = '*'] = metadata.split(':');
  const dir = await mkdtemp(join(tmpdir(), 'retrieve-'));
  try {
    const components = new ComponentSet([{ type, fullName }]);
    const retrieve = await components.retrieve({ usernameOrConnection: conn, output: dir, merge: false, apiVersion: apiVersion() });
    await retrieve.pollStatus({ frequency: Duration.milliseconds(250), timeout: Duration.minutes(10) });
    const files = new Map<string, Buffer>();
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.set(entry.name, await readFile(join(entry.parentPath, entry.name)));
    }
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Full names of the components of one metadata type in the org (Metadata API listMetadata). */
export async function listMetadata(alias: string, type: string): Promise<string[]> {
  const { conn } = await connect(alias);
  const found = await conn.metadata.list([{ type }], apiVersion());
  return (Array.isArray(found) ? found : found ? [found] : []).map((p) => p.fullName);
}

export async function query<T = Record<string, unknown>>(alias: string, soql: string): Promise<T[]> {
  const { conn } = await connect(alias);
  const result = await conn.query<T & Record<string, unknown>>(soql, { autoFetch: true });
  return result.records as T[];
}

/** A Tooling API query (objects like Certificate that the data API does not serve). */
export async function toolingQuery<T = Record<string, unknown>>(alias: string, soql: string): Promise<T[]> {
  const { conn } = await connect(alias);
  const result = await conn.tooling.query<T & Record<string, unknown>>(soql);
  return result.records as T[];
}

/** Assigns a permission set (as `sf org assign permset`); an existing assignment counts as done. */
export async function assignPermissionSet(alias: string, permissionSet: string, onBehalfOf: string | undefined): Promise<void> {
  const { org, conn } = await connect(alias);
  const username = onBehalfOf ?? org.getUsername()!;
  const users = await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${username.replace(/'/g, "\\'")}'`);
  if (users.records.length === 0) throw new ToolError(`No user ${username} in ${alias}.`, 'UserNotFound');
  try {
    await (await PermissionSetAssignment.init(org)).create(users.records[0].Id, permissionSet);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/duplicate/i.test(message)) return;
    if (/user license doesn't allow the permission/i.test(message)) {
      throw new ToolError(`Assigning ${permissionSet} to ${username} in ${alias} failed: ${message}`, 'PermissionSetLicenseMissing', [
        `The user's license needs a permission set license first; for the Minimum Access - API Only Integrations profile that is ${API_INTEGRATION_PSL}: sf data create record --sobject PermissionSetLicenseAssign --values "AssigneeId=${users.records[0].Id} PermissionSetLicenseId=<Id of SELECT Id FROM PermissionSetLicense WHERE DeveloperName = '${API_INTEGRATION_PSL}'>" --target-org ${alias}`,
        'Then run the command again.',
      ]);
    }
    throw error;
  }
}

export const API_INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';

/** Assigns a permission set license (a PermissionSetLicenseAssign); an existing assignment counts as done. */
export async function assignPermissionSetLicense(alias: string, developerName: string, username: string): Promise<void> {
  const { conn } = await connect(alias);
  const users = await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${username.replace(/'/g, "\\'")}'`);
  if (users.records.length === 0) throw new ToolError(`No user ${username} in ${alias}.`, 'UserNotFound');
  const licenses = await conn.query<{ Id: string }>(`SELECT Id FROM PermissionSetLicense WHERE DeveloperName = '${developerName}'`);
  if (licenses.records.length === 0) {
    throw new ToolError(`${alias} has no permission set license ${developerName}.`, 'PermissionSetLicenseUnavailable', [
      'The org needs the Salesforce Integration user license (Developer Edition and scratch orgs include it); check Setup → Company Information → Permission Set Licenses.',
    ]);
  }
  const assigneeId = users.records[0]!.Id;
  const licenseId = licenses.records[0]!.Id;
  const existing = await conn.query(
    `SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${assigneeId}' AND PermissionSetLicenseId = '${licenseId}'`,
  );
  if (existing.records.length > 0) return;
  const result = await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: assigneeId, PermissionSetLicenseId: licenseId });
  if (!result.success)
    throw new ToolError(
      `Assigning ${developerName} to ${username} in ${alias} failed: ${JSON.stringify(result.errors)}`,
      'PermissionSetLicenseAssignFailed',
    );
}

/** An object's fields as the org's describe shows them to the CLI's user; rejects for an object the org lacks. */
export async function describeFields(
  alias: string,
  sobject: string,
): Promise<
  Array<{
    name: string;
    type: string;
    nillable: boolean;
    createable: boolean;
    updateable: boolean;
    calculated: boolean;
    nameField?: boolean;
  }>
> {
  const { conn } = await connect(alias);
  return (await conn.describe(sobject)).fields;
}

/** Imports an sObject tree file (as `sf data import tree --files`). */
export async function importTree(alias: string, file: string): Promise<void> {
  const { conn } = await connect(alias);
  const tree = JSON.parse(await readFile(file, 'utf8')) as { records: Array<{ attributes: { type: string } }> };
  const type = tree.records[0]?.attributes.type;
  if (!type) return;
  const result = await conn.request<{ hasErrors: boolean; results: unknown[] }>({
    method: 'POST',
    url: `/services/data/v${conn.getApiVersion()}/composite/tree/${type}`,
    body: JSON.stringify(tree),
    headers: { 'content-type': 'application/json' },
  });
  if (result.hasErrors) throw new ToolError(`Importing ${file} into ${alias} failed: ${JSON.stringify(result.results)}`, 'ImportFailed');
}

export async function createRecord(alias: string, sobject: string, values: Record<string, string>): Promise<string> {
  const { conn } = await connect(alias);
  const result = await conn.sobject(sobject).create(values);
  if (!result.success) throw new ToolError(`Creating ${sobject} in ${alias} failed: ${JSON.stringify(result.errors)}`, 'CreateFailed');
  return result.id;
}

export interface ApexRunResult {
  success: boolean;
  compiled: boolean;
  compileProblem?: string;
  exceptionMessage?: string;
  exceptionStackTrace?: string;
  logs?: string;
}

/** Runs anonymous Apex through the SOAP API with the debug log (as `sf apex run`). */
export async function runAnonymousApex(alias: string, code: string): Promise<ApexRunResult> {
  const { conn } = await connect(alias);
  const response = await new ExecuteService(conn).executeAnonymous({ apexCode: code });
  const diagnostic = response.diagnostic?.[0];
  return {
    success: response.success,
    compiled: response.compiled,
    compileProblem: response.compiled ? undefined : diagnostic?.compileProblem,
    exceptionMessage: response.success ? undefined : diagnostic?.exceptionMessage,
    exceptionStackTrace: response.success ? undefined : diagnostic?.exceptionStackTrace,
    logs: response.logs,
  };
}

/** The value a script printed with `System.debug(LoggingLevel.ERROR, '<marker> ' + …)`. */
export function debugValue(log: string | undefined, marker: string): string | undefined {
  if (!log) return undefined;
  for (const line of log.split('\n')) {
    const at = line.indexOf(`${marker} `);
    if (at >= 0 && /USER_DEBUG/.test(line)) return line.slice(at + marker.length + 1).trim();
  }
  return undefined;
}
