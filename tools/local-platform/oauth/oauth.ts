import { createPublicKey, createVerify, X509Certificate, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { OAuthApp, RequestContext, RouteHandler } from '../http/contracts.ts';
import type { StoredOrg } from '../../data/store.ts';
import { getRecord, tx } from '../../data/store.ts';
import { issueToken, lookupToken, revokeToken } from './tokens.ts';
import { bearerToken, parseForm, sendJson, sendOAuthError } from '../http/http.ts';
import { permissionSetNamesOf, profileNameOf } from '../../data/access.ts';
import type { MetadataModule } from '../http/contracts.ts';
import { sameId } from '../../data/ids.ts';
import { signInBlock } from './signIn.ts';

/**
 * The OAuth 2.0 endpoints of every org: the JWT bearer grant validated as Salesforce does
 * (docs/salesforce-rules.md#jwt-claims), the authorization-code and refresh-token grants the sf CLI uses after
 * scratch org signup, revoke, userinfo and the identity URL.
 */
export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const ACCEPTED_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];
export const DEFAULT_SESSION_MINUTES = 120;

export interface OAuthFailure {
  status: number;
  error: string;
  error_description: string;
}

export interface OAuthSettings {
  /** A newly deployed app is not yet "replicated" for this many seconds. */
  propagationSeconds: number;
  /**
   * What a new External Client App answers in the first half of that window: `invalid_client_id` (default)
   * or `app_not_found`, which Salesforce also answers right after an app is created (docs/salesforce-rules.md#eca-not-installed).
   */
  propagationError?: 'invalid_client_id' | 'app_not_found';
  /** The same window in token requests (simulation.ts): the app refuses this many, counted in `propagationRefusals`. */
  propagationRequests?: number;
  propagationRefusals?: Map<string, number>;
  /** Which audiences deployed apps accept (simulation.ts `jwtAudience`); default `my-domain`. */
  jwtAudience?: 'my-domain' | 'login-test';
  metadata: MetadataModule;
}

const fail = (error: string, description: string, status = 400): OAuthFailure => ({ status, error, error_description: description });
const APP_NOT_FOUND = fail('app_not_found', 'External client app is not installed in this org');

function isOtherOrgsEca(db: DatabaseSync, orgId: string, consumerKey: string): boolean {
  if (!consumerKey) return false;
  try {
    const owner = db.prepare('SELECT org_id, type FROM md_consumer_keys WHERE consumer_key = ?').get(consumerKey) as
      { org_id: string; type: string } | undefined;
    return !!owner && owner.org_id !== orgId && owner.type === 'ExtlClntAppGlobalOauthSettings';
  } catch {
    return false; // no Metadata tables: no deployed apps at all
  }
}

interface AppRow {
  consumer_key: string;
  name: string;
  kind: string;
  certificate_pem: string | null;
  admin_approved: number;
  profiles: string;
  permission_sets: string;
  deployed_at: number;
  session_timeout_minutes: number | null;
}

/** The app whose consumer key is `clientId` in this org: the platform's own (CLI app) first, then deployed ones. */
export function findApp(db: DatabaseSync, orgId: string, clientId: string, metadata: MetadataModule): OAuthApp | undefined {
  const r = db.prepare('SELECT * FROM oauth_apps WHERE org_id = ? AND consumer_key = ?').get(orgId, clientId) as AppRow | undefined;
  if (r) {
    return {
      kind: r.kind as OAuthApp['kind'],
      name: r.name,
      consumerKey: r.consumer_key,
      certificatePem: r.certificate_pem ?? undefined,
      adminApproved: !!r.admin_approved,
      profiles: JSON.parse(r.profiles),
      permissionSets: JSON.parse(r.permission_sets),
      deployedAt: r.deployed_at,
      sessionTimeoutMinutes: r.session_timeout_minutes ?? undefined,
    };
  }
  return metadata.findOAuthApp?.(db, orgId, clientId);
}

/** An app the org's admin deployed (metadata), not one of the platform's own (the CLI's, in oauth_apps). */
function isDeployedApp(db: DatabaseSync, orgId: string, consumerKey: string): boolean {
  return !db.prepare('SELECT 1 FROM oauth_apps WHERE org_id = ? AND consumer_key = ?').get(orgId, consumerKey);
}

