/**
 * The CPU of one Apex worker thread, taken in turns by the transactions open on it (apexPool.ts). A
 * transaction holds the turn while it runs and gives it up while it waits on a callout, so a
 * transaction of Org A waiting for Org B's Apex REST does not keep B's transaction (or any other)
 * from running on the same thread. Only the holder runs: the CPU time of one transaction never
 * includes another's (the runtime counts time spent waiting for the host, the turn included, as not
 * CPU time: tools/apex/run/transaction.ts).
 */
export class Turns {
  private held = false;
  /** Whether the pool was last told that every open transaction waits. */
  private saidParked = false;
  private readonly waiting: (() => void)[] = [];
  /** Transactions on this thread that have taken a turn and not finished. */
  open = 0;

  /** `parked(true)`: every open transaction waits on a callout (the pool may send another job); `parked(false)`: one runs again. */
  constructor(private readonly parked: (allParked: boolean) => void) {}

  /** Starts a transaction: resolves once it holds the turn. */
  async begin(): Promise<void> {
    this.open++;
    await this.take();
  }

  /** Ends a transaction that holds the turn. */
  end(): void {
    this.open--;
    this.give();
  }

  /**
   * For one transaction: runs `wait` (a callout) without the turn, and takes it back before the
   * transaction goes on. A transaction may have several callouts in flight at once (a Continuation's
   * requests): it gives the turn up when the first starts and takes it back when the last ends.
   */
  parker(): <T>(wait: () => Promise<T>) => Promise<T> {
    let inFlight = 0;
    return async (wait) => {
      if (inFlight++ === 0) this.give();
      try {
        return await wait();
      } finally {
        if (--inFlight === 0) await this.take();
      }
    };
  }

  /** Nothing runs and nothing waits for the turn: a good moment for a full GC. */
  idle(): boolean {
    return !this.held && this.open === 0;
  }

  private take(): Promise<void> {
    if (!this.held) {
      this.held = true;
      if (this.saidParked) this.parked((this.saidParked = false));
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(): void {
    const next = this.waiting.shift();
    if (next) return next(); // the turn passes on; still held
    this.held = false;
    if (this.open > 0 && !this.saidParked) this.parked((this.saidParked = true));
  }
}
