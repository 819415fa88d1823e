import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { isolatedSfEnv } from './helpers.ts';

/** `npm run local-orgs -- start|status|stop|reset` end to end: background process, sf login, state wipe. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let work: string;
let env: NodeJS.ProcessEnv;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function localOrgs(...args: string[]) {
  return localOrgsWith({}, ...args);
}

async function localOrgsWith(extra: NodeJS.ProcessEnv, ...args: string[]) {
  const r = await execa(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'tools/cli/localOrgs.ts'), ...args], {
    env: { ...env, ...extra },
    cwd: ROOT,
    reject: false,
    timeout: 90_000,
  });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lp-cli-'));
  env = { ...isolatedSfEnv(join(work, 'home')), LOCAL_SF_HOME: join(work, 'platform'), LOCAL_SF_PORT: String(await freePort()) };
});
afterAll(async () => {
  await localOrgs('stop');
  rmSync(work, { recursive: true, force: true });
});

describe('local-orgs command', () => {
  it('start --json prints exactly the URL, username, client id and key path, and logs the sf CLI in', async () => {
    const r = await localOrgs('start', '--json');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(Object.keys(info).sort()).toEqual(['clientId', 'instanceUrl', 'keyPath', 'username']);
    expect(info.instanceUrl).toBe(`http://127.0.0.1:${env.LOCAL_SF_PORT}`);
    expect(info.username).toBe('admin@devhub.local');
    expect(statSync(info.keyPath).mode & 0o777).toBe(0o600);
    expect(r.stdout).not.toContain('PRIVATE KEY');
    const aliases = readFileSync(join(work, 'home', '.sfdx', 'alias.json'), 'utf8');
    expect(JSON.parse(aliases).orgs['local-devhub']).toBe('admin@devhub.local');
    const again = await localOrgs('start', '--no-login');
    expect(again.stdout).toContain('already running');
  });

  it('status reports the running server and its orgs', async () => {
    const r = await localOrgs('status', '--json');
    const s = JSON.parse(r.stdout);
    expect(s.running).toBe(true);
    expect(s.orgs.map((o: { kind: string }) => o.kind)).toEqual(['devhub']);
  });

  it('import-keystore imports a JKS into a local org with the password from the environment, and reports a wrong one', async () => {
    const jks = join(work, 'signing.jks');
    await execa('keytool', [
      '-genkeypair',
      '-alias',
      'Imported_Cert',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-keystore',
      jks,
      '-storepass',
      'secret123',
      '-keypass',
      'secret123',
      '-dname',
      'CN=Imported',
      '-validity',
      '30',
      '-storetype',
      'JKS',
    ]);
    const ok = await localOrgsWith(
      { KEYSTORE_PASSWORD: 'secret123' },
      'import-keystore',
      '--target-org',
      'local-devhub',
      '--file',
      jks,
      '--json',
    );
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    // JKS stores aliases in lower case, so the certificate's Unique Name is imported_cert.
    expect(JSON.parse(ok.stdout).imported).toEqual([expect.objectContaining({ name: 'imported_cert', keySize: 2048 })]);
    const bad = await localOrgsWith(
      { KEYSTORE_PASSWORD: 'wrong-password' },
      'import-keystore',
      '--target-org',
      'local-devhub',
      '--file',
      jks,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Error \(/);
    expect(bad.stderr).not.toContain('wrong-password');
  });

  it('reset refuses without --force and leaves the state alone', async () => {
    const r = await localOrgs('reset');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--force');
    expect(existsSync(join(work, 'platform', 'platform.db'))).toBe(true);
  });

  it('stop ends the process; reset --force wipes the state', async () => {
    const stop = await localOrgs('stop', '--json');
    expect(JSON.parse(stop.stdout).stopped).toBe(true);
    const s = await localOrgs('status', '--json');
    expect(JSON.parse(s.stdout).running).toBe(false);
    const reset = await localOrgs('reset', '--force');
    expect(reset.code).toBe(0);
    expect(existsSync(join(work, 'platform'))).toBe(false);
  });
});

describe('local-orgs start under faults', () => {
  it('fails, naming the port, while another server holds it: success only once its own server answers; no stale log lines', async () => {
    const { createServer: httpServer } = await import('node:http');
    // Another platform-like server on the port: it answers /services/data as the real one does.
    const squatter = httpServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('[]'));
    const port = await new Promise<number>((resolve) =>
      squatter.listen(0, '127.0.0.1', () => resolve((squatter.address() as { port: number }).port)),
    );
    const home = join(work, 'squatted');
    try {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(home, { recursive: true });
      // A log line of an earlier run that this start must not quote.
      writeFileSync(join(home, 'server.log'), '2020-01-01T00:00:00.000Z an old line of an earlier run\n');
      const r = await localOrgsWith({ LOCAL_SF_HOME: home, LOCAL_SF_PORT: String(port) }, 'start', '--no-login');
      expect(r.code, r.stdout).not.toBe(0);
      expect(r.stdout).not.toContain('started');
      expect(r.stderr).toContain(`did not start on port ${port}, which another process holds`);
      expect(r.stderr).not.toContain('an old line of an earlier run');
    } finally {
      squatter.close();
      await localOrgsWith({ LOCAL_SF_HOME: home }, 'stop');
    }
  });
});