export function insertApp(db: DatabaseSync, orgId: string, app: OAuthApp): void {
  db.prepare(
    'INSERT OR REPLACE INTO oauth_apps (org_id, consumer_key, name, kind, certificate_pem, admin_approved, profiles, permission_sets, deployed_at, session_timeout_minutes) VALUES (?,?,?,?,?,?,?,?,?,?)',
  ).run(
    orgId,
    app.consumerKey,
    app.name,
    app.kind,
    app.certificatePem ?? null,
    app.adminApproved ? 1 : 0,
    JSON.stringify(app.profiles),
    JSON.stringify(app.permissionSets),
    app.deployedAt,
    app.sessionTimeoutMinutes ?? null,
  );
}

const keyCache = new Map<string, KeyObject>();
/** Parsed public keys by certificate PEM (parsing dominates the cost of a verification). */
function publicKeyOf(pem: string): KeyObject {
  let key = keyCache.get(pem);
  if (!key) {
    key = createPublicKey(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }));
    if (keyCache.size > 500) keyCache.clear();
    keyCache.set(pem, key);
  }
  return key;
}

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    const host = (h: string) => (h === 'localhost' ? '127.0.0.1' : h);
    return (
      x.protocol === y.protocol && host(x.hostname) === host(y.hostname) && x.port === y.port && (x.pathname === '/' || x.pathname === '')
    );
  } catch {
    return false;
  }
}

function findUserByUsername(
  db: DatabaseSync,
  orgId: string,
  username: string,
): { id: string; fields: Record<string, unknown> } | undefined {
  const r = db
    .prepare("SELECT id, fields FROM records WHERE org_id = ? AND sobject = 'User' AND lower(json_extract(fields,'$.Username')) = lower(?)")
    .get(orgId, username) as { id: string; fields: string } | undefined;
  return r ? { id: r.id, fields: JSON.parse(r.fields) } : undefined;
}

/**
 * Session timeout in minutes: the app's own, else the org's Session Settings (deployed SecuritySettings,
 * e.g. from a scratch definition's settings, or recorded on the org), else Salesforce's default 2 hours.
 */
export function sessionMinutes(org: StoredOrg, app?: OAuthApp, deployed?: Record<string, unknown>): number {
  if (app?.sessionTimeoutMinutes) return app.sessionTimeoutMinutes;
  const fromDeploy = (deployed?.sessionSettings as { sessionTimeout?: string } | undefined)?.sessionTimeout;
  const fromOrg = (org.settings.securitySettings as { sessionSettings?: { sessionTimeout?: string } } | undefined)?.sessionSettings
    ?.sessionTimeout;
  const named: Record<string, number> = {
    FifteenMinutes: 15,
    ThirtyMinutes: 30,
    SixtyMinutes: 60,
    TwoHours: 120,
    FourHours: 240,
    EightHours: 480,
    TwelveHours: 720,
    TwentyFourHours: 1440,
  };
  const s = fromDeploy ?? fromOrg;
  return (s && named[s]) || DEFAULT_SESSION_MINUTES;
}

/**
 * Validates a JWT bearer assertion for an org; returns the user and app, or the OAuth error
 * Salesforce would answer. Order: format and algorithm, issuer (with propagation), signature,
 * audience, expiry, subject, pre-authorization.
 */
