/** The HTML around every browser page of the local platform: SLDS, a plain app header, a body. */
import type { ServerResponse } from 'node:http';

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Where the SLDS stylesheet and icon sprites are served (assets.ts); base components' default sprite path too. */
export const SLDS_BASE = '/assets';

export interface PageParts {
  title: string;
  /** Shown in the header: the org's name, and the tab when there is one. */
  orgName?: string;
  tabLabel?: string;
  /** Trusted HTML (callers escape what they interpolate). */
  body: string;
  /** Inline JSON for the page's script, and the script's URL. */
  bootstrap?: { data: unknown; scriptUrl: string };
}

function header(orgName: string, tabLabel?: string): string {
  const tab = tabLabel
    ? `<ul class="slds-grid"><li class="slds-context-bar__item slds-is-active"><span class="slds-context-bar__label-action" data-id="tab-label" aria-current="page">${escapeHtml(tabLabel)}</span></li></ul>`
    : '';
  return `<header><div class="slds-grid slds-grid_vertical-align-center slds-p-horizontal_medium slds-p-vertical_small slds-theme_default">
<span class="slds-text-heading_small" data-id="org-name">${escapeHtml(orgName)}</span><span class="slds-badge slds-m-left_small">local platform</span></div>
<nav class="slds-context-bar"><div class="slds-context-bar__primary"><div class="slds-context-bar__item slds-no-hover"><span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate">Lightning</span></span></div></div>${tab}</nav></header>`;
}

export function renderPage(p: PageParts): string {
  // `<` escaped so the JSON cannot close the script element.
  const boot = p.bootstrap
    ? `<script type="application/json" id="lp-bootstrap">${JSON.stringify(p.bootstrap.data).replace(/</g, '\\u003c')}</script><script src="${escapeHtml(p.bootstrap.scriptUrl)}" defer></script>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title>
<link rel="stylesheet" href="${SLDS_BASE}/styles/salesforce-lightning-design-system.min.css">
<style>html,body{background:#f3f3f3;min-height:100%}main{padding:.75rem}.lp-error{white-space:pre-wrap}</style></head>
<body class="slds-scope">${p.orgName ? header(p.orgName, p.tabLabel) : ''}<main>${p.body}</main>${boot}</body></html>`;
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html;charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'SAMEORIGIN',
    ...headers,
  });
  res.end(html);
}

/** An SLDS error box with a title, the message and what to do. */
export function errorBox(title: string, message: string, fix?: string): string {
  return `<div class="slds-box slds-theme_default" role="alert" data-id="page-error"><h2 class="slds-text-heading_medium slds-m-bottom_small">${escapeHtml(title)}</h2>
<p class="lp-error slds-text-color_error">${escapeHtml(message)}</p>${fix ? `<p class="slds-m-top_small">${escapeHtml(fix)}</p>` : ''}</div>`;
}
