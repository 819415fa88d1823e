/**
 * The step graph: the plan derived from needs and products (stepPlan.ts), and the runner
 * (stepRunner.ts) on setup's own products with steps that only record what happens, so the order,
 * the overlap, the skipping on a re-run and the reporting of a failure are visible.
 */
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/core/ToolError.ts';
import { planSteps } from '../../tools/provisioning/stepPlan.ts';
import { runSteps } from '../../tools/provisioning/stepRunner.ts';
import { SETUP_STEPS } from '../../tools/provisioning/setupFlow.ts';
import { emptyState, type OrgRef, type SetupState } from '../../tools/provisioning/setupState.ts';
import { defineAhead, defineStep, type Ctx, type StepSpec } from '../../tools/provisioning/setupTypes.ts';
import type { Progress } from '../../tools/provisioning/progress.ts';

const node = (id: string, needs: string[], produces: string[]) => ({ id, needs, produces });

function planError(run: () => unknown): ToolError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return error as ToolError;
  }
  throw new Error('no error');
}

describe('planSteps', () => {
  it('orders steps by their needs and groups those that can run together', () => {
    const plan = planSteps([
      node('report', ['checked'], []),
      node('hub', [], ['hub']),
      node('orgs', ['hub'], ['orgs']),
      node('cert', ['orgs'], ['cert']),
      node('user', ['orgs'], ['user']),
      node('app', ['cert', 'user'], ['app']),
      node('check', ['app'], ['checked']),
    ]);
    expect(plan.order).toEqual(['hub', 'orgs', 'cert', 'user', 'app', 'check', 'report']);
    expect(plan.groups).toEqual([['hub'], ['orgs'], ['cert', 'user'], ['app'], ['check'], ['report']]);
    expect(plan.dependsOn.get('app')).toEqual(['cert', 'user']);
  });

  it('keeps the declared order where the needs leave a choice, and accepts what the caller gives', () => {
    const plan = planSteps([node('b', ['x'], ['b']), node('a', ['x'], ['a'])], ['x']);
    expect(plan.order).toEqual(['b', 'a']);
    expect(plan.groups).toEqual([['b', 'a']]);
  });

  it('names the step and the product no step produces', () => {
    const error = planError(() => planSteps([node('orgs', [], ['orgs']), node('provider', ['orgs', 'certificate'], ['app'])]));
    expect(error.name).toBe('StepPlanInvalid');
    expect(error.message).toBe('Step "provider" needs "certificate", which no step produces.');
    expect(error.actions).toEqual(['Add a step that produces "certificate", or remove it from the needs of "provider".']);
  });

  it('names the steps of a cycle', () => {
    const error = planError(() =>
      planSteps([node('hub', [], ['hub']), node('consumer', ['hub', 'audience'], ['consumer']), node('token', ['consumer'], ['audience'])]),
    );
    expect(error.message).toMatch(
      /^Steps "(consumer" → "token" → "consumer|token" → "consumer" → "token)" need each other's products: a cycle\.$/,
    );
  });

  it('refuses a product two steps claim, a step named twice, and a step that needs what it makes', () => {
    expect(planError(() => planSteps([node('a', [], ['x']), node('b', [], ['x'])])).message).toBe('Steps "a" and "b" both produce "x".');
    expect(planError(() => planSteps([node('a', [], []), node('a', [], [])])).message).toBe('Two steps are named "a".');
    expect(planError(() => planSteps([node('a', ['x'], ['x'])])).message).toBe('Step "a" needs "x", which it produces itself.');
  });

  it("plans setup's own steps: B's integration user beside A's certificate, the verifies last", () => {
    const nodes = SETUP_STEPS.flatMap((s) => (s.ahead ? [s.ahead, s] : [s]));
    const plan = planSteps(nodes);
    const groupOf = (id: string) => plan.groups.findIndex((g) => g.includes(id));
    expect(groupOf('provider-user')).toBe(groupOf('certificate'));
    expect(groupOf('provider')).toBeGreaterThan(groupOf('certificate'));
    expect(plan.order.slice(-3)).toEqual(['verify', 'verify-remote-records', 'external-service']);
    expect(plan.order.filter((id) => id !== 'provider-user')).toEqual(SETUP_STEPS.map((s) => s.id));
  });
});

const org = (alias: string): OrgRef => ({
  alias,
  username: `${alias}@example.com`,
  orgId: `00D${alias}`,
  instanceUrl: 'http://127.0.0.1',
  loginUrl: 'http://127.0.0.1',
});
const cert = { source: 'org' as const, pem: 'PEM', fingerprintSha256: 'AB:CD', name: 'Cert' };

