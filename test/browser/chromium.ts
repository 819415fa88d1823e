/**
 * A Chromium driven by playwright-core, with the flags a machine without network needs: no sandbox (CI runs
 * as root), no GPU, and no background traffic (QUIC, component updates, sync, first-run pages). playwright
 * gives every launch a fresh temporary profile (user-data-dir).
 *
 * Which Chromium: CHROMIUM_PATH if set; else a system `chromium` on PATH (Debian's package); else the one
 * npm installed with the project (@sparticuz/chromium ships the binary itself, brotli-compressed, and
 * inflates it into the temp folder), so `npm ci` then `npm test` needs nothing else on a fresh machine.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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

export interface ChromiumChoice {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
  /** What the browser's process needs on top of the environment (the npm build's own libraries and fonts). */
  env?: Record<string, string>;
}

function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(':').filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}

let npmBuild: Promise<ChromiumChoice> | undefined;
/**
 * The npm build, inflated once per process. It is linked against NSS and expat, which a machine without a
 * browser may lack: the package carries them (al2023.tar.br), put first on the browser's library path.
 */
function npmChromium(): Promise<ChromiumChoice> {
  npmBuild ??= (async () => {
    const { default: Sparticuz, inflate } = await import('@sparticuz/chromium');
    const executablePath = await Sparticuz.executablePath();
    const binDir = join(import.meta.dirname, '..', '..', 'node_modules', '@sparticuz', 'chromium', 'bin');
    const libs = join(await inflate(join(binDir, 'al2023.tar.br')), 'lib');
    const fonts = join(executablePath, '..', 'fonts');
    return {
      executablePath,
      source: 'npm' as const,
      env: { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_PATH: fonts },
    };
  })();
  return npmBuild;
}

/** Picks the Chromium to drive (see the file comment); `env` is the environment to look in. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH))
      throw new Error(
        `No browser at CHROMIUM_PATH=${env.CHROMIUM_PATH}: fix the path, or unset it to use the system chromium or the one npm installed.`,
      );
    return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  const system = onPath('chromium', env.PATH);
  if (system) return { executablePath: system, source: 'system' };
  return npmChromium();
}

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const choice = await findChromium(env);
  return chromium.launch({
    executablePath: choice.executablePath,
    args: CHROMIUM_ARGS,
    headless: true,
    ...(choice.env ? { env: { ...process.env, ...choice.env } as Record<string, string> } : {}),
  });
}
