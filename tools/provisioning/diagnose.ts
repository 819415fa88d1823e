/**
 * When verify fails: check each piece of the wiring against the other org and say which one is off.
 * Every check is independent and reports ok / problem + fix; one failing check never hides the others.
 */
import { X509Certificate } from 'node:crypto';
import { API_INTEGRATION_PSL, query, retrieveComponent } from './orgOps.ts';
import { APP_NAME, CERTIFICATE_NAME, INTEGRATION_PERMSET, INTEGRATION_PROFILE } from './render.ts';
import type { SetupState } from './setupState.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export async function diagnose(state: SetupState): Promise<Check[]> {
  const a = state.consumer;
  const b = state.provider;
  if (!a || !b) {
    return [
      {
        name: 'orgs',
        ok: false,
        detail: 'No provisioned orgs recorded.',
        fix: 'Run npm run setup:orgs (or npm run configure for existing orgs).',
      },
    ];
  }
  const checks = await Promise.all([
    guard('certificate', () => checkCertificate(state)),
    guard('remote sites', () => checkRemoteSites(state)),
    guard('integration user', () => checkIntegrationUser(state)),
  ]);
  return checks;
}

async function guard(name: string, fn: () => Promise<Check>): Promise<Check> {
  try {
    return await fn();
  } catch (error) {
    return { name, ok: false, detail: `could not check: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function fingerprint(pem: string): string | undefined {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return undefined;
  }
}

/** A's certificate (public half, retrieved) against the one B's app trusts. */
async function checkCertificate(state: SetupState): Promise<Check> {
  const aFiles = await retrieveComponent(state.consumer!.alias, `Certificate:${CERTIFICATE_NAME}`);
  const aPrint = fingerprint(aFiles.get(`${CERTIFICATE_NAME}.crt`)?.toString('utf8') ?? '');
  if (!aPrint)
    return {
      name: 'certificate',
      ok: false,
      detail: `A has no certificate ${CERTIFICATE_NAME}.`,
      fix: "Deploy deploy-once/consumer to A once (sf project deploy start --source-dir deploy-once/consumer), then re-render B's app: npm run setup:orgs.",
    };
  let bPrint = state.certificate?.fingerprintSha256;
  let source = 'the certificate setup:orgs rendered into B';
  try {
    const bFiles = await retrieveComponent(state.provider!.alias, `ExtlClntAppGlobalOauthSettings:${APP_NAME}_glbloauth`);
    const xml = [...bFiles.values()][0]?.toString('utf8') ?? '';
    const pem = /<certificate>([\s\S]*?)<\/certificate>/.exec(xml)?.[1];
    if (pem) {
      bPrint = fingerprint(pem) ?? fingerprint(Buffer.from(pem, 'base64').toString('utf8'));
      source = "B's External Client App";
    }
  } catch {
    // Real orgs hide global OAuth settings unless "Allow access to consumer secrets via Metadata API" is on.
  }
  if (aPrint === bPrint) return { name: 'certificate', ok: true, detail: `A signs with ${aPrint}, which B trusts.` };
  return {
    name: 'certificate',
    ok: false,
    detail: `A signs with ${aPrint} but ${source} has ${bPrint ?? 'none'}.`,
    fix: "Put A's current certificate into B's app: re-run npm run setup:orgs after deleting the 'certificate' entry of .local/setup/setup-state.json, or paste it in Setup.",
  };
}

async function checkRemoteSites(state: SetupState): Promise<Check> {
  const files = await retrieveComponent(state.consumer!.alias, 'RemoteSiteSetting');
  const active = [...files.values()]
    .map((f) => f.toString('utf8'))
    .filter((xml) => /<isActive>true<\/isActive>/.test(xml))
    .map((xml) => /<url>([^<]+)<\/url>/.exec(xml)?.[1])
    .filter((u): u is string => Boolean(u))
    .map((u) => new URL(u).origin);
  const needed = [...new Set([new URL(state.provider!.loginUrl).origin, new URL(state.provider!.instanceUrl).origin])];
  const missing = needed.filter((n) => !active.includes(n));
  if (missing.length === 0) return { name: 'remote sites', ok: true, detail: `A may call ${needed.join(' and ')}.` };
  return {
    name: 'remote sites',
    ok: false,
    detail: `A has no active Remote Site Setting for ${missing.join(', ')}.`,
    fix: 'Deploy the rendered consumer config (npm run setup:orgs) or add them in Setup → Remote Site Settings.',
  };
}

/** Facts C1: on the API-only profile, Account read needs the Salesforce API Integration permission set license. */
async function checkLicense(alias: string, username: string, userId: string, profile: string | undefined): Promise<Check | undefined> {
  if (profile !== INTEGRATION_PROFILE) return undefined;
  const licenses = await query<{ Id: string }>(alias, `SELECT Id FROM PermissionSetLicense WHERE DeveloperName = '${API_INTEGRATION_PSL}'`);
  const held = licenses.length
    ? await query<{ Id: string }>(
        alias,
        `SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${userId}' AND PermissionSetLicenseId = '${licenses[0]!.Id}'`,
      )
    : [];
  if (held.length > 0) return undefined;
  return {
    name: 'integration user',
    ok: false,
    detail: `${username} (${INTEGRATION_PROFILE}) lacks the permission set license ${API_INTEGRATION_PSL}, so ${INTEGRATION_PERMSET} cannot grant it Read on Account.`,
    fix: `Assign the license, then the permission set: sf data create record --sobject PermissionSetLicenseAssign --values "AssigneeId=${userId} PermissionSetLicenseId=<Id of ${API_INTEGRATION_PSL}>" --target-org ${alias} (or re-run npm run setup:orgs).`,
  };
}

async function checkIntegrationUser(state: SetupState): Promise<Check> {
  const username = state.integrationUsername ?? '';
  const users = await query<{ Id: string; IsActive: boolean; Profile?: { Name?: string } }>(
    state.provider!.alias,
    `SELECT Id, IsActive, Profile.Name FROM User WHERE Username = '${username}'`,
  );
  if (users.length === 0)
    return {
      name: 'integration user',
      ok: false,
      detail: `B has no user ${username}.`,
      fix: 'Set Username__c in A to an existing B user.',
    };
  // Salesforce never returns null for a checkbox; treat only an explicit false as inactive.
  if (users[0].IsActive === false)
    return { name: 'integration user', ok: false, detail: `${username} is inactive in B.`, fix: 'Activate the user in B.' };
  const license = await checkLicense(state.provider!.alias, username, users[0].Id, users[0].Profile?.Name);
  if (license) return license;
  const permsets = await query<{ Id: string }>(state.provider!.alias, `SELECT Id FROM PermissionSet WHERE Name = '${INTEGRATION_PERMSET}'`);
  const assigned = permsets.length
    ? await query<{ Id: string }>(
        state.provider!.alias,
        `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${users[0].Id}' AND PermissionSetId = '${permsets[0].Id}'`,
      )
    : [];
  if (assigned.length > 0) return { name: 'integration user', ok: true, detail: `${username} is active and holds ${INTEGRATION_PERMSET}.` };
  return {
    name: 'integration user',
    ok: false,
    detail: `${username} lacks ${INTEGRATION_PERMSET}, so B's app does not pre-authorize it.`,
    fix: `sf org assign permset --name ${INTEGRATION_PERMSET} --on-behalf-of ${username} --target-org ${state.provider!.alias}`,
  };
}
