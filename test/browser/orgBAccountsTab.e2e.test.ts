/**
 * What a person sees: after `setup:orgs` on the local platform, the URL `sf org open --url-only` prints
 * opens Org A's "Org B Accounts" tab in a real Chromium, rendered from the component deployed to A, with
 * B's latest Accounts fetched through A's Apex, the JWT exchange and the callout to B. One setup world
 * for every case; each case gets a fresh browser context (no cookies).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedWorld, root, tsx, type Isolated } from '../provisioning/commandHarness.ts';
import { launchChromium } from './chromium.ts';

const TAB_PATH = 'lightning/n/Org_B_Accounts';
export const ARTIFACTS = join(root, '.local', 'browser');

let world: Isolated;
let browser: Browser;
let setup: Record<string, any>;
const contexts: BrowserContext[] = [];

/** `npx sf org open --url-only --json` for A, as a user runs it. */
async function frontDoorUrl(): Promise<string> {
  const run = await execa(join(root, 'node_modules', '.bin', 'sf'), ['org', 'open', '--target-org', setup.consumer.alias, '--path', TAB_PATH, '--url-only', '--json'], {
    cwd: root,
    env: world.env,
    reject: false,
  });
  const out = JSON.parse(run.stdout) as { status: number; result?: { url: string } };
  expect(out.status, run.stdout).toBe(0);
  return out.result!.url;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  return context.newPage();
}

const rowNames = (page: Page) => page.locator('[data-id="table"] tbody tr').evaluateAll((rows) => rows.map((r) => (r.querySelector('th, td') as HTMLElement).innerText.trim()));

/** The Account names the card lists, once it shows them; an error on the page fails with its text. */
async function shownAccounts(page: Page): Promise<string[]> {
  const problem = page.locator('[data-id="page-error"], [data-id="error"]');
  await page.locator('[data-id="table"] tbody tr').or(problem).first().waitFor({ timeout: 60_000 });
  if (await problem.count()) throw new Error(`The tab shows an error instead of the Accounts: ${await problem.first().innerText()}`);
  return rowNames(page);
}

/** Runs code with the sf libraries in a child process with the world's HOME (where the auth files are). */
async function inOrgs(script: string): Promise<void> {
  const file = join(root, '.local', `browser-script-${process.pid}-${Date.now()}.mts`);
  await writeFile(file, script);
  const child = await execa(tsx, [file], { cwd: root, env: world.env, reject: false }).finally(() => rm(file, { force: true }));
  if (child.exitCode !== 0) throw new Error(`script failed: ${child.stderr}`);
}

beforeAll(async () => {
  world = await isolatedWorld('browser-e2e-');
  const run = await world.cli('setupOrgs');
  expect(run.json.status, JSON.stringify(run.json)).toBe(0);
  setup = run.json.result!;
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await world?.cleanup();
});

describe("Org A's Org B Accounts tab in Chromium", () => {
  // One retry: the first tab view after a platform start compiles the bundle and the orgs' Apex in
  // fresh workers; on a loaded 2-core machine that has outlasted Apex's 10 s callout timeout.
  it("sf org open's URL logs in and shows B's 10 latest Accounts in B's order", { retry: 1, timeout: 300_000 }, async () => {
    const page = await newPage();
    // The first view compiles the deployed component (rollup + LWC): allow for it.
    await page.goto(await frontDoorUrl(), { timeout: 180_000 });
    expect(new URL(page.url()).pathname).toBe(`/${TAB_PATH}`);
    expect(await shownAccounts(page)).toEqual(setup.verify.accounts.map((a: { name: string }) => a.name));
    expect(await page.locator('[data-id="org-name"]').innerText()).toBe('Org A (consumer)');
    expect(await page.locator('[data-id="tab-label"]').innerText()).toBe('Org B Accounts');
    expect(await page.locator('lightning-card').getByText('Latest Accounts in Org B').isVisible()).toBe(true);
    // SLDS applies (not an unstyled page): the card is a white box and the refresh icon has a sprite.
    expect(await page.locator('article.slds-card').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(255, 255, 255)');
    expect(await page.locator('[data-id="refresh"] use').getAttribute('href')).toMatch(/\/assets\/icons\/utility-sprite\/svg\/symbols\.svg#refresh$/);
    expect(await page.locator('[data-id="page-error"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'org-b-accounts-tab.png'), fullPage: true });
  });

  it('the refresh button fetches from B again', async () => {
    const page = await newPage();
    await page.goto(await frontDoorUrl());
    expect(await shownAccounts(page)).toHaveLength(10);
    const name = `Browser Refresh ${Date.now()}`;
    await inOrgs(`import { Org } from '@salesforce/core';
const conn = (await Org.create({ aliasOrUsername: ${JSON.stringify(setup.provider.alias)} })).getConnection();
const r = await conn.sobject('Account').create({ Name: ${JSON.stringify(name)} });
if (!r.success) throw new Error(JSON.stringify(r));`);
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
    expect(await page.locator('[data-id="login-command"]').innerText()).toContain(`npx sf org open --target-org <alias of this org> --path ${TAB_PATH}`);
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
    await inOrgs(`import { Org } from '@salesforce/core';
const conn = (await Org.create({ aliasOrUsername: ${JSON.stringify(setup.provider.alias)} })).getConnection();
const rows = await conn.query("SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${setup.integrationUsername}' AND PermissionSet.Name = 'Account_Retriever_Integration'");
if (rows.records.length !== 1) throw new Error('expected one assignment, got ' + rows.records.length);
await conn.sobject('PermissionSetAssignment').destroy(rows.records[0].Id);`);
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
