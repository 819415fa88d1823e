/**
 * When the Apex pool starts another worker (tools/local-platform/apex/apexPool.ts): a burst of short
 * jobs waits for the ready workers rather than starting new ones (each costs seconds of CPU), and a job
 * that waits SPAWN_AFTER_MS behind a long transaction gets a worker of its own. Stand-in workers (the
 * pool's StartWorker seam) answer when the test says so.
 */
import { EventEmitter } from 'node:events';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { ApexPool, SPAWN_AFTER_MS, type StartWorker } from '../../../tools/local-platform/apex/apexPool.ts';

class StandIn extends EventEmitter {
  jobs: { id: number; orgId: string }[] = [];
  postMessage(m: { id?: number; orgId?: string }): void {
    if (m.id !== undefined) this.jobs.push({ id: m.id, orgId: m.orgId! });
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  async terminate(): Promise<number> {
    return 0;
  }
  ready(): void {
    this.emit('message', { ready: true });
  }
  finish(): void {
    const job = this.jobs.shift()!;
    this.emit('message', { id: job.id, ok: true, value: job.orgId });
  }
}

let pool: ApexPool | undefined;
afterEach(async () => pool?.close());

function newPool(max = 4) {
  const started: StandIn[] = [];
  const start = (() => {
    const w = new StandIn();
    started.push(w);
    return w;
  }) as unknown as StartWorker;
  pool = new ApexPool('/nonexistent', new DatabaseSync(':memory:'), () => {}, max, false, start);
  return { pool, started };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ApexPool worker starts', () => {
  it('a burst of short jobs is served by the ready worker without starting another, however long the queue waits', async () => {
    const { pool, started } = newPool();
    pool.warm(1);
    started[0]!.ready();
    const count = 40;
    const answers = Array.from({ length: count }, (_, i) => pool.run<string>('runApexRest', `org${i % 3}`, 'u', []));
    expect(started).toHaveLength(1); // the old pool started a worker as soon as one job queued
    for (let i = 0; i < count; i++) {
      await sleep(10); // the last job waits about 400 ms, but the worker makes progress all along
      started[0]!.finish();
    }
    expect(await Promise.all(answers)).toHaveLength(count);
    await sleep(SPAWN_AFTER_MS + 50);
    expect(started).toHaveLength(1);
  });

  it('a job waiting SPAWN_AFTER_MS behind a long transaction gets a worker of its own', async () => {
    const { pool, started } = newPool();
    pool.warm(1);
    started[0]!.ready();
    void pool.run('executeAnonymous', 'orgB', 'u', []); // never finishes here: a loop until its CPU limit
    const other = pool.run<string>('runApexRest', 'orgA', 'u', []);
    await sleep(SPAWN_AFTER_MS / 2);
    expect(started).toHaveLength(1);
    await sleep(SPAWN_AFTER_MS);
    expect(started).toHaveLength(2);
    started[1]!.ready();
    expect(started[1]!.jobs.map((j) => j.orgId)).toEqual(['orgA']);
    started[1]!.finish();
    expect(await other).toBe('orgA');
  });

  it('starts a worker at once when it has none', () => {
    const { pool, started } = newPool();
    void pool.run('runApexRest', 'orgA', 'u', []).catch(() => {});
    expect(started).toHaveLength(1);
  });
});