/** Steps on setup's products that log when they start and end; `gate` holds the certificate until released. */
function world(fail?: string) {
  const log: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const steps: StepSpec[] = [
    defineStep({
      id: 'dev-hub',
      title: 'Dev Hub',
      needs: [],
      produces: ['devHub'],
      run: async () => ({ products: { devHub: { alias: 'hub', local: false } } }),
    }),
    defineStep({
      id: 'orgs',
      title: 'Orgs',
      needs: ['devHub'],
      produces: ['orgs'],
      stillDone: async () => true,
      run: async () => ({ products: { orgs: { provider: org('b'), consumer: org('a') } } }),
    }),
    defineStep({
      id: 'certificate',
      title: 'Certificate',
      needs: ['orgs'],
      produces: ['certificate'],
      stillDone: async (_ctx, _input, recorded) => recorded.certificate?.name === 'Cert',
      async run() {
        log.push('certificate started');
        await gate;
        if (fail === 'certificate') throw new ToolError('no key', 'NoKey');
        log.push('certificate ended');
        return { products: { certificate: cert }, detail: 'made' };
      },
    }),
    defineStep({
      id: 'provider',
      title: 'Provider',
      needs: ['orgs', 'certificate', 'integrationUser'],
      produces: ['app'],
      stillDone: async () => true,
      ahead: defineAhead({
        id: 'provider-user',
        needs: ['orgs'],
        produces: ['integrationUser'],
        async run(_ctx, { orgs }) {
          log.push(`user for ${orgs.provider.alias}`);
          release();
          return { integrationUser: 'user@b' };
        },
      }),
      async run(_ctx, { certificate, integrationUser }) {
        log.push(`app trusting ${certificate.fingerprintSha256} for ${integrationUser}`);
        return { products: { app: { kind: 'eca', name: 'App', consumerKey: 'KEY' } } };
      },
    }),
  ];
  const lines: string[] = [];
  const progress: Progress = {
    start: (t) => lines.push(`… ${t}`),
    succeed: (t, _ms, d) => lines.push(`✔ ${t}${d ? `: ${d}` : ''}`),
    skip: (t, d) => lines.push(`• ${t}: ${d}`),
    fail: (t) => lines.push(`✖ ${t}`),
    info: (l) => lines.push(l),
    warn: (l) => lines.push(`Warning: ${l}`),
  };
  const ctx = (state: SetupState, serial = false): Ctx => ({
    options: {
      local: true,
      cert: 'org',
      app: 'eca',
      auth: 'apex-jwt',
      durationDays: 1,
      serial,
      providerAlias: 'b',
      consumerAlias: 'a',
      workDir: '/nowhere',
      progress,
    },
    state,
    warnings: [],
    save: async () => undefined,
  });
  const guard = <T>(_s: StepSpec, work: Promise<T>) => work;
  return { log, lines, run: (state: SetupState, serial = false) => runSteps(steps, ctx(state, serial), { serial, guard }), release };
}

describe('runSteps', () => {
  it("runs a step's ahead part beside the step it does not need, and shows it under its own step's line", async () => {
    const w = world();
    const state = emptyState();
    const report = await w.run(state);
    // The certificate waits until B's user is made: only possible if the two overlap.
    expect(w.log).toEqual(['certificate started', 'user for b', 'certificate ended', 'app trusting AB:CD for user@b']);
    expect(w.lines).toEqual([
      '… Dev Hub',
      '✔ Dev Hub',
      '… Orgs',
      '✔ Orgs',
      '… Certificate',
      '✔ Certificate: made',
      '… Provider',
      '✔ Provider',
    ]);
    expect(Object.keys(report.timings)).toEqual(['dev-hub', 'orgs', 'certificate', 'provider']);
    expect(state.integrationUsername).toBe('user@b');
    expect(Object.keys(state.done)).toEqual(['dev-hub', 'orgs', 'certificate', 'provider']);
  });

  it('--serial runs the ahead part inside its step, after the certificate', async () => {
    const w = world();
    w.release();
    await w.run(emptyState(), true);
    expect(w.log).toEqual(['certificate started', 'certificate ended', 'user for b', 'app trusting AB:CD for user@b']);
  });

  it('a re-run skips what is still done, and runs again what needs a step that runs again', async () => {
    const w = world();
    w.release();
    const state = emptyState();
    await w.run(state);
    w.lines.length = 0;
    w.log.length = 0;
    await w.run(state);
    expect(w.lines).toEqual(['• Dev Hub: already done', '• Orgs: already done', '• Certificate: already done', '• Provider: already done']);
    // A certificate of another name is not still done: the certificate and B's side run again, overlapping
    // as on a first run (this world's certificate waits for B's user).
    state.certificate = { ...cert, name: 'Other' };
    const w2 = world();
    const again = await w2.run(state);
    expect(Object.keys(again.timings)).toEqual(['certificate', 'provider']);
    expect(w2.lines).toEqual([
      '• Dev Hub: already done',
      '• Orgs: already done',
      '… Certificate',
      '✔ Certificate: made',
      '… Provider',
      '✔ Provider',
    ]);
    expect(w2.log).toEqual(['certificate started', 'user for b', 'certificate ended', 'app trusting AB:CD for user@b']);
  });

  it('a failed step is reported after the work started ahead has ended, and what needs it does not start', async () => {
    const w = world('certificate');
    const state = emptyState();
    await expect(w.run(state)).rejects.toThrow('no key');
    expect(w.log).toEqual(['certificate started', 'user for b']);
    expect(w.lines).toEqual(['… Dev Hub', '✔ Dev Hub', '… Orgs', '✔ Orgs', '… Certificate', '✖ Certificate']);
    expect(state.integrationUsername).toBe('user@b');
    expect(state.done.certificate).toBeUndefined();
  });

  it('a step whose needs the state file lacks says which', async () => {
    const w = world();
    w.release();
    const state: SetupState = { ...emptyState(), done: { 'dev-hub': { at: '', ms: 0 } } };
    await expect(w.run(state)).rejects.toThrow('Step "orgs" needs "devHub", which the state file does not record.');
  });
});
