/**
 * Every command answers a bad flag with one `Error (InvalidFlag): …` line and its usage (exit code 2),
 * never a parseArgs stack trace; and no command prints Node's "SQLite is an experimental feature"
 * warning, while other warnings still reach stderr.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
let home: string;

const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  execa(tsx, [join(root, 'tools', 'cli', `${command}.ts`), ...args], {
    cwd: root,
    reject: false,
    // Nothing here may touch a real platform or sf state.
    env: {
      HOME: join(home, 'home'),
      LOCAL_SF_HOME: join(home, 'platform'),
      ORG_A_TO_B_WORKDIR: join(home, 'work'),
      SF_DISABLE_TELEMETRY: 'true',
      ...env,
    },
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
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toContain('SQLite');
    expect(r.stderr.split('\n')[0]).toBe('Error (InvalidFlag): --app must be one of eca, connected-app, not "saml".');
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

// Every value is checked before any work starts: the usage and exit code 2, nothing signed up, nothing started.
describe.concurrent('setup:orgs checks every flag and environment value first', { timeout: 240_000 }, () => {
  it.each([
    [['--duration-days', 'abc'], {}, '--duration-days must be a whole number from 1 to 30, not "abc".'],
    [['--duration-days', '31'], {}, '--duration-days must be a whole number from 1 to 30, not "31".'],
    [['--cert', 'foo'], {}, '--cert must be one of org, local, not "foo".'],
    [['--app', 'x'], {}, '--app must be one of eca, connected-app, not "x".'],
    [['--token-wait-minutes', '1.5'], {}, '--token-wait-minutes must be a whole number from 0 to 120, not "1.5".'],
    [['--external-service', 'notaurl'], {}, '--external-service must be an http(s) URL or local, not "notaurl".'],
    [[], { LOCAL_SF_PORT: 'abc' }, 'LOCAL_SF_PORT must be a whole number from 1 to 65535, not "abc".'],
    [[], { LOCAL_SF_PORT: '0' }, 'LOCAL_SF_PORT must be a whole number from 1 to 65535, not "0".'],
  ] as [string[], Record<string, string>, string][])('%j %j', async (args, env, message) => {
    const r = await run('setupOrgs', args, env);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`Error (InvalidFlag): ${message}`);
    expect(lines[1]).toMatch(/^Usage: npm run setup:orgs -- /);
    expect(r.stderr).not.toContain('NaN');
  });

  it("--dev-hub that is not the one the work folder's orgs came from", async () => {
    const work = join(home, 'work-devhub');
    await mkdir(work, { recursive: true });
    await writeFile(
      join(work, 'setup-state.json'),
      JSON.stringify({ version: 1, devHub: { alias: 'local-devhub', local: true }, done: { 'dev-hub': { at: '', ms: 1 } } }),
    );
    const r = await run('setupOrgs', ['--dev-hub', 'nosuchhub'], { ORG_A_TO_B_WORKDIR: work });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `Error (InvalidFlag): --dev-hub nosuchhub is not the Dev Hub this work folder's orgs came from (local-devhub, recorded in ${join(work, 'setup-state.json')}).`,
    );
    expect(r.stderr).toContain('Try this: Usage: npm run setup:orgs -- ');
  });
});

describe.concurrent('local-orgs checks the environment first', { timeout: 240_000 }, () => {
  it.each(['abc', '0', '70000'])('LOCAL_SF_PORT=%s', async (port) => {
    const r = await run('localOrgs', ['status'], { LOCAL_SF_PORT: port });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`Error (InvalidFlag): LOCAL_SF_PORT must be a whole number from 1 to 65535, not "${port}".`);
  });
});
