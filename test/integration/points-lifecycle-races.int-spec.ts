import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@lib/errors';
import { outboxModel } from '@lib/messaging';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { LoyaltySettings } from '../../apps/loyalty/src/loyalty.settings';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { LedgerProcess, ledgerProcess } from '../support/loyalty/ledger-process';
import { apiClient, person } from '../support/loyalty/lifecycle-property';
import { VirtualClock } from '../support/loyalty/virtual-clock';

const HOUR = 3_600_000;

/** Issue 18, Tests, races: two loyalty "processes" on one database, exact totals. */
describe('points lifecycle races on a real MongoDB replica set', () => {
  const iso = new TestIsolation('lifecycle-races');
  let connection: Connection;
  /** Two loyalty "processes": their own handlers, per-group serializers and caches, on one database and one clock. */
  let a: LedgerProcess;
  let b: LedgerProcess;
  const clock = new VirtualClock(new Date('2025-06-01T00:00:00Z'));
  const admin = person(randomUUID(), ['admin']);

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const store = await openLedgerStore(connection);
    const outbox = new SchemaSetup(connection);
    outbox.registerModel(outboxModel(connection));
    await outbox.run();
    const settings = new LoyaltySettings({ units: 1n, scale: 0 }, 'USD');
    [a, b] = [
      ledgerProcess(connection, store, settings, clock),
      ledgerProcess(connection, store, settings, clock),
    ];
    await a.policy.execute(admin, { pendingDays: 0, expiryDays: 10, expiryWarningDays: 7 });
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  const either = (i: number) => (i % 2 ? a : b);
  const codeOf = (r: PromiseSettledResult<unknown>) =>
    r.status === 'rejected' ? ((r.reason as DomainError).code ?? String(r.reason)) : 'OK';
  const count = (results: Array<PromiseSettledResult<unknown>>) => {
    const out: Record<string, number> = {};
    for (const r of results) out[codeOf(r)] = (out[codeOf(r)] ?? 0) + 1;
    return out;
  };
  const credit = (groupId: string, transactionId: string, points: number, timestamp: Date) =>
    a.transactions.execute(admin, groupId, {
      transactionId,
      payer: 'DANNON',
      points,
      timestamp: timestamp.toISOString(),
      reason: 'fund',
    });

  it('100 concurrent redemptions while both processes sweep the same group: no point both expired and spent, no overdraft', async () => {
    const groupId = randomUUID();
    const member = person(groupId, ['member']);
    // 20 lots of 50, half a day apart: each expires 10 days after its timestamp.
    const start = clock.now();
    for (let i = 0; i < 20; i++)
      await credit(groupId, `fund-${i}`, 50, new Date(start.getTime() - i * 12 * HOUR));
    // Five days on, the 10 oldest lots (500 points) have expired and nothing has written it down.
    clock.set(new Date(start.getTime() + 5 * 24 * HOUR));
    let racing = true;
    const sweeping = (async () => {
      let passes = 0;
      while (racing || passes === 0) {
        await Promise.all([a.sweep.run(), b.sweep.run()]);
        passes += 1;
      }
    })();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        either(i).redemptions.execute(
          member,
          { userId: member.userId, groupId },
          { redemptionId: randomUUID(), points: 10 },
        ),
      ),
    );
    racing = false;
    await sweeping;
    // Exactly the 500 points that had not expired were spent: 50 redemptions, 50 refused.
    expect(count(results)).toEqual({ OK: 50, INSUFFICIENT_POINTS: 50 });
    const s = await expectLedgerInvariants(connection.db!, groupId, { settledAt: clock.now() });
    expect(s).toMatchObject({ balance: 0, pending: 0, earned: 1000, spent: 500, expired: 500, refunded: 0 });
    const lots = await connection.db!.collection('point_lots').find({ groupId }).toArray();
    const expiredLots = new Set(lots.filter((l) => l.expired > 0).map((l) => l._id as unknown as string));
    expect(
      lots
        .filter((l) => l.expired > 0)
        .map((l) => [l.reference, l.expired])
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => [`fund-${i + 10}`, 50]).sort());
    const allocations = (
      await connection.db!.collection('ledger_requests').find({ groupId, kind: 'redemption' }).toArray()
    ).flatMap((r) => r.detail.allocations as Array<{ lotId: string }>);
    expect(allocations.filter((x) => expiredLots.has(x.lotId))).toEqual([]);
    // Each expired lot written down once, whoever settled it.
    const expiries = await connection
      .db!.collection('point_entries')
      .find({ groupId, type: 'EXPIRE' })
      .toArray();
    expect(expiries.map((e) => e.points)).toEqual(Array(10).fill(-50));
  });

  it('20 concurrent refunds of one purchase with different refundIds: refunds stop at the purchase, points taken back at most once', async () => {
    const groupId = randomUUID();
    const member = person(groupId, ['member']);
    const till = apiClient(['purchases:write']);
    const purchaseId = randomUUID();
    await a.purchases.execute(
      till,
      { userId: member.userId, groupId },
      { purchaseId, userId: member.userId, amount: '100.00' },
    );
    // 30 of its 100 points are spent, and the group has 10 other points.
    await a.redemptions.execute(
      member,
      { userId: member.userId, groupId },
      { redemptionId: randomUUID(), points: 30 },
    );
    await credit(groupId, 'other', 10, clock.now());
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        either(i).refunds.execute(till, purchaseId, { refundId: `refund-${i}`, amount: '7.00' }),
      ),
    );
    // 14 × 7.00 = 98.00 fit in 100.00; a 15th would not.
    expect(count(results)).toEqual({ OK: 14, REFUND_EXCEEDS_PURCHASE: 6 });
    const refunds = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.body] : []));
    const reversed = refunds.reduce((sum, r) => sum + r.pointsReversed, 0);
    const unrecovered = refunds.reduce((sum, r) => sum + r.unrecovered, 0);
    // The purchase's own 70 points, then the other 10; the 18 already spent are unrecovered.
    expect({ reversed, unrecovered }).toEqual({ reversed: 80, unrecovered: 18 });
    const [listed] = (await a.purchaseList.purchases(groupId, { limit: 10 })).items;
    expect(listed).toMatchObject({ purchaseId, refundedAmount: '98.00', status: 'PARTIALLY_REFUNDED' });
    const s = await expectLedgerInvariants(connection.db!, groupId);
    expect(s).toMatchObject({ balance: 0, earned: 110, spent: 30, refunded: 80 });
  });

  it('20 concurrent reversals of one redemption: the points are restored once, every answer the same body', async () => {
    const groupId = randomUUID();
    const member = person(groupId, ['member']);
    await credit(groupId, 'fund', 100, clock.now());
    const redemptionId = randomUUID();
    await a.redemptions.execute(member, { userId: member.userId, groupId }, { redemptionId, points: 40 });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        either(i).reversals.execute(admin, redemptionId, { reason: 'race' }),
      ),
    );
    expect(replies.filter((r) => r.created)).toHaveLength(1);
    for (const r of replies) expect(r.body).toEqual(replies[0].body);
    expect(replies[0].body).toMatchObject({
      redemptionId,
      pointsRestored: 40,
      pointsExpired: 0,
      balance: 100,
    });
    const s = await expectLedgerInvariants(connection.db!, groupId);
    expect(s).toMatchObject({ balance: 100, spent: 0 });
    const reversals = await connection
      .db!.collection('point_entries')
      .find({ groupId, type: 'REVERSAL' })
      .toArray();
    expect(reversals.map((e) => e.points)).toEqual([40]);
  });
});
