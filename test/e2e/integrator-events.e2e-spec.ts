import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import mongoose from 'mongoose';
import { EVENTS, type UserLoggedInV1 } from '@lib/contracts';
import { Topology } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { createBook, uploadCodes, waitForJob } from '../support/coupons-client';
import { EventTap } from '../support/event-tap';
import {
  ADMIN_ENV,
  PASSWORD,
  admin,
  apiClient,
  member,
  register,
  uniqueUsername,
} from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Auth = Record<string, string>;
type EventName = (typeof INTEGRATOR_EVENTS)[number];
type Published = { messageId: string; payload: Record<string, unknown> };

const INTEGRATOR_EVENTS = [
  EVENTS.userRegistered,
  EVENTS.vouchersIssued,
  EVENTS.voucherRedeemed,
  EVENTS.couponAssigned,
  EVENTS.couponRedeemed,
  EVENTS.generationJobCompleted,
] as const;

/**
 * The events integrators get by webhook, from the real services through the gateway: each change
 * publishes its event once, with ids and facts a receiver can act on, and a replay or a refusal
 * publishes nothing. What was published is read from a queue bound to the events exchange; how
 * many events a change wrote is read from its service's outbox, where an event exists exactly when
 * its change committed (before the reply), so "nothing for the replay" needs no waiting.
 */
