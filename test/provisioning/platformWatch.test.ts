/**
 * A step that waits on the local platform ends within seconds when the platform's process dies, with
 * what to do, instead of waiting on a client's retries (setup:orgs printed nothing for 400 s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileLocalPlatformRuns } from '../../tools/provisioning/devHub.ts';

let home: string;
const saved = process.env.LOCAL_SF_HOME;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'platform-watch-'));
  process.env.LOCAL_SF_HOME = home;
});
afterAll(() => {
  if (saved === undefined) delete process.env.LOCAL_SF_HOME;
  else process.env.LOCAL_SF_HOME = saved;
  rmSync(home, { recursive: true, force: true });
});

describe('whileLocalPlatformRuns', () => {
  it('passes the step through while the platform lives, and fails it within a poll once the process is killed', async () => {
    // A stand-in process recorded as the platform's server (its pid file), killed mid-step.
    const server = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    writeFileSync(join(home, 'server.pid'), String(server.pid));
    expect(await whileLocalPlatformRuns(new Promise((r) => setTimeout(() => r('done'), 150)), 'quick step', 20)).toBe('done');
    const never = new Promise<never>(() => {});
    const started = Date.now();
    const watched = whileLocalPlatformRuns(never, 'Scratch orgs B (provider) and A (consumer)', 50);
    setTimeout(() => server.kill('SIGKILL'), 100);
    await expect(watched).rejects.toMatchObject({
      name: 'LocalPlatformStopped',
      message: 'The local platform stopped during "Scratch orgs B (provider) and A (consumer)".',
      actions: expect.arrayContaining(['Run the same command again: it restarts the local platform and resumes from this step.']),
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
