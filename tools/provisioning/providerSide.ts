/**
 * A source org's side of the wiring, for the first (setupFlow.ts) and every further one
 * (remoteRecordsFlow.ts): its integration user and license, force-app/provider, and the app that trusts
 * A's certificate.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { API_INTEGRATION_PSL, assignPermissionSetLicense, createRecord, deploySource, query } from './orgOps.ts';
import {
  APP_NAME,
  INTEGRATION_PERMSET,
  INTEGRATION_PROFILE,
  renderConnectedApp,
  renderExternalClientApp,
  writeRendered,
} from './render.ts';
import { renderedDir, type Ctx, type ProviderTarget } from './setupTypes.ts';
import type { SetupState } from './setupState.ts';
import { projectRoot } from './sfCli.ts';
import { existingApp } from './providerApp.ts';

/** Salesforce consumer keys: 8–256 alphanumerics, globally unique, so a fresh random one per app. */
export function newConsumerKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(64);
  let key = '3MVG';
  for (let i = 0; key.length < 64; i++) key += alphabet[bytes[i] % alphabet.length];
  return key;
}

/**
 * B's External Client App (or Connected App) trusting A's certificate, in the source org `target`:
 * the consumer key is deployed only when the app is created (docs/salesforce-rules.md#consumer-key-on-create), a redeploy leaves it out.
 * `certificatePem`: A's certificate, which the app trusts. `remember` is called with the key before the
 * deploy, so a retry after a failure knows it.
 */
export async function deployProviderApp(
  ctx: Ctx,
  target: ProviderTarget,
  certificatePem: string,
  recorded: string | undefined,
  remember: (app: NonNullable<SetupState['app']>) => Promise<void>,
): Promise<NonNullable<SetupState['app']>> {
  const o = ctx.options;
  const existing = await existingApp(target.alias, o.app);
  const createKey = existing.exists ? undefined : (recorded ?? newConsumerKey());
  const knownKey = createKey ?? existing.consumerKey ?? recorded;
  if (!knownKey) throw unknownConsumerKey(o.app);
  await remember({ kind: o.app, name: APP_NAME, consumerKey: knownKey });
  const appInput = { certificatePem, consumerKey: createKey, contactEmail: 'admin@example.com', permissionSet: INTEGRATION_PERMSET };
  const files = o.app === 'eca' ? renderExternalClientApp(appInput) : renderConnectedApp(appInput);
  const dir = target.alias === o.providerAlias ? renderedDir(o, 'provider') : renderedDir(o, `provider-${target.alias}`);
  await writeRendered(dir, files);
  await deploySource(target.alias, [dir]);
  // Whether Salesforce keeps a consumer key set on create is unverified for External Client Apps
  // (the Connected App doc says it does): read back what the org holds and use that.
  const actual = (await existingApp(target.alias, o.app)).consumerKey;
  if (actual && actual !== knownKey) {
    o.progress.info(`  ${target.alias} generated its own consumer key for ${APP_NAME}; using it.`);
    return { kind: o.app, name: APP_NAME, consumerKey: actual };
  }
  if (!actual) {
    const warning = `Could not read the consumer key back from ${target.alias} (enable "Allow access to OAuth consumer secrets via Metadata API"); assuming ${APP_NAME} kept ${createKey ? 'the one deployed' : 'the one recorded'}.`;
    ctx.warnings.push(warning);
    o.progress.warn(warning);
  }
  return { kind: o.app, name: APP_NAME, consumerKey: knownKey };
}

function unknownConsumerKey(kind: 'eca' | 'connected-app'): ToolError {
  const where =
    kind === 'eca'
      ? 'External Client App Manager → OrgA_Account_Reader → Settings → OAuth Settings → Consumer Key and Secret'
      : 'App Manager → OrgA_Account_Reader → View → Manage Consumer Details';
  return new ToolError(
    `B already has ${APP_NAME}, but its consumer key is neither readable nor recorded in the state file.`,
    'ConsumerKeyUnknown',
    [
      'Let B show the key to the Metadata API (Setup → External Client App Settings: allow access to consumer secrets) and run the command again,',
      `or copy the key from B's Setup (${where}) into the state file's app.consumerKey,`,
      `or delete ${APP_NAME} in B and run the command again (a new app gets a new key).`,
    ],
  );
}

/**
 * B's side before its app: the integration user, its license first (without it the permission set's Account read
 * is refused, docs/salesforce-rules.md#integration-user-license), then force-app/provider, since the permission set the app pre-authorizes must exist
 * before the app (docs/salesforce-rules.md#preauthorize-permission-set). Returns the integration user's username.
 */
export async function prepareProvider(ctx: Ctx, target: ProviderTarget): Promise<string> {
  const username = await ensureIntegrationUser(ctx, target);
  await licenseIntegrationUser(ctx, username, target.alias);
  await deploySource(target.alias, [join(projectRoot, 'force-app', 'provider')]);
  return username;
}

/** The API-only profile gives object permissions only with its permission set license (docs/salesforce-rules.md#integration-user-license). */
async function licenseIntegrationUser(ctx: Ctx, username: string, alias: string): Promise<void> {
  const rows = await query<{ Profile?: { Name?: string } }>(alias, `SELECT Profile.Name FROM User WHERE Username = '${username}'`);
  if (rows[0]?.Profile?.Name !== INTEGRATION_PROFILE) return;
  await assignPermissionSetLicense(alias, API_INTEGRATION_PSL, username);
}

/**
 * A dedicated API-only user for B's side: least privilege, pre-authorized through the permission set.
 * Falls back to B's admin, with a warning, when the org refuses to create users.
 */
async function ensureIntegrationUser(ctx: Ctx, target: ProviderTarget): Promise<string> {
  const o = ctx.options;
  const b = target.org;
  const username = `integration.${b.orgId.slice(0, 15).toLowerCase()}@orgb.example`;
  const existing = await query<{ Id: string }>(target.alias, `SELECT Id FROM User WHERE Username = '${username}'`);
  if (existing.length > 0) return username;
  try {
    const profiles = await query<{ Id: string; Name: string }>(
      target.alias,
      "SELECT Id, Name FROM Profile WHERE Name IN ('Minimum Access - API Only Integrations', 'Minimum Access - Salesforce', 'Standard User')",
    );
    const order = [INTEGRATION_PROFILE, 'Minimum Access - Salesforce', 'Standard User'];
    const profile = order.map((n) => profiles.find((p) => p.Name === n)).find(Boolean);
    if (!profile) throw new ToolError('No suitable profile for an integration user.', 'NoProfile');
    await createRecord(target.alias, 'User', {
      Username: username,
      LastName: 'Integration',
      FirstName: 'Org A',
      Email: 'integration@orgb.example',
      Alias: 'orgaint',
      ProfileId: profile.Id,
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
    });
    return username;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const warning = `Could not create a dedicated integration user in ${target.alias} (${reason}); using its admin ${b.username} instead. Create an API-only user and re-run for least privilege.`;
    ctx.warnings.push(warning);
    o.progress.warn(warning);
    return b.username;
  }
}
