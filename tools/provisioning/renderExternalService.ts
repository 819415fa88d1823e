/**
 * Org A's metadata for calling the external service with a JWT that Salesforce mints and signs with A's
 * certificate, sent as is (protocol JWT, no token exchange; the service verifies it).
 *
 * Current form (preferred): ExternalCredential `External_Service_JWT` with `authenticationProtocol` `Jwt`,
 * a `SigningCertificate` row naming A's certificate, `JwtBodyClaim` rows iss/sub/aud, and a named principal;
 * a `SecuredEndpoint` NamedCredential `External_Service` on top; a permission set granting the principal.
 * Sources: Help "Create or Edit a JWT External Credential" and "Set Up JWT Claims for External Credentials"
 * (claims iss/sub/aud editable, iat added, exp two minutes unless set, alg RS256); Connect REST
 * ExternalCredentialInput (`authenticationProtocol` `Jwt`; parameter types `SigningCertificate`,
 * `JwtBodyClaim`, `JwtHeaderClaim`; its JWT-bearer example names the certificate row `SigningCertificate`).
 * UNVERIFIED (docs/salesforce-rules.md#jwt-external-credential: no retrieved JWT External Credential is public): that the
 * Metadata API takes `Jwt` (its API 56 page says "Reserved for future use"), the row names, the group
 * `DefaultGroup`, the certificate in `certificate` rather than `parameterValue`, and the principal-access
 * name `<ExternalCredential>-<Principal>`. Make one in Setup and `sf project retrieve start -m
 * ExternalCredential:<name>` to confirm; if a deploy refuses `Jwt`, use the legacy form.
 *
 * Legacy form (option): one NamedCredential with `protocol` `Jwt` (META NamedCredential, API 46+,
 * deprecated in 56 but working), `jwtIssuer`, `jwtTextSubject`, `jwtAudience` (JSON), `jwtSigningCertificate`,
 * `jwtValidityPeriodSeconds`; no permission set needed.
 */
import { ToolError } from '../core/ToolError.ts';
import { escapeXml, type RenderedFiles } from './render.ts';
import { parameter as param, tags, trimSlash } from './renderNamedCredential.ts';

export const SERVICE_NAMED_CREDENTIAL = 'External_Service';
export const SERVICE_EXTERNAL_CREDENTIAL = 'External_Service_JWT';
export const SERVICE_PRINCIPAL = 'External_Service_Caller';
export const SERVICE_PERMSET = 'External_Service_Access';
/** Seconds a minted token lives: Salesforce's default for JWT external credentials is two minutes. */
export const SERVICE_JWT_SECONDS = 120;

