import mongoose from 'mongoose';
import { EVENTS, RPC } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { EventTap } from '../support/event-tap';
import { ADMIN_ENV, admin, member, PASSWORD, register } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Auth = { Authorization: string };
const HOUR = 3600_000;

describe('vouchers: campaigns, first-login issuing and redemption (real stack)', () => {
  const iso = new TestIsolation('vouchers');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let adminAuth: Auth;
  let adminId: string;
  let audit: EventTap;

  const campaignBody = (over: Record<string, unknown> = {}) => ({
    name: 'Welcome 30%',
    description: '30% off your first order',
    discountPercent: 30,
    voucherLimit: 100,
    trigger: 'FIRST_LOGIN',
    ...over,
  });
  const createCampaign = (over: Record<string, unknown> = {}) =>
    stack.http().post('/v1/admin/campaigns').set(adminAuth).send(campaignBody(over));
  const setStatus = (campaignId: string, status: string) =>
    stack.http().patch(`/v1/admin/campaigns/${campaignId}`).set(adminAuth).send({ status });
  const myVouchers = async (auth: Auth) =>
    (await stack.http().get('/v1/vouchers/me').set(auth).expect(200)).body.items as Array<
      Record<string, unknown>
    >;
  /** A new member whose first login (through the gateway) happens now. */
  const firstLogin = () => member(stack.http);

  beforeAll(async () => {
    iso.queue(FIRST_LOGIN_CONSUMER); // so cleanup removes it and its DLQ
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    const a = await admin(stack.http);
    adminAuth = a.auth;
    adminId = a.userId;
    audit = await EventTap.open(iso, EVENTS.auditRecorded);
  });

  afterAll(async () => {
    await audit?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  describe('campaign administration', () => {
    it('needs a token (401) and the admin role (403) on every admin route', async () => {
      const m = await member(stack.http);
      const routes = [
        () => stack.http().post('/v1/admin/campaigns').send(campaignBody()),
        () => stack.http().get('/v1/admin/campaigns'),
        () => stack.http().get('/v1/admin/campaigns/any'),
        () => stack.http().patch('/v1/admin/campaigns/any').send({ status: 'PAUSED' }),
      ];
      for (const route of routes) {
        const anonymous = await route();
        expect(anonymous.status).toBe(401);
        expect(anonymous.body.code).toBe('UNAUTHENTICATED');
        const asMember = await route().set(m.auth);
        expect(asMember.status).toBe(403);
        expect(asMember.body.code).toBe('FORBIDDEN');
      }
      expect(await db.collection('campaigns').countDocuments()).toBe(0);
    });

    it('rejects bad bodies with 400 VALIDATION_FAILED naming the field, and writes nothing', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ trigger: 'SIGNUP' }, 'trigger'],
        [{ discountPercent: 0 }, 'discountPercent'],
        [{ discountPercent: 101 }, 'discountPercent'],
        [{ voucherLimit: 0 }, 'voucherLimit'],
        [{ voucherLimit: 1.5 }, 'voucherLimit'],
        [{ name: '' }, 'name'],
        [{ startsAt: 'tomorrow' }, 'startsAt'],
        [{ voucherValidDays: 0 }, 'voucherValidDays'],
        [{ description: null }, 'description'],
        [{ extra: 1 }, 'extra'],
        [{ eligibility: { registeredBefore: 'yesterday' } }, 'eligibility.registeredBefore'],
        [{ eligibility: { registeredBefore: null } }, 'eligibility.registeredBefore'],
        [{ eligibility: { since: '2026-01-01T00:00:00Z' } }, 'eligibility.since'],
        [{ eligibility: 'existing customers' }, 'eligibility'],
        [
          { startsAt: new Date(Date.now() + 2 * HOUR).toISOString(), endsAt: new Date().toISOString() },
          'endsAt',
        ],
      ];
      for (const [over, field] of cases) {
        const res = await createCampaign(over);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const noTrigger = await stack
        .http()
        .post('/v1/admin/campaigns')
        .set(adminAuth)
        .send({ name: 'x', discountPercent: 10, voucherLimit: 1 });
      expect(noTrigger.status).toBe(400);
      expect(noTrigger.body.errors.map((e: { field: string }) => e.field)).toContain('trigger');
      const badStatus = await setStatus('whatever', 'RUNNING');
      expect(badStatus.status).toBe(400);
      expect(badStatus.body.errors[0].field).toBe('status');
      expect(await db.collection('campaigns').countDocuments()).toBe(0);
    });

    it('creates, lists, reads, pauses, resumes and ends; overlaps are 409 CAMPAIGN_CONFLICT; each write is audited', async () => {
      const startsAt = new Date(Date.now() + 10 * 24 * HOUR);
      const endsAt = new Date(startsAt.getTime() + 24 * HOUR);
      const created = await createCampaign({
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        voucherLimit: 5,
        voucherValidDays: 7,
      }).expect(201);
      const id = created.body.campaignId as string;
      expect(created.body).toMatchObject({
        status: 'ACTIVE',
        name: 'Welcome 30%',
        description: '30% off your first order',
        trigger: 'FIRST_LOGIN',
        discountPercent: 30,
        voucherLimit: 5,
        voucherValidDays: 7,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        issued: 0,
        remaining: 5,
        redeemed: 0,
      });

      // Overlapping in time with an ACTIVE one: refused, on create...
      const overlapping = await createCampaign({ startsAt: new Date(endsAt.getTime() - HOUR).toISOString() });
      expect(overlapping.status).toBe(409);
      expect(overlapping.body.code).toBe('CAMPAIGN_CONFLICT');
      // ...but one right after it (windows are half-open) is fine.
      const after = await createCampaign({
        startsAt: endsAt.toISOString(),
        endsAt: new Date(endsAt.getTime() + HOUR).toISOString(),
      }).expect(201);

      expect((await stack.http().get(`/v1/admin/campaigns/${id}`).set(adminAuth).expect(200)).body).toEqual(
        created.body,
      );
      const missing = await stack.http().get('/v1/admin/campaigns/no-such-campaign').set(adminAuth);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      expect((await setStatus('no-such-campaign', 'PAUSED')).status).toBe(404);

      // Paused, it no longer blocks: an overlapping one may start; resuming the first is then 409.
      expect((await setStatus(id, 'PAUSED').expect(200)).body).toMatchObject({
        campaignId: id,
        status: 'PAUSED',
      });
      const rival = await createCampaign({
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
      }).expect(201);
      const resume = await setStatus(id, 'ACTIVE');
      expect(resume.status).toBe(409);
      expect(resume.body.code).toBe('CAMPAIGN_CONFLICT');
      await setStatus(rival.body.campaignId as string, 'ENDED').expect(200);
      expect((await setStatus(id, 'ACTIVE').expect(200)).body.status).toBe('ACTIVE');

      // ENDED is final.
      await setStatus(id, 'ENDED').expect(200);
      const restart = await setStatus(id, 'ACTIVE');
      expect(restart.status).toBe(409);
      expect(restart.body.code).toBe('CAMPAIGN_CONFLICT');
      expect((await setStatus(id, 'PAUSED')).status).toBe(409);
      await setStatus(after.body.campaignId as string, 'ENDED').expect(200);

      // The list: newest first, in pages.
      const first = await stack.http().get('/v1/admin/campaigns?limit=2').set(adminAuth).expect(200);
      expect(first.body.items.map((c: { campaignId: string }) => c.campaignId)).toEqual([
        rival.body.campaignId,
        after.body.campaignId,
      ]);
      expect(first.body.items[0]).toMatchObject({ status: 'ENDED', issued: 0, remaining: 100, redeemed: 0 });
      const second = await stack
        .http()
        .get(`/v1/admin/campaigns?limit=2&cursor=${first.body.nextCursor}`)
        .set(adminAuth)
        .expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ campaignId: id, status: 'ENDED' })],
        nextCursor: null,
        total: first.body.total,
      });
      expect(first.body.total).toBeGreaterThanOrEqual(3);
      expect((await stack.http().get('/v1/admin/campaigns?limit=0').set(adminAuth)).status).toBe(400);
      const badCursor = await stack.http().get('/v1/admin/campaigns?cursor=nonsense').set(adminAuth);
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);

      // Every admin write that applied (3 creates, 5 status changes) is one audit event with the admin as actor.
      const entries: Array<Record<string, unknown>> = [];
      await waitFor('the audit events', async () => {
        entries.push(...(await audit.drain()).map((e) => e.payload));
        return entries.length >= 8;
      });
      expect(entries).toHaveLength(8);
      expect(entries.filter((e) => e.action === 'campaign.create')).toHaveLength(3);
      expect(entries.filter((e) => e.action === 'campaign.update')).toHaveLength(5);
      expect(entries.every((e) => e.actorId === adminId)).toBe(true);
      expect(entries.filter((e) => e.target === `campaign:${id}`)).toHaveLength(4);
    });

    it('two simultaneous overlapping creates: exactly one wins, the other is 409', async () => {
      const startsAt = new Date(Date.now() + 40 * 24 * HOUR).toISOString();
      const results = await Promise.all(Array.from({ length: 6 }, () => createCampaign({ startsAt })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      const winner = results.find((r) => r.status === 201)!;
      expect(await db.collection('campaigns').countDocuments({ status: 'ACTIVE' })).toBe(1);
      await setStatus(winner.body.campaignId as string, 'ENDED').expect(200);
    });

    it('the admin-stats RPC lists ACTIVE campaigns with issued and remaining, for admins only', async () => {
      const startsAt = new Date(Date.now() + 60 * 24 * HOUR).toISOString();
      const c = (await createCampaign({ startsAt, voucherLimit: 42, name: 'Stats' }).expect(201)).body;
      const rpc = stack.gateway.get(RpcClient);
      const login = await stack
        .http()
        .post('/v1/auth/login')
        .send({ username: 'chief', password: ADMIN_ENV.ADMIN_PASSWORD });
      const stats = await rpc.send('promotion', RPC.promotion.activeCampaignStats, {
        caller: { accessToken: login.body.accessToken as string },
      });
      expect(stats).toEqual([{ campaignId: c.campaignId, name: 'Stats', issued: 0, remaining: 42 }]);
      const m = await member(stack.http);
      await expect(
        rpc.send('promotion', RPC.promotion.activeCampaignStats, { caller: { accessToken: m.accessToken } }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await setStatus(c.campaignId as string, 'ENDED').expect(200);
    });
  });

  describe('issuing and redeeming', () => {
    let campaignId: string;

    beforeAll(async () => {
      const res = await createCampaign({ voucherLimit: 3, voucherValidDays: 30, discountPercent: 25 }).expect(
        201,
      );
      campaignId = res.body.campaignId as string;
    });

    it('a first login earns one voucher; later logins earn none', async () => {
      const m = await firstLogin();
      const [voucher] = await waitFor('the voucher', async () => {
        const items = await myVouchers(m.auth);
        return items.length ? items : undefined;
      });
      expect(voucher).toMatchObject({
        campaignId,
        description: '30% off your first order',
        discountPercent: 25,
        status: 'AVAILABLE',
        code: expect.stringMatching(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/),
      });
      const days =
        (Date.parse(voucher.expiresAt as string) - Date.parse(voucher.issuedAt as string)) / (24 * HOUR);
      expect(days).toBe(30);

      // A second login of the same user is no first login.
      await stack
        .http()
        .post('/v1/auth/login')
        .send({ username: m.username, password: PASSWORD })
        .expect(200);
      const other = await firstLogin(); // its voucher arriving means the second login was consumed
      await waitFor('the next voucher', async () => (await myVouchers(other.auth)).length === 1);
      expect(await myVouchers(m.auth)).toHaveLength(1);
      const campaign = await stack.http().get(`/v1/admin/campaigns/${campaignId}`).set(adminAuth).expect(200);
      expect(campaign.body).toMatchObject({ issued: 2, remaining: 1, redeemed: 0 });
    });

    it('redeems once per order: same order 200, another 409, someone else 404, expired 410', async () => {
      const m = await firstLogin();
      const [voucher] = await waitFor('the voucher', async () => {
        const items = await myVouchers(m.auth);
        return items.length ? items : undefined;
      });
      const voucherId = voucher.voucherId as string;
      const redeem = (auth: Auth, body: unknown, id = voucherId) =>
        stack
          .http()
          .post(`/v1/vouchers/${id}/redeem`)
          .set(auth)
          .send(body as object);

      expect(
        (await stack.http().post(`/v1/vouchers/${voucherId}/redeem`).send({ orderId: 'o-1' })).status,
      ).toBe(401);
      const anonymousList = await stack.http().get('/v1/vouchers/me');
      expect(anonymousList.status).toBe(401);
      expect(anonymousList.body.code).toBe('UNAUTHENTICATED');
      const invalid = await redeem(m.auth, { orderId: '' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0].field).toBe('orderId');
      expect((await redeem(m.auth, { orderId: 'o-1', coupon: 'x' })).status).toBe(400);

      const stranger = await member(stack.http);
      const notTheirs = await redeem(stranger.auth, { orderId: 'o-1' });
      expect(notTheirs.status).toBe(404);
      expect(notTheirs.body.code).toBe('NOT_FOUND');
      expect((await redeem(m.auth, { orderId: 'o-1' }, 'no-such-voucher')).status).toBe(404);

      const first = await redeem(m.auth, { orderId: 'o-1' }).expect(200);
      expect(first.body).toEqual({
        voucherId,
        status: 'REDEEMED',
        redeemedAt: expect.any(String),
        orderId: 'o-1',
      });
      const replay = await redeem(m.auth, { orderId: 'o-1' }).expect(200);
      expect(replay.body).toEqual(first.body);
      const again = await redeem(m.auth, { orderId: 'o-2' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('VOUCHER_ALREADY_REDEEMED');
      expect(await myVouchers(m.auth)).toEqual([
        expect.objectContaining({ voucherId, status: 'REDEEMED', orderId: 'o-1' }),
      ]);
      const campaign = await stack.http().get(`/v1/admin/campaigns/${campaignId}`).set(adminAuth).expect(200);
      expect(campaign.body).toMatchObject({ issued: 3, remaining: 0, redeemed: 1 });
    });

    it('an expired voucher shows EXPIRED and is 410 VOUCHER_EXPIRED', async () => {
      // The campaign is spent: this user's voucher is planted, then its validity runs out.
      const m = await member(stack.http);
      const voucherId = `planted-${m.userId}`;
      const issuedAt = new Date(Date.now() - 31 * 24 * HOUR);
      await db.collection('vouchers').insertOne({
        _id: voucherId as never,
        code: `PLNT-${m.userId.slice(0, 4).toUpperCase()}-0000`,
        campaignId,
        userId: m.userId,
        description: 'old',
        discountPercent: 25,
        issuedAt,
        expiresAt: new Date(issuedAt.getTime() + 30 * 24 * HOUR),
        redeemedAt: null,
        orderId: null,
        eventId: 'planted',
      });
      expect(await myVouchers(m.auth)).toEqual([expect.objectContaining({ voucherId, status: 'EXPIRED' })]);
      const res = await stack
        .http()
        .post(`/v1/vouchers/${voucherId}/redeem`)
        .set(m.auth)
        .send({ orderId: 'o-9' });
      expect(res.status).toBe(410);
      expect(res.body.code).toBe('VOUCHER_EXPIRED');
      expect((await db.collection('vouchers').findOne({ _id: voucherId as never }))?.redeemedAt).toBeNull();
    });

    it('concurrent redemptions of one voucher for different orders: exactly one wins', async () => {
      await setStatus(campaignId, 'ENDED').expect(200);
      const c = (await createCampaign({ voucherLimit: 5 }).expect(201)).body;
      const m = await firstLogin();
      const [voucher] = await waitFor('the voucher', async () => {
        const items = await myVouchers(m.auth);
        return items.length ? items : undefined;
      });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          stack
            .http()
            .post(`/v1/vouchers/${voucher.voucherId as string}/redeem`)
            .set(m.auth)
            .send({ orderId: `race-${i}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      const campaign = await stack
        .http()
        .get(`/v1/admin/campaigns/${c.campaignId as string}`)
        .set(adminAuth)
        .expect(200);
      expect(campaign.body).toMatchObject({ issued: 1, redeemed: 1 });
      await setStatus(c.campaignId as string, 'ENDED').expect(200);
    });

    it('a first login with no campaign running earns nothing', async () => {
      const { res, username } = await register(stack.http);
      const processed = () =>
        db.collection('processed_events').countDocuments({ consumer: FIRST_LOGIN_CONSUMER });
      const before = await processed();
      await stack.http().post('/v1/auth/login').send({ username, password: PASSWORD }).expect(200);
      // Consumed (its processed record is written), and no voucher.
      await waitFor('the login to be consumed', async () => (await processed()) === before + 1);
      const userId = res.body.userId as string;
      const login = await stack
        .http()
        .post('/v1/auth/login')
        .send({ username, password: PASSWORD })
        .expect(200);
      const auth = { Authorization: `Bearer ${login.body.accessToken as string}` };
      expect(await myVouchers(auth)).toEqual([]);
      expect(await db.collection('vouchers').countDocuments({ userId })).toBe(0);
    });
  });

  describe('eligibility.registeredBefore', () => {
    it('only accounts created before the cut-off earn a voucher on their first login', async () => {
      const existing = await Promise.all(Array.from({ length: 3 }, () => register(stack.http)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const registeredBefore = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const farmed = await Promise.all(Array.from({ length: 4 }, () => register(stack.http)));
      for (const { res } of [...existing, ...farmed]) expect(res.status).toBe(201);

      const created = await createCampaign({ voucherLimit: 10, eligibility: { registeredBefore } }).expect(
        201,
      );
      const campaignId = created.body.campaignId as string;
      expect(created.body.eligibility).toEqual({ registeredBefore });
      const read = await stack.http().get(`/v1/admin/campaigns/${campaignId}`).set(adminAuth).expect(200);
      expect(read.body.eligibility).toEqual({ registeredBefore });

      const processed = () =>
        db.collection('processed_events').countDocuments({ consumer: FIRST_LOGIN_CONSUMER });
      const before = await processed();
      // Every first login at once, the new accounts' among them.
      await Promise.all(
        [...farmed, ...existing].map(({ username }) =>
          stack.http().post('/v1/auth/login').send({ username, password: PASSWORD }).expect(200),
        ),
      );
      await waitFor('all 7 logins to be consumed', async () => (await processed()) === before + 7);

      const holders = (await db.collection('vouchers').find({ campaignId }).toArray()).map((v) => v.userId);
      expect(holders.sort()).toEqual(existing.map(({ res }) => res.body.userId as string).sort());
      const campaign = await stack.http().get(`/v1/admin/campaigns/${campaignId}`).set(adminAuth).expect(200);
      expect(campaign.body).toMatchObject({ issued: 3, remaining: 7 });
      await setStatus(campaignId, 'ENDED').expect(200);
    });

    it('a campaign without eligibility says so, and takes every account', async () => {
      const created = await createCampaign({ voucherLimit: 1 }).expect(201);
      expect(created.body.eligibility).toEqual({ registeredBefore: null });
      await setStatus(created.body.campaignId as string, 'ENDED').expect(200);
    });
  });
});
