/**
 * `/lightning/n/<Tab>`: the org's deployed CustomTab whose content is a Lightning web component, rendered
 * from what the org holds, in a page with a plain app header; and `/lightning/page/home`, which lists
 * the org's tabs. Every problem is a message on the page with what to do, never a blank page.
 */
import type { ServerResponse } from 'node:http';
import type { DatabaseSync } from 'node:sqlite';
import type { RequestContext } from '../http/contracts.ts';
import { getStoredComponent, listStoredComponents } from '../metadata/componentStore.ts';
import { getRecord } from '../../data/store.ts';
import { CompileProblem } from './compile.ts';
import type { BundleCompiler } from './bundleCompiler.ts';
import { errorBox, escapeHtml, renderPage, sendHtml } from './html.ts';
import type { BrowserSession } from './uiSessions.ts';
import { findFlexiPage, pageLayout, tabComponents } from './flexiPages.ts';

export interface DeployedTab {
  name: string;
  label: string;
  lwcComponent?: string;
  /** A Lightning App page (FlexiPage) the tab shows. */
  flexiPage?: string;
  /** What the tab shows instead, when it is not an LWC tab (customObject, flexiPage, url, …). */
  otherKind?: string;
}

const xmlValue = (xml: string, tag: string): string | undefined => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m
    ? m[1]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
        .trim()
    : undefined;
};

function tabXml(files: Record<string, string>): string {
  const path = Object.keys(files).find((p) => p.endsWith('.tab') || p.endsWith('.tab-meta.xml')) ?? Object.keys(files)[0];
  return path ? Buffer.from(files[path], 'base64').toString('utf8') : '';
}

function toTab(name: string, files: Record<string, string>): DeployedTab {
  const xml = tabXml(files);
  const lwcComponent = xmlValue(xml, 'lwcComponent');
  const flexiPage = lwcComponent ? undefined : xmlValue(xml, 'flexiPage');
  const otherKind =
    lwcComponent || flexiPage ? undefined : ['customObject', 'url', 'page', 'auraComponent'].find((k) => xml.includes(`<${k}>`));
  return { name, label: xmlValue(xml, 'label') ?? name, lwcComponent, flexiPage, otherKind };
}

export function findTab(db: DatabaseSync, orgId: string, name: string): DeployedTab | undefined {
  const c = getStoredComponent(db, orgId, 'CustomTab', name);
  return c ? toTab(c.fullName, c.files) : undefined;
}

export function listTabs(db: DatabaseSync, orgId: string): DeployedTab[] {
  return listStoredComponents(db, orgId, 'CustomTab').map((c) => toTab(c.fullName, c.files));
}

export interface TabPageDeps {
  compiler: BundleCompiler;
}

export async function tabPage(
  ctx: RequestContext,
  session: BrowserSession,
  tabName: string,
  res: ServerResponse,
  deps: TabPageDeps,
): Promise<void> {
  const orgName = ctx.org.name;
  const page = (status: number, title: string, body: string, tabLabel?: string) =>
    sendHtml(res, status, renderPage({ title: `${title} | ${orgName}`, orgName, tabLabel, body }));
  const tab = findTab(ctx.db, ctx.org.id, tabName);
  if (!tab) {
    return page(
      404,
      'Page not found',
      errorBox(
        'Page not found',
        `This org has no tab named ${tabName}.`,
        'Deploy the CustomTab (sf project deploy start), or open a tab from the home page: /lightning/page/home',
      ),
    );
  }
  if (!tab.lwcComponent && !tab.flexiPage) {
    return page(
      501,
      tab.label,
      errorBox(
        `${tab.label} cannot be shown here`,
        `The local platform renders tabs whose content is a Lightning web component or a Lightning App page; ${tab.name} is a ${tab.otherKind ?? 'different kind of'} tab.`,
        'Open it in a real org.',
      ),
      tab.label,
    );
  }
  const flexi = tab.flexiPage ? findFlexiPage(ctx.db, ctx.org.id, tab.flexiPage) : undefined;
  if (tab.flexiPage && !flexi) {
    return page(
      404,
      tab.label,
      errorBox(
        `${tab.label} cannot be shown`,
        `The tab shows the Lightning page ${tab.flexiPage}, which this org does not have.`,
        'Deploy the FlexiPage with the tab (sf project deploy start).',
      ),
      tab.label,
    );
  }
  const layout = flexi ? pageLayout(ctx.db, ctx.org.id, flexi) : undefined;
  const component = tabComponents(ctx.db, ctx.org.id, tab);
  let bundle;
  try {
    if (!component) {
      // A page of standard components only: nothing to compile, the page shows their placeholders.
      throw new CompileProblem(
        `The Lightning page ${tab.flexiPage} places no custom component.`,
        'Add a custom component to the page in Lightning App Builder, or open it in a real org.',
      );
    }
    bundle = await deps.compiler.compile(ctx.db, ctx.org.id, component);
  } catch (e) {
    if (!(e instanceof CompileProblem)) throw e;
    return page(500, tab.label, errorBox(`${tab.label} could not be rendered`, e.message, e.fix), tab.label);
  }
  const body = `<div id="lp-errors"></div><div id="lp-root" data-id="tab-content"></div>`;
  const user = getRecord(ctx.db, ctx.org.id, session.userId);
  sendHtml(
    res,
    200,
    renderPage({
      title: `${tab.label} | ${orgName}`,
      orgName,
      tabLabel: tab.label,
      body,
      bootstrap: {
        data: {
          orgId: ctx.org.id,
          userId: session.userId,
          username: user?.fields.Username,
          csrf: session.csrf,
          tab: tab.name,
          component,
          page: layout,
        },
        scriptUrl: `/lightning/_bundle/${bundle.key}.js`,
      },
    }),
  );
}

export function homePage(ctx: RequestContext, res: ServerResponse): void {
  const tabs = listTabs(ctx.db, ctx.org.id);
  const items = tabs.map(
    (t) =>
      `<li class="slds-item"><a href="/lightning/n/${encodeURIComponent(t.name)}">${escapeHtml(t.label)}</a>${t.lwcComponent || t.flexiPage ? '' : ` <span class="slds-text-color_weak">(${escapeHtml(t.otherKind ?? 'not an LWC tab')})</span>`}</li>`,
  );
  const body = `<div class="slds-box slds-theme_default"><h1 class="slds-text-heading_medium slds-m-bottom_small">Home</h1>
${tabs.length ? `<p class="slds-m-bottom_small">Tabs deployed to this org:</p><ul class="slds-has-dividers_bottom-space">${items.join('')}</ul>` : '<p>No custom tabs are deployed to this org yet.</p>'}
<p class="slds-m-top_medium slds-text-color_weak">The local platform renders custom tabs whose content is a Lightning web component or a Lightning App page; other Lightning pages exist only in a real org.</p></div>`;
  sendHtml(res, 200, renderPage({ title: `Home | ${ctx.org.name}`, orgName: ctx.org.name, tabLabel: 'Home', body }));
}
