import { randomUUID } from 'node:crypto';
import type { PointsExpiredV1 } from '@lib/contracts';
import type { ExpiredLot } from '../domain/lot-settlement';

/** The `loyalty.points.expired` event of one lot's expired points (the sweep, a reversal, a late lot). */
export function expiredEvent(groupId: string, lot: ExpiredLot, at: Date, balance: number): PointsExpiredV1 {
  return {
    eventId: randomUUID(),
    occurredAt: at.toISOString(),
    groupId,
    lotId: lot.lotId,
    reference: lot.reference,
    payer: lot.payer,
    points: lot.points,
    expiresAt: lot.expiresAt.toISOString(),
    balance,
  };
}
