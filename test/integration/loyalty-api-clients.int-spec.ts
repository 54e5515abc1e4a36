import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { RPC, type IdempotentReply, type PointsDto, type PurchaseDto } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { RpcClient } from '@lib/messaging';
import { TestIsolation } from '@lib/testing';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { apiClientOverRpc, type RpcApiClient } from '../support/loyalty/api-clients-over-rpc';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { documentCounts } from '../support/rpc-validation';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Member = Awaited<ReturnType<typeof member>>;

/**
 * Loyalty with API clients, over its own RPC queue, with the real auth service answering who the
 * named members are (no stand-in for auth): purchases only by clients with purchases:write,
 * redemptions by members or by clients naming the member, payer transactions by admins or feed
 * clients, a member's points for clients with members:read, and business ids scoped to the client.
 */
describe('loyalty: purchases, redemptions and points by API clients (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('loyalty-api-clients');
  let stack: PlatformStack;
  let rpc: RpcClient;
  let db: mongoose.Connection;
  let adminToken: string;
  /** purchases:write and redemptions:write: a store's till. */
  let till: RpcApiClient;
  /** purchases:write: another store, numbering its purchases the same way. */
  let otherTill: RpcApiClient;
  let feed: RpcApiClient;
  let reader: RpcApiClient;
  /** vouchers:redeem only: a client, but not one for the ledger. */
  let unscoped: RpcApiClient;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, { services: ['loyalty'], authEnv: ADMIN_ENV });
    rpc = stack.gateway.get(RpcClient);
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'loyalty') })
      .asPromise();
    const chief = await admin(stack.http);
    adminToken = chief.accessToken;
    const client = (scopes: Parameters<typeof apiClientOverRpc>[2]) =>
      apiClientOverRpc(rpc, adminToken, scopes);
    till = await client(['purchases:write', 'redemptions:write']);
    otherTill = await client(['purchases:write']);
    feed = await client(['payer-transactions:write']);
    reader = await client(['members:read']);
    unscoped = await client(['vouchers:redeem']);
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const asPerson = (who: { accessToken: string }) => (rest: object) => ({
    caller: { accessToken: who.accessToken },
    ...rest,
  });
  const send = <T>(pattern: string, payload: object) => rpc.send<T>('loyalty', pattern, payload);
  const purchase = (by: (rest: object) => object, body: object) =>
    send<IdempotentReply<PurchaseDto>>(RPC.loyalty.createPurchase, by({ body }));
  const redeem = (by: (rest: object) => object, body: object) =>
    send<IdempotentReply<{ balance: number }>>(RPC.loyalty.createRedemption, by({ body }));
  const refusal = (work: Promise<unknown>) =>
    work.then(
      (ok) => {
        throw new Error(`accepted: ${JSON.stringify(ok)}`);
      },
      (err: unknown) => {
        if (!(err instanceof DomainError)) throw err;
        return { code: err.code, fields: err.errors?.map((e) => e.field) ?? [] };
      },
    );
  const groupPoints = (m: Member) => send<PointsDto>(RPC.loyalty.groupPoints, asPerson(m)({}));
  const invariantsHold = (groupId: string) => expectLedgerInvariants(db.db!, groupId);
  /** Loyalty's database unchanged by `work` (every collection's count). */
  const writesNothing = async (work: () => Promise<void>) => {
    const before = await documentCounts(db);
    await work();
    expect(await documentCounts(db)).toEqual(before);
  };

  describe('purchases', () => {
    it("a till records a member's purchase for the member's group, naming member and client", async () => {
      const m = await member(stack.http);
      const reply = await purchase(till.as, { purchaseId: 'p-1', userId: m.userId, amount: '12.50' });
      expect(reply.created).toBe(true);
      expect(reply.body).toMatchObject({
        purchaseId: 'p-1',
        groupId: m.groupId,
        userId: m.userId,
        clientId: till.clientId,
        amount: '12.50',
        pointsEarned: 12,
        balance: 12,
      });
      expect(await groupPoints(m)).toMatchObject({ groupId: m.groupId, balance: 12 });
      // The member's own listing shows it, with the till that recorded it.
      const page = await send<{ items: PurchaseDto[] }>(RPC.loyalty.listPurchases, asPerson(m)({}));
      expect(page.items).toEqual([reply.body]);
    });

    it('a member recording a purchase, even their own, is 403 FORBIDDEN and mints nothing', async () => {
      const m = await member(stack.http);
      await writesNothing(async () => {
        expect(
          await refusal(purchase(asPerson(m), { purchaseId: 'mine', userId: m.userId, amount: '999999999' })),
        ).toMatchObject({ code: 'FORBIDDEN' });
      });
    });

    it('an admin, or an API client without purchases:write, is 403 FORBIDDEN', async () => {
      const m = await member(stack.http);
      const body = { purchaseId: 'nope', userId: m.userId, amount: '5.00' };
      await writesNothing(async () => {
        for (const by of [asPerson({ accessToken: adminToken }), unscoped.as, reader.as, feed.as]) {
          expect(await refusal(purchase(by, body))).toMatchObject({ code: 'FORBIDDEN' });
        }
      });
    });

    it('an unknown member, or a disabled one, is 422 UNKNOWN_MEMBER naming userId, and nothing is written', async () => {
      const disabled = await member(stack.http);
      await rpc.send('auth', RPC.auth.updateUser, {
        caller: { accessToken: adminToken },
        params: { userId: disabled.userId },
        body: { status: 'DISABLED' },
      });
      await writesNothing(async () => {
        for (const userId of [randomUUID(), disabled.userId]) {
          expect(
            await refusal(purchase(till.as, { purchaseId: `p-${userId}`, userId, amount: '10.00' })),
          ).toEqual({ code: 'UNKNOWN_MEMBER', fields: ['userId'] });
        }
      });
    });

    it("idempotent per till: a replay is the same answer, another member or amount is 409, another till's id is its own", async () => {
      const [m, other] = [await member(stack.http), await member(stack.http)];
      const body = { purchaseId: 'order-42', userId: m.userId, amount: '20.00' };
      const first = await purchase(till.as, body);
      expect(first.created).toBe(true);
      expect(await purchase(till.as, body)).toEqual({ created: false, body: first.body });
      const conflicts = [
        await refusal(purchase(till.as, { ...body, amount: '21.00' })),
        await refusal(purchase(till.as, { ...body, userId: other.userId })),
      ];
      expect(conflicts.map((c) => c.code)).toEqual(['IDEMPOTENCY_CONFLICT', 'IDEMPOTENCY_CONFLICT']);
      const theirs = await purchase(otherTill.as, body);
      expect(theirs.created).toBe(true);
      expect(theirs.body).toMatchObject({ clientId: otherTill.clientId, balance: 40 });
      expect((await invariantsHold(m.groupId)).balance).toBe(40);
      expect((await groupPoints(other)).balance).toBe(0);
    });

    it('concurrent: two tills, each 25 copies of one purchase plus 25 distinct ones, credit exactly once per purchase', async () => {
      const m = await member(stack.http);
      const copy = { purchaseId: 'rush', userId: m.userId, amount: '3.00' };
      const work = [till, otherTill].flatMap((t, n) => [
        ...Array.from({ length: 25 }, () => purchase(t.as, copy)),
        ...Array.from({ length: 25 }, (_, i) =>
          purchase(t.as, { purchaseId: `own-${n}-${i}`, userId: m.userId, amount: '1.00' }),
        ),
      ]);
      const replies = await Promise.all(work);
      expect(replies.filter((r) => r.created)).toHaveLength(2 + 50);
      for (const t of [till, otherTill]) {
        const copies = replies.filter((r) => r.body.purchaseId === 'rush' && r.body.clientId === t.clientId);
        expect(copies).toHaveLength(25);
        expect(copies.filter((r) => r.created)).toHaveLength(1);
        for (const r of copies) expect(r.body).toEqual(copies[0].body);
      }
      const s = await invariantsHold(m.groupId);
      expect(s.balance).toBe(2 * 3 + 50);
      expect(s.entries).toBe(52);
      expect(await db.collection('ledger_requests').countDocuments({ groupId: m.groupId })).toBe(52);
    });
  });

  describe('redemptions', () => {
    it("a till redeems a member's points naming the member; idempotent per till", async () => {
      const m = await member(stack.http);
      await purchase(till.as, { purchaseId: `fund-${m.userId}`, userId: m.userId, amount: '100.00' });
      const body = { redemptionId: 'r-1', userId: m.userId, points: 30 };
      const first = await redeem(till.as, body);
      expect(first).toMatchObject({ created: true, body: { redemptionId: 'r-1', points: 30, balance: 70 } });
      expect(await redeem(till.as, body)).toEqual({ created: false, body: first.body });
      expect(await refusal(redeem(till.as, { ...body, points: 31 }))).toMatchObject({
        code: 'IDEMPOTENCY_CONFLICT',
      });
      // The member's own r-1 is theirs: another redemption.
      const own = await redeem(asPerson(m), { redemptionId: 'r-1', points: 10 });
      expect(own).toMatchObject({ created: true, body: { balance: 60 } });
      expect((await invariantsHold(m.groupId)).balance).toBe(60);
    });

    it('a member naming a member is 400 naming userId; a till naming none is 400 naming userId; nothing is spent', async () => {
      const m = await member(stack.http);
      await purchase(till.as, { purchaseId: `fund-${m.userId}`, userId: m.userId, amount: '50.00' });
      await writesNothing(async () => {
        expect(
          await refusal(redeem(asPerson(m), { redemptionId: 'x', userId: m.userId, points: 1 })),
        ).toEqual({
          code: 'VALIDATION_FAILED',
          fields: ['userId'],
        });
        expect(await refusal(redeem(till.as, { redemptionId: 'x', points: 1 }))).toEqual({
          code: 'VALIDATION_FAILED',
          fields: ['userId'],
        });
      });
    });

    it('a client without redemptions:write is 403; an unknown member is 422 UNKNOWN_MEMBER', async () => {
      const m = await member(stack.http);
      await writesNothing(async () => {
        for (const by of [otherTill.as, unscoped.as, reader.as]) {
          expect(await refusal(redeem(by, { redemptionId: 'x', userId: m.userId, points: 1 }))).toMatchObject(
            {
              code: 'FORBIDDEN',
            },
          );
        }
        expect(
          await refusal(redeem(till.as, { redemptionId: 'x', userId: randomUUID(), points: 1 })),
        ).toEqual({
          code: 'UNKNOWN_MEMBER',
          fields: ['userId'],
        });
      });
    });

    it("concurrent: 40 till redemptions of 10 on a member's 200 points spend exactly 200", async () => {
      const m = await member(stack.http);
      await purchase(till.as, { purchaseId: `fund-${m.userId}`, userId: m.userId, amount: '200.00' });
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          redeem(till.as, { redemptionId: `c-${i}`, userId: m.userId, points: 10 }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
      const refused = results.filter(
        (r) => r.status === 'rejected' && (r.reason as DomainError).code === 'INSUFFICIENT_POINTS',
      );
      expect(refused).toHaveLength(20);
      expect((await invariantsHold(m.groupId)).balance).toBe(0);
    });
  });

  describe('payer transactions', () => {
    const tx = (params: object, body: object) => ({
      params,
      body: { payer: 'DANNON', reason: 'feed', ...body },
    });

    it('a feed client records them like an admin; its transactionIds are its own across groups', async () => {
      const [m, other] = [await member(stack.http), await member(stack.http)];
      const body = { transactionId: 'feed-1', points: 40 };
      const first = await send<IdempotentReply<{ balance: number }>>(
        RPC.loyalty.createPayerTransaction,
        feed.as(tx({ groupId: m.groupId }, body)),
      );
      expect(first).toMatchObject({ created: true, body: { groupId: m.groupId, points: 40, balance: 40 } });
      const replay = await send(
        RPC.loyalty.createPayerTransaction,
        feed.as(tx({ groupId: m.groupId }, body)),
      );
      expect(replay).toEqual({ created: false, body: first.body });
      expect(
        await refusal(
          send(RPC.loyalty.createPayerTransaction, feed.as(tx({ groupId: other.groupId }, body))),
        ),
      ).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
      // An admin's ids stay the group's: the same id is another transaction, in each group.
      for (const groupId of [m.groupId, other.groupId]) {
        const byAdmin = await send<IdempotentReply<unknown>>(
          RPC.loyalty.createPayerTransaction,
          asPerson({ accessToken: adminToken })(tx({ groupId }, body)),
        );
        expect(byAdmin.created).toBe(true);
      }
      expect((await invariantsHold(m.groupId)).balance).toBe(80);
      expect((await invariantsHold(other.groupId)).balance).toBe(40);
    });

    it('a group auth does not know is 404 for a feed client too; members and other clients are 403', async () => {
      const m = await member(stack.http);
      await writesNothing(async () => {
        expect(
          await refusal(
            send(
              RPC.loyalty.createPayerTransaction,
              feed.as(tx({ groupId: randomUUID() }, { transactionId: 'x', points: 5 })),
            ),
          ),
        ).toMatchObject({ code: 'NOT_FOUND' });
        for (const by of [asPerson(m), till.as, reader.as]) {
          expect(
            await refusal(
              send(
                RPC.loyalty.createPayerTransaction,
                by(tx({ groupId: m.groupId }, { transactionId: 'x', points: 5 })),
              ),
            ),
          ).toMatchObject({ code: 'FORBIDDEN' });
        }
      });
    });
  });

  describe("a member's points (members:read)", () => {
    it("a client with members:read reads the member's group's points, as the member would", async () => {
      const m = await member(stack.http);
      await purchase(till.as, { purchaseId: `fund-${m.userId}`, userId: m.userId, amount: '15.00' });
      const seen = await send<PointsDto>(
        RPC.loyalty.memberPoints,
        reader.as({ params: { userId: m.userId } }),
      );
      expect(seen).toEqual(await groupPoints(m));
      expect(seen).toMatchObject({ groupId: m.groupId, balance: 15, byPayer: { STORE: 15 } });
    });

    it('members, admins and clients without members:read are 403; an unknown member is 422', async () => {
      const m = await member(stack.http);
      const params = { params: { userId: m.userId } };
      for (const by of [asPerson(m), asPerson({ accessToken: adminToken }), till.as]) {
        expect(await refusal(send(RPC.loyalty.memberPoints, by(params)))).toMatchObject({
          code: 'FORBIDDEN',
        });
      }
      expect(
        await refusal(send(RPC.loyalty.memberPoints, reader.as({ params: { userId: randomUUID() } }))),
      ).toEqual({ code: 'UNKNOWN_MEMBER', fields: ['userId'] });
    });
  });
});
