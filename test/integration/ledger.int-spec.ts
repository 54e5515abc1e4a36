import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@lib/errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { outboxModel } from '@lib/messaging';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { LedgerProcess, ledgerProcess } from '../support/loyalty/ledger-process';
import { ledgerOp, refusalCode } from '../support/loyalty/ledger-ops';
import { NaiveLedger } from '../support/loyalty/naive-ledger';

describe('the points ledger on a real MongoDB replica set', () => {
  const iso = new TestIsolation('ledger');
  let connection: Connection;
  /** Two loyalty "processes": their own handlers and per-group serializers, on one database. */
  let a: LedgerProcess;
  let b: LedgerProcess;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const store = await openLedgerStore(connection);
    const outbox = new SchemaSetup(connection);
    outbox.registerModel(outboxModel(connection));
    await outbox.run();
    [a, b] = [ledgerProcess(connection, store), ledgerProcess(connection, store)];
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  const caller = (groupId: string, roles: AuthenticatedUser['roles'] = ['member']): AuthenticatedUser => ({
    userId: randomUUID(),
    groupId,
    roles,
    tokenId: randomUUID(),
    expiresAt: Math.floor(Date.now() / 1000) + 600,
  });

  const invariantsHold = (groupId: string) => expectLedgerInvariants(connection.db!, groupId);

  const PAYERS = ['DANNON', 'UNILEVER', 'STORE'];
  const HOUR = 3_600_000;
  const T0 = Date.UTC(2025, 0, 1);
  const op = ledgerOp(PAYERS, { credit: 40, redeem: 90, debit: 50, hours: 24 });

  it('property: random earn / adjust / redeem sequences spend exactly as the naive model, invariants in the DB', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const groupId = randomUUID();
        const member = caller(groupId);
        const admin = caller(randomUUID(), ['admin']);
        const model = new NaiveLedger();
        for (const [i, o] of ops.entries()) {
          const at = new Date(T0 + ('hour' in o ? o.hour : 0) * HOUR).toISOString();
          if (o.kind === 'earn') {
            const reply = await a.purchases.execute(member, {
              purchaseId: `p-${i}`,
              amount: `${o.points}.99`, // rate 1: the cents never earn
              payer: o.payer,
              occurredAt: at,
            });
            expect(reply.body.pointsEarned).toBe(o.points);
            model.credit(o.payer, o.points, Date.parse(at));
          } else if (o.kind === 'credit') {
            await a.transactions.execute(admin, groupId, {
              transactionId: `t-${i}`,
              payer: o.payer,
              points: o.points,
              timestamp: at,
              reason: 'property',
            });
            model.credit(o.payer, o.points, Date.parse(at));
          } else if (o.kind === 'redeem') {
            const expected = model.spend(o.points);
            const work = a.redemptions.execute(member, { redemptionId: `r-${i}`, points: o.points });
            if (expected === 'refused') expect(await refusalCode(work)).toBe('INSUFFICIENT_POINTS');
            else
              expect((await work).body.spent).toEqual(
                expected.map((s) => ({ payer: s.payer, points: -s.points })),
              );
          } else {
            const expected = model.spend(o.points, o.payer);
            const work = a.transactions.execute(admin, groupId, {
              transactionId: `d-${i}`,
              payer: o.payer,
              points: -o.points,
              reason: 'property',
            });
            if (expected === 'refused') expect(await refusalCode(work)).toBe('INSUFFICIENT_PAYER_POINTS');
            else expect((await work).body.points).toBe(-o.points);
          }
        }
        const s = await invariantsHold(groupId);
        expect(s.balance).toBe(model.balance);
        for (const payer of PAYERS) expect(s.byPayer[payer] ?? 0).toBe(model.payerBalance(payer));
      }),
      { numRuns: 25 },
    );
  });

  it('two processes: 120 concurrent redemptions of 10 on 600 points give exactly 60 (write conflicts retried)', async () => {
    const groupId = randomUUID();
    const member = caller(groupId);
    const admin = caller(randomUUID(), ['admin']);
    for (const [i, payer] of ['DANNON', 'UNILEVER', 'STORE'].entries()) {
      await a.transactions.execute(admin, groupId, {
        transactionId: `fund-${i}`,
        payer,
        points: 200,
        timestamp: new Date(T0 + i * HOUR).toISOString(),
        reason: 'fund',
      });
    }
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        (i % 2 ? a : b).redemptions.execute(member, { redemptionId: `r-${i}`, points: 10 }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter(
      (r): r is PromiseRejectedResult =>
        r.status === 'rejected' && (r.reason as DomainError).code === 'INSUFFICIENT_POINTS',
    );
    expect(ok).toHaveLength(60);
    expect(refused).toHaveLength(60);
    const s = await invariantsHold(groupId);
    expect(s.balance).toBe(0);
  });

  it('two processes: 30 concurrent copies of one purchase credit once; all answer the same body', async () => {
    const groupId = randomUUID();
    const member = caller(groupId);
    const body = { purchaseId: 'dup', amount: '42.00', payer: 'ACME' };
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).purchases.execute(member, body)),
    );
    expect(replies.filter((r) => r.created)).toHaveLength(1);
    for (const r of replies) expect(r.body).toEqual(replies[0].body);
    const s = await invariantsHold(groupId);
    expect(s.balance).toBe(42);
    expect(s.entries).toBe(1);
  });

  it('the database itself refuses a negative lot, balance or payer balance (collection validators)', async () => {
    const groupId = randomUUID();
    await a.transactions.execute(caller(randomUUID(), ['admin']), groupId, {
      transactionId: 'v',
      payer: 'ACME',
      points: 5,
      reason: 'validators',
    });
    const db = connection.db!;
    await expect(
      db.collection('point_lots').updateOne({ groupId }, { $inc: { remaining: -6 } }),
    ).rejects.toMatchObject({ code: 121 });
    await expect(
      db.collection('point_lots').updateOne({ groupId }, { $inc: { remaining: 1 } }),
    ).rejects.toMatchObject({ code: 121 });
    await expect(
      db.collection('point_accounts').updateOne({ _id: groupId as never }, { $inc: { balance: -6 } }),
    ).rejects.toMatchObject({ code: 121 });
    await expect(
      db.collection('point_accounts').updateOne({ _id: groupId as never }, { $inc: { 'byPayer.ACME': -6 } }),
    ).rejects.toMatchObject({ code: 121 });
    await invariantsHold(groupId);
  });
});
