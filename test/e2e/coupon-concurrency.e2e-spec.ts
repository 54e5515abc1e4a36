import mongoose from 'mongoose';
import { RPC } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { TestIsolation } from '@lib/testing';
import { createBook, uploadCodes } from '../support/coupons-client';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Auth = Record<string, string>;

describe('coupon books under concurrency (exact outcomes, real MongoDB and Redis)', () => {
  const iso = new TestIsolation('couponconc');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let chief: Auth;
  let chiefToken: string;

  beforeAll(async () => {
    // No coupon worker here: uploads fill the books, and queued jobs stay queued.
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    const a = await admin(stack.http);
    chief = a.auth;
    chiefToken = a.accessToken;
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const http = () => stack.http();

  it('60 users racing for 30 codes: 30 distinct codes assigned, 30 × 409 NO_CODES_AVAILABLE', async () => {
    const b = await createBook(http, chief, { maxCodesPerUser: 1 });
    const codes = await uploadCodes(http, chief, b.couponBookId, 30);
    // Set up ten at a time: 120 argon2id hashes at once can outlast auth's RPC deadline on a busy
    // 2-core machine, and the race under test is the assignments below, not the sign-ups.
    const users: Array<Awaited<ReturnType<typeof member>>> = [];
    for (let i = 0; i < 60; i += 10)
      users.push(...(await Promise.all(Array.from({ length: 10 }, () => member(http)))));

    const results = await Promise.all(
      users.map((u) => http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(u.auth)),
    );

    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status !== 201);
    expect(won).toHaveLength(30);
    expect(new Set(won.map((r) => r.body.code)).size).toBe(30);
    expect(new Set(won.map((r) => r.body.code))).toEqual(new Set(codes));
    expect(lost.map((r) => [r.status, r.body.code])).toEqual(Array(30).fill([409, 'NO_CODES_AVAILABLE']));
    const stats = (await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief)).body.stats;
    expect(stats).toEqual({ total: 30, assigned: 30, redeemed: 0 });
    // Each winner holds exactly the code they were told, and no loser holds one.
    for (let i = 0; i < users.length; i++) {
      const held = await db.collection('coupon_codes').find({ assignedTo: users[i].userId }).toArray();
      expect(held.map((c) => c._id)).toEqual(results[i].status === 201 ? [results[i].body.code] : []);
    }
  });

  it('one user firing 12 concurrent assignments at maxCodesPerUser 3 gets exactly 3', async () => {
    const b = await createBook(http, chief, { maxCodesPerUser: 3 });
    await uploadCodes(http, chief, b.couponBookId, 20);
    const u = await member(http);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(u.auth),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(
      Array(9).fill('MAX_CODES_PER_USER'),
    );
    expect(await db.collection('coupon_codes').countDocuments({ assignedTo: u.userId })).toBe(3);
  });

  const assignedCode = async () => {
    const b = await createBook(http, chief);
    await uploadCodes(http, chief, b.couponBookId, 1);
    const u = await member(http);
    const res = await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(u.auth).expect(201);
    return { user: u, code: res.body.code as string, couponBookId: b.couponBookId };
  };

  it('20 concurrent redeems racing on one lock: exactly 1 succeeds, the rest are 409', async () => {
    const { user, code } = await assignedCode();
    const locked = await http().post(`/v1/coupons/${code}/lock`).set(user.auth).send({}).expect(200);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http()
          .post(`/v1/coupons/${code}/redemptions`)
          .set(user.auth)
          .send({ lockToken: locked.body.lockToken, orderId: `o-${i}` }),
      ),
    );

    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(['COUPON_ALREADY_REDEEMED', 'LOCK_REQUIRED']).toContain(r.body.code);
    }
    expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(1);
    expect((await db.collection('coupon_codes').findOne({ _id: code as never }))?.redemptionCount).toBe(1);
  });

  it('20 concurrent lock-then-redeem attempts on one code: exactly one lock is granted and 1 redemption lands', async () => {
    const { user, code } = await assignedCode();

    const attempts = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const lock = await http().post(`/v1/coupons/${code}/lock`).set(user.auth).send({ seconds: 60 });
        if (lock.status !== 200) return { lock, redeem: undefined };
        // Give the refused attempts time to do whatever they do before the winner redeems: none of
        // them may have released the winner's lock.
        await new Promise((r) => setTimeout(r, 300));
        const redeem = await http()
          .post(`/v1/coupons/${code}/redemptions`)
          .set(user.auth)
          .send({ lockToken: lock.body.lockToken, orderId: `o-${i}` });
        return { lock, redeem };
      }),
    );

    const granted = attempts.filter((a) => a.lock.status === 200);
    expect(granted).toHaveLength(1);
    expect(attempts.filter((a) => a.lock.status === 409).map((a) => a.lock.body.code)).toEqual(
      Array(19).fill('COUPON_LOCKED'),
    );
    expect(granted[0].redeem?.status).toBe(201);
    expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(1);
  });

  it('a lock taken over after expiry: the old holder cannot redeem, the new one can', async () => {
    const { user, code } = await assignedCode();
    const old = await http().post(`/v1/coupons/${code}/lock`).set(user.auth).send({ seconds: 1 }).expect(200);
    await new Promise((r) => setTimeout(r, 1200));
    const fresh = await http()
      .post(`/v1/coupons/${code}/lock`)
      .set(user.auth)
      .send({ seconds: 60 })
      .expect(200);
    const stale = await http()
      .post(`/v1/coupons/${code}/redemptions`)
      .set(user.auth)
      .send({ lockToken: old.body.lockToken });
    expect([stale.status, stale.body.code]).toEqual([409, 'LOCK_REQUIRED']);
    await http()
      .post(`/v1/coupons/${code}/redemptions`)
      .set(user.auth)
      .send({ lockToken: fresh.body.lockToken })
      .expect(201);
    expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(1);
  });

  it('runningJobs (admin stats) lists queued and running jobs; admin only', async () => {
    const b = await createBook(http, chief);
    const queued = await http()
      .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
      .set(chief)
      .send({ count: 50 })
      .expect(202);
    const rpc = stack.gateway.get(RpcClient);
    const jobs = await rpc.send<Array<Record<string, unknown>>>('promotion', RPC.promotion.runningJobs, {
      caller: { accessToken: chiefToken },
    });
    expect(jobs).toContainEqual({
      jobId: queued.body.jobId,
      couponBookId: b.couponBookId,
      couponBookName: b.name,
      status: 'QUEUED',
      requested: 50,
      generated: 0,
    });
    const someone = await member(http);
    await expect(
      rpc.send('promotion', RPC.promotion.runningJobs, { caller: { accessToken: someone.accessToken } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('concurrent uploads of overlapping codes add each code once', async () => {
    const b = await createBook(http, chief);
    const codes = Array.from({ length: 200 }, (_, i) => `OVL-${b.couponBookId.slice(0, 6)}-${i}`);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        http().post(`/v1/admin/coupon-books/${b.couponBookId}/codes`).set(chief).send({ codes }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(results.reduce((sum, r) => sum + (r.body.added as number), 0)).toBe(200);
    expect(results.reduce((sum, r) => sum + (r.body.duplicates as number), 0)).toBe(800);
    const stats = (await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief)).body.stats;
    expect(stats.total).toBe(200);
  });
});
