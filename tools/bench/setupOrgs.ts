/**
 * `setup:orgs` on the local platform from a cold start (no platform running, no sf auth, no state),
 * parallel and serial, in one run. Targets: under 30 s on this 2-core machine; parallel at most 0.7x
 * serial. Each run gets its own HOME, platform home and port, and is torn down after.
 * BENCH_SETUP_RUNS=0 skips the cold runs. Then the same with a simulated sign-up time (LOCAL_SF_SIGNUP_SECONDS, default 20 s here via
 * BENCH_SIGNUP_SECONDS): Salesforce takes minutes per sign-up, so that is where creating B and A in
 * parallel has to pay off (target: parallel at most 0.7x serial).
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../provisioning/sfCli.ts';
import { isolatedSetup, median, tsx } from './figures.ts';

const RUNS = Number(process.env.BENCH_SETUP_RUNS ?? 2);
const SIGNUP_SECONDS = Number(process.env.BENCH_SIGNUP_SECONDS ?? 20);
const SIGNUP_RUNS = Number(process.env.BENCH_SIGNUP_RUNS ?? 1);

async function coldRun(serial: boolean, signupSeconds = 0): Promise<{ totalMs: number; steps: Record<string, number> }> {
  const { env, teardown } = await isolatedSetup('bench-setup-', { LOCAL_SF_SIGNUP_SECONDS: String(signupSeconds) });
  try {
    const started = performance.now();
    const child = await execa(tsx, [join(projectRoot, 'tools', 'cli', 'setupOrgs.ts'), '--json', ...(serial ? ['--serial'] : [])], {
      cwd: projectRoot,
      env,
      reject: false,
    });
    const totalMs = performance.now() - started;
    const out = JSON.parse(child.stdout) as { status: number; result?: { timings: Record<string, number> }; message?: string };
    if (out.status !== 0) throw new Error(`setup:orgs failed: ${out.message}`);
    return { totalMs, steps: out.result!.timings };
  } finally {
    await teardown();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function run(): Promise<void> {
  if (RUNS > 0) await coldRuns();
  if (SIGNUP_RUNS > 0 && SIGNUP_SECONDS > 0) await simulatedSignup();
}

async function coldRuns(): Promise<void> {
  const parallel: Array<{ totalMs: number; steps: Record<string, number> }> = [];
  const serial: typeof parallel = [];
  // Interleaved, so both modes see the same machine state.
  for (let i = 0; i < RUNS; i++) {
    parallel.push(await coldRun(false));
    serial.push(await coldRun(true));
  }
  const p = median(parallel.map((r) => r.totalMs));
  const q = median(serial.map((r) => r.totalMs));
  console.log(`setup:orgs cold on the local platform, median of ${RUNS} (whole command, process start to exit):`);
  console.log(`  parallel: ${s(p)}   (runs: ${parallel.map((r) => s(r.totalMs)).join(', ')})`);
  console.log(`  serial:   ${s(q)}   (runs: ${serial.map((r) => s(r.totalMs)).join(', ')})`);
  console.log(`  parallel/serial: ${(p / q).toFixed(2)}x (target <= 0.70); target under 30 s: ${p < 30_000 ? 'met' : 'NOT met'}`);
  const steps = Object.keys(parallel[0].steps);
  console.log(`  steps (parallel, last run): ${steps.map((k) => `${k} ${s(parallel.at(-1)!.steps[k])}`).join(', ')}`);
  console.log(`  steps (serial, last run):   ${steps.map((k) => `${k} ${s(serial.at(-1)!.steps[k])}`).join(', ')}`);
}

/** With sign-ups that take SIGNUP_SECONDS each, as real ones take minutes. */
async function simulatedSignup(): Promise<void> {
  const parallel: number[] = [];
  const serial: number[] = [];
  let orgsStep = { parallel: 0, serial: 0 };
  for (let i = 0; i < SIGNUP_RUNS; i++) {
    const p = await coldRun(false, SIGNUP_SECONDS);
    const q = await coldRun(true, SIGNUP_SECONDS);
    parallel.push(p.totalMs);
    serial.push(q.totalMs);
    orgsStep = { parallel: p.steps.orgs, serial: q.steps.orgs };
  }
  const p = median(parallel);
  const q = median(serial);
  console.log(`setup:orgs cold with LOCAL_SF_SIGNUP_SECONDS=${SIGNUP_SECONDS} (simulated sign-up time), median of ${SIGNUP_RUNS}:`);
  console.log(`  parallel: ${s(p)}   (orgs step ${s(orgsStep.parallel)})`);
  console.log(`  serial:   ${s(q)}   (orgs step ${s(orgsStep.serial)})`);
  console.log(`  parallel/serial: ${(p / q).toFixed(2)}x (target <= 0.70: ${p / q <= 0.7 ? 'met' : 'NOT met'})`);
}
