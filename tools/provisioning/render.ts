/**
 * Renders the org-specific metadata (B's app, A's remote sites and connection record) in source format.
 * It goes to a git-ignored folder: consumer keys and certificates are per org and never belong in force-app.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const APP_NAME = 'OrgA_Account_Reader';
export const INTEGRATION_PERMSET = 'Account_Retriever_Integration';
/** The Salesforce Integration license's profile; its users need the SalesforceAPIIntegrationPsl license. */
export const INTEGRATION_PROFILE = 'Minimum Access - API Only Integrations';
export const VIEWER_PERMSET = 'Org_B_Accounts_Viewer';
export const CERTIFICATE_NAME = 'OrgA_JWT_Signing';
export const CONNECTION_TYPE = 'Org_B_Connection';
export const RESOURCE_PATH = '/services/apexrest/AccountRetriever';

export interface ProviderAppInput {
  certificatePem: string;
  /** Only when the app is created: a redeploy carrying the key may be refused (docs/salesforce-rules.md#consumer-key-on-create). */
  consumerKey?: string;
  contactEmail: string;
  /** Scratch orgs: the policy pre-authorizes this permission set. */
  permissionSet: string;
}

export interface ConsumerInput {
  /** B's token host (and the JWT audience when `audience` is not given). */
  loginUrl: string;
  /** The JWT audience B accepted when setup tried them (audience.ts); blank until one was found. */
  audience?: string;
  instanceUrl: string;
  consumerKey: string;
  username: string;
  certificateName: string;
  /** Blank: the Apex JWT signer; otherwise the Named Credential that does the exchange. */
  namedCredential?: string;
}

export type RenderedFiles = Record<string, string>;

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, body: Record<string, string | boolean | number | undefined>): string {
  const lines = Object.entries(body)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `    <${k}>${escapeXml(String(v))}</${k}>`);
  return `${xmlHead}<${name} ${ns}>\n${lines.join('\n')}\n</${name}>\n`;
}

/** B's External Client App: header, global OAuth settings (certificate, consumer key), OAuth settings, policy. */
export function renderExternalClientApp(input: ProviderAppInput): RenderedFiles {
  const base = 'main/default';
  return {
    [`${base}/externalClientApps/${APP_NAME}.eca-meta.xml`]: element('ExternalClientApplication', {
      contactEmail: input.contactEmail,
      description: "Lets Org A read Org B's latest Accounts with the OAuth 2.0 JWT bearer flow.",
      distributionState: 'Local',
      isProtected: false,
      label: 'Org A Account Reader',
    }),
    [`${base}/extlClntAppGlobalOauthSets/${APP_NAME}_glbloauth.ecaGlblOauth-meta.xml`]: element('ExtlClntAppGlobalOauthSettings', {
      callbackUrl: 'https://login.salesforce.com/services/oauth2/success',
      certificate: input.certificatePem.trim(),
      consumerKey: input.consumerKey,
      externalClientApplication: APP_NAME,
      isConsumerSecretOptional: true,
      isIntrospectAllTokens: false,
      isPkceRequired: false,
      isSecretRequiredForRefreshToken: false,
      label: `${APP_NAME} global OAuth settings`,
      shouldRotateConsumerKey: false,
      shouldRotateConsumerSecret: false,
    }),
    [`${base}/extlClntAppOauthSettings/${APP_NAME}_oauth.ecaOauth-meta.xml`]: element('ExtlClntAppOauthSettings', {
      commaSeparatedOauthScopes: 'Api, RefreshToken',
      externalClientApplication: APP_NAME,
      label: `${APP_NAME} OAuth settings`,
    }),
    [`${base}/extlClntAppOauthPolicies/${APP_NAME}_oauthPlcy.ecaOauthPlcy-meta.xml`]: element('ExtlClntAppOauthConfigurablePolicies', {
      commaSeparatedPermissionSet: input.permissionSet,
      externalClientApplication: APP_NAME,
      ipRelaxationPolicyType: 'Enforce',
      label: `${APP_NAME} OAuth policies`,
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      refreshTokenPolicyType: 'Infinite',
      sessionTimeoutInMinutes: 60,
    }),
  };
}

