import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, auditTarget, EVENTS, type TiersDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { checkTierTable, DEFAULT_TIERS, type TierTable } from '../domain/tiers';
import { Clock } from '../ports/clock';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { ProgrammeSettingsRepository } from '../ports/programme-settings.repository';
import { ProgrammeSettings } from '../services/programme-settings';

/**
 * An admin sets the tier table. Purchases earn with it from now on; every group that has
 * announced a tier is reviewed by the next sweep (a renamed, removed or moved tier is a
 * `tier.changed`), and the rest move up at their next purchase. Audited, and broadcast to every
 * loyalty replica, in one transaction.
 */
@Injectable()
export class UpdateTiersHandler {
  constructor(
    private readonly store: ProgrammeSettingsRepository,
    private readonly ledger: PointsLedgerRepository,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly programme: ProgrammeSettings,
    private readonly clock: Clock,
  ) {}

  async execute(admin: AuthenticatedUser, body: TiersDto): Promise<TiersDto> {
    const table: TierTable = checkTierTable({
      qualifyingDays: body.qualifyingDays,
      tiers: body.tiers.map(({ name, minPoints, earnMultiplier }) => ({
        name: name.trim(),
        minPoints,
        earnMultiplier,
      })),
    });
    const now = this.clock.now();
    await this.uow.run(async () => {
      const before = (await this.store.tiers()) ?? DEFAULT_TIERS;
      await this.store.saveTiers(table, now);
      await this.ledger.reviewTiers(now);
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId: admin.userId,
        action: AUDIT_ACTIONS.tiersUpdated,
        target: auditTarget('tiers', 'programme'),
        details: { before, after: table },
      });
      await this.outbox.add(EVENTS.loyaltySettingsChanged, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        what: 'tiers',
      });
    });
    this.programme.invalidate();
    return table;
  }
}
