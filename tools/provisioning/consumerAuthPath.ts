/**
 * What `--auth apex-jwt|named-credential` changes on Org A's side, kept out of the setup flow so the flow
 * stays one line per decision. Both paths share the connection record and the caller
 * (OrgBAccountsClient); only who authenticates differs.
 * - apex-jwt: the Apex `Jwt` class signs and trades the token; A needs Remote Site Settings for B's hosts.
 * - named-credential: the platform does the exchange through `callout:Org_B`; the record's
 *   Named_Credential__c names it, no Remote Site Setting is rendered (Salesforce needs none for
 *   named-credential callouts), and A's users need the principal-access permission set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './sfCli.ts';
import { renderConsumerConfig, VIEWER_PERMSET, type ConnectionName, type ConsumerInput, type RenderedFiles } from './render.ts';
import { NAMED_CREDENTIAL, NAMED_CREDENTIAL_PERMSET, renderLegacyJwtExchange, renderNamedCredential } from './renderNamedCredential.ts';

export type AuthPath = 'apex-jwt' | 'named-credential';

/**
 * Org A's rendered folder for the chosen path. `legacy` renders the deprecated JwtExchange Named
 * Credential instead of the External Credential (then no principal-access permission set is needed).
 */
export function renderConsumerFor(
  auth: AuthPath | undefined,
  input: Omit<ConsumerInput, 'namedCredential'>,
  legacy = false,
  connection?: ConnectionName,
): RenderedFiles {
  if (auth !== 'named-credential') return renderConsumerConfig(input, connection);
  const config = renderConsumerConfig({ ...input, namedCredential: NAMED_CREDENTIAL }, connection);
  const withoutRemoteSites = Object.fromEntries(Object.entries(config).filter(([path]) => !path.includes('/remoteSiteSettings/')));
  return { ...withoutRemoteSites, ...(legacy ? renderLegacyJwtExchange(input) : renderNamedCredential(input)) };
}

/** Permission sets A's running user needs on this path (assigned after the deploy). */
export function consumerPermissionSets(auth: AuthPath | undefined, legacy = false): string[] {
  return auth === 'named-credential' && !legacy ? [VIEWER_PERMSET, NAMED_CREDENTIAL_PERMSET] : [VIEWER_PERMSET];
}

/**
 * The API version the Named Credential check calls: the project's sourceApiVersion. `/services/data/` alone
 * (the version list) answers without a session, so it would not prove the token; `/services/data/vNN.N`
 * needs one, and the `api` scope B's app grants allows REST API calls (Help "OAuth Tokens and Scopes").
 * Userinfo is not used: which scope it needs (`openid`, `id`, `profile`) is not settled in public sources,
 * and the app grants only `Api, RefreshToken`.
 */
const CHECK_API_VERSION = (JSON.parse(readFileSync(join(projectRoot, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion: string })
  .sourceApiVersion;

/** An Apex string literal (URLs only; quotes and backslashes escaped). */
const apexString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Anonymous Apex for the token leg of `verify`, for either path (it reads which one from the connection
 * record): the Apex path asks B for a token with `Jwt`, signing for `audience` when given (setup tries
 * each candidate this way before recording one) and otherwise for the record's Audience__c; the Named
 * Credential path makes one callout through the credential to B's REST API root, which needs the
 * platform's JWT exchange to succeed and the token to be valid.
 */
export function verifyTokenScript(audience?: string): string {
  const aud = audience === undefined ? 's.audience' : apexString(audience);
  return `OrgBAccountsClient.Settings s = OrgBAccountsClient.loadSettings(OrgBAccountsClient.DEFAULT_CONNECTION);
if (String.isBlank(s.namedCredential)) {
  Jwt jwt = new Jwt(s.loginUrl, s.consumerKey, s.username, s.certificateName).withAudience(${aud});
  Jwt.AccessToken t = jwt.requestAccessToken();
  System.debug(LoggingLevel.ERROR, 'VERIFY_TOKEN ' + t.instanceUrl);
  System.debug(LoggingLevel.ERROR, 'VERIFY_AUDIENCE ' + jwt.getAudience());
} else {
  HttpRequest req = new HttpRequest();
  req.setEndpoint('callout:' + s.namedCredential + '/services/data/v${CHECK_API_VERSION}/');
  req.setMethod('GET');
  req.setTimeout(10000);
  HttpResponse res = new Http().send(req);
  Assert.areEqual(200, res.getStatusCode(), 'Named Credential ' + s.namedCredential + ' answered ' + res.getStatusCode() + ': ' + res.getBody());
  System.debug(LoggingLevel.ERROR, 'VERIFY_TOKEN callout:' + s.namedCredential);
}`;
}

/** The token leg with the audience the connection record holds. */
export const VERIFY_TOKEN_SCRIPT = verifyTokenScript();