/** The same trust as a Connected App, for orgs that still allow creating them (blocked for new ones since Spring '26). */
export function renderConnectedApp(input: ProviderAppInput): RenderedFiles {
  const body = [
    `    <contactEmail>${escapeXml(input.contactEmail)}</contactEmail>`,
    '    <label>Org A Account Reader</label>',
    '    <oauthConfig>',
    '        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>',
    `        <certificate>${escapeXml(input.certificatePem.trim())}</certificate>`,
    ...(input.consumerKey ? [`        <consumerKey>${escapeXml(input.consumerKey)}</consumerKey>`] : []),
    '        <isAdminApproved>true</isAdminApproved>',
    '        <scopes>Api</scopes>',
    '        <scopes>RefreshToken</scopes>',
    '    </oauthConfig>',
    '    <oauthPolicy>',
    '        <ipRelaxation>ENFORCE</ipRelaxation>',
    '        <refreshTokenPolicy>infinite</refreshTokenPolicy>',
    '    </oauthPolicy>',
    `    <permissionSetName>${escapeXml(input.permissionSet)}</permissionSetName>`,
  ];
  return {
    [`main/default/connectedApps/${APP_NAME}.connectedApp-meta.xml`]: `${xmlHead}<ConnectedApp ${ns}>\n${body.join('\n')}\n</ConnectedApp>\n`,
  };
}

/** Which connection record a rendering is: `Default` (the seed's), or one more source org (`Provider_2` …). */
export interface ConnectionName {
  /** The record's DeveloperName. */
  record: string;
  label: string;
  /** Prefix of its remote sites' names, unique per source org. */
  sitePrefix: string;
}
export const DEFAULT_CONNECTION: ConnectionName = { record: 'Default', label: 'Default', sitePrefix: 'Org_B' };

/** A's remote sites (B's token host and instance URL) and the connection record the caller reads. */
export function renderConsumerConfig(input: ConsumerInput, connection: ConnectionName = DEFAULT_CONNECTION): RenderedFiles {
  const sites: Record<string, string> = {};
  const origins = [...new Set([new URL(input.loginUrl).origin, new URL(input.instanceUrl).origin])];
  origins.forEach((origin, i) => {
    const name = `${connection.sitePrefix}_${i === 0 ? 'Login' : 'Instance'}`;
    sites[`main/default/remoteSiteSettings/${name}.remoteSite-meta.xml`] = element('RemoteSiteSetting', {
      description: i === 0 ? "Org B's token endpoint host" : "Org B's instance (Apex REST)",
      disableProtocolSecurity: origin.startsWith('http://'),
      isActive: true,
      url: origin,
    });
  });
  const values: Array<[string, string]> = [
    ['Login_Url__c', input.loginUrl],
    ['Audience__c', input.audience ?? ''],
    ['Consumer_Key__c', input.consumerKey],
    ['Username__c', input.username],
    ['Certificate_Name__c', input.certificateName],
    ['Resource_Path__c', RESOURCE_PATH],
    ['Named_Credential__c', input.namedCredential ?? ''],
  ];
  const valueXml = values
    .map(([field, value]) =>
      value === ''
        ? `    <values>\n        <field>${field}</field>\n        <value xsi:nil="true"/>\n    </values>`
        : `    <values>\n        <field>${field}</field>\n        <value xsi:type="xsd:string">${escapeXml(value)}</value>\n    </values>`,
    )
    .join('\n');
  const record =
    `${xmlHead}<CustomMetadata ${ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n` +
    `    <label>${escapeXml(connection.label)}</label>\n    <protected>false</protected>\n${valueXml}\n</CustomMetadata>\n`;
  return { ...sites, [`main/default/customMetadata/${CONNECTION_TYPE}.${connection.record}.md-meta.xml`]: record };
}

/**
 * Writes files into `dir` as a whole: into a sibling temp folder first, then swapped in, so a failure
 * never leaves half a package behind.
 */
export async function writeRendered(dir: string, files: RenderedFiles): Promise<void> {
  const temp = `${dir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(temp, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { mode: 0o644 });
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(temp, dir);
}
