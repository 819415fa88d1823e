/**
 * What a person sees: after `setup:orgs` on the local platform, the URL `sf org open --url-only` prints
 * opens Org A's "Org B Accounts" tab in a real Chromium, rendered from the component deployed to A, with
 * B's latest Accounts fetched through A's Apex, the JWT exchange and the callout to B. One setup world
 * and one browser for every case; each case gets a fresh browser context (no cookies). The first case
 * runs `sf org open` as a user does; later ones ask the same library call in this process
 * (sfdx-core's Org.getFrontDoorUrl, with the world's auth files), which spares an sf start each.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Org } from '@salesforce/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedWorld, root, type Isolated } from '../provisioning/commandHarness.ts';
import { launchChromium } from './chromium.ts';

const TAB_PATH = 'lightning/n/Org_B_Accounts';
export const ARTIFACTS = join(root, '.local', 'browser');

let world: Isolated;
let browser: Browser;
let setup: Record<string, any>;
let orgA: Org;
let orgB: Org;
const contexts: BrowserContext[] = [];

/** `npx sf org open --url-only --json` for A, as a user runs it. */
async function sfOrgOpenUrl(): Promise<string> {
  const run = await execa(
    join(root, 'node_modules', '.bin', 'sf'),
    ['org', 'open', '--target-org', setup.consumer.alias, '--path', TAB_PATH, '--url-only', '--json'],
    {
      cwd: root,
      env: world.env,
      reject: false,
    },
  );
  const out = JSON.parse(run.stdout) as { status: number; result?: { url: string } };
  expect(out.status, run.stdout).toBe(0);
  return out.result!.url;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  return context.newPage();
}

const rowNames = (page: Page) =>
  page
    .locator('[data-id="table"] tbody tr')
    .evaluateAll((rows) => rows.map((r) => (r.querySelector('th, td') as HTMLElement).innerText.trim()));

/** The Account names the card lists, once it shows them; an error on the page fails with its text. */
async function shownAccounts(page: Page): Promise<string[]> {
  const problem = page.locator('[data-id="page-error"], [data-id="error"]');
  await page.locator('[data-id="table"] tbody tr').or(problem).first().waitFor({ timeout: 60_000 });
  if (await problem.count()) throw new Error(`The tab shows an error instead of the Accounts: ${await problem.first().innerText()}`);
  return rowNames(page);
}

/** A's single-use front-door URL to the tab, from the call `sf org open` makes. */
const frontDoorUrl = (): Promise<string> => orgA.getFrontDoorUrl(TAB_PATH);

beforeAll(async () => {
  world = await isolatedWorld('browser-e2e-');
  const [run] = await Promise.all([
    world.cli('setupOrgs'),
    launchChromium().then((b) => (browser = b)),
    mkdir(ARTIFACTS, { recursive: true }),
  ]);
  expect(run.json.status, JSON.stringify(run.json)).toBe(0);
  setup = run.json.result!;
  // The sf libraries read the auth files of the world's HOME (this test file has a process of its own).
  Object.assign(process.env, world.env);
  const { Org } = await import('@salesforce/core');
  [orgA, orgB] = await Promise.all([
    Org.create({ aliasOrUsername: setup.consumer.alias }),
    Org.create({ aliasOrUsername: setup.provider.alias }),
  ]);
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await world?.cleanup();
});

describe("Org A's Org B Accounts tab in Chromium", () => {
  it("sf org open's URL logs in and shows B's 10 latest Accounts in B's order", { timeout: 180_000 }, async () => {
    const page = await newPage();
    // The platform compiles the tab's bundle when the deploy lands; the first view may wait for the rest of it.
    await page.goto(await sfOrgOpenUrl(), { timeout: 150_000 });
    expect(new URL(page.url()).pathname).toBe(`/${TAB_PATH}`);
    expect(await shownAccounts(page)).toEqual(setup.verify.accounts.map((a: { name: string }) => a.name));
    expect(await page.locator('[data-id="org-name"]').innerText()).toBe('Org A (consumer)');
    expect(await page.locator('[data-id="tab-label"]').innerText()).toBe('Org B Accounts');
    expect(await page.locator('lightning-card').getByText('Latest Accounts in Org B').isVisible()).toBe(true);
    // SLDS applies (not an unstyled page): the card is a white box and the refresh icon has a sprite.
    expect(await page.locator('article.slds-card').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(255, 255, 255)');
    expect(await page.locator('[data-id="refresh"] use').getAttribute('href')).toMatch(
      /\/assets\/icons\/utility-sprite\/svg\/symbols\.svg#refresh$/,
    );
    expect(await page.locator('[data-id="page-error"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'org-b-accounts-tab.png'), fullPage: true });
  });

  it('the refresh button fetches from B again', async () => {
    const page = await newPage();
    await page.goto(await frontDoorUrl());
    expect(await shownAccounts(page)).toHaveLength(10);
    const name = `Browser Refresh ${Date.now()}`;
    const created = await orgB.getConnection().sobject('Account').create({ Name: name });
    expect(created.success, JSON.stringify(created)).toBe(true);
    expect((await rowNames(page))[0]).not.toBe(name);
    await page.locator('[data-id="refresh"] button').click();
    await expect.poll(async () => (await rowNames(page))[0], { timeout: 30_000 }).toBe(name);
    expect(await rowNames(page)).toHaveLength(10);
  });

  it('a browser without a session gets the login page, not the tab', async () => {
    const page = await newPage();
    const response = await page.goto(`${setup.consumer.instanceUrl}/${TAB_PATH}`);
    expect(response!.status()).toBe(200);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('startURL')).toBe(`/${TAB_PATH}`);
    expect(await page.locator('[data-id="login"] h1').innerText()).toBe('Log in to Org A (consumer)');
    expect(await page.locator('[data-id="login-command"]').innerText()).toContain(
      `npx sf org open --target-org <alias of this org> --path ${TAB_PATH}`,
    );
    expect(await page.locator('[data-id="table"]').count()).toBe(0);
  });

  it('a front-door URL works once: a second browser using it is refused and gets no session', async () => {
    const url = await frontDoorUrl();
    const first = await newPage();
    await first.goto(url);
    expect(new URL(first.url()).pathname).toBe(`/${TAB_PATH}`);
    const second = await newPage();
    const response = await second.goto(url);
    expect(response!.status()).toBe(401);
    expect(await second.locator('[data-id="page-error"]').innerText()).toContain('This front-door link was already used');
    expect(await second.context().cookies()).toEqual([]);
    await second.goto(`${setup.consumer.instanceUrl}/${TAB_PATH}`);
    expect(new URL(second.url()).pathname).toBe('/');
  });

  it("when B refuses (the integration user lost its permission set) the card shows B's answer and the fix", async () => {
    const conn = orgB.getConnection();
    const rows = await conn.query<{ Id: string }>(
      `SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${setup.integrationUsername}' AND PermissionSet.Name = 'Account_Retriever_Integration'`,
    );
    expect(rows.records).toHaveLength(1);
    await conn.sobject('PermissionSetAssignment').destroy(rows.records[0].Id);
    const page = await newPage();
    await page.goto(await frontDoorUrl());
    const error = page.locator('[data-id="error"]');
    await error.waitFor({ timeout: 60_000 });
    const text = await error.innerText();
    expect(text).toMatch(/^Could not load the Accounts of Org B\. /);
    expect(text).toContain('Account_Retriever_Integration');
    expect(await page.locator('[data-id="table"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'org-b-accounts-tab-refused.png'), fullPage: true });
  });
});
