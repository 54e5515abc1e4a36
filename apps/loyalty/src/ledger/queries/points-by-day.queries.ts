import { Injectable } from '@nestjs/common';
import type { PointsDayDto } from '@lib/contracts';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';

const DAY_MS = 86_400_000;

/** The admin stats' points per day, across all groups. */
@Injectable()
export class PointsByDayQueries {
  constructor(private readonly ledger: PointsLedgerRepository) {}

  /**
   * The last `days` UTC days, oldest first, one row per day (zeros included). `earned` counts
   * points credited (EARN and positive ADJUST); `redeemed` the points redemptions spent.
   */
  async pointsByDay(days: number, now = new Date()): Promise<PointsDayDto[]> {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const since = new Date(today - (days - 1) * DAY_MS);
    const totals = new Map((await this.ledger.totalsByDay(since)).map((t) => [t.date, t]));
    return Array.from({ length: days }, (_, i) => {
      const date = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      const t = totals.get(date);
      return { date, earned: t?.earned ?? 0, redeemed: t?.redeemed ?? 0 };
    });
  }
}
