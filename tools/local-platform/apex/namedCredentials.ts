/**
 * `callout:Name/path` as Salesforce resolves it: the deployed Named Credential gives the URL, its
 * External Credential (new model: OAuth 2.0, JWT Bearer Flow) or its legacy `JwtExchange` fields say how
 * to get a token. The platform signs an RS256 assertion with the org's certificate, trades it at the
 * token endpoint over real HTTP, caches the token per credential and principal, re-mints once on a 401,
 * and adds `Authorization: Bearer`. No Remote Site Setting is checked for these callouts (docs/salesforce-rules.md#callout-endpoints,
 * Apex guide: "If the callout specifies a named credential as the endpoint, you don't need to configure remote
 * site settings").
 *
 * Error texts: the missing/no-access message is the one Salesforce's new model shows (same text for a
 * missing credential and for a user without principal access; reported by users, wording not found in an
 * official source — unverified). "Unable to complete the JWT token exchange." is the text the issue quotes
 * (unverified). The disabled-credential text is ours (unverified). The local platform appends the token
 * endpoint's answer in brackets so `verify` can name the cause; real Salesforce may not show it.
 */
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { HttpCallout, HttpCalloutResult } from '../../apex/host.ts';
import { permissionSetNamesOf } from '../../data/access.ts';
import { ensureMetadataSchema } from '../metadata/ensureMetadataSchema.ts';
import { getStoredComponent } from '../metadata/componentStore.ts';
import {
  getCertificate,
  getExternalCredential,
  getNamedCredential,
  type ExternalCredentialInfo,
  type NamedCredentialInfo,
} from '../metadata/lookups.ts';
import {
  directJwtFromExternal,
  directJwtFromLegacy,
  DirectJwtProblem,
  isLoopbackUrl,
  mintDirectJwt,
  parseAudience,
  type DirectJwtConfig,
} from './directJwt.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce's default JWT lifetime for external credentials: "a default of two minutes in the future" (Help: nc_jwt_claims). */
export const DEFAULT_JWT_VALIDITY_SECONDS = 120;
const TOKEN_TIMEOUT_MS = 10_000;

/** Salesforce's messages (see the file comment for which are verified). */
export const namedCredentialErrors = {
  notAccessible: (name: string) =>
    `The callout couldn't access the endpoint. You might not have the required permissions, or the named credential "${name}" might not exist.`,
  disabled: (name: string) => `The named credential "${name}" is not enabled for callouts.`,
  exchangeFailed: 'Unable to complete the JWT token exchange.',
  notConfigured: (name: string, what: string) => `The external credential "${name}" isn't configured for callouts: ${what}`,
  /** Ours: the local platform keeps its orgs' keys on this machine (see directJwt.ts). */
  notLoopback: (name: string, url: string) =>
    `The named credential "${name}" sends a JWT signed with this org's certificate to ${url}; the local platform sends such tokens only to loopback hosts (127.0.0.1, localhost).`,
};

/** Thrown for every failure; the Apex runtime turns the message into a System.CalloutException. */
export class NamedCredentialError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_ACCESSIBLE' | 'DISABLED' | 'EXCHANGE_FAILED' | 'NOT_CONFIGURED',
  ) {
    super(message);
    this.name = 'NamedCredentialError';
  }
}

/** `callout:Name/path?query` → { name, rest: '/path?query' }; undefined for ordinary URLs. */
export function parseCalloutEndpoint(endpoint: string): { name: string; rest: string } | undefined {
  const m = /^callout:([A-Za-z][A-Za-z0-9_]*)(.*)$/.exec(endpoint);
  return m ? { name: m[1]!, rest: m[2] ?? '' } : undefined;
}

/** How a token is obtained for a credential: everything the JWT bearer exchange needs. */
export interface JwtExchangeConfig {
  /** Per credential and principal: the token cache key. */
  cacheKey: string;
  tokenEndpoint: string;
  issuer: string;
  subject: string;
  audience: string | string[];
  certificate: string;
  validitySeconds: number;
  scope?: string;
}

export interface ResolvedNamedCredential {
  name: string;
  /** The URL `callout:Name` stands for, without a trailing slash. */
  endpoint: string;
  generateAuthorizationHeader: boolean;
  /** Undefined: the credential adds no authentication (e.g. NoAuthentication). */
  exchange?: JwtExchangeConfig;
  /** Protocol JWT: a token minted per callout and sent as is (directJwt.ts). */
  jwt?: DirectJwtConfig;
  /** New model: the external credential principal the running user reached it through. */
  principal?: string;
}

