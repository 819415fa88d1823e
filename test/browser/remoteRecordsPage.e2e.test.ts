/**
 * Issue 20's done-when in a real Chromium: after `setup:orgs --objects Account,Contact --providers 2` on
 * the local platform, the URL `sf org open --url-only` prints for the page it names opens A's Remote
 * Records App page (a FlexiPage deployed by setup), whose two remoteRecords components show Accounts and
 * Contacts from both source orgs in one table each, with a Source column.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedWorld, root, type Isolated } from '../provisioning/commandHarness.ts';
import { launchChromium } from './chromium.ts';

const PAGE_PATH = 'lightning/n/Remote_Records';
const ARTIFACTS = join(root, '.local', 'browser');

let world: Isolated;
let browser: Browser;
let setup: Record<string, any>;
const contexts: BrowserContext[] = [];

async function sfOrgOpenUrl(): Promise<string> {
  const run = await execa(
    join(root, 'node_modules', '.bin', 'sf'),
    ['org', 'open', '--target-org', setup.consumer.alias, '--path', PAGE_PATH, '--url-only', '--json'],
    { cwd: root, env: world.env, reject: false },
  );
  const out = JSON.parse(run.stdout) as { status: number; result?: { url: string } };
  expect(out.status, run.stdout).toBe(0);
  return out.result!.url;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1200 } });
  contexts.push(context);
  return context.newPage();
}

/** The rows of a component's table as [Source, first field] once it shows them; an error on the page fails with its text. */
async function rowsOf(page: Page, index: number): Promise<string[][]> {
  const holder = page.locator('[data-component="c:remoteRecords"]').nth(index);
  const problem = page.locator('[data-id="page-error"]');
  await holder.locator('[data-id="table"] tbody tr').or(problem).first().waitFor({ timeout: 90_000 });
  if (await problem.count()) throw new Error(`The page shows an error: ${await problem.first().innerText()}`);
  return holder.locator('[data-id="table"] tbody tr').evaluateAll((rows) =>
    rows.map((r) =>
      [...r.querySelectorAll('th, td')]
        .map((c) => (c as HTMLElement).innerText.trim())
        .filter(Boolean)
        .slice(0, 2),
    ),
  );
}

beforeAll(async () => {
  world = await isolatedWorld('browser-remote-');
  const [run] = await Promise.all([
    world.cli('setupOrgs', ['--objects', 'Account,Contact', '--providers', '2']),
    launchChromium().then((b) => (browser = b)),
    mkdir(ARTIFACTS, { recursive: true }),
  ]);
  expect(run.json.status, JSON.stringify(run.json)).toBe(0);
  setup = run.json.result!;
}, 900_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await world?.cleanup();
});

describe('the Remote Records App page in Chromium', () => {
  it('setup verified every object from both source orgs', () => {
    expect(setup.extraProviders.map((p: { alias: string }) => p.alias)).toEqual([`${setup.provider.alias}-2`]);
    expect(
      setup.remoteRecords.map((c: { object: string; connection: string; ok: boolean }) => `${c.object}@${c.connection}:${c.ok}`).sort(),
    ).toEqual(['Account@Default:true', 'Account@Provider_2:true', 'Contact@Default:true', 'Contact@Provider_2:true']);
  });

  it(
    "sf org open's URL shows Accounts and Contacts from both source orgs, one table per object with a Source column",
    { timeout: 240_000 },
    async () => {
      const page = await newPage();
      await page.goto(await sfOrgOpenUrl(), { timeout: 200_000 });
      expect(new URL(page.url()).pathname).toBe(`/${PAGE_PATH}`);
      expect(await page.locator('[data-id="tab-label"]').innerText()).toBe('Remote Records');
      expect(await page.locator('[data-component="c:remoteRecords"]').count()).toBe(2);
      const sources = [setup.provider.alias, `${setup.provider.alias}-2`].sort();
      const accounts = await rowsOf(page, 0);
      const contacts = await rowsOf(page, 1);
      await page.screenshot({ path: join(ARTIFACTS, 'remote-records-page.png'), fullPage: true });
      expect([...new Set(accounts.map((r) => r[0]))].sort()).toEqual(sources);
      expect([...new Set(contacts.map((r) => r[0]))].sort()).toEqual(sources);
      expect(accounts.map((r) => r[1])).toContain('Org B Sample Account 12');
      // Newest first, ten per source: the last sample Contacts imported (the first ones are on the next page).
      expect(contacts.map((r) => r[1])).toContain('Margaret Hamilton');
      // Each table has the Source column first, then the object's exposed fields with B's labels.
      const header = await page.locator('[data-component="c:remoteRecords"]').nth(1).locator('[data-id="table"] thead th').allInnerTexts();
      // innerText carries the datatable's assistive "Show … column actions" after each label.
      expect(
        header
          .map((h) => h.trim().split('\n')[0])
          .filter(Boolean)
          .slice(0, 2),
      ).toEqual(['Source', 'Name']);
      expect(await page.locator('[data-id="page-error"]').count()).toBe(0);
    },
  );
});
