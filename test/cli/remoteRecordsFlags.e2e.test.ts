/**
 * `--objects` and `--providers` (issue 20) are checked before any work: each bad value ends setup:orgs
 * or configure with one `Error (InvalidFlag)` line naming the fix, the usage, and exit code 2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
let home: string;

const run = (command: string, args: string[]) =>
  execa(tsx, [join(root, 'tools', 'cli', `${command}.ts`), ...args], {
    cwd: root,
    reject: false,
    // Nothing here may touch a real platform or sf state.
    env: {
      HOME: join(home, 'home'),
      LOCAL_SF_HOME: join(home, 'platform'),
      ORG_A_TO_B_WORKDIR: join(home, 'work'),
      SF_DISABLE_TELEMETRY: 'true',
    },
  });

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cli-remote-flags-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

describe.concurrent('--objects and --providers', { timeout: 120_000 }, () => {
  it.each([
    [['--objects', 'Account,,Contact'], '--objects takes comma-separated object API names (Account,Contact,My_Object__c), not "".'],
    [['--objects', 'Account,account'], '--objects names account twice.'],
    [['--objects', 'Bad__Name__x'], '--objects takes comma-separated object API names (Account,Contact,My_Object__c), not "Bad__Name__x".'],
    [['--providers', '4'], '--providers must be a whole number from 1 to 3 (one Continuation holds at most 3 requests), not "4".'],
    [
      ['--providers', '2', '--auth', 'named-credential'],
      '--providers above 1 needs --auth apex-jwt (the Named Credential path wires one source org).',
    ],
  ])('setup:orgs %j', async (args, message) => {
    const r = await run('setupOrgs', args);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`Error (InvalidFlag): ${message}`);
    expect(lines[1]).toMatch(/^Try this: Usage: npm run setup:orgs -- /);
    expect(r.stderr).toContain('[--objects Account,Contact,…] [--providers 1-3]');
    expect(r.stdout).toBe('');
  });

  it('configure takes at most three source orgs, each once', async () => {
    const four = await run('configure', [
      '--provider-org',
      'b1',
      '--provider-org',
      'b2',
      '--provider-org',
      'b3',
      '--provider-org',
      'b4',
      '--consumer-org',
      'a',
      '--json',
    ]);
    expect(four.exitCode).toBe(2);
    expect(JSON.parse(four.stdout)).toMatchObject({
      name: 'InvalidFlag',
      message: expect.stringContaining('--providers must be a whole number from 1 to 3'),
    });
    const twice = await run('configure', ['--provider-org', 'b1', '--provider-org', 'b1', '--consumer-org', 'a', '--json']);
    expect(JSON.parse(twice.stdout)).toMatchObject({
      status: 2,
      name: 'InvalidFlag',
      message: 'Each --provider-org and the --consumer-org must be a different org alias.',
    });
  });
});