function rawXml(db: DatabaseSync, orgId: string, name: string): string {
  const c = getStoredComponent(db, orgId, 'NamedCredential', name);
  if (!c) return '';
  const file = Object.keys(c.files).find((f) => /\.namedCredential(-meta\.xml)?$/.test(f)) ?? Object.keys(c.files)[0];
  return file ? Buffer.from(c.files[file]!, 'base64').toString('utf8') : '';
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();
}

const normalizePrincipal = (s: string) => s.replace(/\s*-\s*/, '-').toLowerCase();

/** The enabled `externalCredentialPrincipalAccesses` of the user's permission sets, as `ec-principal` (lowercase). */
function principalAccessOf(db: DatabaseSync, orgId: string, userId: string): Set<string> {
  const out = new Set<string>();
  for (const ps of permissionSetNamesOf(db, orgId, userId)) {
    const c = getStoredComponent(db, orgId, 'PermissionSet', ps);
    const list =
      (c?.data as { externalCredentialPrincipals?: { principal?: string; enabled?: boolean }[] } | undefined)
        ?.externalCredentialPrincipals ?? [];
    for (const p of list) if (p.principal && p.enabled !== false) out.add(normalizePrincipal(p.principal));
  }
  return out;
}

/**
 * Finds what `callout:Name` means for this user. Throws NamedCredentialError when the credential is
 * missing, disabled, incompletely configured, or not open to the user (principal access).
 */
export function resolveNamedCredential(db: DatabaseSync, orgId: string, userId: string, name: string): ResolvedNamedCredential {
  ensureMetadataSchema(db);
  const nc = getNamedCredential(db, orgId, name);
  if (!nc) throw new NamedCredentialError(namedCredentialErrors.notAccessible(name), 'NOT_ACCESSIBLE');
  const xml = rawXml(db, orgId, name);
  if ((tag(xml, 'calloutStatus') ?? 'Enabled') === 'Disabled')
    throw new NamedCredentialError(namedCredentialErrors.disabled(name), 'DISABLED');
  const generateAuthorizationHeader = (tag(xml, 'generateAuthorizationHeader') ?? 'true') !== 'false';
  const endpoint = nc.endpoint.replace(/\/$/, '');
  if (nc.namedCredentialType === 'Legacy' || !nc.externalCredential) return resolveLegacy(nc, orgId, endpoint, generateAuthorizationHeader);
  const ec = getExternalCredential(db, orgId, nc.externalCredential);
  if (!ec) throw new NamedCredentialError(namedCredentialErrors.notAccessible(name), 'NOT_ACCESSIBLE');
  return resolveExternal(db, orgId, userId, nc, ec, endpoint, generateAuthorizationHeader);
}

function resolveLegacy(
  nc: NamedCredentialInfo,
  orgId: string,
  endpoint: string,
  generateAuthorizationHeader: boolean,
): ResolvedNamedCredential {
  if (nc.protocol === 'Jwt')
    return { name: nc.name, endpoint, generateAuthorizationHeader, jwt: directJwt(nc.name, () => directJwtFromLegacy(nc)) };
  if (nc.protocol !== 'JwtExchange') return { name: nc.name, endpoint, generateAuthorizationHeader };
  const j = nc.jwt;
  const missing = [
    ['authTokenEndpointUrl', j.tokenEndpointUrl],
    ['jwtIssuer', j.issuer],
    ['jwtTextSubject', j.subject ?? j.formulaSubject],
    ['jwtAudience', j.audience],
    ['jwtSigningCertificate', j.signingCertificate],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length)
    throw new NamedCredentialError(namedCredentialErrors.notConfigured(nc.name, `missing ${missing.join(', ')}`), 'NOT_CONFIGURED');
  return {
    name: nc.name,
    endpoint,
    generateAuthorizationHeader,
    exchange: {
      cacheKey: `${orgId}|NamedCredential|${nc.name}`,
      tokenEndpoint: j.tokenEndpointUrl!,
      issuer: j.issuer!,
      subject: j.subject!,
      audience: parseAudience(j.audience!),
      certificate: j.signingCertificate!,
      validitySeconds: j.validitySeconds ?? DEFAULT_JWT_VALIDITY_SECONDS,
    },
  };
}

