export interface SharedTransactionOptions {
  /** At most this many units share one transaction. */
  maxUnits?: number;
  /** At most this many shared transactions are open at once; later units queue for the next. */
  maxOpen?: number;
}

interface Waiting {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type RunTogether = (works: Array<() => Promise<unknown>>) => Promise<unknown[]>;
type RunAlone = (work: () => Promise<unknown>) => Promise<unknown>;

/**
 * Group commit. A unit of work that arrives while `maxOpen` transactions are open waits, and
 * every unit waiting when one of them ends shares the next transaction (up to `maxUnits`). Under
 * load N units then pay for one commit and one insert per collection; a lone unit never waits for
 * company, so at low load nothing is added to its latency.
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

  constructor(
    private readonly runTogether: RunTogether,
    options: SharedTransactionOptions = {},
  ) {
    this.maxUnits = options.maxUnits ?? 16;
    this.maxOpen = options.maxOpen ?? 4;
  }

  run<T>(work: () => Promise<T>, runAlone: (work: () => Promise<T>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.next(runAlone as RunAlone);
    });
  }

  private next(runAlone: RunAlone): void {
    if (this.open >= this.maxOpen || this.waiting.length === 0) return;
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
