import { EVENTS } from '@lib/contracts';
import { toOutgoingEvents } from './public-event';

describe('what integrators receive for an internal event', () => {
  const occurredAt = '2026-12-06T10:00:00.000Z';

  it('a purchase: its public type, when it happened, its facts; the event id is the webhook-id', () => {
    const [out, ...rest] = toOutgoingEvents(EVENTS.purchaseRecorded, {
      eventId: 'evt-1',
      occurredAt,
      purchaseId: 'p-1',
      points: 12,
    });
    expect(rest).toEqual([]);
    expect(out).toEqual({
      webhookId: 'evt-1',
      event: { type: 'purchase.recorded', timestamp: occurredAt, data: { purchaseId: 'p-1', points: 12 } },
    });
  });

  it('user.enrolled says whether an admin enrolled the user or they registered', () => {
    const body = { eventId: 'e', occurredAt, userId: 'u', groupId: 'g' };
    expect(toOutgoingEvents(EVENTS.userEnrolled, body)[0].event).toMatchObject({
      type: 'user.enrolled',
      data: { userId: 'u', groupId: 'g', via: 'ADMIN' },
    });
    expect(toOutgoingEvents(EVENTS.userRegistered, { ...body, joinedByInvite: true })[0].event).toMatchObject(
      {
        type: 'user.enrolled',
        data: { userId: 'u', groupId: 'g', joinedByInvite: true, via: 'REGISTRATION' },
      },
    );
  });

  it('a batch of vouchers becomes one voucher.issued per voucher, each with its own stable webhook-id', () => {
    const voucher = (n: number) => ({
      voucherId: `v-${n}`,
      campaignId: 'c',
      userId: `u-${n}`,
      groupId: `g-${n}`,
      discountPercent: 30,
      expiresAt: '2027-01-05T10:00:00.000Z',
    });
    const batch = { eventId: 'batch-1', occurredAt, vouchers: [voucher(1), voucher(2)] };
    const out = toOutgoingEvents(EVENTS.vouchersIssued, batch);
    expect(out).toEqual([
      {
        webhookId: 'batch-1.v-1',
        event: { type: 'voucher.issued', timestamp: occurredAt, data: voucher(1) },
      },
      {
        webhookId: 'batch-1.v-2',
        event: { type: 'voucher.issued', timestamp: occurredAt, data: voucher(2) },
      },
    ]);
    // A redelivered batch gives the same ids: receivers (and the delivery log) dedupe it.
    expect(toOutgoingEvents(EVENTS.vouchersIssued, batch).map((o) => o.webhookId)).toEqual([
      'batch-1.v-1',
      'batch-1.v-2',
    ]);
  });
});
