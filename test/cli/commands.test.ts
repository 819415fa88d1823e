/**
 * Every command answers a bad flag with one `Error (InvalidFlag): …` line and its usage (exit code 2),
 * never a parseArgs stack trace; and no command prints Node's "SQLite is an experimental feature"
 * warning, while other warnings still reach stderr.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    env: { HOME: join(home, 'home'), LOCAL_SF_HOME: join(home, 'platform'), ORG_A_TO_B_WORKDIR: join(home, 'work'), SF_DISABLE_TELEMETRY: 'true' },
  });

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cli-flags-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

const COMMANDS: [string, string][] = [
  ['setupOrgs', 'npm run setup:orgs'],
  ['configure', 'npm run configure'],
  ['verify', 'npm run verify'],
  ['teardown', 'npm run teardown'],
  ['apexTest', 'npm run apex-test'],
  ['localOrgs', 'npm run local-orgs'],
];

// Each case is a separate process that mostly waits on module loading: run them side by side.
describe.concurrent('a bad flag', { timeout: 240_000 }, () => {
  it.each(COMMANDS)('%s answers with one Error line and its usage', async (command, usage) => {
    const r = await run(command, command === 'localOrgs' ? ['status', '--no-such-flag'] : ['--no-such-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toBe("Error (InvalidFlag): Unknown option '--no-such-flag'.");
    expect(lines[1]).toMatch(new RegExp(`^Usage: ${usage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -- `));
    expect(lines.filter((l) => l.startsWith('Error'))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });

  it('with --json is one JSON object on stdout', async () => {
    const r = await run('verify', ['--json', '--no-such-flag']);
    expect(r.exitCode).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 2, name: 'InvalidFlag', message: "Unknown option '--no-such-flag'." });
    expect(out.actions[0]).toMatch(/^Usage: npm run verify -- /);
  });

  it('--help prints the usage and succeeds', async () => {
    const r = await run('teardown', ['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('Usage: npm run teardown -- [--purge] [--json]');
  });

  it('local-orgs refuses a flag of another command, naming both', async () => {
    const r = await run('localOrgs', ['reset', '--no-login']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('Error (InvalidFlag): --no-login does not apply to reset.');
  });
});

describe.concurrent("Node's SQLite warning", { timeout: 240_000 }, () => {
  it('is not printed by setup:orgs, which loads the platform store', async () => {
    const r = await run('setupOrgs', ['--app', 'saml']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toBe('Error (InvalidFlag): --app must be one of eca, connected-app, not "saml".');
  });

  it('is silenced alone: another experimental warning still prints', async () => {
    const script = join(root, '.local', `sqlite-warning-${process.pid}.mts`);
    await writeFile(
      script,
      `import { DatabaseSync } from ${JSON.stringify(join(root, 'tools', 'core', 'sqlite.ts'))};
new DatabaseSync(':memory:').close();
process.emitWarning('Something else is an experimental feature', 'ExperimentalWarning');`,
    );
    try {
      const r = await execa(tsx, [script], { cwd: root, reject: false });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).not.toContain('SQLite');
      expect(r.stderr).toContain('ExperimentalWarning: Something else is an experimental feature');
    } finally {
      await rm(script, { force: true });
    }
  });
});
