/** The turns of one Apex worker's CPU: one transaction runs at a time; one waiting on a callout lets the others run. */
import { describe, expect, it } from 'vitest';
import { Turns } from '../../../tools/local-platform/apex/apexTurns.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('Turns', () => {
  it('a transaction waiting on a callout lets another run, and resumes only when that one gives the turn up', async () => {
    const said: boolean[] = [];
    const turns = new Turns((parked) => said.push(parked));
    const log: string[] = [];
    let answer!: (v: string) => void;
    const a = (async () => {
      await turns.begin();
      log.push('A runs');
      const v = await turns.parker()(() => new Promise<string>((r) => (answer = r)));
      log.push(`A resumes with ${v}`);
      turns.end();
    })();
    await tick();
    expect(said).toEqual([true]); // A waits: the pool may send another job
    let release!: () => void;
    const b = (async () => {
      await turns.begin();
      log.push('B runs');
      answer('B-data'); // A's callout returns while B still holds the turn
      await tick();
      log.push('B still runs');
      await new Promise<void>((r) => (release = r));
      turns.end();
      log.push('B ends');
    })();
    await tick();
    await tick();
    expect(log).toEqual(['A runs', 'B runs', 'B still runs']);
    expect(said).toEqual([true, false]);
    release();
    await Promise.all([a, b]);
    expect(log).toEqual(['A runs', 'B runs', 'B still runs', 'B ends', 'A resumes with B-data']);
    expect(turns.idle()).toBe(true);
  });

  it('a second job waits for the turn while the first runs', async () => {
    const turns = new Turns(() => {});
    const order: string[] = [];
    await turns.begin();
    const second = turns.begin().then(() => order.push('second'));
    await tick();
    expect(order).toEqual([]);
    order.push('first ends');
    turns.end();
    await second;
    turns.end();
    expect(order).toEqual(['first ends', 'second']);
    expect(turns.idle()).toBe(true);
  });

  it('a callout that fails still gives the turn back before the error reaches Apex', async () => {
    const turns = new Turns(() => {});
    await turns.begin();
    await expect(turns.parker()(() => Promise.reject(new Error('timed out')))).rejects.toThrow('timed out');
    turns.end();
    expect(turns.idle()).toBe(true);
  });

  it("a transaction's three callouts in flight at once (a Continuation) give the turn up once and take it back once", async () => {
    const said: boolean[] = [];
    const turns = new Turns((parked) => said.push(parked));
    await turns.begin();
    const park = turns.parker();
    const answers: ((v: number) => void)[] = [];
    const all = Promise.all([1, 2, 3].map(() => park(() => new Promise<number>((r) => answers.push(r)))));
    await tick();
    expect(said).toEqual([true]);
    let otherRan = false;
    const other = turns.begin().then(() => {
      otherRan = true;
      turns.end();
    });
    await other;
    expect(otherRan).toBe(true);
    answers.forEach((answer, i) => answer(i));
    expect(await all).toEqual([0, 1, 2]);
    turns.end();
    expect(turns.idle()).toBe(true);
  });
});
