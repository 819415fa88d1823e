/**
 * The heap limit on a platform worker (tools/apex/run/transaction.ts heapGauge): garbage is collected
 * before a transaction is judged over 6 MB, the cheap young-generation GC first and a full GC only if
 * the heap still looks over the limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { heapGauge, Transaction } from '../../tools/apex/run/transaction.ts';
import type { ApexHost } from '../../tools/apex/host.ts';
import type { RunnableProgram as Program } from '../../tools/apex/model/program.ts';

const MB = 1024 * 1024;

/** A fake isolate: `live` bytes that survive any GC, `young` and `old` garbage that each kind of GC frees. */
function fakeHeap(start: { live: number; young?: number; old?: number }) {
  const heap = { live: start.live, young: start.young ?? 0, old: start.old ?? 0, collected: [] as string[] };
  heapGauge.used = () => heap.live + heap.young + heap.old;
  heapGauge.collect = (kind) => {
    heap.collected.push(kind ?? 'full');
    heap.young = 0;
    if (kind !== 'minor') heap.old = 0;
  };
  return heap;
}

const newTransaction = () => new Transaction({} as ApexHost, {} as Program, new Map());

afterEach(() => {
  heapGauge.used = undefined;
  heapGauge.collect = undefined;
});

describe('heap limit on a worker isolate', () => {
  it('young garbage past the limit costs a young-generation GC, not a full one, and is not an overrun', () => {
    const heap = fakeHeap({ live: 100 * MB });
    const tx = newTransaction();
    heap.young = 30 * MB; // 30 MB / scale 4 = 7.5 MB "Apex heap" if it were live
    expect(tx.heapExceeded()).toBe(false);
    expect(heap.collected).toEqual(['minor']);
  });

  it('old garbage past the limit is collected by a full GC before judging', () => {
    const heap = fakeHeap({ live: 100 * MB });
    const tx = newTransaction();
    heap.old = 30 * MB;
    expect(tx.heapExceeded()).toBe(false);
    expect(heap.collected).toEqual(['minor', 'full']);
  });

  it('live growth past 6 MB (scaled) is an overrun after both GCs', () => {
    const heap = fakeHeap({ live: 100 * MB });
    const tx = newTransaction();
    heap.live += 4 * 7 * MB;
    heap.young = 5 * MB;
    expect(tx.heapExceeded()).toBe(true);
    expect(heap.collected).toEqual(['minor', 'full']);
  });

  it('growth under the limit collects nothing', () => {
    const heap = fakeHeap({ live: 100 * MB });
    const tx = newTransaction();
    heap.young = 10 * MB;
    expect(tx.heapExceeded()).toBe(false);
    expect(heap.collected).toEqual([]);
  });
});
