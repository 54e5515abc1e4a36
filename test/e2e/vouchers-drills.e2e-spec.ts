import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import mongoose from 'mongoose';
import { EVENTS, type UserLoggedInV1 } from '@lib/contracts';
import { Topology } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { ADMIN_ENV, admin } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

/** Failure drills of the first-login consumer: redelivered events and poison messages. */
describe('first-login vouchers: redelivery and poison messages', () => {
  const iso = new TestIsolation('vdrill');
  const topology = new Topology(iso.namePrefix);
  const queue = iso.queue(FIRST_LOGIN_CONSUMER);
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let raw: ChannelModel;
  let ch: Channel;
  let campaignId: string;

  const firstLogin = (userId: string = randomUUID()): UserLoggedInV1 => ({
    eventId: randomUUID(),
    userId,
    groupId: randomUUID(),
    firstLogin: true,
    occurredAt: new Date().toISOString(),
  });
  const publish = (body: unknown) =>
    ch.publish(
      topology.eventsExchange,
      EVENTS.userLoggedIn,
      Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      { persistent: true, type: EVENTS.userLoggedIn },
    );
  const vouchersOf = (userId: string) => db.collection('vouchers').countDocuments({ userId });

  beforeAll(async () => {
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    const { auth } = await admin(stack.http);
    campaignId = (
      await stack
        .http()
        .post('/v1/admin/campaigns')
        .set(auth)
        .send({ name: 'Drills', discountPercent: 10, voucherLimit: 1000, trigger: 'FIRST_LOGIN' })
        .expect(201)
    ).body.campaignId as string;
    raw = await connect(iso.infra.rabbitUrl);
    ch = await raw.createChannel();
  });

  afterAll(async () => {
    await raw?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  it('the same event delivered 10 times gives one voucher', async () => {
    const e = firstLogin();
    for (let i = 0; i < 10; i++) publish(e);
    await waitFor('the voucher', () => vouchersOf(e.userId));
    const marker = firstLogin(); // published after the copies: once it is in, every copy was seen
    publish(marker);
    await waitFor('the marker', () => vouchersOf(marker.userId));
    expect(await vouchersOf(e.userId)).toBe(1);
    expect(await db.collection('processed_events').countDocuments({ eventId: e.eventId })).toBe(1);
    const campaign = await db.collection('campaigns').findOne({ _id: campaignId as never });
    expect(campaign).toMatchObject({ issued: 2, remaining: 998 });
  });

  it('two first-login events of one user (different event ids) still give one voucher', async () => {
    const userId = randomUUID();
    const [a, b] = [firstLogin(userId), firstLogin(userId)];
    publish(a);
    publish(b);
    const marker = firstLogin();
    publish(marker);
    await waitFor('the marker', () => vouchersOf(marker.userId));
    await waitFor(
      'both events consumed',
      async () =>
        (await db
          .collection('processed_events')
          .countDocuments({ eventId: { $in: [a.eventId, b.eventId] } })) === 2,
    );
    expect(await vouchersOf(userId)).toBe(1);
  });

  it('a burst holding a user who already has a voucher: the batch is redone one by one, everyone else still gets one', async () => {
    const holder = firstLogin();
    publish(holder);
    await waitFor('the first voucher', () => vouchersOf(holder.userId));
    const burst = Array.from({ length: 30 }, () => firstLogin());
    burst.splice(15, 0, firstLogin(holder.userId)); // the same user, another event id
    for (const e of burst) publish(e);
    await waitFor('the burst', async () => {
      const ids = burst.map((e) => e.eventId);
      return (await db.collection('processed_events').countDocuments({ eventId: { $in: ids } })) === 31;
    });
    expect(await vouchersOf(holder.userId)).toBe(1);
    const others = burst.filter((e) => e.userId !== holder.userId).map((e) => e.userId);
    expect(await db.collection('vouchers').countDocuments({ userId: { $in: others } })).toBe(30);
  });

  it('sends malformed events to the dead-letter queue and goes on issuing', async () => {
    const poison = [
      '{not json',
      JSON.stringify({ userId: 'no-event-id', firstLogin: true }),
      JSON.stringify({ ...firstLogin(), userId: 42 }),
      JSON.stringify({ ...firstLogin(), firstLogin: 'yes' }),
      JSON.stringify({ ...firstLogin(), occurredAt: 'yesterday' }),
    ];
    for (const body of poison) publish(body);
    const good = firstLogin();
    publish(good);
    await waitFor('the good event', () => vouchersOf(good.userId));

    const dead = await waitFor('5 dead letters', async () => {
      const dlq = await raw.createChannel();
      const { messageCount } = await dlq.checkQueue(`${queue}.dlq`);
      await dlq.close();
      return messageCount === 5;
    });
    expect(dead).toBe(true);
    const dlq = await raw.createChannel();
    const bodies: string[] = [];
    for (
      let m = await dlq.get(`${queue}.dlq`, { noAck: true });
      m;
      m = await dlq.get(`${queue}.dlq`, { noAck: true })
    )
      bodies.push(m.content.toString());
    await dlq.close();
    expect(bodies.sort()).toEqual([...poison].sort());
    expect(await db.collection('vouchers').countDocuments({ userId: 'no-event-id' })).toBe(0);
  });
});