export function verifyJwtAssertion(
  db: DatabaseSync,
  org: StoredOrg,
  assertion: string,
  settings: OAuthSettings,
  now = Date.now(),
): { userId: string; app: OAuthApp } | OAuthFailure {
  const parts = assertion.split('.');
  if (parts.length !== 3) return fail('invalid_grant', 'invalid assertion');
  const header = b64json(parts[0]);
  const claims = b64json(parts[1]);
  if (!header || !claims) return fail('invalid_grant', 'invalid assertion');
  // Only RS256: "alg":"none", HS256 (key confusion with the public certificate) and others are refused.
  if (header.alg !== 'RS256' || !parts[2]) return fail('invalid_grant', 'invalid assertion');
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const app = iss ? findApp(db, org.id, iss, settings.metadata) : undefined;
  // The key of another org's External Client App: "External client app is not installed in this org" (docs/salesforce-rules.md#token-errors).
  if (!app) return isOtherOrgsEca(db, org.id, iss) ? APP_NOT_FOUND : fail('invalid_client_id', 'client identifier invalid');
  const age = (now - app.deployedAt) / 1000;
  const window = settings.propagationSeconds;
  // Propagation: first half of the window the app is unknown, second half its approvals are not replicated.
  // Counted in seconds since the app's (re)deploy, or in the token requests it has refused since then.
  const requests = settings.propagationRequests ?? 0;
  const deployment = `${org.id}/${app.consumerKey}/${app.deployedAt}`;
  const refused = settings.propagationRefusals?.get(deployment) ?? 0;
  const refuse = <T>(answer: T): T => {
    settings.propagationRefusals?.set(deployment, refused + 1);
    return answer;
  };
  if (age < window / 2 || refused < Math.ceil(requests / 2)) {
    return refuse(
      settings.propagationError === 'app_not_found' && app.kind === 'ExternalClientApplication'
        ? APP_NOT_FOUND
        : fail('invalid_client_id', 'client identifier invalid'),
    );
  }
  if (!app.certificatePem) return fail('invalid_grant', 'invalid assertion');
  try {
    const key = publicKeyOf(app.certificatePem);
    const ok = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(key, Buffer.from(parts[2], 'base64url'));
    if (!ok) return fail('invalid_grant', 'invalid assertion');
  } catch {
    return fail('invalid_grant', 'invalid assertion');
  }
  const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const audOk = auds.some(
    (a) => typeof a === 'string' && (ACCEPTED_AUDIENCES.some((x) => sameOrigin(a, x)) || sameOrigin(a, org.instanceUrl)),
  );
  if (!audOk) return fail('invalid_grant', 'audience is invalid');
  // The apps an org's admin deployed follow the audience policy; the platform's own apps (the CLI's) take any
  // of the above, as sfdx-core tries several audiences itself (getLoginAudienceCombos).
  if (settings.jwtAudience === 'login-test' && isDeployedApp(db, org.id, app.consumerKey)) {
    // docs/salesforce-rules.md#jwt-audience-discovery: aud stays login/test even with a My Domain token host
    // (restforce#886, simple-salesforce#711); the generic host of the org's kind (forcedotcom/cli#3325).
    const generic = org.kind === 'scratch' ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
    if (!auds.some((a) => typeof a === 'string' && sameOrigin(a, generic))) return fail('invalid_grant', 'audience is invalid');
  } else if (app.kind === 'ExternalClientApplication' && !auds.some((a) => typeof a === 'string' && sameOrigin(a, org.instanceUrl))) {
    // Since Spring '26 External Client Apps refuse the login/test hosts as audience with app_not_found
    // (docs/salesforce-rules.md#jwt-audience, n8n-io/n8n#29016): only the org's own My Domain (here its instance URL) is taken.
    return APP_NOT_FOUND;
  }
  // exp in seconds per the spec; the sf CLI sends Date.now() + 300 (milliseconds) and Salesforce accepts
  // it (docs/salesforce-rules.md#jwt-claims). A value above 1e11 cannot be seconds (year 5138), so read it as milliseconds.
  const rawExp = typeof claims.exp === 'string' && /^\d+$/.test(claims.exp) ? Number(claims.exp) : claims.exp;
  if (typeof rawExp !== 'number' || !Number.isFinite(rawExp)) return fail('invalid_grant', 'invalid assertion');
  const expMs = rawExp > 1e11 ? rawExp : rawExp * 1000;
  // The CLI's millisecond form leaves 300 ms, less than a busy machine's round trip, where Salesforce reads a
  // far-future value: a few seconds of grace keep the CLI working without accepting a really expired JWT.
  const grace = rawExp > 1e11 ? 5_000 : 0;
  if (expMs + grace <= now) return fail('invalid_grant', 'expired authorization code');
  // prn wins over sub when both are present.
  const subject = typeof claims.prn === 'string' ? claims.prn : typeof claims.sub === 'string' ? claims.sub : '';
  const user = subject ? findUserByUsername(db, org.id, subject) : undefined;
  // Unknown or inactive users get the same answer as an unapproved one (unverified: Salesforce's exact
  // text for these cases is not documented; field reports show "user hasn't approved this consumer").
  if (!user || signInBlock(db, org.id, user.id)) return fail('invalid_grant', "user hasn't approved this consumer");
  if (age < window || refused < requests) return refuse(fail('invalid_grant', "user hasn't approved this consumer"));
  if (!app.adminApproved) return fail('invalid_grant', "user hasn't approved this consumer");
  const profile = profileNameOf(db, org.id, user.id);
  const sets = permissionSetNamesOf(db, org.id, user.id);
  const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const approved = app.profiles.some((p) => profile && eq(p, profile)) || app.permissionSets.some((p) => sets.some((s) => eq(s, p)));
  if (!approved) return fail('invalid_grant', "user hasn't approved this consumer");
  return { userId: user.id, app };
}

