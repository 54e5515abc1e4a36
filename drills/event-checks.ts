import type { Db } from 'mongodb';
import { verifyStandardWebhook, type WebhookReceiver } from '../test/support/webhook-receiver';
import type { OpRecord } from './open-loop-load';
import { sleep } from './open-loop-load';
import type { DrillReport } from './report';

/** What the drill's webhook receiver got, by business key (each counted once, as a receiver dedupes). */
export interface Delivered {
  purchases: Set<string>;
  redemptions: Set<string>;
  /** `${userId}:${couponBookId}` */
  assignments: Set<string>;
  vouchers: Map<string, { userId: string; campaignId: string }>;
  badSignatures: number;
}

export function delivered(receiver: WebhookReceiver, secret: string): Delivered {
  const result: Delivered = {
    purchases: new Set(),
    redemptions: new Set(),
    assignments: new Set(),
    vouchers: new Map(),
    badSignatures: 0,
  };
  for (const request of receiver.received) {
    if (!verifyStandardWebhook(secret, request.headers, request.body)) {
      result.badSignatures++;
      continue;
    }
    const { type, data } = JSON.parse(request.body) as { type: string; data: Record<string, string> };
    if (type === 'purchase.recorded') result.purchases.add(data.purchaseId);
    else if (type === 'points.redeemed') result.redemptions.add(data.redemptionId);
    else if (type === 'coupon.assigned') result.assignments.add(`${data.userId}:${data.couponBookId}`);
    else if (type === 'voucher.issued')
      result.vouchers.set(data.voucherId, { userId: data.userId, campaignId: data.campaignId });
  }
  return result;
}

/** The successful operations of the mix whose event has not reached the receiver. */
function missingEvents(records: readonly OpRecord[], got: Delivered): OpRecord[] {
  const seen: Record<string, Set<string>> = {
    purchase: got.purchases,
    redemption: got.redemptions,
    assignment: got.assignments,
  };
  return records.filter((r) => r.outcome === 'ok' && seen[r.kind] && !seen[r.kind].has(r.id));
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where missing events are stuck, from the dispatcher's delivery log: a delivery still PENDING
 * (its attempts and last error), or none at all (the event never reached the dispatcher). Each
 * event is named by the ids its body holds (all of them must appear).
 */
export async function explainMissing(
  dispatcherDb: Db,
  events: ReadonlyArray<readonly string[]>,
): Promise<string[]> {
  return Promise.all(
    events.slice(0, 5).map(async (ids) => {
      const pattern = `^${ids.map((id) => `(?=[\\s\\S]*${escapeRegex(id)})`).join('')}`;
      const delivery = await dispatcherDb
        .collection('webhook_deliveries')
        .findOne({ body: { $regex: pattern } }, { projection: { body: 0 } });
      const name = ids.join(' ');
      if (!delivery) return `${name}: no delivery in the dispatcher's log (the event never reached it)`;
      const last = delivery.lastStatusCode ?? delivery.lastError ?? 'no attempt yet';
      return `${name}: delivery ${delivery.status} after ${delivery.attempts} attempts (last: ${last}), owner ${delivery.owner}`;
    }),
  );
}

/**
 * Every acknowledged purchase, redemption and assignment produced its event, end to end: the
 * service's outbox, the broker, the dispatcher's consumer and its delivery to our receiver
 * (purchase.recorded, points.redeemed, coupon.assigned). Waits up to `timeoutMs` for stragglers.
 */
export async function checkEvents(
  report: DrillReport,
  receiver: WebhookReceiver,
  secret: string,
  records: readonly OpRecord[],
  timeoutMs: number,
  dispatcherDb: Db,
): Promise<void> {
  const started = Date.now();
  let missing = missingEvents(records, delivered(receiver, secret));
  while (missing.length && Date.now() - started < timeoutMs) {
    await sleep(1_000);
    missing = missingEvents(records, delivered(receiver, secret));
  }
  const expected = records.filter((r) => r.outcome === 'ok' && r.kind !== 'firstLogin').length;
  report.check(
    `no acknowledged event lost: each of ${expected} successful purchases, redemptions and assignments reached the webhook receiver`,
    !missing.length,
    missing.length
      ? `${missing.length} missing after ${timeoutMs / 1000} s:\n${(
          await explainMissing(
            dispatcherDb,
            missing.map((m) => m.id.split(':')),
          )
        ).join('\n')}`
      : undefined,
  );
  if (!missing.length)
    report.figure('event check waited for stragglers', `${((Date.now() - started) / 1000).toFixed(1)} s`);
  const bad = delivered(receiver, secret).badSignatures;
  report.check(
    'every webhook carried a valid Standard Webhooks signature',
    bad === 0,
    bad ? `${bad} invalid` : undefined,
  );
}
