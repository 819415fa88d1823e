/**
 * Org A's metadata for the second authentication path: a Named Credential that does the OAuth 2.0 JWT
 * bearer exchange with A's certificate, so no Apex signer and no Remote Site Setting is needed.
 *
 * Newer form (preferred): ExternalCredential (authenticationProtocol `Oauth`, variant `JwtBearer`) + a
 * `SecuredEndpoint` NamedCredential on top + a permission set granting the principal.
 * Sources:
 * - `JwtBearer` — "OAuth 2.0 JSON Web Token bearer flow", the value of authenticationProtocolVariant
 *   (Connect REST / ConnectApi.CredentialInput, developer.salesforce.com apex_connectapi_input_credential.htm).
 * - Parameter types `AuthProtocolVariant`, `AuthProviderUrl` ("if the authentication type is OAuth with JWT
 *   Bearer Flow, then ParameterValue is an authentication token endpoint"), `SigningCertificate` (certificate
 *   name in the `certificate` field; "Used for OAuth with JWT Bearer Flow"), `JwtBodyClaim` ("ParameterName is
 *   the key … For example, the parameter name for a JWT audience is aud"), `NamedPrincipal` — ExternalCredential
 *   parameter reference (Metadata/Tooling API).
 * - NamedCredential `namedCredentialType` SecuredEndpoint, `namedCredentialParameters` Url and
 *   `Authentication`/`externalCredential`, `calloutStatus` (META NamedCredential; many retrieved samples).
 * UNVERIFIED (no retrieved JWT-bearer credential found): `parameterName` `Oauth` for the AuthProtocolVariant
 * row (seen in retrieved client-credentials credentials), the group name `DefaultGroup`, that iss and sub
 * go in as `JwtBodyClaim` rows (the Help page lists JWT claims; whether the bearer-flow UI stores issuer and
 * subject this way is not shown), and the principal-access name `<ExternalCredential>-<Principal>`.
 * Retrieve a credential made in Setup (`sf project retrieve start -m ExternalCredential:<name>`) to confirm.
 *
 * Legacy form (option): a NamedCredential with protocol `JwtExchange` (deprecated since API 56, still works).
 */
import { ToolError } from '../core/ToolError.ts';
import { escapeXml, type RenderedFiles } from './render.ts';

export const NAMED_CREDENTIAL = 'Org_B';
export const EXTERNAL_CREDENTIAL = 'Org_B_JWT';
export const PRINCIPAL = 'Org_B_Integration';
export const NAMED_CREDENTIAL_PERMSET = 'Org_B_Named_Credential_Access';
/** Claim lifetime in seconds; Salesforce's default for external credentials is two minutes. */
export const JWT_VALIDITY_SECONDS = 120;