function identityUrl(org: StoredOrg, userId: string): string {
  return `${org.instanceUrl}/id/${org.id}/${userId}`;
}

function tokenResponse(
  db: DatabaseSync,
  org: StoredOrg,
  userId: string,
  app: OAuthApp | undefined,
  clientId: string | undefined,
  withRefresh: boolean,
  metadata?: MetadataModule,
): Record<string, unknown> {
  const minutes = sessionMinutes(org, app, metadata?.getSettings?.(db, org.id, 'Security'));
  const access = issueToken(db, 'access', org.id, userId, clientId, minutes * 60);
  const issuedAt = String(Date.now());
  const id = identityUrl(org, userId);
  const body: Record<string, unknown> = {
    access_token: access,
    ...(withRefresh ? { refresh_token: issueToken(db, 'refresh', org.id, userId, clientId, undefined) } : {}),
    scope: withRefresh ? 'refresh_token web api full' : 'web api full',
    instance_url: org.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature: createHmac('sha256', randomBytes(32))
      .update(id + issuedAt)
      .digest('base64'),
  };
  return body;
}

function userInfo(db: DatabaseSync, org: StoredOrg, userId: string): Record<string, unknown> {
  const u = getRecord(db, org.id, userId)!.fields;
  const id = identityUrl(org, userId);
  const v = '66.0';
  return {
    sub: id,
    user_id: userId,
    organization_id: org.id,
    preferred_username: u.Username,
    nickname: u.CommunityNickname ?? u.Alias ?? null,
    name: u.Name,
    email: u.Email,
    email_verified: true,
    given_name: u.FirstName ?? null,
    family_name: u.LastName,
    zoneinfo: u.TimeZoneSidKey ?? 'America/Los_Angeles',
    locale: u.LocaleSidKey ?? 'en_US',
    language: u.LanguageLocaleKey ?? 'en_US',
    active: u.IsActive !== false,
    user_type: 'STANDARD',
    is_app_installed: true,
    urls: {
      enterprise: `${org.instanceUrl}/services/Soap/c/${v}/${org.id}`,
      metadata: `${org.instanceUrl}/services/Soap/m/${v}/${org.id}`,
      partner: `${org.instanceUrl}/services/Soap/u/${v}/${org.id}`,
      rest: `${org.instanceUrl}/services/data/v${v}/`,
      sobjects: `${org.instanceUrl}/services/data/v${v}/sobjects/`,
      query: `${org.instanceUrl}/services/data/v${v}/query/`,
      profile: `${org.instanceUrl}/${userId}`,
      custom_domain: org.instanceUrl,
    },
    updated_at: u.LastModifiedDate,
  };
}

