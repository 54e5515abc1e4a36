import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@lib/errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { MongoOutbox, outboxModel } from '@lib/messaging';
import { MongoUnitOfWork, openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { NaiveLedger } from '../../apps/loyalty/src/testing/naive-ledger';
import { IdempotentCommands } from '../../apps/loyalty/src/ledger/idempotent-commands';
import { RecordPurchaseHandler } from '../../apps/loyalty/src/ledger/purchases/record-purchase.handler';
import { RedeemPointsHandler } from '../../apps/loyalty/src/ledger/redemptions/redeem-points.handler';
import { RecordPayerTransactionHandler } from '../../apps/loyalty/src/ledger/transactions/record-payer-transaction.handler';
import { LoyaltySettings } from '../../apps/loyalty/src/loyalty-settings';
import {
  ACCOUNT_MODEL,
  ENTRY_MODEL,
  LOT_MODEL,
  MongoPointsLedgerRepository,
  accountSchema,
  entrySchema,
  ledgerValidators,
  lotSchema,
} from '../../apps/loyalty/src/mongo/ledger.mongo';
import {
  MongoRequestLog,
  REQUEST_MODEL,
  requestSchema,
} from '../../apps/loyalty/src/mongo/request-log.mongo';
import { snapshotGroupLedger } from '../../apps/loyalty/src/testing/ledger-invariants';

/** One loyalty "process": its own handlers and its own per-group serializer, on a shared database. */
interface Process {
  purchases: RecordPurchaseHandler;
  redemptions: RedeemPointsHandler;
  transactions: RecordPayerTransactionHandler;
}

describe('the points ledger on a real MongoDB replica set', () => {
  const iso = new TestIsolation('ledger');
  let connection: Connection;
  let a: Process;
  let b: Process;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const models = {
      accounts: connection.model(ACCOUNT_MODEL, accountSchema),
      lots: connection.model(LOT_MODEL, lotSchema),
      entries: connection.model(ENTRY_MODEL, entrySchema),
      requests: connection.model(REQUEST_MODEL, requestSchema),
      outbox: outboxModel(connection),
    };
    const setup = new SchemaSetup(connection);
    for (const model of Object.values(models)) setup.registerModel(model);
    setup.registerMigrations([ledgerValidators]);
    await setup.run();
    const uow = new MongoUnitOfWork(connection);
    const ledger = new MongoPointsLedgerRepository(models.accounts, models.lots, models.entries);
    const requests = new MongoRequestLog(models.requests);
    const outbox = new MongoOutbox(models.outbox);
    const settings = new LoyaltySettings({ units: 1n, scale: 0 }, 'USD');
    const process = (): Process => {
      const commands = new IdempotentCommands(requests, uow);
      return {
        purchases: new RecordPurchaseHandler(ledger, commands, settings),
        redemptions: new RedeemPointsHandler(ledger, commands),
        transactions: new RecordPayerTransactionHandler(ledger, commands, outbox),
      };
    };
    [a, b] = [process(), process()];
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

  const codeOf = async (work: Promise<unknown>) => {
    try {
      await work;
      return undefined;
    } catch (err) {
      if (err instanceof DomainError) return err.code;
      throw err;
    }
  };

  const invariantsHold = async (groupId: string) => {
    const s = await snapshotGroupLedger(connection.db!, groupId);
    expect(s.entriesSum).toBe(s.balance);
    expect(s.lotsRemaining).toBe(s.balance);
    for (const [payer, left] of Object.entries(s.byPayer)) {
      expect(left).toBeGreaterThanOrEqual(0);
      expect(s.entriesByPayer[payer] ?? 0).toBe(left);
      expect(s.lotsRemainingByPayer[payer] ?? 0).toBe(left);
    }
    expect(s.negativeLots).toBe(0);
    expect(s.entriesChainOk).toBe(true);
    return s;
  };

  const PAYERS = ['DANNON', 'UNILEVER', 'STORE'];
  const HOUR = 3_600_000;
  const T0 = Date.UTC(2025, 0, 1);
  type Op =
    | { kind: 'purchase' | 'credit'; payer: string; points: number; hour: number }
    | { kind: 'redeem'; points: number }
    | { kind: 'debit'; payer: string; points: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('purchase' as const, 'credit' as const),
      payer: fc.constantFrom(...PAYERS),
      points: fc.integer({ min: 1, max: 40 }),
      hour: fc.integer({ min: 0, max: 24 }),
    }),
    fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 90 }) }),
    fc.record({
      kind: fc.constant('debit' as const),
      payer: fc.constantFrom(...PAYERS),
      points: fc.integer({ min: 1, max: 50 }),
    }),
  );

  it('property: random earn / adjust / redeem sequences spend exactly as the naive model, invariants in the DB', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const groupId = randomUUID();
        const member = caller(groupId);
        const admin = caller(randomUUID(), ['admin']);
        const model = new NaiveLedger();
        for (const [i, o] of ops.entries()) {
          const at = new Date(T0 + ('hour' in o ? o.hour : 0) * HOUR).toISOString();
          if (o.kind === 'purchase') {
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
            if (expected === 'refused') expect(await codeOf(work)).toBe('INSUFFICIENT_POINTS');
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
            if (expected === 'refused') expect(await codeOf(work)).toBe('INSUFFICIENT_PAYER_POINTS');
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