export interface NamedCredentialInput {
  /** B's My Domain / login URL: the JWT audience and the token host. */
  loginUrl: string;
  /** B's instance URL: what `callout:Org_B` stands for. */
  instanceUrl: string;
  /** Consumer key of B's app: the JWT issuer. */
  consumerKey: string;
  /** B's integration user: the JWT subject. */
  username: string;
  /** A's certificate that signs the assertion. */
  certificateName: string;
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const base = 'main/default';

/** `<ExternalCredential>-<Principal>`, as permission sets name the principal (3RD retrieves; unverified). */
export const principalAccessName = (externalCredential = EXTERNAL_CREDENTIAL, principal = PRINCIPAL): string =>
  `${externalCredential}-${principal}`;

/** Token endpoint of B: `<loginUrl>/services/oauth2/token`. */
export const tokenEndpointOf = (loginUrl: string): string => `${trimSlash(loginUrl)}/services/oauth2/token`;

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function checkInput(input: NamedCredentialInput): void {
  for (const [field, value] of [
    ['loginUrl', input.loginUrl],
    ['instanceUrl', input.instanceUrl],
  ] as const) {
    let ok = false;
    try {
      ok = ['https:', 'http:'].includes(new URL(value).protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new ToolError(`${field} must be an http(s) URL; got '${value}'.`, 'BadNamedCredentialInput', [
        `Pass Org B's ${field === 'loginUrl' ? 'My Domain login URL' : 'instance URL'}.`,
      ]);
  }
  for (const [field, value] of [
    ['consumerKey', input.consumerKey],
    ['username', input.username],
    ['certificateName', input.certificateName],
  ] as const) {
    if (!value?.trim())
      throw new ToolError(`${field} is empty.`, 'BadNamedCredentialInput', [`Pass the ${field} of the Org B connection.`]);
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(input.certificateName)) {
    throw new ToolError(`certificateName '${input.certificateName}' is not a certificate API name.`, 'BadNamedCredentialInput', [
      'Use the Unique Name from Certificate and Key Management, e.g. OrgA_JWT_Signing.',
    ]);
  }
}

/** XML elements, one a line (undefined values left out); shared with renderExternalService.ts. */
export function tags(indent: string, body: Array<[string, string | number | boolean | undefined]>): string {
  return body
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${indent}<${k}>${escapeXml(String(v))}</${k}>`)
    .join('\n');
}

export function parameter(fields: Array<[string, string | number | undefined]>): string {
  return `    <externalCredentialParameters>\n${tags('        ', fields)}\n    </externalCredentialParameters>`;
}

/**
 * The newer form: ExternalCredential (OAuth 2.0, JWT Bearer Flow), a SecuredEndpoint NamedCredential
 * `Org_B` on top, and the permission set that opens the principal to A's users.
 */
export function renderNamedCredential(input: NamedCredentialInput): RenderedFiles {
  checkInput(input);
  const group = 'DefaultGroup';
  const params = [
    parameter([
      ['parameterGroup', group],
      ['parameterName', 'Oauth'],
      ['parameterType', 'AuthProtocolVariant'],
      ['parameterValue', 'JwtBearer'],
    ]),
    parameter([
      ['parameterGroup', group],
      ['parameterName', 'AuthProviderUrl'],
      ['parameterType', 'AuthProviderUrl'],
      ['parameterValue', tokenEndpointOf(input.loginUrl)],
    ]),
    parameter([
      ['certificate', input.certificateName],
      ['parameterGroup', group],
      ['parameterName', 'SigningCertificate'],
      ['parameterType', 'SigningCertificate'],
    ]),
    parameter([
      ['parameterGroup', group],
      ['parameterName', 'iss'],
      ['parameterType', 'JwtBodyClaim'],
      ['parameterValue', input.consumerKey],
    ]),
    parameter([
      ['parameterGroup', group],
      ['parameterName', 'sub'],
      ['parameterType', 'JwtBodyClaim'],
      ['parameterValue', input.username],
    ]),
    parameter([
      ['parameterGroup', group],
      ['parameterName', 'aud'],
      ['parameterType', 'JwtBodyClaim'],
      ['parameterValue', trimSlash(input.loginUrl)],
    ]),
    parameter([
      ['parameterGroup', PRINCIPAL],
      ['parameterName', PRINCIPAL],
      ['parameterType', 'NamedPrincipal'],
      ['sequenceNumber', 1],
    ]),
  ];
  const externalCredential =
    `${xmlHead}<ExternalCredential ${ns}>\n` +
    `    <authenticationProtocol>Oauth</authenticationProtocol>\n` +
    `    <description>${escapeXml("Org B's token endpoint: OAuth 2.0 JWT bearer flow signed with Org A's certificate.")}</description>\n` +
    `${params.join('\n')}\n` +
    `    <label>Org B JWT bearer</label>\n` +
    `</ExternalCredential>\n`;
  const namedCredential =
    `${xmlHead}<NamedCredential ${ns}>\n` +
    tags('    ', [
      ['allowMergeFieldsInBody', false],
      ['allowMergeFieldsInHeader', false],
      ['calloutStatus', 'Enabled'],
      ['generateAuthorizationHeader', true],
      ['label', 'Org B'],
    ]) +
    '\n' +
    `    <namedCredentialParameters>\n${tags('        ', [
      ['parameterName', 'Url'],
      ['parameterType', 'Url'],
      ['parameterValue', trimSlash(input.instanceUrl)],
    ])}\n    </namedCredentialParameters>\n` +
    `    <namedCredentialParameters>\n${tags('        ', [
      ['externalCredential', EXTERNAL_CREDENTIAL],
      ['parameterName', 'ExternalCredential'],
      ['parameterType', 'Authentication'],
    ])}\n    </namedCredentialParameters>\n` +
    `    <namedCredentialType>SecuredEndpoint</namedCredentialType>\n` +
    `</NamedCredential>\n`;
  const permissionSet =
    `${xmlHead}<PermissionSet ${ns}>\n` +
    `    <description>${escapeXml(`Lets Org A's users call Org B through the Named Credential ${NAMED_CREDENTIAL} (principal ${PRINCIPAL}).`)}</description>\n` +
    `    <externalCredentialPrincipalAccesses>\n${tags('        ', [
      ['enabled', true],
      ['externalCredentialPrincipal', principalAccessName()],
    ])}\n    </externalCredentialPrincipalAccesses>\n` +
    `    <hasActivationRequired>false</hasActivationRequired>\n` +
    `    <label>Org B Named Credential Access</label>\n` +
    `</PermissionSet>\n`;
  return {
    [`${base}/externalCredentials/${EXTERNAL_CREDENTIAL}.externalCredential-meta.xml`]: externalCredential,
    [`${base}/namedCredentials/${NAMED_CREDENTIAL}.namedCredential-meta.xml`]: namedCredential,
    [`${base}/permissionsets/${NAMED_CREDENTIAL_PERMSET}.permissionset-meta.xml`]: permissionSet,
  };
}

/**
 * The legacy form: one NamedCredential with protocol `JwtExchange` (META NamedCredential, API 46.0+,
 * deprecated in 56.0). No principal access is needed. `jwtAudience` is JSON per the doc (`"aud1"`), so the
 * URL is rendered JSON-quoted (unverified whether Setup stores the bare URL instead).
 */
export function renderLegacyJwtExchange(input: NamedCredentialInput): RenderedFiles {
  checkInput(input);
  const body = tags('    ', [
    ['allowMergeFieldsInBody', false],
    ['allowMergeFieldsInHeader', false],
    ['authTokenEndpointUrl', tokenEndpointOf(input.loginUrl)],
    ['calloutStatus', 'Enabled'],
    ['endpoint', trimSlash(input.instanceUrl)],
    ['generateAuthorizationHeader', true],
    ['jwtAudience', JSON.stringify(trimSlash(input.loginUrl))],
    ['jwtIssuer', input.consumerKey],
    ['jwtSigningCertificate', input.certificateName],
    ['jwtTextSubject', input.username],
    ['jwtValidityPeriodSeconds', JWT_VALIDITY_SECONDS],
    ['label', 'Org B'],
    ['namedCredentialType', 'Legacy'],
    ['principalType', 'NamedUser'],
    ['protocol', 'JwtExchange'],
  ]);
  return {
    [`${base}/namedCredentials/${NAMED_CREDENTIAL}.namedCredential-meta.xml`]: `${xmlHead}<NamedCredential ${ns}>\n${body}\n</NamedCredential>\n`,
  };
}
