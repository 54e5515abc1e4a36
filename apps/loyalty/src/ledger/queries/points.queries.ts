import { Injectable } from '@nestjs/common';
import type { ExpiringPointsDto, PointsDto } from '@lib/contracts';
import { settle } from '../domain/lot-settlement';
import { addDays } from '../domain/points-policy';
import { Clock } from '../ports/clock';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { ProgrammeSettings } from '../services/programme-settings';
import { TierKeeper } from '../services/tier-keeper';

/**
 * A group's points as they stand now: members see their own group's, admins any group's, and
 * API clients with members:read the group of a member they name. What time has made due since
 * the last write (matured pending points, expired ones) is applied here on the fly, without
 * writing: a read is exact at any moment, whether or not the sweep has run.
 */
@Injectable()
export class PointsQueries {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly programme: ProgrammeSettings,
    private readonly tiers: TierKeeper,
    private readonly clock: Clock,
  ) {}

  async points(groupId: string): Promise<PointsDto> {
    const now = this.clock.now();
    const [account, policy, tier] = await Promise.all([
      this.ledger.account(groupId),
      this.programme.policy(),
      this.tiers.standing(groupId, now),
    ]);
    let balance = account?.balance ?? 0;
    let pending = account?.pending ?? 0;
    const byPayer = { ...(account?.byPayer ?? {}) };
    if (account && account.nextChangeAt <= now) {
      const { delta } = settle(await this.ledger.dueLots(groupId, now), now);
      balance += delta.balance;
      pending += delta.pending;
      for (const [payer, points] of Object.entries(delta.byPayer))
        byPayer[payer] = (byPayer[payer] ?? 0) + points;
    }
    const expiring = await this.ledger.expiring(groupId, now, addDays(now, policy.expiryWarningDays));
    return { groupId, balance, pending, byPayer, expiringSoon: bySameExpiry(expiring), tier };
  }
}

function bySameExpiry(lots: Array<{ remaining: number; expiresAt: Date | null }>): ExpiringPointsDto[] {
  const out: ExpiringPointsDto[] = [];
  for (const lot of lots) {
    const expiresAt = lot.expiresAt!.toISOString();
    const last = out[out.length - 1];
    if (last?.expiresAt === expiresAt) last.points += lot.remaining;
    else out.push({ points: lot.remaining, expiresAt });
  }
  return out;
}
