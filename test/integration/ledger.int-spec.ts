import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@lib/errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { outboxModel } from '@lib/messaging';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore, type LedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { requestScopes } from '../../apps/loyalty/src/ledger/mongo/request-log.schemas';
import { SystemClock } from '../../apps/loyalty/src/ledger/ports/clock';
import { PurchasesQueries } from '../../apps/loyalty/src/ledger/queries/purchases.queries';
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
  let store: LedgerStore;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    store = await openLedgerStore(connection);
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
    scopes: [],
    tokenId: randomUUID(),
    issuedAt: Math.floor(Date.now() / 1000),
    expiresAt: Math.floor(Date.now() / 1000) + 600,
  });
  /** An API client (a till): it records purchases for the members it names. */
  const till = (scopes: AuthenticatedUser['scopes'] = ['purchases:write']): AuthenticatedUser => {
    const clientId = randomUUID();
    return { ...caller('', ['client']), userId: clientId, clientId, scopes };
  };
  const memberOf = (user: AuthenticatedUser) => ({ userId: user.userId, groupId: user.groupId });

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
        const shop = till();
        const model = new NaiveLedger({ lateCreditsTakeOverDebits: true });
        for (const [i, o] of ops.entries()) {
          const at = new Date(T0 + ('hour' in o ? o.hour : 0) * HOUR).toISOString();
          if (o.kind === 'earn') {
            const reply = await a.purchases.execute(shop, memberOf(member), {
              purchaseId: `p-${i}`,
              userId: member.userId,
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
            const work = a.redemptions.execute(member, memberOf(member), {
              redemptionId: `r-${i}`,
              points: o.points,
            });
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

  it('a redemption spends oldest first across more lots than one read returns (70 lots of 1 point, 69 redeemed)', async () => {
    const groupId = randomUUID();
    const member = caller(groupId);
    const shop = till();
    for (let i = 0; i < 70; i++) {
      await a.purchases.execute(shop, memberOf(member), {
        purchaseId: `many-${i}`,
        userId: member.userId,
        amount: '1.50',
        occurredAt: new Date(T0 + i * HOUR).toISOString(),
      });
    }
    const reply = await a.redemptions.execute(member, memberOf(member), { redemptionId: 'many', points: 69 });
    expect(reply.body).toMatchObject({ points: 69, balance: 1, spent: [{ payer: 'STORE', points: -69 }] });
    const left = await connection
      .db!.collection('point_lots')
      .find({ groupId, remaining: { $gt: 0 } })
      .toArray();
    expect(left.map((lot) => lot.reference)).toEqual(['many-69']);
    await invariantsHold(groupId);
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
        (i % 2 ? a : b).redemptions.execute(member, memberOf(member), { redemptionId: `r-${i}`, points: 10 }),
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
    const shop = till();
    const body = { purchaseId: 'dup', userId: member.userId, amount: '42.00', payer: 'ACME' };
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).purchases.execute(shop, memberOf(member), body)),
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

  describe('business ids are scoped: per API client for clients, per group for people', () => {
    const conflict = async (work: Promise<unknown>) =>
      expect(await refusalCode(work)).toBe('IDEMPOTENCY_CONFLICT');

    it("a till's purchaseId: a replay is the same answer, another member or amount is 409, another till's is its own", async () => {
      const member = caller(randomUUID());
      const other = caller(randomUUID());
      const [shop, rival] = [till(), till()];
      const body = { purchaseId: 'order-1', userId: member.userId, amount: '10.00' };
      const first = await a.purchases.execute(shop, memberOf(member), body);
      expect(first.created).toBe(true);
      expect(first.body).toMatchObject({
        purchaseId: 'order-1',
        groupId: member.groupId,
        userId: member.userId,
        clientId: shop.userId,
        pointsEarned: 10,
        balance: 10,
      });
      expect(await b.purchases.execute(shop, memberOf(member), body)).toEqual({
        created: false,
        body: first.body,
      });
      await conflict(a.purchases.execute(shop, memberOf(member), { ...body, amount: '11.00' }));
      await conflict(a.purchases.execute(shop, memberOf(other), { ...body, userId: other.userId }));
      // Another till numbering its purchases the same way records its own, for the same member too.
      const theirs = await a.purchases.execute(rival, memberOf(member), body);
      expect(theirs.created).toBe(true);
      expect(theirs.body).toMatchObject({ clientId: rival.userId, balance: 20 });
      expect((await invariantsHold(member.groupId)).balance).toBe(20);
      expect((await invariantsHold(other.groupId)).balance).toBe(0);
      // The group's listing shows both tills' purchases, a page at a time.
      const listing = new PurchasesQueries(store.requests, new SystemClock());
      const page1 = await listing.purchases(member.groupId, { limit: 1 });
      const page2 = await listing.purchases(member.groupId, { limit: 1, cursor: page1.nextCursor! });
      expect([...page1.items, ...page2.items].map((p) => p.clientId).sort()).toEqual(
        [shop.userId, rival.userId].sort(),
      );
      expect(page2.nextCursor).toBeNull();
    });

    it("a group's listing pages through two tills' purchases with the same id and the same millisecond", async () => {
      const groupId = randomUUID();
      const createdAt = new Date();
      const scopes = [randomUUID(), randomUUID(), randomUUID()];
      for (const scope of scopes) {
        await store.requests.insert({
          kind: 'purchase',
          scope,
          businessId: 'same',
          groupId,
          fingerprint: 'x',
          response: { purchaseId: 'same', clientId: scope },
          createdAt,
        });
      }
      const listing = new PurchasesQueries(store.requests, new SystemClock());
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listing.purchases(groupId, { limit: 1, cursor });
        seen.push(...page.items.map((p) => p.clientId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([...scopes].sort().reverse());
    });

    it('two processes: two tills each send 20 concurrent copies of one purchase: exactly one each, exact totals', async () => {
      const member = caller(randomUUID());
      const tills = [till(), till()];
      const body = { purchaseId: 'burst', userId: member.userId, amount: '25.00' };
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b).purchases.execute(tills[Math.floor(i / 20)], memberOf(member), body),
        ),
      );
      expect(replies.filter((r) => r.created)).toHaveLength(2);
      for (const [t, shop] of tills.entries()) {
        const own = replies.slice(t * 20, t * 20 + 20);
        for (const r of own) expect(r.body).toEqual({ ...own[0].body, clientId: shop.userId });
      }
      const s = await invariantsHold(member.groupId);
      expect(s.balance).toBe(50);
      expect(s.entries).toBe(2);
    });

    it('two processes: one purchaseId sent concurrently for two members: one is recorded, the rest replay it or are 409', async () => {
      const [m1, m2] = [caller(randomUUID()), caller(randomUUID())];
      const shop = till();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => {
          const m = i % 4 < 2 ? m1 : m2;
          return (i % 2 ? a : b).purchases.execute(shop, memberOf(m), {
            purchaseId: 'contested',
            userId: m.userId,
            amount: '7.00',
          });
        }),
      );
      const created = results.filter((r) => r.status === 'fulfilled' && r.value.created);
      const conflicts = results.filter(
        (r) => r.status === 'rejected' && (r.reason as DomainError).code === 'IDEMPOTENCY_CONFLICT',
      );
      const replays = results.filter((r) => r.status === 'fulfilled' && !r.value.created);
      expect(created).toHaveLength(1);
      expect(conflicts).toHaveLength(10);
      expect(replays).toHaveLength(9);
      const [s1, s2] = [await invariantsHold(m1.groupId), await invariantsHold(m2.groupId)];
      expect(s1.balance + s2.balance).toBe(7);
      expect(s1.entries + s2.entries).toBe(1);
    });

    it("a till's redemptionId is its own; a member's stays their group's", async () => {
      const member = caller(randomUUID());
      const shop = till(['purchases:write', 'redemptions:write']);
      await a.purchases.execute(shop, memberOf(member), {
        purchaseId: 'fund',
        userId: member.userId,
        amount: '100.00',
      });
      const atTill = { redemptionId: 'r-1', userId: member.userId, points: 10 };
      const first = await a.redemptions.execute(shop, memberOf(member), atTill);
      expect(first.created).toBe(true);
      expect((await b.redemptions.execute(shop, memberOf(member), atTill)).created).toBe(false);
      await conflict(a.redemptions.execute(shop, memberOf(member), { ...atTill, points: 11 }));
      // The member's own r-1 is another redemption (the group's namespace, not the till's).
      const own = await a.redemptions.execute(member, memberOf(member), { redemptionId: 'r-1', points: 10 });
      expect(own.created).toBe(true);
      expect(own.body.balance).toBe(80);
      expect((await invariantsHold(member.groupId)).balance).toBe(80);
    });

    it("payer transactions: an admin's id is per group (unchanged), a feed client's spans groups (another group is 409)", async () => {
      const [g1, g2] = [randomUUID(), randomUUID()];
      const admin = caller(randomUUID(), ['admin']);
      const feed = till(['payer-transactions:write']);
      const tx = { transactionId: 'feed-1', payer: 'DANNON', points: 30, reason: 'feed' };
      expect((await a.transactions.execute(admin, g1, tx)).created).toBe(true);
      expect((await a.transactions.execute(admin, g2, tx)).created).toBe(true);
      const byFeed = await a.transactions.execute(feed, g1, tx);
      expect(byFeed.created).toBe(true);
      expect((await b.transactions.execute(feed, g1, tx)).created).toBe(false);
      await conflict(a.transactions.execute(feed, g2, tx));
      expect((await invariantsHold(g1)).balance).toBe(60);
      expect((await invariantsHold(g2)).balance).toBe(30);
    });

    it('the migration gives records written before scopes their group as scope, and they still answer replays', async () => {
      const groupId = randomUUID();
      const member = caller(groupId);
      await a.transactions.execute(caller(randomUUID(), ['admin']), groupId, {
        transactionId: 'fund',
        payer: 'ACME',
        points: 50,
        reason: 'fund',
      });
      await a.redemptions.execute(member, memberOf(member), { redemptionId: 'old', points: 5 });
      const requests = connection.db!.collection('ledger_requests');
      // As the release before this one stored them: keyed kind:groupId:businessId, no scope field.
      await requests.updateMany({ groupId }, { $unset: { scope: '' } });
      await requests.createIndex({ groupId: 1, kind: 1, createdAt: -1, businessId: -1 });
      expect(await requests.countDocuments({ groupId, scope: { $exists: true } })).toBe(0);
      await requestScopes.up(connection);
      await requestScopes.up(connection); // safe to run again
      const indexes = (await requests.indexes()).map((i) => i.name);
      expect(indexes).not.toContain('groupId_1_kind_1_createdAt_-1_businessId_-1');
      expect(indexes).toContain('groupId_1_kind_1_createdAt_-1_businessId_-1_scope_-1');
      const docs = await requests.find({ groupId }).toArray();
      expect(docs.map((d) => [d._id, d.scope])).toEqual(
        expect.arrayContaining([
          [`transaction:${groupId}:fund`, groupId],
          [`redemption:${groupId}:old`, groupId],
        ]),
      );
      const replay = await b.redemptions.execute(member, memberOf(member), {
        redemptionId: 'old',
        points: 5,
      });
      expect(replay.created).toBe(false);
      expect((await invariantsHold(groupId)).balance).toBe(45);
    });
  });
});
