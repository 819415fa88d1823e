/**
 * ConnectedApp (docs/salesforce-rules.md#app-metadata). Salesforce restricts creating new connected apps as of Spring '26
 * and re-enables it only through Support; whether a Metadata API deploy is blocked too is unverified.
 * Local rule: updating an app that already exists is always allowed; creating one needs the org setting
 * `settings.localPlatform.allowConnectedAppCreation === true`, which the platform sets (it stands for the
 * Support case), never a scratch definition. Seeded apps (the Dev Hub's CLI app) bypass this through
 * `registerConnectedApp`.
 */
import type { OrgInfo } from '../../http/contracts.ts';
import type { Handler } from './handler.ts';
import { readXml } from './handler.ts';
import { normaliseCertificate } from './certificatePem.ts';
import { CONSUMER_KEY_TAKEN, claimConsumerKey, generateConsumerKey, isKeyTakenByOther } from './consumerKeys.ts';
import { rewriteField } from './externalClientApp.ts';

export const CONNECTED_APP_RESTRICTED =
  "Connected apps creation is restricted as of Spring '26. You can use existing connected apps during and after Spring '26. However, we recommend using external client apps instead. If you must continue creating connected apps, contact Salesforce Support.";

const SCOPES = [
  'Basic',
  'Api',
  'Web',
  'Full',
  'Chatter',
  'CustomApplications',
  'RefreshToken',
  'OpenID',
  'Profile',
  'Email',
  'Address',
  'Phone',
  'OfflineAccess',
  'CustomPermissions',
  'Wave',
  'Eclair',
  'Pardot',
  'Lightning',
  'Content',
  'CDPIngest',
  'Chatbot',
  'ForgotPassword',
  'UserRegistration',
  'PwdlessLogin',
] as const;

export function connectedAppCreationAllowed(org: OrgInfo): boolean {
  const local = (org.settings?.['localPlatform'] ?? {}) as Record<string, unknown>;
  return local['allowConnectedAppCreation'] === true;
}

