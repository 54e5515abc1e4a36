import mongoose from 'mongoose';
import { TestIsolation } from '@lib/testing';
import { createBook, uploadCodes } from '../support/coupons-client';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { PrivateRedis } from '../support/private-redis';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

describe('coupon locks while Redis is down (a private redis-server, killed)', () => {
  const iso = new TestIsolation('couponredis');
  let redis: PrivateRedis;
  let stack: PlatformStack;
  let db: mongoose.Connection;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    stack = await startPlatformStack(iso, {
      services: ['promotion'],
      config: { promotion: { redisUrl: redis.url } },
      authEnv: ADMIN_ENV,
    });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await redis?.stop();
    await iso.cleanup();
  });

  it('lock, release and redeem answer 503 LOCK_SERVICE_UNAVAILABLE and nothing is redeemed', async () => {
    const http = () => stack.http();
    const chief = (await admin(http)).auth;
    const b = await createBook(http, chief);
    await uploadCodes(http, chief, b.couponBookId, 2);
    const u = await member(http);
    const codes: string[] = [];
    for (let i = 0; i < 2; i++) {
      codes.push(
        (await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(u.auth).expect(201)).body
          .code,
      );
    }
    const locked = await http().post(`/v1/coupons/${codes[0]}/lock`).set(u.auth).send({}).expect(200);

    await redis.stop();

    const redeem = await http()
      .post(`/v1/coupons/${codes[0]}/redemptions`)
      .set(u.auth)
      .send({ lockToken: locked.body.lockToken });
    expect([redeem.status, redeem.body.code]).toEqual([503, 'LOCK_SERVICE_UNAVAILABLE']);
    const lock = await http().post(`/v1/coupons/${codes[1]}/lock`).set(u.auth).send({});
    expect([lock.status, lock.body.code]).toEqual([503, 'LOCK_SERVICE_UNAVAILABLE']);
    const release = await http()
      .delete(`/v1/coupons/${codes[0]}/lock`)
      .set(u.auth)
      .set('Lock-Token', locked.body.lockToken);
    expect([release.status, release.body.code]).toEqual([503, 'LOCK_SERVICE_UNAVAILABLE']);

    expect(await db.collection('coupon_redemptions').countDocuments({})).toBe(0);
    const docs = await db
      .collection('coupon_codes')
      .find({ _id: { $in: codes as never[] } })
      .toArray();
    expect(docs.map((d) => d.redemptionCount ?? 0)).toEqual([0, 0]);
    const stats = (await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief)).body.stats;
    expect(stats.redeemed).toBe(0);
    // Everything that doesn't need a lock still works.
    const mine = await http().get('/v1/coupons/me').set(u.auth).expect(200);
    expect(mine.body.items).toHaveLength(2);
  });
});
