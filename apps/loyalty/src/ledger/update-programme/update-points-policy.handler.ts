import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, auditTarget, EVENTS, type PointsPolicyDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { checkPointsPolicy, DEFAULT_POINTS_POLICY } from '../domain/points-policy';
import { Clock } from '../ports/clock';
import { ProgrammeSettingsRepository } from '../ports/programme-settings.repository';
import { ProgrammeSettings } from '../services/programme-settings';

/**
 * An admin sets the points policy. It applies to points earned from now on (a lot's dates are
 * fixed when it is earned). One transaction: the policy, its audit entry (with what it was), and
 * the broadcast that makes every loyalty replica read it again at once.
 */
@Injectable()
export class UpdatePointsPolicyHandler {
  constructor(
    private readonly store: ProgrammeSettingsRepository,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly programme: ProgrammeSettings,
    private readonly clock: Clock,
  ) {}

  async execute(admin: AuthenticatedUser, body: PointsPolicyDto): Promise<PointsPolicyDto> {
    const policy = checkPointsPolicy({
      pendingDays: body.pendingDays,
      expiryDays: body.expiryDays ?? null,
      expiryWarningDays: body.expiryWarningDays,
    });
    const now = this.clock.now();
    await this.uow.run(async () => {
      const before = (await this.store.policy()) ?? DEFAULT_POINTS_POLICY;
      await this.store.savePolicy(policy, now);
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId: admin.userId,
        action: AUDIT_ACTIONS.pointsPolicyUpdated,
        target: auditTarget('points-policy', 'programme'),
        details: { before, after: policy },
      });
      await this.outbox.add(EVENTS.loyaltySettingsChanged, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        what: 'points-policy',
      });
    });
    this.programme.invalidate();
    return policy;
  }
}