describe('integrator events: registrations, vouchers, coupons and generation jobs (real stack)', () => {
  const iso = new TestIsolation('integrator-events');
  const taps = new Map<EventName, EventTap>();
  const seen = new Map<EventName, Published[]>(INTEGRATOR_EVENTS.map((name) => [name, []]));
  let stack: PlatformStack;
  let authDb: mongoose.Connection;
  let promotionDb: mongoose.Connection;
  let raw: ChannelModel;
  let channel: Channel;
  let chief: Awaited<ReturnType<typeof admin>>;
  let campaignId: string;

  beforeAll(async () => {
    iso.queue(FIRST_LOGIN_CONSUMER);
    for (const name of INTEGRATOR_EVENTS) taps.set(name, await EventTap.open(iso, name));
    stack = await startPlatformStack(iso, { services: ['promotion', 'coupon-worker'], authEnv: ADMIN_ENV });
    authDb = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    promotionDb = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    raw = await connect(iso.infra.rabbitUrl);
    channel = await raw.createChannel();
    chief = await admin(stack.http);
    campaignId = (
      await stack
        .http()
        .post('/v1/admin/campaigns')
        .set(chief.auth)
        .send({ name: 'Welcome', discountPercent: 30, voucherLimit: 1000, trigger: 'FIRST_LOGIN' })
        .expect(201)
    ).body.campaignId as string;
  });

  afterAll(async () => {
    for (const tap of taps.values()) await tap.close();
    await raw?.close();
    await authDb?.close();
    await promotionDb?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const http = () => stack.http();

  /** The published events of `name` that match, once the outbox relay has published `count` of them. */
  const published = (name: EventName, match: (payload: Record<string, any>) => boolean, count = 1) =>
    waitFor(`${count} ${name} to be published`, async () => {
      seen.get(name)!.push(...(await taps.get(name)!.drain()));
      const found = seen.get(name)!.filter((e) => match(e.payload));
      return found.length >= count ? found : undefined;
    });

  /** The payloads of `name` a service's outbox holds with these payload fields: what its changes wrote. */
  const written = async (db: mongoose.Connection, name: string, fields: Record<string, unknown> = {}) => {
    const filter = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`payload.${k}`, v]));
    const records = await db
      .collection('outbox')
      .find({ name, ...filter })
      .toArray();
    return records.map((r) => r.payload as Record<string, unknown>);
  };

  describe('auth.user.registered', () => {
    it('a sign-up announces itself once: founding a group (joinedByInvite false) or joining one by invite', async () => {
      const founder = await member(http);
      const invite = await http().post('/v1/groups/me/invites').set(founder.auth).expect(201);
      const joiner = await member(http, { inviteCode: invite.body.inviteCode as string });

      for (const [who, groupId, joinedByInvite] of [
        [founder, founder.groupId, false],
        [joiner, founder.groupId, true],
      ] as const) {
        const [event] = await published(EVENTS.userRegistered, (p) => p.userId === who.userId);
        expect(event.payload).toEqual({
          eventId: event.messageId,
          occurredAt: expect.any(String),
          userId: who.userId,
          groupId,
          joinedByInvite,
        });
        expect(await written(authDb, EVENTS.userRegistered, { userId: who.userId })).toHaveLength(1);
      }
    });

    it('a refused sign-up, an admin enrolment and the bootstrapped admin announce no registration', async () => {
      const taken = await member(http);
      const before = (await written(authDb, EVENTS.userRegistered)).length;
      const again = await register(http, { username: taken.username, email: 'another@example.com' });
      expect([again.res.status, again.res.body.code]).toEqual([409, 'USERNAME_TAKEN']);
      const badInvite = await register(http, { inviteCode: 'ZZZZZZZZZZZZZZZZ' });
      expect([badInvite.res.status, badInvite.res.body.code]).toEqual([400, 'INVITE_INVALID']);
      expect(await written(authDb, EVENTS.userRegistered)).toHaveLength(before);

      const username = uniqueUsername('enrolled');
      const enrolled = await http()
        .post('/v1/admin/users')
        .set(chief.auth)
        .send({ username, password: PASSWORD, email: `${username}@example.com` })
        .expect(201);
      expect(await written(authDb, EVENTS.userEnrolled, { userId: enrolled.body.userId })).toHaveLength(1);
      expect(await written(authDb, EVENTS.userRegistered, { userId: enrolled.body.userId })).toEqual([]);
      expect(await written(authDb, EVENTS.userRegistered, { userId: chief.userId })).toEqual([]);
    });
  });

  describe('vouchers', () => {
    const topology = new Topology(iso.namePrefix);
    const firstLogin = (userId: string = randomUUID()): UserLoggedInV1 => ({
      eventId: randomUUID(),
      userId,
      groupId: `group-of-${userId}`,
      firstLogin: true,
      occurredAt: new Date().toISOString(),
    });
    const publishLogin = (event: UserLoggedInV1) =>
      channel.publish(topology.eventsExchange, EVENTS.userLoggedIn, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        type: EVENTS.userLoggedIn,
      });
    const consumed = (events: UserLoggedInV1[]) =>
      waitFor(
        'the logins to be consumed',
        async () =>
          (await promotionDb
            .collection('processed_events')
            .countDocuments({ eventId: { $in: events.map((e) => e.eventId) } })) === events.length,
      );
    const vouchersOf = (userId: string) => promotionDb.collection('vouchers').find({ userId }).toArray();
    /** A member (registered and logged in through the gateway) and the voucher their first login earned. */
    const holder = async () => {
      const m = await member(http);
      const voucherId = await waitFor('the first-login voucher', async () => {
        const res = await http().get('/v1/vouchers/me').set(m.auth);
        return res.body.items?.[0]?.voucherId as string | undefined;
      });
      return { ...m, voucherId };
    };
    const redeem = (auth: Auth, voucherId: string, body: Record<string, unknown>) =>
      http().post(`/v1/vouchers/${voucherId}/redeem`).set(auth).send(body);

    /** The vouchers of `promotion.vouchers.issued` batches written to promotion's outbox for this user. */
    const announcedFor = async (userId: string) =>
      (await written(promotionDb, EVENTS.vouchersIssued, { 'vouchers.userId': userId })).flatMap((batch) =>
        (batch.vouchers as Array<Record<string, unknown>>).filter((v) => v.userId === userId),
      );
    const hasVoucherOf = (userId: string) => (p: Record<string, any>) =>
      (p.vouchers as Array<{ userId: string }>).some((v) => v.userId === userId);

    it("a first login's voucher is announced once, with its campaign, member, group, discount and expiry", async () => {
      const m = await holder();
      const [event] = await published(EVENTS.vouchersIssued, hasVoucherOf(m.userId));
      const [stored] = await vouchersOf(m.userId);
      expect(event.payload).toEqual({
        eventId: event.messageId,
        occurredAt: expect.any(String),
        vouchers: [
          {
            voucherId: m.voucherId,
            campaignId,
            userId: m.userId,
            groupId: m.groupId,
            discountPercent: 30,
            expiresAt: (stored.expiresAt as Date).toISOString(),
          },
        ],
      });
      expect(await announcedFor(m.userId)).toHaveLength(1);
    });

    it('a redelivered login, a second first-login event and a batch redone one by one announce each voucher once', async () => {
      const once = firstLogin();
      const repeated = firstLogin(once.userId); // the same user, another event id
      for (let i = 0; i < 3; i++) publishLogin(once);
      publishLogin(repeated);
      await consumed([once, repeated]);
      // A burst holding a user who already has a voucher: the batch rolls back and is redone one by one.
      const burst = Array.from({ length: 20 }, () => firstLogin());
      burst.splice(10, 0, firstLogin(once.userId));
      for (const e of burst) publishLogin(e);
      await consumed(burst);

      for (const e of [once, ...burst]) {
        const [voucher] = await vouchersOf(e.userId);
        expect(await announcedFor(e.userId)).toEqual([
          expect.objectContaining({ voucherId: voucher._id, groupId: e.groupId }),
        ]);
      }
      const [event] = await published(EVENTS.vouchersIssued, hasVoucherOf(once.userId));
      const mine = (event.payload.vouchers as Array<Record<string, unknown>>).find(
        (v) => v.userId === once.userId,
      );
      expect(mine).toMatchObject({ userId: once.userId, groupId: once.groupId, campaignId });
    });

    it("a member's redemption is announced once; the replay of its order and another order announce nothing", async () => {
      const m = await holder();
      await redeem(m.auth, m.voucherId, { orderId: 'order-1' }).expect(200);
      await redeem(m.auth, m.voucherId, { orderId: 'order-1' }).expect(200);
      expect((await redeem(m.auth, m.voucherId, { orderId: 'order-2' })).body.code).toBe(
        'VOUCHER_ALREADY_REDEEMED',
      );
      const stranger = await member(http);
      expect((await redeem(stranger.auth, m.voucherId, { orderId: 'order-3' })).status).toBe(404);

      const [event] = await published(EVENTS.voucherRedeemed, (p) => p.voucherId === m.voucherId);
      expect(event.payload).toEqual({
        eventId: event.messageId,
        occurredAt: expect.any(String),
        voucherId: m.voucherId,
        campaignId,
        userId: m.userId,
        orderId: 'order-1',
      });
      expect(await written(promotionDb, EVENTS.voucherRedeemed, { voucherId: m.voucherId })).toHaveLength(1);
    });

    it("a till's redemption (vouchers:redeem) is announced once, naming the member; its replay announces nothing", async () => {
      const m = await holder();
      const till = await apiClient(http, chief.auth, ['vouchers:redeem']);
      const body = { orderId: 'till-order-1', userId: m.userId };
      await redeem(till.auth, m.voucherId, body).expect(200);
      await redeem(till.auth, m.voucherId, body).expect(200);

      const [event] = await published(EVENTS.voucherRedeemed, (p) => p.voucherId === m.voucherId);
      expect(event.payload).toMatchObject({
        voucherId: m.voucherId,
        userId: m.userId,
        orderId: 'till-order-1',
      });
      expect(await written(promotionDb, EVENTS.voucherRedeemed, { voucherId: m.voucherId })).toHaveLength(1);
    });
  });

  describe('coupons', () => {
    const assign = (auth: Auth, couponBookId: string) =>
      http().post(`/v1/coupon-books/${couponBookId}/assignments`).set(auth);
    const lockAndRedeem = async (auth: Auth, code: string, orderId?: string) => {
      const locked = await http().post(`/v1/coupons/${code}/lock`).set(auth).expect(200);
      const lockToken = locked.body.lockToken as string;
      const body = orderId ? { lockToken, orderId } : { lockToken };
      return { lockToken, res: await http().post(`/v1/coupons/${code}/redemptions`).set(auth).send(body) };
    };

    it('each assignment is announced once with its code and member; refused assignments announce nothing', async () => {
      const [alice, bob] = [await member(http), await member(http)];
      const { couponBookId } = await createBook(http, chief.auth, { maxCodesPerUser: 1 });
      await uploadCodes(http, chief.auth, couponBookId, 2);
      const codes: Record<string, string> = {};
      for (const m of [alice, bob])
        codes[m.userId] = (await assign(m.auth, couponBookId).expect(201)).body.code;
      expect((await assign(alice.auth, couponBookId)).body.code).toBe('MAX_CODES_PER_USER');
      expect((await assign((await member(http)).auth, couponBookId)).body.code).toBe('NO_CODES_AVAILABLE');

      for (const m of [alice, bob]) {
        const [event] = await published(EVENTS.couponAssigned, (p) => p.code === codes[m.userId]);
        expect(event.payload).toEqual({
          eventId: event.messageId,
          occurredAt: expect.any(String),
          couponBookId,
          code: codes[m.userId],
          userId: m.userId,
        });
      }
      expect(await written(promotionDb, EVENTS.couponAssigned, { couponBookId })).toHaveLength(2);
    });

    it('each redemption log entry is announced once; a lock used again announces nothing', async () => {
      const alice = await member(http);
      const single = await createBook(http, chief.auth);
      await uploadCodes(http, chief.auth, single.couponBookId, 1);
      const code = (await assign(alice.auth, single.couponBookId).expect(201)).body.code as string;
      const { lockToken, res } = await lockAndRedeem(alice.auth, code, 'order-7');
      expect(res.status).toBe(201);
      const reused = await http().post(`/v1/coupons/${code}/redemptions`).set(alice.auth).send({ lockToken });
      expect(reused.body.code).toBe('COUPON_ALREADY_REDEEMED');

      const [event] = await published(EVENTS.couponRedeemed, (p) => p.code === code);
      expect(event.payload).toEqual({
        eventId: event.messageId,
        occurredAt: expect.any(String),
        couponBookId: single.couponBookId,
        code,
        userId: alice.userId,
        transactionId: res.body.transactionId,
        orderId: 'order-7',
      });
      expect(await written(promotionDb, EVENTS.couponRedeemed, { code })).toHaveLength(1);
    });

    it('a code redeemed twice (allowMultipleRedemptions) is announced per log entry', async () => {
      const alice = await member(http);
      const multi = await createBook(http, chief.auth, {
        allowMultipleRedemptions: true,
        maxRedemptionsPerUser: 2,
      });
      await uploadCodes(http, chief.auth, multi.couponBookId, 1);
      const code = (await assign(alice.auth, multi.couponBookId).expect(201)).body.code as string;
      const entries: string[] = [];
      for (let i = 0; i < 2; i++) {
        const { res } = await lockAndRedeem(alice.auth, code);
        expect(res.status).toBe(201);
        entries.push(res.body.transactionId as string);
      }
      const events = await published(EVENTS.couponRedeemed, (p) => p.code === code, 2);
      const expected = entries.map((transactionId) =>
        expect.objectContaining({ transactionId, code, userId: alice.userId, orderId: null }),
      );
      expect(events.map((e) => e.payload)).toEqual(expect.arrayContaining(expected));
      expect(await written(promotionDb, EVENTS.couponRedeemed, { code })).toEqual(
        expect.arrayContaining(expected),
      );
      expect(await written(promotionDb, EVENTS.couponRedeemed, { code })).toHaveLength(2);
    });
  });

  describe('generation jobs', () => {
    it('a completed job is announced once, with what was requested and generated', async () => {
      const { couponBookId } = await createBook(http, chief.auth);
      const accepted = await http()
        .post(`/v1/admin/coupon-books/${couponBookId}/generation-jobs`)
        .set(chief.auth)
        .send({ count: 250 })
        .expect(202);
      const jobId = accepted.body.jobId as string;
      expect(await waitForJob(http, chief.auth, jobId)).toMatchObject({
        status: 'COMPLETED',
        generated: 250,
      });

      const [event] = await published(EVENTS.generationJobCompleted, (p) => p.jobId === jobId);
      expect(event.payload).toEqual({
        eventId: event.messageId,
        occurredAt: expect.any(String),
        jobId,
        couponBookId,
        status: 'COMPLETED',
        requested: 250,
        generated: 250,
        error: null,
      });
      expect(await written(promotionDb, EVENTS.generationJobCompleted, { jobId })).toHaveLength(1);
      expect(await written(promotionDb, EVENTS.generationJobFailed, { jobId })).toEqual([]);
    });
  });
});
