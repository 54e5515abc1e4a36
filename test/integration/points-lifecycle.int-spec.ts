import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@lib/errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { outboxModel } from '@lib/messaging';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore, type LedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { Clock } from '../../apps/loyalty/src/ledger/ports/clock';
import { LedgerProcess, ledgerProcess } from '../support/loyalty/ledger-process';

const DAY = 86_400_000;

/** Time the test moves: the ledger sees only this clock. */
class VirtualClock extends Clock {
  constructor(public at: number) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
  advance(days: number): void {
    this.at += days * DAY;
  }
}

describe('the points lifecycle on a real MongoDB replica set (pending, expiry, refunds, reversals, tiers, late lots)', () => {
  const iso = new TestIsolation('lifecycle');
  let connection: Connection;
  let store: LedgerStore;
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 12));
  let p: LedgerProcess;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    store = await openLedgerStore(connection);
    const outbox = new SchemaSetup(connection);
    outbox.registerModel(outboxModel(connection));
    await outbox.run();
    p = ledgerProcess(connection, store, undefined, clock);
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  afterEach(async () => {
    await p.policy.execute(admin, { pendingDays: 0, expiryDays: null, expiryWarningDays: 30 });
    await p.tiers.execute(admin, {
      qualifyingDays: 365,
      tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }],
    });
  });

  const person = (roles: AuthenticatedUser['roles'], groupId = ''): AuthenticatedUser => ({
    userId: randomUUID(),
    groupId,
    roles,
    scopes: [],
    tokenId: randomUUID(),
    issuedAt: 0,
    expiresAt: 0,
  });
  const admin = person(['admin']);
  const till = (): AuthenticatedUser => {
    const clientId = randomUUID();
    return {
      ...person(['client']),
      userId: clientId,
      clientId,
      scopes: ['purchases:write', 'redemptions:write'],
    };
  };
  const newMember = () => ({ userId: randomUUID(), groupId: randomUUID() });
  const events = async (type: string, groupId: string) =>
    (
      await connection.db!.collection('outbox').find({ name: type, 'payload.groupId': groupId }).toArray()
    ).map((e) => e.payload as Record<string, unknown>);
  const refused = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (err) {
      if (err instanceof DomainError) return err;
      throw err;
    }
    throw new Error('expected a refusal');
  };
  const iso8601 = (ms: number) => new Date(ms).toISOString();

  it('pending points count towards pending, never the balance, and become spendable at availableAt with no write', async () => {
    await p.policy.execute(admin, { pendingDays: 14, expiryDays: null, expiryWarningDays: 30 });
    const shop = till();
    const member = newMember();
    const bought = await p.purchases.execute(shop, member, {
      purchaseId: 'p1',
      userId: member.userId,
      amount: '50.00',
    });
    expect(bought.body).toMatchObject({ status: 'PENDING', pointsEarned: 50, balance: 0, expiresAt: null });
    expect(bought.body.availableAt).toBe(iso8601(clock.at + 14 * DAY));
    expect(await p.points.points(member.groupId)).toMatchObject({
      balance: 0,
      pending: 50,
      byPayer: { STORE: 0 },
    });
    const early = await refused(
      p.redemptions.execute(shop, member, { redemptionId: 'r1', userId: member.userId, points: 1 }),
    );
    expect(early.code).toBe('INSUFFICIENT_POINTS');

    clock.advance(14);
    expect(await p.points.points(member.groupId)).toMatchObject({
      balance: 50,
      pending: 0,
      byPayer: { STORE: 50 },
    });
    const spent = await p.redemptions.execute(shop, member, {
      redemptionId: 'r2',
      userId: member.userId,
      points: 20,
    });
    expect(spent.body.balance).toBe(30);
    const listed = await p.purchaseList.purchases(member.groupId, { limit: 10 });
    expect(listed.items[0]).toMatchObject({ purchaseId: 'p1', status: 'AVAILABLE', refundedAmount: '0.00' });
  });

  it('expired points stop counting at expiresAt; the sweep writes one EXPIRE entry and event per lot, once', async () => {
    await p.policy.execute(admin, { pendingDays: 0, expiryDays: 30, expiryWarningDays: 7 });
    const shop = till();
    const member = newMember();
    await p.purchases.execute(shop, member, { purchaseId: 'old', userId: member.userId, amount: '40' });
    clock.advance(10);
    await p.purchases.execute(shop, member, { purchaseId: 'new', userId: member.userId, amount: '5' });
    clock.advance(15);
    // 25 days in: the first lot expires within the 7-day warning window, the second doesn't.
    expect(await p.points.points(member.groupId)).toMatchObject({
      balance: 45,
      expiringSoon: [{ points: 40, expiresAt: iso8601(clock.at + 5 * DAY) }],
    });
    clock.advance(5);
    expect((await p.points.points(member.groupId)).balance).toBe(5);
    const tooMuch = await refused(
      p.redemptions.execute(shop, member, { redemptionId: 'r', userId: member.userId, points: 6 }),
    );
    expect(tooMuch.code).toBe('INSUFFICIENT_POINTS');
    // Two sweeps (two replicas, or one twice): one EXPIRE entry, one event.
    await Promise.all([p.sweep.run(), ledgerProcess(connection, store, undefined, clock).sweep.run()]);
    await p.sweep.run();
    const history = await p.history.history(member.groupId, { limit: 10 });
    expect(history.items.filter((e) => e.type === 'EXPIRE')).toEqual([
      expect.objectContaining({ points: -40, reference: 'old', balanceAfter: 5 }),
    ]);
    expect(await events('loyalty.points.expired', member.groupId)).toEqual([
      expect.objectContaining({ points: 40, reference: 'old', balance: 5 }),
    ]);
    expect(
      (await p.purchaseList.purchases(member.groupId, { limit: 10 })).items.map((i) => i.status),
    ).toEqual(['AVAILABLE', 'EXPIRED']);
  });

  it('a refund takes its own purchase’s points first, then the oldest others, and reports what was spent as unrecovered', async () => {
    const shop = till();
    const member = newMember();
    await p.transactions.execute(admin, member.groupId, {
      transactionId: 't1',
      payer: 'DANNON',
      points: 30,
      reason: 'bonus',
    });
    clock.advance(1);
    await p.purchases.execute(shop, member, { purchaseId: 'big', userId: member.userId, amount: '100.00' });
    await p.redemptions.execute(shop, member, { redemptionId: 'r1', userId: member.userId, points: 100 });
    // Oldest first: DANNON 30, then 70 of the purchase; 30 of it left.
    const first = await p.refunds.execute(shop, 'big', { refundId: 'rf1', amount: '60.00' });
    expect(first).toEqual({
      created: true,
      body: expect.objectContaining({
        pointsReversed: 30,
        unrecovered: 30,
        balance: 0,
        amount: '60.00',
        currency: 'USD',
      }),
    });
    expect(await p.refunds.execute(shop, 'big', { refundId: 'rf1', amount: '60' })).toEqual({
      created: false,
      body: first.body,
    });
    const conflict = await refused(p.refunds.execute(shop, 'big', { refundId: 'rf1', amount: '10.00' }));
    expect(conflict.code).toBe('IDEMPOTENCY_CONFLICT');
    const over = await refused(p.refunds.execute(shop, 'big', { refundId: 'rf2', amount: '40.01' }));
    expect(over).toMatchObject({ code: 'REFUND_EXCEEDS_PURCHASE', details: { refundable: '40.00' } });
    const rest = await p.refunds.execute(shop, 'big', { refundId: 'rf3', amount: '40' });
    expect(rest.body).toMatchObject({ pointsReversed: 0, unrecovered: 40, balance: 0 });
    const unknown = await refused(p.refunds.execute(shop, 'nope', { refundId: 'rf4', amount: '1' }));
    expect(unknown.code).toBe('NOT_FOUND');
    // Another till can't refund this till's purchase: its ids are its own.
    expect((await refused(p.refunds.execute(till(), 'big', { refundId: 'x', amount: '1' }))).code).toBe(
      'NOT_FOUND',
    );
    const [purchase] = (await p.purchaseList.purchases(member.groupId, { limit: 1 })).items;
    expect(purchase).toMatchObject({ status: 'REFUNDED', refundedAmount: '100.00' });
    expect((await events('loyalty.purchase.refunded', member.groupId)).map((e) => e.refundId)).toEqual([
      'rf1',
      'rf3',
    ]);
  });

  it('a refund with points left elsewhere takes them oldest first; pending own points come back without touching the balance', async () => {
    await p.policy.execute(admin, { pendingDays: 10, expiryDays: null, expiryWarningDays: 30 });
    const shop = till();
    const member = newMember();
    await p.transactions.execute(admin, member.groupId, {
      transactionId: 'old',
      payer: 'UNILEVER',
      points: 50,
      reason: 'x',
    });
    await p.purchases.execute(shop, member, { purchaseId: 'p', userId: member.userId, amount: '20' });
    const refund = await p.refunds.execute(shop, 'p', { refundId: 'r', amount: '20' });
    expect(refund.body).toMatchObject({ pointsReversed: 20, unrecovered: 0, balance: 50 });
    expect(await p.points.points(member.groupId)).toMatchObject({ balance: 50, pending: 0 });
  });

  it('a reversal gives the exact points back to the exact lots; expired lots’ points expire again at once; once only', async () => {
    await p.policy.execute(admin, { pendingDays: 0, expiryDays: 20, expiryWarningDays: 30 });
    const shop = till();
    const member = newMember();
    await p.transactions.execute(admin, member.groupId, {
      transactionId: 'a',
      payer: 'DANNON',
      points: 10,
      reason: 'x',
    });
    clock.advance(5);
    await p.transactions.execute(admin, member.groupId, {
      transactionId: 'b',
      payer: 'MILLER COORS',
      points: 100,
      reason: 'x',
    });
    const spent = await p.redemptions.execute(shop, member, {
      redemptionId: 'r',
      userId: member.userId,
      points: 40,
    });
    expect(spent.body.spent).toEqual([
      { payer: 'DANNON', points: -10 },
      { payer: 'MILLER COORS', points: -30 },
    ]);
    clock.advance(16); // DANNON's lot (day 0 + 20) has expired; MILLER COORS's (day 5 + 20) hasn't.
    const reversed = await p.reversals.execute(shop, 'r', { reason: 'order cancelled' });
    expect(reversed).toEqual({
      created: true,
      body: expect.objectContaining({ pointsRestored: 40, pointsExpired: 10, balance: 100 }),
    });
    expect(await p.points.points(member.groupId)).toMatchObject({
      balance: 100,
      byPayer: { DANNON: 0, 'MILLER COORS': 100 },
    });
    const again = await p.reversals.execute(admin, 'r', { reason: 'another reason' });
    expect(again).toEqual({ created: false, body: reversed.body });
    const history = (await p.history.history(member.groupId, { limit: 4 })).items;
    expect(history.map((e) => [e.type, e.payer, e.points])).toEqual([
      ['EXPIRE', 'DANNON', -10],
      ['REVERSAL', 'MILLER COORS', 30],
      ['REVERSAL', 'DANNON', 10],
      ['REDEEM', 'MILLER COORS', -30],
    ]);
    expect(history[1].reason).toBe('order cancelled');
    // The restored MILLER COORS points keep their own expiry.
    clock.advance(5);
    expect((await p.points.points(member.groupId)).balance).toBe(0);
    expect((await refused(p.reversals.execute(shop, 'missing', { reason: 'x' }))).code).toBe('NOT_FOUND');
  });

  it('tiers: the crossing purchase moves the group up, the next earns the multiplier, and the rolling window moves it down', async () => {
    await p.tiers.execute(admin, {
      qualifyingDays: 30,
      tiers: [
        { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
        { name: 'Silver', minPoints: 100, earnMultiplier: '1.5' },
      ],
    });
    const shop = till();
    const member = newMember();
    const buy = (id: string, amount: string) =>
      p.purchases.execute(shop, member, { purchaseId: id, userId: member.userId, amount });
    expect((await buy('a', '60')).body).toMatchObject({ pointsEarned: 60, earnMultiplier: '1' });
    clock.advance(10);
    expect((await buy('b', '45')).body).toMatchObject({ pointsEarned: 45, earnMultiplier: '1' });
    expect((await buy('c', '10.99')).body).toMatchObject({ pointsEarned: 16, earnMultiplier: '1.5' });
    expect((await p.points.points(member.groupId)).tier).toEqual({
      name: 'Silver',
      earnMultiplier: '1.5',
      qualifyingPoints: 121,
      nextTier: null,
      pointsToNextTier: null,
    });
    // A refund of the multiplied purchase takes back at its own rate: floor(10.99 × 1.5) = 16.
    expect(
      (await p.refunds.execute(shop, 'c', { refundId: 'rc', amount: '10.99' })).body.pointsReversed,
    ).toBe(16);
    // Day 31: purchase 'a' has left the window; 45 qualifying points are below Silver.
    clock.advance(21);
    expect((await p.points.points(member.groupId)).tier).toMatchObject({
      name: 'Standard',
      qualifyingPoints: 45,
      nextTier: 'Silver',
      pointsToNextTier: 55,
    });
    await p.sweep.run();
    expect(
      (await events('loyalty.tier.changed', member.groupId)).map((e) => [e.from, e.to, e.direction]),
    ).toEqual([
      ['Standard', 'Silver', 'UP'],
      ['Silver', 'Standard', 'DOWN'],
    ]);
    expect((await buy('d', '10')).body).toMatchObject({ pointsEarned: 10, earnMultiplier: '1' });
  });

  it('seed 004: a late, older lot takes over a negative payer transaction, as if everything had arrived in time order', async () => {
    const feed = { ...till(), scopes: ['payer-transactions:write' as const] };
    const member = newMember();
    const send = (transactionId: string, payer: string, points: number, timestamp: string) =>
      p.transactions.execute(feed, member.groupId, {
        transactionId,
        payer,
        points,
        timestamp,
        reason: 'feed',
      });
    await send('t1', 'DANNON', 1000, '2022-11-02T14:00:00Z');
    await send('t2', 'UNILEVER', 200, '2022-10-31T11:00:00Z');
    await send('t3', 'DANNON', -200, '2022-10-31T15:00:00Z');
    await send('t4', 'MILLER COORS', 10000, '2022-11-01T14:00:00Z');
    await send('t5', 'DANNON', 300, '2022-10-31T10:00:00Z');
    const spent = await p.redemptions.execute(admin, member, { redemptionId: 'spend', points: 5000 });
    expect(spent.body.spent).toEqual([
      { payer: 'DANNON', points: -100 },
      { payer: 'UNILEVER', points: -200 },
      { payer: 'MILLER COORS', points: -4700 },
    ]);
    expect((await p.points.points(member.groupId)).byPayer).toEqual({
      DANNON: 1000,
      UNILEVER: 0,
      'MILLER COORS': 5300,
    });
  });
});