function resolveExternal(
  db: DatabaseSync,
  orgId: string,
  userId: string,
  nc: NamedCredentialInfo,
  ec: ExternalCredentialInfo,
  endpoint: string,
  generateAuthorizationHeader: boolean,
): ResolvedNamedCredential {
  const principals = ec.parameters
    .filter((p) => (p.type === 'NamedPrincipal' || p.type === 'PerUserPrincipal') && p.name)
    .sort((a, b) => (a.sequenceNumber ?? 1) - (b.sequenceNumber ?? 1));
  // Principal access is needed by every user, administrators included (Help: nc_troubleshoot, "users need access to
  // the principal that's defined in the external credential").
  const access = principalAccessOf(db, orgId, userId);
  const principal = principals.find((p) => access.has(normalizePrincipal(`${ec.name}-${p.name}`)));
  if (!principal) throw new NamedCredentialError(namedCredentialErrors.notAccessible(nc.name), 'NOT_ACCESSIBLE');
  if (ec.authenticationProtocol === 'Jwt') {
    return {
      name: nc.name,
      endpoint,
      generateAuthorizationHeader,
      principal: principal.name,
      jwt: directJwt(ec.name, () => directJwtFromExternal(ec, principal.name!)),
    };
  }
  if (ec.authenticationProtocol !== 'Oauth') return { name: nc.name, endpoint, generateAuthorizationHeader, principal: principal.name };
  const param = (type: string, name?: string) =>
    ec.parameters.find((p) => p.type === type && (name === undefined || p.name === name) && p.group === principal.name) ??
    ec.parameters.find((p) => p.type === type && (name === undefined || p.name === name));
  const variant = param('AuthProtocolVariant')?.value;
  if (variant !== 'JwtBearer') {
    throw new NamedCredentialError(
      namedCredentialErrors.notConfigured(
        ec.name,
        `the local platform supports the OAuth variant JwtBearer only, got ${variant ?? 'none'}`,
      ),
      'NOT_CONFIGURED',
    );
  }
  const tokenEndpoint = param('AuthProviderUrl')?.value;
  const certificate = param('SigningCertificate')?.certificate ?? param('SigningCertificate')?.value;
  const issuer = param('JwtBodyClaim', 'iss')?.value;
  const subject = param('JwtBodyClaim', 'sub')?.value;
  const audValue = param('JwtBodyClaim', 'aud')?.value;
  const audience = audValue ? parseAudience(audValue) : undefined;
  const exp = Number(param('AuthParameter', 'JwtExpiration')?.value ?? param('JwtBodyClaim', 'exp')?.value);
  const missing = [
    ['AuthProviderUrl', tokenEndpoint],
    ['SigningCertificate', certificate],
    ['JwtBodyClaim iss', issuer],
    ['JwtBodyClaim sub', subject],
    ['JwtBodyClaim aud', audience],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length)
    throw new NamedCredentialError(namedCredentialErrors.notConfigured(ec.name, `missing ${missing.join(', ')}`), 'NOT_CONFIGURED');
  return {
    name: nc.name,
    endpoint,
    generateAuthorizationHeader,
    principal: principal.name,
    exchange: {
      cacheKey: `${orgId}|ExternalCredential|${ec.name}|${principal.name}`,
      tokenEndpoint: tokenEndpoint!,
      issuer: issuer!,
      subject: subject!,
      audience: audience!,
      certificate: certificate!,
      validitySeconds: Number.isFinite(exp) && exp > 0 ? exp : DEFAULT_JWT_VALIDITY_SECONDS,
      scope: param('AuthParameter', 'Scope')?.value,
    },
  };
}

function directJwt(name: string, read: () => DirectJwtConfig): DirectJwtConfig {
  try {
    return read();
  } catch (e) {
    if (e instanceof DirectJwtProblem)
      throw new NamedCredentialError(namedCredentialErrors.notConfigured(name, e.message), 'NOT_CONFIGURED');
    throw e;
  }
}

/** Access tokens per credential (and principal), in this process: Salesforce keeps them until the target says 401. */
const tokenCache = new Map<string, { accessToken: string; expiresAt: number }>();

/** Forgets every cached token (tests; a credential's redeploy does not clear Salesforce's either). */
export function clearNamedCredentialTokens(): void {
  tokenCache.clear();
}

export const cachedTokenCount = (): number => tokenCache.size;