/** The OAuth routes; `settings` is read on every request so tests can change the propagation delay. */
export function oauthRoutes(settings: () => OAuthSettings): RouteHandler {
  return async (ctx: RequestContext, req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '');
    const org = ctx.org as StoredOrg;
    const db = ctx.db;
    if (path === '/services/oauth2/token') {
      if (req.method !== 'POST') {
        sendOAuthError(res, 400, 'invalid_request', 'must use HTTP POST');
        return true;
      }
      const type = String(req.headers['content-type'] ?? '');
      if (!type.includes('application/x-www-form-urlencoded')) {
        sendOAuthError(res, 400, 'invalid_request', 'unsupported content type; use application/x-www-form-urlencoded');
        return true;
      }
      const form = { ...Object.fromEntries(url.searchParams), ...parseForm(body) };
      const grant = form.grant_type;
      if (grant === JWT_GRANT) {
        if (!form.assertion) return (sendOAuthError(res, 400, 'invalid_grant', 'invalid assertion'), true);
        const r = verifyJwtAssertion(db, org, form.assertion, settings());
        if ('error' in r) return (sendOAuthError(res, r.status, r.error, r.error_description), true);
        // JWT bearer issues no refresh token (docs/salesforce-rules.md#token-response).
        const out = tx(db, () => tokenResponse(db, org, r.userId, r.app, r.app.consumerKey, false, settings().metadata));
        sendJson(res, 200, out);
        return true;
      }
      if (grant === 'authorization_code') {
        const code = form.code ? lookupToken(db, form.code, 'code') : undefined;
        if (!code || code.org_id !== org.id || signInBlock(db, org.id, code.user_id))
          return (sendOAuthError(res, 400, 'invalid_grant', 'invalid authorization code'), true);
        if (code.client_id && form.client_id !== code.client_id)
          return (sendOAuthError(res, 400, 'invalid_client_id', 'client identifier invalid'), true);
        const out = tx(db, () => {
          revokeToken(db, form.code);
          const app = code.client_id ? findApp(db, org.id, code.client_id, settings().metadata) : undefined;
          return tokenResponse(db, org, code.user_id, app, code.client_id ?? undefined, true, settings().metadata);
        });
        sendJson(res, 200, out);
        return true;
      }
      if (grant === 'refresh_token') {
        const rt = form.refresh_token ? lookupToken(db, form.refresh_token, 'refresh') : undefined;
        if (!rt || rt.org_id !== org.id || signInBlock(db, org.id, rt.user_id))
          return (sendOAuthError(res, 400, 'invalid_grant', 'expired access/refresh token'), true);
        const out = tx(db, () => {
          const app = rt.client_id ? findApp(db, org.id, rt.client_id, settings().metadata) : undefined;
          const r = tokenResponse(db, org, rt.user_id, app, rt.client_id ?? undefined, false, settings().metadata);
          return r;
        });
        sendJson(res, 200, out);
        return true;
      }
      if (grant === 'password' || grant === 'client_credentials') {
        sendOAuthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
        return true;
      }
      sendOAuthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
      return true;
    }
    if (path === '/services/oauth2/revoke') {
      const form = { ...Object.fromEntries(url.searchParams), ...(req.method === 'POST' ? parseForm(body) : {}) };
      const ok = form.token ? tx(db, () => revokeToken(db, form.token)) : false;
      if (!ok) return (sendOAuthError(res, 400, 'unsupported_token_type', 'this token type is not supported'), true);
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return true;
    }
    if (path === '/services/oauth2/userinfo' || path.startsWith('/id/')) {
      const raw = bearerToken(req) ?? url.searchParams.get('oauth_token') ?? undefined;
      const row = raw ? lookupToken(db, raw, 'access') : undefined;
      if (!row || row.org_id !== org.id || signInBlock(db, org.id, row.user_id)) {
        // Salesforce answers a bad token here with 403 and the text Bad_OAuth_Token (unverified wording).
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Bad_OAuth_Token');
        return true;
      }
      if (path.startsWith('/id/')) {
        const [, , orgId, userId] = path.split('/');
        if (!orgId || !userId || !sameId(orgId, org.id) || !getRecord(db, org.id, userId)) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Bad_Id');
          return true;
        }
        const info = userInfo(db, org, userId);
        sendJson(res, 200, {
          id: info.sub,
          asserted_user: sameId(userId, row.user_id),
          ...info,
          username: info.preferred_username,
          display_name: info.name,
        });
        return true;
      }
      sendJson(res, 200, userInfo(db, org, row.user_id));
      return true;
    }
    return false;
  };
}
