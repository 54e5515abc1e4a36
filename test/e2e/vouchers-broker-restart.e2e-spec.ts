import mongoose from 'mongoose';
import { AmqpConnection } from '@lib/messaging';
import { disposableBroker, DisposableBroker, TestIsolation, waitFor } from '@lib/testing';
import { LogInHandler } from '../../apps/auth/src/sessions/log-in/log-in.handler';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { ADMIN_ENV, admin, PASSWORD, register } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

/**
 * The broker restart drill: auth, promotion and the gateway run against a RabbitMQ node of this
 * test (never the machine's shared one), which is stopped and started again in the middle of a
 * burst of first logins. Logins keep working in auth meanwhile (their events wait in its outbox);
 * promotion loses its channel with unacked events in flight, which come again after the restart.
 */
describe('first-login vouchers across a broker restart', () => {
  const iso = new TestIsolation('vrestart');
  let broker: DisposableBroker;
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let adminAuth: { Authorization: string };

  const processed = () =>
    db.collection('processed_events').countDocuments({ consumer: FIRST_LOGIN_CONSUMER });

  beforeAll(async () => {
    iso.queue(FIRST_LOGIN_CONSUMER);
    broker = await disposableBroker(iso.infra.rabbitUrl);
    const rabbitUrl = broker.url;
    stack = await startPlatformStack(iso, {
      services: ['promotion'],
      authEnv: ADMIN_ENV,
      auth: { rabbitUrl },
      gateway: { rabbitUrl },
      config: { promotion: { rabbitUrl } },
      // Small batches keep the consumer busy (events unacked in flight) when the broker goes.
      env: { promotion: { VOUCHER_ISSUE_BATCH_SIZE: '2', VOUCHER_ISSUE_PREFETCH: '4' } },
    });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    adminAuth = (await admin(stack.http)).auth;
    await waitFor('the admin login to be consumed', async () => (await processed()) === 1);
  }, 120000);

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await broker?.dispose();
    await iso.cleanup();
  });

  /** Registers `users` members, then logs them in (4 at a time), restarting the broker halfway. */
  async function burstWithRestart(users: number): Promise<string[]> {
    const registered = await Promise.all(Array.from({ length: users }, () => register(stack.http)));
    const before = await processed();
    const logIn = stack.auth.get(LogInHandler);
    const queue = registered.map((u) => u.username);
    let done = 0;
    const worker = async () => {
      for (let username = queue.shift(); username; username = queue.shift()) {
        await logIn.execute({ username, password: PASSWORD });
        done++;
      }
    };
    const burst = Promise.all(Array.from({ length: 4 }, worker));

    await waitFor('half the logins', () => done >= users / 2, 60000, 5);
    await broker.stop();
    await waitFor('promotion to notice', () => !stack.services.promotion!.get(AmqpConnection).isConnected());
    await waitFor(
      'three quarters of the logins (during the outage)',
      () => done >= (users * 3) / 4,
      60000,
      5,
    );
    await broker.restart();
    await burst;
    // Until an app's reconnect (backoff up to 5 s) lands, its routes answer 503 "try again shortly".
    for (const app of [stack.gateway, stack.auth, stack.services.promotion!])
      await waitFor('every app to reconnect', () => app.get(AmqpConnection).isConnected(), 30000);

    await waitFor(
      `all ${users} first logins to be consumed`,
      async () => (await processed()) === before + users,
      60000,
    );
    return registered.map((u) => u.res.body.userId as string);
  }

  async function createCampaign(voucherLimit: number): Promise<string> {
    const res = await stack
      .http()
      .post('/v1/admin/campaigns')
      .set(adminAuth)
      .send({ name: `Limit ${voucherLimit}`, discountPercent: 30, voucherLimit, trigger: 'FIRST_LOGIN' })
      .expect(201);
    return res.body.campaignId as string;
  }

  async function assertIssued(campaignId: string, userIds: string[], expected: number): Promise<void> {
    const vouchers = await db.collection('vouchers').find({ campaignId }).toArray();
    expect(vouchers).toHaveLength(expected);
    expect(new Set(vouchers.map((v) => v.userId)).size).toBe(expected);
    expect(vouchers.every((v) => userIds.includes(v.userId as string))).toBe(true);
    const campaign = await db.collection('campaigns').findOne({ _id: campaignId as never });
    expect(campaign).toMatchObject({
      issued: expected,
      remaining: (campaign!.voucherLimit as number) - expected,
    });
  }

  it('more vouchers than users: every first-login user gets exactly one, none lost', async () => {
    const campaignId = await createCampaign(1000);
    const userIds = await burstWithRestart(40);
    await assertIssued(campaignId, userIds, 40);
    await stack
      .http()
      .patch(`/v1/admin/campaigns/${campaignId}`)
      .set(adminAuth)
      .send({ status: 'ENDED' })
      .expect(200);
  }, 180000);

  it('fewer vouchers than users: exactly N are issued, none duplicated', async () => {
    const campaignId = await createCampaign(15);
    const userIds = await burstWithRestart(40);
    await assertIssued(campaignId, userIds, 15);
  }, 180000);
});
