/**
 * The browser side of a local org: `sf org open` (singleaccess + front door), the login page, the
 * Lightning pages of deployed LWC tabs, the Aura endpoint their Apex imports call, compiled bundles and
 * SLDS assets. Mounted by server.ts as the `lightning` route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext, RouteHandler } from '../http/contracts.ts';
import { isApiOnlyUser, signInBlock } from '../oauth/signIn.ts';
import { frontDoor, HOME_PATH, loginPage, redirectToLogin, safeStartPath, singleAccess } from './frontDoor.ts';
import { findBrowserSession, readCookie, sessionCookieName, type BrowserSession } from './uiSessions.ts';
import { homePage, tabPage } from './tabPage.ts';
import { auraEndpoint } from './auraEndpoint.ts';
import type { BundleCompiler } from './bundleCompiler.ts';
import { serveAsset } from './assets.ts';
import { errorBox, renderPage, sendHtml } from './html.ts';

export interface LightningDeps {
  /** Builds and keeps the tabs' compiled bundles (bundleCompiler.ts). */
  compiler: BundleCompiler;
}

/** The browser session of this request, if its cookie names a live one of this org and an active user. */
function sessionOf(ctx: RequestContext, req: IncomingMessage): BrowserSession | undefined {
  const session = findBrowserSession(ctx.db, ctx.org.id, readCookie(req.headers.cookie, sessionCookieName(ctx.org.id)));
  if (!session) return undefined;
  // A user deactivated, frozen or made "API Only" since the session began has no session any more.
  if (signInBlock(ctx.db, ctx.org.id, session.userId) || isApiOnlyUser(ctx.db, ctx.org.id, session.userId)) return undefined;
  return session;
}

export function lightningRoutes(deps: LightningDeps): RouteHandler {
  return async (ctx, req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/services/oauth2/singleaccess' && method === 'GET') return (singleAccess(ctx, url, res), true);
    if (path === '/secur/frontdoor.jsp' && method === 'GET') return (frontDoor(ctx, url, res), true);
    if (path.startsWith('/assets/') && method === 'GET') return serveAsset(path, res);
    if (path === '/favicon.ico') return (res.writeHead(204).end(), true);
    if (path === '/' && method === 'GET') {
      const start = safeStartPath(url.searchParams.get('startURL'), ctx.org.instanceUrl) ?? HOME_PATH;
      if (sessionOf(ctx, req)) return (redirect(res, start), true);
      return (sendHtml(res, 200, loginPage(ctx, start)), true);
    }
    if (path === '/aura' && method === 'POST') return (await auraEndpoint(ctx, sessionOf(ctx, req), body, res), true);
    if (!path.startsWith('/lightning')) return false;
    const session = sessionOf(ctx, req);
    if (!session) return (redirectToLogin(req, res), true);
    const bundle = /^\/lightning\/_bundle\/([0-9a-f]{32})\.js$/.exec(path);
    if (bundle) {
      const code = await deps.compiler.read(ctx.db, ctx.org.id, bundle[1]);
      if (code === undefined) return false;
      res.writeHead(200, {
        'Content-Type': 'text/javascript;charset=UTF-8',
        'Content-Length': String(Buffer.byteLength(code)),
        'Cache-Control': 'private, max-age=31536000, immutable',
      });
      res.end(code);
      return true;
    }
    const tab = /^\/lightning\/n\/([^/]+)\/?$/.exec(path);
    if (tab) {
      await tabPage(ctx, session, decodeURIComponent(tab[1]), res, { compiler: deps.compiler });
      return true;
    }
    if (path === HOME_PATH || path === '/lightning' || path === '/lightning/') return (homePage(ctx, res), true);
    sendHtml(
      res,
      404,
      renderPage({
        title: 'Page not found',
        orgName: ctx.org.name,
        body: errorBox(
          'Page not found',
          `The local platform has no Lightning page at ${path}.`,
          `It serves custom tabs whose content is a Lightning web component (/lightning/n/<Tab>) and ${HOME_PATH}.`,
        ),
      }),
    );
    return true;
  };
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}
