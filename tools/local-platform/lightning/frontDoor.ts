/**
 * How a browser gets into a local org, as `sf org open` does it on Salesforce (sfdx-core
 * Org.getFrontDoorUrl): the CLI trades its access token at `GET /services/oauth2/singleaccess` for a
 * single-use front-door URL; `/secur/frontdoor.jsp?otp=…` turns it into a browser session (cookie) and
 * redirects to the requested path. A browser without a session gets the login page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../http/contracts.ts';
import { sendApiError, sendJson } from '../http/http.ts';
import { ApiError } from '../http/errors.ts';
import { sessionMinutes } from '../oauth/oauth.ts';
import { getOrg } from '../../data/store.ts';
import { createBrowserSession, issueFrontDoorToken, redeemFrontDoorToken, sessionCookieName } from './uiSessions.ts';
import { errorBox, escapeHtml, renderPage, sendHtml } from './html.ts';
import { API_ONLY_MESSAGE, API_ONLY_TITLE, isApiOnlyUser, signInBlock } from '../oauth/signIn.ts';

export const HOME_PATH = '/lightning/page/home';

/**
 * The path a redirect may go to (startURL, retURL, redirect_uri): only a path of this org. The value is
 * judged as a browser reads it, through the WHATWG URL parser resolved against the org's root, so tabs
 * and newlines (which the parser drops), backslashes (read as "/"), "//host", schemes and dot segments
 * that end in "//" cannot leave the org; what is returned is the parser's own serialization (no CR/LF).
 */
export function safeStartPath(raw: string | null | undefined, instanceUrl: string): string | undefined {
  if (!raw) return HOME_PATH;
  const origin = new URL(instanceUrl).origin;
  const u = URL.parse(raw, `${origin}/`);
  if (!u || u.origin !== origin) return undefined;
  const path = u.pathname + u.search + u.hash;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as another host.
  if (path.startsWith('//') || URL.parse(path, `${origin}/`)?.origin !== origin) return undefined;
  return path;
}

/** `GET /services/oauth2/singleaccess[?redirect_uri=path]` with a Bearer token → `{ frontdoor_uri }`. */
export function singleAccess(ctx: RequestContext, url: URL, res: ServerResponse): void {
  // sfdx-core: "the singleaccess endpoint returns 403 when using an expired token". Body unverified.
  if (!ctx.userId) return sendApiError(res, new ApiError(403, 'INVALID_SESSION_ID', 'Session expired or invalid'));
  // No UI session for an "API Only User" (signIn.ts); the JSON shape of this refusal is unverified.
  if (isApiOnlyUser(ctx.db, ctx.org.id, ctx.userId))
    return sendJson(res, 403, { error: 'access_denied', error_description: `${API_ONLY_TITLE}: ${API_ONLY_MESSAGE}` });
  const start = safeStartPath(url.searchParams.get('redirect_uri'), ctx.org.instanceUrl);
  if (!start) return sendJson(res, 400, { error: 'invalid_request', error_description: 'redirect_uri must be a path of this org' });
  const otp = issueFrontDoorToken(ctx.db, ctx.org.id, ctx.userId, start);
  const frontDoor = new URL('/secur/frontdoor.jsp', ctx.org.instanceUrl);
  frontDoor.searchParams.set('otp', otp);
  frontDoor.searchParams.set('startURL', start);
  sendJson(res, 200, { frontdoor_uri: frontDoor.toString() });
}

/** `GET /secur/frontdoor.jsp?otp=…`: the first use starts a session; any later use is refused. */
export function frontDoor(ctx: RequestContext, url: URL, res: ServerResponse): void {
  const otp = url.searchParams.get('otp');
  const redeemed = otp ? redeemFrontDoorToken(ctx.db, ctx.org.id, otp) : ({ refused: 'unknown' } as const);
  if ('refused' in redeemed) {
    const why =
      redeemed.refused === 'used'
        ? 'This front-door link was already used: each one opens a session once.'
        : redeemed.refused === 'expired'
          ? 'This front-door link has expired.'
          : 'This front-door link is not valid for this org.';
    return sendHtml(res, 401, loginPage(ctx, undefined, why));
  }
  if (signInBlock(ctx.db, ctx.org.id, redeemed.userId))
    return sendHtml(res, 401, loginPage(ctx, undefined, 'This user is frozen or inactive: it cannot log in.'));
  if (isApiOnlyUser(ctx.db, ctx.org.id, redeemed.userId)) return sendHtml(res, 403, apiOnlyPage(ctx));
  const org = getOrg(ctx.db, ctx.org.id)!;
  const { sid } = createBrowserSession(ctx.db, ctx.org.id, redeemed.userId, sessionMinutes(org));
  res.writeHead(302, {
    Location: redeemed.startUrl,
    // HttpOnly: page scripts cannot read it; SameSite=Lax: other sites cannot post with it. A session
    // cookie (no Max-Age): the server ends it after the org's session timeout.
    'Set-Cookie': `${sessionCookieName(ctx.org.id)}=${encodeURIComponent(sid)}; Path=/; HttpOnly; SameSite=Lax`,
    'Cache-Control': 'no-store',
  });
  res.end();
}

/** Where a browser without a session is sent, as Salesforce does (`/?ec=302&startURL=…`). */
export function redirectToLogin(req: IncomingMessage, res: ServerResponse): void {
  const here = new URL(req.url ?? '/', 'http://x');
  res.writeHead(302, { Location: `/?ec=302&startURL=${encodeURIComponent(here.pathname + here.search)}`, 'Cache-Control': 'no-store' });
  res.end();
}

/**
 * The login page. Local users have no passwords: the way in is `sf org open`, which this page says,
 * with the path the browser wanted.
 */
export function loginPage(ctx: RequestContext, startUrl: string | undefined, refused?: string): string {
  const path = startUrl && startUrl !== HOME_PATH ? ` --path ${startUrl.replace(/^\//, '')}` : '';
  const body = `<div class="slds-align_absolute-center slds-m-top_xx-large"><div class="slds-box slds-theme_default" style="max-width:40rem" data-id="login">
<h1 class="slds-text-heading_large slds-m-bottom_medium">Log in to ${escapeHtml(ctx.org.name)}</h1>
${refused ? errorBox('Login refused', refused, 'Ask the sf CLI for a new link.') : ''}
<p class="slds-m-vertical_small">You have no session in this org (${escapeHtml(ctx.org.instanceUrl)}). Orgs of the local platform have no passwords: open the org with the sf CLI, which logs this browser in with a one-time link.</p>
<pre class="slds-box slds-theme_shade" data-id="login-command">npx sf org open --target-org &lt;alias of this org&gt;${escapeHtml(path)}</pre></div></div>`;
  return renderPage({ title: `Login | ${ctx.org.name}`, body });
}

/** The page an "API Only User" gets instead of a UI session. */
export function apiOnlyPage(ctx: RequestContext): string {
  return renderPage({
    title: `${API_ONLY_TITLE} | ${ctx.org.name}`,
    orgName: ctx.org.name,
    body: errorBox(
      API_ONLY_TITLE,
      API_ONLY_MESSAGE,
      'This user has the "API Only User" permission: it uses the APIs and never the browser.',
    ),
  });
}
