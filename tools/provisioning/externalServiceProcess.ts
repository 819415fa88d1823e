/**
 * The reference external service as a background process on 127.0.0.1, for `setup:orgs
 * --external-service` on the local platform: started detached (like the local platform) with its settings
 * in the environment, its pid, settings and log in `<work>/external-service/`, reused by a re-run with
 * the same settings, stopped by `teardown`. The certificate it trusts is A's public PEM (no secret).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { backgroundEnv, isAlive as alive, spawnBackground, stopBackground } from '../core/background.ts';
import { ENV } from '../external-service/config.ts';
import { projectRoot } from './sfCli.ts';

export interface LocalServiceSettings {
  issuer: string;
  subjects: string[];
  certificatePem: string;
}

export interface LocalServiceInfo {
  pid: number;
  url: string;
  issuer: string;
  subjects: string[];
  fingerprint: string;
}

const folder = (workDir: string) => join(workDir, 'external-service');
const infoFile = (workDir: string) => join(folder(workDir), 'service.json');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** The running service this work folder started, if it still answers. */
export async function runningLocalService(workDir: string): Promise<LocalServiceInfo | undefined> {
  if (!existsSync(infoFile(workDir))) return undefined;
  const info = JSON.parse(readFileSync(infoFile(workDir), 'utf8')) as LocalServiceInfo;
  return alive(info.pid) && (await healthy(info.url)) ? info : undefined;
}

/** Starts the service (or keeps the one running with the same settings); returns where it listens. */
export async function ensureLocalService(workDir: string, settings: LocalServiceSettings, fingerprint: string): Promise<LocalServiceInfo> {
  const running = await runningLocalService(workDir);
  const same = (i: LocalServiceInfo) =>
    i.issuer === settings.issuer && i.fingerprint === fingerprint && i.subjects.join(',') === settings.subjects.join(',');
  if (running && same(running)) return running;
  await stopLocalService(workDir);
  const dir = folder(workDir);
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, 'trusted-certificate.pem');
  writeFileSync(certFile, settings.certificatePem);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // This Node (the project's 22) with tsx's loader; only what the service needs in its environment.
  const pid = spawnBackground(join(projectRoot, 'tools', 'external-service', 'main.ts'), {
    cwd: projectRoot,
    logFile: join(dir, 'service.log'),
    env: backgroundEnv({
      [ENV.host]: '127.0.0.1',
      [ENV.port]: String(port),
      [ENV.issuer]: settings.issuer,
      [ENV.subjects]: settings.subjects.join(','),
      [ENV.certFile]: certFile,
      [ENV.audience]: url,
    }),
  });
  const info: LocalServiceInfo = { pid, url, issuer: settings.issuer, subjects: settings.subjects, fingerprint };
  writeFileSync(infoFile(workDir), `${JSON.stringify(info, null, 2)}\n`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await healthy(url)) return info;
    if (!alive(info.pid)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = existsSync(join(dir, 'service.log'))
    ? readFileSync(join(dir, 'service.log'), 'utf8').trim().split('\n').slice(-3).join(' | ')
    : '';
  await stopLocalService(workDir);
  throw new ToolError(`The external service did not start on ${url}${tail ? `: ${tail}` : ''}.`, 'ExternalServiceStartFailed', [
    `Read ${join(dir, 'service.log')}, or start it by hand with npm run external-service to see why.`,
  ]);
}

/** Stops the service this work folder started, if any. */
export async function stopLocalService(workDir: string): Promise<boolean> {
  if (!existsSync(infoFile(workDir))) return false;
  const info = JSON.parse(readFileSync(infoFile(workDir), 'utf8')) as LocalServiceInfo;
  rmSync(infoFile(workDir), { force: true });
  if (!alive(info.pid)) return false;
  await stopBackground(info.pid, 5_000);
  return true;
}