/** The RS256 assertion Salesforce sends: header {alg}, claims iss/sub/aud/exp/iat (header shape unverified: Salesforce may add typ/kid). */
export function mintAssertion(config: JwtExchangeConfig, privateKeyPem: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'RS256' })}.${b64({ iss: config.issuer, sub: config.subject, aud: config.audience, exp: nowSeconds + config.validitySeconds, iat: nowSeconds })}`;
  const signature = cryptoSign('sha256', Buffer.from(input), createPrivateKey(privateKeyPem)).toString('base64url');
  return `${input}.${signature}`;
}

/** Trades a fresh assertion for an access token at the credential's token endpoint (real HTTP). */
export async function exchangeJwt(
  db: DatabaseSync,
  orgId: string,
  config: JwtExchangeConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const fail = (detail: string) =>
    new NamedCredentialError(`${namedCredentialErrors.exchangeFailed} [local platform: ${detail}]`, 'EXCHANGE_FAILED');
  const cert = getCertificate(db, orgId, config.certificate);
  if (!cert) throw fail(`no certificate named ${config.certificate} in this org`);
  let assertion: string;
  try {
    assertion = mintAssertion(config, cert.privateKeyPem);
  } catch (e) {
    throw fail(`signing with ${config.certificate} failed: ${(e as Error).message}`);
  }
  const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
  if (config.scope) form.set('scope', config.scope);
  let res: Response;
  try {
    res = await fetchImpl(config.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (e) {
    throw fail(`POST ${config.tokenEndpoint} failed: ${(e as Error).message}`);
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (res.status !== 200 || typeof body.access_token !== 'string') {
    const why = typeof body.error === 'string' ? `${body.error}: ${String(body.error_description ?? '')}` : text.slice(0, 200);
    throw fail(`token endpoint answered ${res.status} ${why}`);
  }
  const expiresIn = Number(body.expires_in);
  tokenCache.set(config.cacheKey, {
    accessToken: body.access_token,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : Infinity,
  });
  return body.access_token;
}

export interface NamedCalloutContext {
  db: DatabaseSync;
  orgId: string;
  userId: string;
  fetchImpl?: typeof fetch;
}

/** Sends one HTTP request (the host's own transport: timeout, redirects, body handling). */
export type SendHttp = (endpoint: string, headers: Record<string, string>) => Promise<HttpCalloutResult>;

/**
 * The callout a `callout:` endpoint stands for: resolve, authenticate (cached token or a new exchange),
 * send; on a 401 with a cached token, mint a new one and send once more.
 */
export async function calloutThroughNamedCredential(
  ctx: NamedCalloutContext,
  request: HttpCallout,
  send: SendHttp,
): Promise<HttpCalloutResult> {
  const parsed = parseCalloutEndpoint(request.endpoint);
  if (!parsed) throw new NamedCredentialError(namedCredentialErrors.notAccessible(request.endpoint), 'NOT_ACCESSIBLE');
  const nc = resolveNamedCredential(ctx.db, ctx.orgId, ctx.userId, parsed.name);
  const url = nc.endpoint + parsed.rest;
  if (nc.jwt) return sendWithDirectJwt(ctx, nc, nc.jwt, url, request, send);
  if (!nc.exchange || !nc.generateAuthorizationHeader) {
    if (nc.exchange && !nc.generateAuthorizationHeader) await tokenFor(ctx, nc.exchange, false);
    return send(url, request.headers);
  }
  const withToken = (token: string) => ({ ...withoutAuthorization(request.headers), Authorization: `Bearer ${token}` });
  const cached = tokenCache.get(nc.exchange.cacheKey);
  const fromCache = !!cached && cached.expiresAt > Date.now();
  const token = await tokenFor(ctx, nc.exchange, false);
  let res = await send(url, withToken(token));
  if (res.statusCode === 401) {
    tokenCache.delete(nc.exchange.cacheKey);
    if (fromCache) {
      res = await send(url, withToken(await tokenFor(ctx, nc.exchange, true)));
      if (res.statusCode === 401) tokenCache.delete(nc.exchange.cacheKey);
    }
  }
  return res;
}

/** Protocol JWT: a fresh token per callout (no cache: each carries its own jti), loopback only. */
async function sendWithDirectJwt(
  ctx: NamedCalloutContext,
  nc: ResolvedNamedCredential,
  config: DirectJwtConfig,
  url: string,
  request: HttpCallout,
  send: SendHttp,
): Promise<HttpCalloutResult> {
  if (!isLoopbackUrl(url)) throw new NamedCredentialError(namedCredentialErrors.notLoopback(nc.name, url), 'NOT_CONFIGURED');
  if (!nc.generateAuthorizationHeader) return send(url, request.headers);
  const cert = getCertificate(ctx.db, ctx.orgId, config.certificate);
  if (!cert)
    throw new NamedCredentialError(
      namedCredentialErrors.notConfigured(nc.name, `no certificate named ${config.certificate} in this org`),
      'NOT_CONFIGURED',
    );
  return send(url, { ...withoutAuthorization(request.headers), Authorization: `Bearer ${mintDirectJwt(config, cert.privateKeyPem)}` });
}

async function tokenFor(ctx: NamedCalloutContext, config: JwtExchangeConfig, fresh: boolean): Promise<string> {
  const cached = tokenCache.get(config.cacheKey);
  if (!fresh && cached && cached.expiresAt > Date.now()) return cached.accessToken;
  return exchangeJwt(ctx.db, ctx.orgId, config, ctx.fetchImpl ?? fetch);
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
}
