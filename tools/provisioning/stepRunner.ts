/**
 * Runs setup's steps in the order their needs give (stepPlan.ts). In parallel mode each step starts as
 * soon as the steps it needs have finished; with --serial one at a time, in plan order. A step recorded
 * as done is skipped while it is still done and none of the steps it needs ran again; a step that runs
 * forgets the done records of every step that needs it, so an interrupted run resumes correctly.
 */
import { ToolError } from '../core/ToolError.ts';
import { planSteps, type PlanNode } from './stepPlan.ts';
import { readProduct, writeProduct } from './setupProducts.ts';
import type { Ctx, ProductName, Products, StepSpec } from './setupTypes.ts';

export interface RunOptions {
  serial: boolean;
  /** Wraps each piece of a step's work (e.g. fails it when the local platform dies). */
  guard: <T>(step: StepSpec, work: Promise<T>) => Promise<T>;
}

export interface RunReport {
  /** ms per step that ran, by timing key, in plan order. */
  timings: Record<string, number>;
  /** What the run produced or found recorded. */
  products: Partial<Products>;
}

/** Resolves true as soon as one resolves true; false once all resolved false. */
function anyTrue(promises: Promise<boolean>[]): Promise<boolean> {
  if (promises.length === 0) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    let left = promises.length;
    for (const p of promises) {
      p.then((v) => {
        if (v) resolve(true);
        else if (--left === 0) resolve(false);
      }, reject);
    }
  });
}

export async function runSteps(steps: readonly StepSpec[], ctx: Ctx, options: RunOptions): Promise<RunReport> {
  const { state } = ctx;
  const progress = ctx.options.progress;
  const nodes: PlanNode[] = steps.flatMap((s) => (s.ahead ? [s.ahead, s] : [s]));
  const plan = planSteps(nodes);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ownerOf = new Map(steps.flatMap((s) => (s.ahead ? [[s.ahead.id, s] as const] : [])));
  const run: Partial<Products> = {};
  const ms: Record<string, number> = {};

  /** The steps (owners, not ahead parts) a step waits for before its line. */
  const lineDeps = (s: StepSpec) =>
    plan.dependsOn
      .get(s.id)!
      .filter((d) => d !== s.ahead?.id)
      .map((d) => ownerOf.get(d)?.id ?? d);
  const dependants = new Map<string, Set<string>>();
  for (const s of steps) for (const d of lineDeps(s)) (dependants.get(d) ?? dependants.set(d, new Set()).get(d)!).add(s.id);
  const downstream = (id: string, seen = new Set<string>()): Set<string> => {
    for (const next of dependants.get(id) ?? []) if (!seen.has(next)) downstream(next, seen.add(next));
    return seen;
  };

  const input = (stepId: string, needs: readonly ProductName[]): Record<string, unknown> => {
    const values: Record<string, unknown> = {};
    for (const key of needs) {
      const value = readProduct(state, run, key);
      if (value === undefined) {
        throw new ToolError(`Step "${stepId}" needs "${key}", which the state file does not record.`, 'SetupStateIncomplete', [
          'Run setup:orgs again: the step that makes it runs again.',
        ]);
      }
      values[key] = value;
    }
    return values;
  };
  const store = (produced: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(produced)) writeProduct(state, run, key as ProductName, value as never);
  };

  const once = <T>(cache: Map<string, Promise<T>>, id: string, make: () => Promise<T>): Promise<T> => {
    let p = cache.get(id);
    if (!p) cache.set(id, (p = make()));
    return p;
  };
  const decisions = new Map<string, Promise<boolean>>();
  const finishes = new Map<string, Promise<void>>();
  const applied = new Map<string, boolean>();
  /** The failure that came first: steps waiting on a failed one reject with it too, later. */
  let firstFailure: { error: unknown } | undefined;
  const failing = (error: unknown) => {
    firstFailure ??= { error };
    return error;
  };

  /** Whether the step runs this time (false: skipped, or it does not apply). Decided as early as can be. */
  const decide = (s: StepSpec): Promise<boolean> =>
    once(decisions, s.id, async () => {
      const deps = lineDeps(s).map((d) => byId.get(d)!);
      if (s.applies) {
        await Promise.all(deps.map(finish));
        applied.set(s.id, s.applies(ctx));
        if (!applied.get(s.id)) return false;
      }
      if (s.always || !state.done[s.id]) return true;
      // A step some of whose inputs are made again runs again (known as soon as that one decides).
      if (await anyTrue(deps.map(decide))) return true;
      await Promise.all(deps.map(finish));
      if (!s.stillDone) return false;
      const recorded = Object.fromEntries(s.produces.map((k) => [k, readProduct(state, run, k)]).filter(([, v]) => v !== undefined));
      return !(await s.stillDone(ctx, input(s.id, s.needs) as never, recorded));
    });

  const runAhead = (s: StepSpec): Promise<void> =>
    once(finishes, s.ahead!.id, async () => {
      const ahead = s.ahead!;
      if (!(await decide(s))) return;
      await Promise.all(plan.dependsOn.get(ahead.id)!.map((d) => finish(byId.get(d)!)));
      try {
        store(await options.guard(s, ahead.run(ctx, input(ahead.id, ahead.needs) as never)));
      } catch (error) {
        throw failing(error);
      }
    });

  const finish = (s: StepSpec): Promise<void> =>
    once(finishes, s.id, async () => {
      const runs = await decide(s);
      await Promise.all(lineDeps(s).map((d) => finish(byId.get(d)!)));
      if (!runs) {
        if (applied.get(s.id) !== false) progress.skip(s.title, 'already done');
        return;
      }
      progress.start(s.title);
      const started = performance.now();
      try {
        if (s.ahead) await runAhead(s);
        const outcome = await options.guard(s, s.run(ctx, input(s.id, s.needs) as never));
        store(outcome.products);
        const took = Math.round(performance.now() - started);
        if (s.timingKey !== null) ms[s.id] = took;
        if (!s.always) state.done[s.id] = { at: new Date().toISOString(), ms: took };
        for (const later of downstream(s.id)) delete state.done[later];
        await ctx.save();
        progress.succeed(s.endTitle ?? s.title, performance.now() - started, outcome.detail || undefined);
      } catch (error) {
        progress.fail(s.endTitle ?? s.title, performance.now() - started);
        await ctx.save();
        throw failing(error);
      }
    });

  const owners = plan.order.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
  if (options.serial) {
    for (const s of owners) await finish(s);
  } else {
    // Every step starts waiting on its needs at once; work started ahead ends before a failure is reported.
    const settled = await Promise.allSettled(owners.flatMap((s) => (s.ahead ? [runAhead(s), finish(s)] : [finish(s)])));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw firstFailure ? firstFailure.error : failed.reason;
  }
  const timings: Record<string, number> = {};
  for (const s of owners) if (s.id in ms) timings[s.timingKey ?? s.id] = ms[s.id]!;
  const products: Partial<Products> = {};
  for (const key of new Set(nodes.flatMap((n) => n.produces as ProductName[]))) {
    const value = readProduct(state, run, key);
    if (value !== undefined) Object.assign(products, { [key]: value });
  }
  return { timings, products };
}
