/**
 * `.github/workflows/ci.yml`'s scratch-orgs job, run as GitHub runs it (tools/ci/workflowRunner.ts) against
 * the local Dev Hub, whose CI app's key, client id, URL and username are the job's secrets. Two hubs:
 * one authorized through a Connected App (SCRATCH_SIGNUP_APP unset) and one through an External Client
 * App (SCRATCH_SIGNUP_APP=PlatformCLI, as forcedotcom/cli#3515 and sfdx-core#1315 prescribe). Each run
 * must pass every step and leave no scratch org behind. Heavy: run under the lock.
 */
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { runWorkflowJob, type JobResult } from '../../tools/ci/workflowRunner.ts';
import { isolatedWorld, root, tsx, type Isolated } from '../provisioning/commandHarness.ts';

// CI_WORKFLOW_UNDER_TEST runs another version of the file (e.g. an older one, to show what it did).
const WORKFLOW = process.env.CI_WORKFLOW_UNDER_TEST ?? join(root, '.github', 'workflows', 'ci.yml');
let world: Isolated | undefined;
// The job's `sf org login jwt --set-default-dev-hub` runs in this checkout, as on a runner, and so writes the
// project's local sf config (.sf/config.json, .sfdx/sfdx-config.json). A runner's checkout is thrown away;
// this one is the developer's and the rest of the suite's: put the files back as they were.
const localConfig = ['.sf/config.json', '.sfdx/sfdx-config.json'].map((f) => join(root, f));
const configBefore = await Promise.all(localConfig.map((f) => readFile(f, 'utf8').catch(() => undefined)));
afterEach(async () => {
  await world?.cleanup();
  await Promise.all(localConfig.map((f, i) => (configBefore[i] === undefined ? rm(f, { force: true }) : writeFile(f, configBefore[i]!))));
});

interface Hub {
  instanceUrl: string;
  username: string;
  clientId: string;
  keyPath: string;
}

/** Starts this world's local platform without logging sf in: the workflow's own login step does that. */
async function startHub(w: Isolated): Promise<Hub> {
  const child = await execa(tsx, [join(root, 'tools', 'cli', 'localOrgs.ts'), 'start', '--no-login', '--json'], {
    cwd: root,
    env: w.env,
    reject: false,
  });
  const info = JSON.parse(child.stdout) as Hub;
  expect(info.instanceUrl, child.stdout + child.stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return info;
}

async function activeScratchOrgs(w: Isolated, hub: Hub): Promise<number> {
  const conn = await w.connect({ username: hub.username, instanceUrl: hub.instanceUrl });
  return (await conn.query('SELECT Id FROM ActiveScratchOrg')).totalSize;
}

/** The job's steps that failed, each with the end of its output: the assertion message says what broke. */
function failures(run: JobResult): string {
  return run.steps
    .filter((s) => s.outcome === 'failure')
    .map((s) => {
      const lines = s.output.trim().split('\n');
      // A failing Apex test's row and message come first in sf's table, far from the end: show them too.
      const failing = lines.filter((l) => /\bFail\b|Exception|Error/.test(l) && !/Fail Rate/.test(l));
      return `step "${s.name}" failed (exit ${s.exitCode}):\n${[...failing, '…', ...lines.slice(-20)].join('\n')}`;
    })
    .join('\n\n');
}

/**
 * The job's workspace: the checkout's entries linked into a folder of the world's, less the project's local
 * sf config. `sf org login jwt --set-default-dev-hub` in a project writes .sf/config.json there, as it does in
 * a runner's checkout; in the real checkout it would point every other suite's setup at this job's hub.
 */
async function checkoutView(base: string): Promise<string> {
  const dir = join(base, 'checkout');
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(root))
    if (!['.sf', '.sfdx', '.git'].includes(entry)) await symlink(join(root, entry), join(dir, entry));
  return dir;
}

async function runScratchOrgsJob(variant: {
  hubApp: 'ConnectedApp' | 'ExternalClientApplication';
  vars: Record<string, string>;
}): Promise<{ run: JobResult; hub: Hub }> {
  world = await isolatedWorld('ci-workflow-', { LOCAL_SF_DEVHUB_APP: variant.hubApp });
  const hub = await startHub(world);
  const run = await runWorkflowJob({
    workflowFile: WORKFLOW,
    job: 'scratch-orgs',
    workspace: await checkoutView(world.base),
    secrets: {
      DEVHUB_JWT_KEY: await readFile(hub.keyPath, 'utf8'),
      DEVHUB_CLIENT_ID: hub.clientId,
      DEVHUB_LOGIN_URL: hub.instanceUrl,
      DEVHUB_USERNAME: hub.username,
    },
    vars: variant.vars,
    // What actions/setup-node gives the job: Node 22 first on PATH (here the project's own).
    runnerEnv: { ...world.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`, LANG: 'C.UTF-8' },
    skipRuns: { 'npm ci': "the checkout's node_modules came from npm ci with the same package-lock.json" },
  });
  return { run, hub };
}

// A whole job: login, two sign-ups, setup, both orgs' Apex tests, verify, teardown.
const JOB_MS = 15 * 60_000;

describe('the scratch-orgs job of .github/workflows/ci.yml, run as GitHub would', () => {
  it(
    'passes against a Dev Hub authorized through a Connected App (SCRATCH_SIGNUP_APP unset) and leaves no org',
    async () => {
      const { run, hub } = await runScratchOrgsJob({ hubApp: 'ConnectedApp', vars: {} });
      // Teardown runs even after a failed step: no org is left, whatever failed.
      expect(await activeScratchOrgs(world!, hub)).toBe(0);
      expect(failures(run)).toBe('');
      expect(run.steps.filter((s) => s.outcome === 'success').length).toBeGreaterThanOrEqual(5);
      // Setup's output carries none of the libraries' notes (tools/provisioning/sfWarnings.ts).
      const setup = run.steps.find((s) => s.name.startsWith('run npm run setup:orgs'));
      expect(setup?.outcome).toBe('success');
      expect(setup!.output).not.toMatch(/will stop being capitalized|Using insecure protocol/);
    },
    JOB_MS,
  );

  it(
    'passes against a Dev Hub authorized through an External Client App (SCRATCH_SIGNUP_APP=PlatformCLI) and leaves no org',
    async () => {
      const { run, hub } = await runScratchOrgsJob({ hubApp: 'ExternalClientApplication', vars: { SCRATCH_SIGNUP_APP: 'PlatformCLI' } });
      expect(await activeScratchOrgs(world!, hub)).toBe(0);
      expect(failures(run)).toBe('');
    },
    JOB_MS,
  );
});
