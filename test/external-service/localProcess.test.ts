/**
 * The background service setup:orgs starts: it answers on loopback, a re-run with the same settings keeps
 * it, new settings restart it, and stop ends the process (teardown relies on that).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyMaterial } from '../../tools/certs/index.ts';
import { ensureLocalService, runningLocalService, stopLocalService } from '../../tools/provisioning/externalServiceProcess.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
let work: string;

afterAll(async () => {
  if (work) {
    await stopLocalService(work);
    await rm(work, { recursive: true, force: true });
  }
});

describe('the local external service process', () => {
  it('starts, is reused with the same settings, restarts with new ones, and stops', async () => {
    work = await mkdtemp(join(tmpdir(), 'ext-svc-'));
    const cert = await createKeyMaterial({ alias: 'OrgA_JWT_Signing' });
    const settings = { issuer: 'https://orga.example', subjects: ['admin@orga.example'], certificatePem: cert.certificatePem };
    const first = await ensureLocalService(work, settings, cert.fingerprintSha256);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${first.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'ok',
      issuer: 'https://orga.example',
      audience: first.url,
      trust: `certificate SHA-256 ${cert.fingerprintSha256}`,
    });

    expect((await ensureLocalService(work, settings, cert.fingerprintSha256)).pid).toBe(first.pid);

    const second = await ensureLocalService(work, { ...settings, issuer: 'https://orga-renamed.example' }, cert.fingerprintSha256);
    expect(second.pid).not.toBe(first.pid);
    await expect.poll(() => alive(first.pid)).toBe(false);

    expect(await stopLocalService(work)).toBe(true);
    await expect.poll(() => alive(second.pid)).toBe(false);
    expect(await runningLocalService(work)).toBeUndefined();
  }, 60_000);
});
