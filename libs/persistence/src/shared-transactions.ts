export interface SharedTransactionOptions {
  /** At most this many units share one transaction. */
  maxUnits?: number;
  /** At most this many shared transactions are open at once; later units queue for the next. */
  maxOpen?: number;
  /** How long a unit that finds a transaction open may wait for it to end, to share the next. */
  maxWaitMs?: number;
}

interface Waiting {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type RunTogether = (works: Array<() => Promise<unknown>>) => Promise<unknown[]>;
type RunAlone = (work: () => Promise<unknown>) => Promise<unknown>;

/**
 * Group commit. A unit that arrives when no transaction is open starts one at once, so at low
 * load nothing is added to its latency. A unit that arrives while one is open waits for company:
 * for that transaction to end, for `maxUnits` units to be waiting, or for `maxWaitMs`, whichever
 * comes first (and never while `maxOpen` are open); every unit waiting then shares the next
 * transaction (up to `maxUnits`). N units pay for one commit and one insert per collection.
 *
 * Why wait rather than open a transaction of its own at once: at a moderate rate a unit usually
 * finds one other transaction open, and units that each took their own paid 2-3 more commands and a
 * commit apiece. On the 2-core bench machine that made a purchase cost about 1.3x the CPU at half
 * the maximum rate (issue 21's latency bench): the extra work queued every request behind it.
 *
 * Each unit stays all or nothing: if any unit of a shared transaction throws, or the transaction
 * can't commit, it rolls back as a whole and every unit runs again alone, each with its own
 * answer (a replay's duplicate key, a refusal) and its own transaction.
 */
export class SharedTransactions {
  private readonly maxUnits: number;
  private readonly maxOpen: number;
  private readonly waiting: Waiting[] = [];
  private open = 0;
  private lingerTimer?: NodeJS.Timeout;
  private readonly maxWaitMs: number;

  constructor(
    private readonly runTogether: RunTogether,
    options: SharedTransactionOptions = {},
  ) {
    this.maxUnits = options.maxUnits ?? 16;
    this.maxOpen = options.maxOpen ?? 4;
    this.maxWaitMs = options.maxWaitMs ?? 10;
  }

  run<T>(work: () => Promise<T>, runAlone: (work: () => Promise<T>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.next(runAlone as RunAlone);
    });
  }

  private next(runAlone: RunAlone): void {
    if (this.open >= this.maxOpen || this.waiting.length === 0) return;
    // With a transaction open, wait for company: for its end, a full batch, or at most maxWaitMs.
    if (this.open > 0 && this.waiting.length < this.maxUnits) {
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = undefined;
        this.start(runAlone);
      }, this.maxWaitMs);
      return;
    }
    this.start(runAlone);
  }

  private start(runAlone: RunAlone): void {
    if (this.open >= this.maxOpen || this.waiting.length === 0) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const units = this.waiting.splice(0, this.maxUnits);
    this.open++;
    void this.runUnits(units, runAlone).finally(() => {
      this.open--;
      this.next(runAlone);
    });
  }

  private async runUnits(units: Waiting[], runAlone: RunAlone): Promise<void> {
    if (units.length > 1) {
      try {
        const results = await this.runTogether(units.map((u) => u.work));
        units.forEach((unit, i) => unit.resolve(results[i]));
        return;
      } catch {
        // One unit's refusal or duplicate key undoes them all: each runs again alone below.
      }
    }
    await Promise.all(
      units.map((unit) =>
        runAlone(unit.work).then(
          (value) => unit.resolve(value),
          (err: unknown) => unit.reject(err),
        ),
      ),
    );
  }
}
