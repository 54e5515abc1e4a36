import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@lib/observability';
import { Clock } from '../ports/clock';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { IdempotentCommands } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';
import { TierKeeper } from '../services/tier-keeper';

/** Groups settled per database read; the sweep reads again until none are due. */
const BATCH = 200;

/**
 * Writes down what time did: EXPIRE entries for expired points (reads and spends already ignore
 * them from the instant they expire), matured pending points, and tiers the rolling window has
 * moved. Safe on every replica at once: each group is settled in its own transaction, and a
 * settlement applies only to the lot states it was planned from, so two replicas racing for a
 * group conflict, retry, and the second finds nothing left to do.
 */
@Injectable()
export class SweepDuePoints {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly writer: LedgerWriter,
    private readonly tiers: TierKeeper,
    private readonly commands: IdempotentCommands,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** One pass; the number of groups it settled. */
  async run(): Promise<number> {
    const now = this.clock.now();
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.ledger.groupsDue(now, BATCH)).filter((groupId) => !seen.has(groupId));
      if (!due.length) break;
      for (const groupId of due) {
        seen.add(groupId);
        await this.sweepGroup(groupId, now).catch((err: Error) =>
          this.logger.warn({ groupId, err: err.message }, 'points sweep: group left for the next pass'),
        );
      }
    }
    return seen.size;
  }

  private sweepGroup(groupId: string, now: Date): Promise<void> {
    return this.commands.exclusive(groupId, async () => {
      let account = await this.ledger.account(groupId);
      if (!account) return;
      if (account.nextChangeAt <= now) account = await this.writer.settle(account, now);
      if (account.tierReviewAt <= now) await this.tiers.review(account, now);
    });
  }
}
