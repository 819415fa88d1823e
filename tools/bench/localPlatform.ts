/**
 * Local platform figures: token-endpoint throughput with real RS256 verification next to a plain
 * node:http server answering the same requests with fixed JSON (same client loop), and the wall time
 * of the real `sf org login jwt`, `sf org create scratch` and `sf org delete scratch` against it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startPlatform } from '../local-platform/http/server.ts';
import { jwtAssertion } from './figures.ts';

const REQUESTS = 1500;
const CONCURRENCY = 8;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function loop(url: string, body: string): Promise<{ rps: number; ms: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      const r = await fetch(`${url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      const j = (await r.json()) as { access_token?: string };
      if (r.status !== 200 || !j.access_token) failures++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - started;
  return { rps: (REQUESTS / ms) * 1000, ms, failures };
}

async function sfTimed(env: NodeJS.ProcessEnv, cwd: string, args: string[]): Promise<number> {
  const sf = fileURLToPath(new URL('../../node_modules/.bin/sf', import.meta.url));
  const t = performance.now();
  const r = await execa(sf, [...args, '--json'], { env, cwd, reject: false, timeout: 180_000 });
  if (r.exitCode !== 0) throw new Error(`sf ${args.slice(0, 3).join(' ')} failed: ${String(r.stdout).slice(0, 300)}`);
  return performance.now() - t;
}

export async function run(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'lp-bench-'));
  const platform = await startPlatform({ home, port: 0 });
  const plain = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const text = JSON.stringify({
        access_token: '00D000000000001!AQfixed',
        instance_url: 'http://127.0.0.1',
        id: 'x',
        token_type: 'Bearer',
        scope: 'web api full',
        issued_at: '0',
      });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
    });
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  try {
    const key = readFileSync(platform.cliApp.keyPath, 'utf8');
    const body = new URLSearchParams({
      grant_type: JWT_GRANT,
      assertion: jwtAssertion(platform.cliApp.clientId, platform.adminUsername, platform.url, key),
    }).toString();
    await loop(plainUrl, body); // warm-up both sides
    const base = await loop(plainUrl, body);
    const ours = await loop(platform.url, body);
    console.log(`token endpoint, ${REQUESTS} requests, ${CONCURRENCY} concurrent (same client loop):`);
    console.log(`  plain node:http fixed JSON : ${base.rps.toFixed(0)} req/s (${base.ms.toFixed(0)} ms, ${base.failures} failures)`);
    console.log(`  local platform, RS256 check: ${ours.rps.toFixed(0)} req/s (${ours.ms.toFixed(0)} ms, ${ours.failures} failures)`);
    console.log(`  overhead: ${(base.rps / ours.rps).toFixed(1)}x slower than fixed JSON`);

    const work = mkdtempSync(join(tmpdir(), 'lp-bench-sf-'));
    const env = {
      ...process.env,
      HOME: join(work, 'home'),
      XDG_CONFIG_HOME: join(work, 'home', '.config'),
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      NODE_NO_WARNINGS: '1',
    };
    writeFileSync(join(work, 'def.json'), JSON.stringify({ edition: 'Developer', features: ['API', 'AuthorApex', 'PlatformCache'] }));
    try {
      const login = await sfTimed(env, work, [
        'org',
        'login',
        'jwt',
        '--instance-url',
        platform.url,
        '--client-id',
        platform.cliApp.clientId,
        '--jwt-key-file',
        platform.cliApp.keyPath,
        '--username',
        platform.adminUsername,
        '--alias',
        'hub',
        '--set-default-dev-hub',
      ]);
      const create = await sfTimed(env, work, [
        'org',
        'create',
        'scratch',
        '--target-dev-hub',
        'hub',
        '--definition-file',
        join(work, 'def.json'),
        '--alias',
        'bench',
        '--wait',
        '5',
      ]);
      const del = await sfTimed(env, work, ['org', 'delete', 'scratch', '--target-org', 'bench', '--no-prompt']);
      console.log('sf CLI against the local Dev Hub (wall time, includes CLI start-up):');
      console.log(`  sf org login jwt       : ${(login / 1000).toFixed(1)} s`);
      console.log(`  sf org create scratch  : ${(create / 1000).toFixed(1)} s`);
      console.log(`  sf org delete scratch  : ${(del / 1000).toFixed(1)} s`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    await new Promise<void>((r) => plain.close(() => r()));
    await platform.close();
    rmSync(home, { recursive: true, force: true });
  }
}