export interface ExternalServiceInput {
  /** What `callout:External_Service` stands for. */
  serviceUrl: string;
  /** iss: who mints (A's My Domain URL by default). */
  issuer: string;
  /** sub: on the service's allow-list. */
  subject: string;
  /** aud: the service (its URL by default). */
  audience: string;
  /** A's certificate that signs. */
  certificateName: string;
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const base = 'main/default';

export const servicePrincipalAccess = (): string => `${SERVICE_EXTERNAL_CREDENTIAL}-${SERVICE_PRINCIPAL}`;

function check(input: ExternalServiceInput): void {
  let ok = false;
  try {
    ok = ['https:', 'http:'].includes(new URL(input.serviceUrl).protocol);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ToolError(`The external service URL '${input.serviceUrl}' is not an http(s) URL.`, 'BadExternalServiceInput', [
      'Pass --external-service https://<host> (or no value to start the local one).',
    ]);
  for (const [field, value] of Object.entries({ issuer: input.issuer, subject: input.subject, audience: input.audience })) {
    if (!value.trim())
      throw new ToolError(`The JWT ${field} is empty.`, 'BadExternalServiceInput', [`Pass the ${field} the service expects.`]);
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(input.certificateName)) {
    throw new ToolError(`'${input.certificateName}' is not a certificate API name.`, 'BadExternalServiceInput', [
      'Use the Unique Name from Certificate and Key Management, e.g. OrgA_JWT_Signing.',
    ]);
  }
}

/** The current form: External Credential (JWT), Named Credential, principal-access permission set. */
export function renderExternalServiceCredential(input: ExternalServiceInput): RenderedFiles {
  check(input);
  const group = 'DefaultGroup';
  const claim = (name: string, value: string) =>
    param([
      ['parameterGroup', group],
      ['parameterName', name],
      ['parameterType', 'JwtBodyClaim'],
      ['parameterValue', value],
    ]);
  const externalCredential =
    `${xmlHead}<ExternalCredential ${ns}>\n` +
    `    <authenticationProtocol>Jwt</authenticationProtocol>\n` +
    `    <description>${escapeXml("The external service: a JWT Salesforce mints and signs with Org A's certificate, sent as the bearer token.")}</description>\n` +
    [
      param([
        ['certificate', input.certificateName],
        ['parameterGroup', group],
        ['parameterName', 'SigningCertificate'],
        ['parameterType', 'SigningCertificate'],
      ]),
      claim('iss', input.issuer),
      claim('sub', input.subject),
      claim('aud', input.audience),
      param([
        ['parameterGroup', SERVICE_PRINCIPAL],
        ['parameterName', SERVICE_PRINCIPAL],
        ['parameterType', 'NamedPrincipal'],
        ['sequenceNumber', 1],
      ]),
    ].join('\n') +
    `\n    <label>External Service JWT</label>\n</ExternalCredential>\n`;
  const namedCredential =
    `${xmlHead}<NamedCredential ${ns}>\n` +
    tags('    ', [
      ['allowMergeFieldsInBody', false],
      ['allowMergeFieldsInHeader', false],
      ['calloutStatus', 'Enabled'],
      ['generateAuthorizationHeader', true],
      ['label', 'External Service'],
    ]) +
    `\n    <namedCredentialParameters>\n${tags('        ', [
      ['parameterName', 'Url'],
      ['parameterType', 'Url'],
      ['parameterValue', trimSlash(input.serviceUrl)],
    ])}\n    </namedCredentialParameters>\n` +
    `    <namedCredentialParameters>\n${tags('        ', [
      ['externalCredential', SERVICE_EXTERNAL_CREDENTIAL],
      ['parameterName', 'ExternalCredential'],
      ['parameterType', 'Authentication'],
    ])}\n    </namedCredentialParameters>\n` +
    `    <namedCredentialType>SecuredEndpoint</namedCredentialType>\n</NamedCredential>\n`;
  const permissionSet =
    `${xmlHead}<PermissionSet ${ns}>\n` +
    `    <description>${escapeXml(`Lets Org A's users call the external service through ${SERVICE_NAMED_CREDENTIAL} (principal ${SERVICE_PRINCIPAL}).`)}</description>\n` +
    `    <externalCredentialPrincipalAccesses>\n${tags('        ', [
      ['enabled', true],
      ['externalCredentialPrincipal', servicePrincipalAccess()],
    ])}\n    </externalCredentialPrincipalAccesses>\n` +
    `    <hasActivationRequired>false</hasActivationRequired>\n    <label>External Service Access</label>\n</PermissionSet>\n`;
  return {
    [`${base}/externalCredentials/${SERVICE_EXTERNAL_CREDENTIAL}.externalCredential-meta.xml`]: externalCredential,
    [`${base}/namedCredentials/${SERVICE_NAMED_CREDENTIAL}.namedCredential-meta.xml`]: namedCredential,
    [`${base}/permissionsets/${SERVICE_PERMSET}.permissionset-meta.xml`]: permissionSet,
  };
}

/** The legacy form: one NamedCredential, protocol `Jwt`. */
export function renderLegacyExternalServiceCredential(input: ExternalServiceInput): RenderedFiles {
  check(input);
  const body = tags('    ', [
    ['allowMergeFieldsInBody', false],
    ['allowMergeFieldsInHeader', false],
    ['calloutStatus', 'Enabled'],
    ['endpoint', trimSlash(input.serviceUrl)],
    ['generateAuthorizationHeader', true],
    ['jwtAudience', JSON.stringify(input.audience)],
    ['jwtIssuer', input.issuer],
    ['jwtSigningCertificate', input.certificateName],
    ['jwtTextSubject', input.subject],
    ['jwtValidityPeriodSeconds', SERVICE_JWT_SECONDS],
    ['label', 'External Service'],
    ['namedCredentialType', 'Legacy'],
    ['principalType', 'NamedUser'],
    ['protocol', 'Jwt'],
  ]);
  return {
    [`${base}/namedCredentials/${SERVICE_NAMED_CREDENTIAL}.namedCredential-meta.xml`]: `${xmlHead}<NamedCredential ${ns}>\n${body}\n</NamedCredential>\n`,
  };
}