export const connectedApp: Handler = (c, env) => {
  const xml = readXml(c);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly([
    'attributes',
    'canvas',
    'canvasConfig',
    'contactEmail',
    'contactPhone',
    'description',
    'iconUrl',
    'infoUrl',
    'ipRanges',
    'label',
    'logoUrl',
    'mobileAppConfig',
    'mobileStartUrl',
    'oauthConfig',
    'oauthPolicy',
    'permissionSetName',
    'plugin',
    'pluginExecutionUser',
    'profileName',
    'samlConfig',
    'sessionPolicy',
    'startUrl',
  ]);
  r.string('label', { required: true });
  r.string('contactEmail', { required: true });
  const profiles = r.strings('profileName');
  const permissionSets = r.strings('permissionSetName');
  const oauth = r.sub('oauthConfig', 'ConnectedAppOauthConfig');
  let certificatePem: string | undefined;
  let consumerKey: string | undefined;
  let adminApproved = false;
  if (oauth) {
    oauth.allowOnly([
      'assetTokenConfig',
      'callbackUrl',
      'certificate',
      'consumerKey',
      'consumerSecret',
      'idTokenConfig',
      'isAdminApproved',
      'isClientCredentialEnabled',
      'isCodeCredentialEnabled',
      'isCodeCredentialPostOnly',
      'isConsumerSecretOptional',
      'isIntrospectAllTokens',
      'isNamedUserJwtEnabled',
      'isPkceRequired',
      'isRefreshTokenRotationEnabled',
      'isSecretRequiredForRefreshToken',
      'isSecretRequiredForTokenExchange',
      'isTokenExchangeEnabled',
      'oauthClientCredentialUser',
      'scopes',
      'singleLogoutUrl',
    ]);
    oauth.string('callbackUrl', { required: true });
    adminApproved = oauth.bool('isAdminApproved', { default: false })!;
    consumerKey = oauth.string('consumerKey');
    const cert = oauth.string('certificate');
    if (cert) {
      const n = normaliseCertificate(cert);
      if ('error' in n) oauth.fail(n.error, 'certificate');
      else certificatePem = n.pem;
    }
    for (const s of oauth.strings('scopes')) {
      if (!(SCOPES as readonly string[]).includes(s))
        oauth.fail(`'${s}' is not a valid value for the enum 'ConnectedAppOauthAccessScope'`, 'scopes');
    }
    const secret = oauth.string('consumerSecret');
    if (secret !== undefined && !/^[A-Za-z0-9]{8,256}$/.test(secret)) {
      oauth.fail('The consumer secret must be 8-256 alphanumeric characters.', 'consumerSecret');
    }
  }
  const sessionTimeout = r.sub('sessionPolicy', 'ConnectedAppSessionPolicy')?.int('sessionTimeout', { min: 1 });
  const problems = r.problems;
  if ((profiles.length > 0 || permissionSets.length > 0) && !adminApproved) {
    // Doc: "To use this field, the isAdminApproved field on the ConnectedAppOauthConfig subtype must be set to true."
    problems.push({ problem: 'profileName and permissionSetName require oauthConfig.isAdminApproved to be true.' });
  }
  // As for External Client Apps: the permission set must be in the org before the app (docs/salesforce-rules.md#preauthorize-permission-set, unverified).
  for (const ps of permissionSets) {
    if (env.stored('PermissionSet', ps)) continue;
    const sameDeploy = env.exists('PermissionSet', ps) ? ' (deploy the permission set before the app that pre-authorizes it)' : '';
    problems.push({ problem: `In field: permissionSetName - no PermissionSet named ${ps} found${sameDeploy}` });
  }
  const before = env.stored(c.type, c.fullName);
  if (!before && !connectedAppCreationAllowed(env.org)) problems.push({ problem: CONNECTED_APP_RESTRICTED });
  const previousKey = before?.data['consumerKey'] as string | undefined;
  if (consumerKey !== undefined && !/^[A-Za-z0-9]{8,256}$/.test(consumerKey)) {
    // Doc: "must be alphanumeric, can't contain special characters or spaces, and must be between 8–256 characters".
    problems.push({ problem: 'The consumer key must be alphanumeric, without special characters or spaces, and 8-256 characters long.' });
  }
  if (consumerKey && previousKey && consumerKey !== previousKey) {
    // Doc: "you can set this field's value only during creation"; the wording of the failure is ours.
    problems.push({ problem: "The consumer key can't be changed after the connected app is created." });
  }
  const key = consumerKey ?? previousKey ?? generateConsumerKey();
  if (oauth && isKeyTakenByOther(env.db, key, env.org.id, c.type, c.fullName)) problems.push({ problem: CONSUMER_KEY_TAKEN });
  return {
    problems: problems.map((p) => ({ ...p, fileName: c.xmlFileName })),
    data: {
      oauth: !!oauth,
      consumerKey: oauth ? key : undefined,
      certificatePem,
      adminApproved,
      profiles,
      permissionSets,
      sessionTimeoutMinutes: sessionTimeout,
    },
    files: oauth ? rewriteOauthKey(c.files, c.xmlFileName!, key) : c.files,
    apply: oauth ? (db) => claimConsumerKey(db, key, env.org.id, c.type, c.fullName) : undefined,
  };
};

function rewriteOauthKey(files: Map<string, Buffer>, xmlPath: string, key: string): Map<string, Buffer> {
  const xml = files.get(xmlPath)!.toString('utf8');
  if (/<consumerKey>/.test(xml)) return rewriteField(files, xmlPath, 'consumerKey', key, ['consumerSecret']);
  const out = new Map(files);
  out.set(
    xmlPath,
    Buffer.from(
      xml
        .replace(/\s*<consumerSecret>[\s\S]*?<\/consumerSecret>/, '')
        .replace(/(<\/callbackUrl>)/, `$1\n        <consumerKey>${key}</consumerKey>`),
      'utf8',
    ),
  );
  return out;
}
