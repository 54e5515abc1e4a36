import { connect } from 'amqplib';
import mongoose from 'mongoose';
import { TestIsolation, waitFor } from '@lib/testing';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { ADMIN_ENV, admin, PASSWORD, register } from '../support/identity-client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PlatformStack, serviceDatabase, startPlatformStack, startService } from '../support/stack';

describe('first-login vouchers under concurrency (real logins through the gateway, two promotion replicas)', () => {
  const iso = new TestIsolation('vconc');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let secondReplica: NestFastifyApplication;

  beforeAll(async () => {
    iso.queue(FIRST_LOGIN_CONSUMER);
    // Small batches: the 40 events spread over several concurrent-looking transactions.
    stack = await startPlatformStack(iso, {
      services: ['promotion'],
      authEnv: ADMIN_ENV,
      // 40 argon2 logins at once on a small shared machine can outlast the default 3 s RPC timeout.
      gateway: { rpcTimeoutMs: 30000 },
      env: { promotion: { VOUCHER_ISSUE_BATCH_SIZE: '4', VOUCHER_ISSUE_PREFETCH: '8' } },
    });
    // A second promotion replica on the same queue and database: batches really run concurrently.
    secondReplica = await startService(iso, 'promotion', {
      VOUCHER_ISSUE_BATCH_SIZE: '4',
      VOUCHER_ISSUE_PREFETCH: '8',
    });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
  });

  afterAll(async () => {
    await db?.close();
    await secondReplica?.close();
    await stack?.close();
    await iso.cleanup();
  });

  it('the first campaigns ever, created simultaneously with overlapping windows: exactly one is created', async () => {
    const { auth } = await admin(stack.http);
    const create = () =>
      stack.http().post('/v1/admin/campaigns').set(auth).send({
        name: 'Race',
        discountPercent: 5,
        voucherLimit: 5,
        trigger: 'FIRST_LOGIN',
        startsAt: '2030-01-01T00:00:00Z',
      });
    const results = await Promise.all(Array.from({ length: 8 }, create));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'CAMPAIGN_CONFLICT')).toBe(
      true,
    );
    expect(await db.collection('campaigns').countDocuments()).toBe(1);
    const winner = results.find((r) => r.status === 201)!.body.campaignId as string;
    await stack.http().patch(`/v1/admin/campaigns/${winner}`).set(auth).send({ status: 'ENDED' }).expect(200);
  });

  it('40 simultaneous first logins against a limit of 10 give exactly 10 vouchers, one per user', async () => {
    const { auth } = await admin(stack.http);
    const campaign = (
      await stack
        .http()
        .post('/v1/admin/campaigns')
        .set(auth)
        .send({ name: 'First 10', discountPercent: 30, voucherLimit: 10, trigger: 'FIRST_LOGIN' })
        .expect(201)
    ).body;
    const users = await Promise.all(Array.from({ length: 40 }, () => register(stack.http)));
    const userIds = users.map((u) => u.res.body.userId as string);
    const processed = () =>
      db.collection('processed_events').countDocuments({ consumer: FIRST_LOGIN_CONSUMER });
    const before = await processed();
    const conn = await connect(iso.infra.rabbitUrl);
    const ch = await conn.createChannel();
    expect((await ch.checkQueue(iso.queue(FIRST_LOGIN_CONSUMER))).consumerCount).toBe(2);
    await conn.close();

    const logins = await Promise.all(
      users.map(({ username }) => stack.http().post('/v1/auth/login').send({ username, password: PASSWORD })),
    );
    expect(logins.map((r) => r.status)).toEqual(Array(40).fill(200));

    await waitFor(
      'all 40 first logins to be consumed',
      async () => (await processed()) === before + 40,
      30000,
    );
    const vouchers = await db.collection('vouchers').find({ campaignId: campaign.campaignId }).toArray();
    expect(vouchers).toHaveLength(10);
    expect(new Set(vouchers.map((v) => v.userId)).size).toBe(10);
    expect(new Set(vouchers.map((v) => v.code)).size).toBe(10);
    expect(vouchers.every((v) => userIds.includes(v.userId as string))).toBe(true);
    const after = await stack.http().get(`/v1/admin/campaigns/${campaign.campaignId}`).set(auth).expect(200);
    expect(after.body).toMatchObject({ issued: 10, remaining: 0, voucherLimit: 10 });

    // The winners see theirs; everyone else has none.
    const winner = users[userIds.indexOf(vouchers[0].userId as string)];
    const login = await stack
      .http()
      .post('/v1/auth/login')
      .send({ username: winner.username, password: PASSWORD });
    const mine = await stack
      .http()
      .get('/v1/vouchers/me')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ campaignId: campaign.campaignId, status: 'AVAILABLE' }),
    ]);
  }, 90000);
});
