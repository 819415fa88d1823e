/**
 * On a machine without a system browser (no CHROMIUM_PATH, no `chromium` on PATH), the browser tests drive
 * the Chromium npm installed (@sparticuz/chromium): it must launch with playwright-core and render a page.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { findChromium, launchChromium } from './chromium.ts';

let browser: Browser | undefined;
afterAll(async () => browser?.close());

describe('the Chromium npm installs', () => {
  it('is chosen when no system chromium exists, and launches and renders with playwright-core', async () => {
    const noSystemBrowser = { ...process.env, PATH: '/nonexistent', CHROMIUM_PATH: undefined };
    const choice = await findChromium(noSystemBrowser);
    expect(choice.source).toBe('npm');
    expect(choice.executablePath).not.toBe('/usr/bin/chromium');
    browser = await launchChromium(noSystemBrowser);
    const page = await browser.newPage();
    await page.setContent('<title>npm chromium</title><p id="p">rendered by <b>npm</b>’s Chromium</p>');
    expect(await page.title()).toBe('npm chromium');
    expect(await page.locator('#p').innerText()).toBe('rendered by npm’s Chromium');
    expect((await page.screenshot()).length).toBeGreaterThan(1000);
  });

  it('refuses a CHROMIUM_PATH that does not exist, naming it', async () => {
    await expect(findChromium({ CHROMIUM_PATH: '/nowhere/chrome' })).rejects.toThrow('No browser at CHROMIUM_PATH=/nowhere/chrome');
  });
});
