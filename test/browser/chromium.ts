/**
 * Debian's chromium driven by playwright-core, with the flags a machine without network needs: no
 * sandbox (CI runs as root), no GPU, and no background traffic (QUIC, component updates, sync, first-run
 * pages). playwright gives every launch a fresh temporary profile (user-data-dir).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH.`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
