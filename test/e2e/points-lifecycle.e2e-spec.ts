import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { ADMIN_ENV, admin, apiClient, type ApiClientCaller, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

type Member = Awaited<ReturnType<typeof member>>;
type Admin = Awaited<ReturnType<typeof admin>>;
type Caller = { auth: Record<string, string> };
type Res = { status: number; headers: Record<string, string>; body: Record<string, any> };

const DAY_MS = 24 * 60 * 60 * 1000;
/** What the platform starts with, and what every test that changes a setting puts back. */
const DEFAULT_POLICY = { pendingDays: 0, expiryDays: null, expiryWarningDays: 30 };
const DEFAULT_TIERS = {
  qualifyingDays: 365,
  tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }],
};
const SILVER_TIERS = {
  qualifyingDays: 365,
  tiers: [
    { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
    { name: 'Silver', minPoints: 100, earnMultiplier: '2' },
  ],
};
const STANDARD_TIER = {
  name: 'Standard',
  earnMultiplier: '1',
  qualifyingPoints: 0,
  nextTier: null,
  pointsToNextTier: null,
};

/**
 * The points lifecycle through the gateway (issue 18): refunds, redemption reversals, the points
 * policy (pending and expiring points) and tiers, with the real loyalty and auth services. The
 * policy and the tiers are global settings of this file's loyalty database: every test that
 * changes one puts the defaults back (afterEach), so each test starts from them.
 * The earn rate is the default, 1 point per currency unit, so points read as amounts.
 */
describe('points lifecycle through the gateway: refunds, reversals, policy, tiers (e2e)', () => {
  const iso = new TestIsolation('points-lifecycle');
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let boss: Admin;
  /** Records purchases and refunds, and spends and reverses at a till: both scopes. */
  let till: ApiClientCaller;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty'],
      // The expiry sweep every second, so an EXPIRE entry shows within a test's wait.
      env: { loyalty: { POINTS_EXPIRY_SWEEP_SECONDS: '1' } },
      authEnv: ADMIN_ENV,
    });
    http = stack.http;
    boss = await admin(http);
    till = await apiClient(http, boss.auth, ['purchases:write', 'redemptions:write']);
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  const refused = (res: Res, field: string) => {
    problem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };
  const id = (label: string) => `${label}-${randomUUID()}`;
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  const purchase = (m: Pick<Member, 'userId'>, body: Record<string, unknown>, by: Caller = till) =>
    http()
      .post('/v1/purchases')
      .set(by.auth)
      .send({ purchaseId: id('p'), userId: m.userId, ...body }) as unknown as Promise<Res>;
  /** A purchase that must be recorded: its 201 body. */
  const bought = async (m: Member, body: Record<string, unknown>, by: Caller = till) => {
    const res = await purchase(m, body, by);
    expect([res.status, res.body]).toEqual([201, expect.anything()]);
    return res.body;
  };
  const refund = (purchaseId: string, body: Record<string, unknown>, by: Caller = till) =>
    http().post(`/v1/purchases/${purchaseId}/refunds`).set(by.auth).send(body) as unknown as Promise<Res>;
  const redeem = (by: Caller, body: Record<string, unknown>) =>
    http().post('/v1/redemptions').set(by.auth).send(body) as unknown as Promise<Res>;
  /** The till spends `points` of member `m`: the 201 body. */
  const spent = async (m: Member, points: number, redemptionId = id('r')) => {
    const res = await redeem(till, { redemptionId, userId: m.userId, points });
    expect([res.status, res.body]).toEqual([201, expect.anything()]);
    return res.body;
  };
  const reverse = (redemptionId: string, body: Record<string, unknown>, by: Caller = till) =>
    http()
      .post(`/v1/redemptions/${redemptionId}/reversal`)
      .set(by.auth)
      .send(body) as unknown as Promise<Res>;
  const transaction = (groupId: string, body: Record<string, unknown>) =>
    http()
      .post(`/v1/admin/groups/${groupId}/transactions`)
      .set(boss.auth)
      .send({ transactionId: id('t'), reason: 'test feed', ...body }) as unknown as Promise<Res>;
  const points = async (m: Member) => (await http().get('/v1/points').set(m.auth).expect(200)).body;
  const history = async (m: Member): Promise<Array<Record<string, any>>> =>
    (await http().get('/v1/points/history').query({ limit: 100 }).set(m.auth).expect(200)).body.items;
  const purchases = async (m: Member): Promise<Array<Record<string, any>>> =>
    (await http().get('/v1/purchases').query({ limit: 100 }).set(m.auth).expect(200)).body.items;
  /** A global setting was changed by this test: afterEach puts the defaults back. */
  let changed = false;
  const put = async (path: string, body: object, by: Caller) => {
    const res = (await http().put(path).set(by.auth).send(body)) as unknown as Res;
    if (res.status === 200) changed = true;
    return res;
  };
  const putPolicy = (body: object, by: Caller = boss) => put('/v1/admin/points-policy', body, by);
  const putTiers = (body: object, by: Caller = boss) => put('/v1/admin/tiers', body, by);
  const setPolicy = async (policy: Record<string, unknown>) => {
    const res = await putPolicy(policy);
    expect([res.status, res.body]).toEqual([200, policy]);
  };
  const setTiers = async (tiers: Record<string, unknown>) => {
    const res = await putTiers(tiers);
    expect([res.status, res.body]).toEqual([200, tiers]);
  };
  /**
   * A moment after every change made so far: an audit entry is dated when its change was made
   * (the service's event time), so entries from `since` on are this test's, even while an earlier
   * test's are still on their way to the audit log.
   */
  const auditMark = async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Date().toISOString();
  };
  /** Waits for this admin's one `action` entry made since `since`. */
  const auditEntrySince = async (action: string, since: string) => {
    const page = () =>
      http()
        .get('/v1/admin/audit-logs')
        .query({ action, actorId: boss.userId, from: since })
        .set(boss.auth)
        .expect(200);
    const items = await waitFor(`the ${action} audit entry`, async () => {
      const { body } = await page();
      return body.items.length ? body.items : undefined;
    });
    expect(items).toEqual([
      expect.objectContaining({ action, actorId: boss.userId, details: expect.any(Object) }),
    ]);
  };

  // A test that changed a global setting leaves the next one the defaults.
  afterEach(async () => {
    if (!changed) return;
    expect((await putPolicy(DEFAULT_POLICY)).status).toBe(200);
    expect((await putTiers(DEFAULT_TIERS)).status).toBe(200);
    changed = false;
  });

  describe('defaults, before any admin sets a policy or tiers', () => {
    it('GET /v1/admin/points-policy is {pendingDays: 0, expiryDays: null, expiryWarningDays: 30}', async () => {
      const res = await http().get('/v1/admin/points-policy').set(boss.auth).expect(200);
      expect(res.body).toEqual(DEFAULT_POLICY);
    });

    it('GET /v1/admin/tiers is one tier, Standard from 0 points at multiplier "1", over 365 days', async () => {
      const res = await http().get('/v1/admin/tiers').set(boss.auth).expect(200);
      expect(res.body).toEqual(DEFAULT_TIERS);
    });

    it("a new group's points: nothing pending, nothing expiring, in the Standard tier", async () => {
      const m = await member(http);
      expect(await points(m)).toEqual({
        groupId: m.groupId,
        balance: 0,
        pending: 0,
        byPayer: {},
        expiringSoon: [],
        tier: STANDARD_TIER,
      });
    });

    it('a purchase is AVAILABLE at once, never expires, and earns at multiplier "1"', async () => {
      const m = await member(http);
      const body = await bought(m, { amount: '12.50', occurredAt: '2026-01-02T03:04:05Z' });
      expect(body).toMatchObject({
        pointsEarned: 12,
        earnMultiplier: '1',
        status: 'AVAILABLE',
        availableAt: '2026-01-02T03:04:05.000Z',
        expiresAt: null,
        refundedAmount: '0.00',
        balance: 12,
      });
    });
  });

  describe('POST /v1/purchases/{purchaseId}/refunds', () => {
    it('201 with the documented fields; a replay is 200 with the same body; the purchase shows it', async () => {
      const m = await member(http);
      const { purchaseId } = await bought(m, { amount: '100.00' });
      const refundId = id('refund');
      const first = await refund(purchaseId, { refundId, amount: '40.00' });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        refundId,
        purchaseId,
        groupId: m.groupId,
        amount: '40.00',
        currency: 'USD',
        pointsReversed: 40,
        unrecovered: 0,
        balance: 60,
        createdAt: expect.any(String),
      });
      const replay = await refund(purchaseId, { amount: '40.00', refundId });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect((await points(m)).balance).toBe(60);

      const [listed] = await purchases(m);
      expect(listed).toMatchObject({ purchaseId, status: 'PARTIALLY_REFUNDED', refundedAmount: '40.00' });
      const refunds = (await history(m)).filter((e) => e.type === 'REFUND');
      expect(refunds).toEqual([
        expect.objectContaining({ type: 'REFUND', points: -40, payer: 'STORE', reference: refundId }),
      ]);

      // The rest of the amount: the purchase is REFUNDED, and its points are all gone.
      const rest = await refund(purchaseId, { refundId: id('refund'), amount: '60.00' });
      expect(rest.status).toBe(201);
      expect(rest.body).toMatchObject({ pointsReversed: 60, unrecovered: 0, balance: 0 });
      expect((await purchases(m))[0]).toMatchObject({ status: 'REFUNDED', refundedAmount: '100.00' });
    });

    it('the same refundId with a different body is 409 IDEMPOTENCY_CONFLICT, and takes nothing', async () => {
      const m = await member(http);
      const { purchaseId } = await bought(m, { amount: '50.00' });
      const refundId = id('refund');
      expect((await refund(purchaseId, { refundId, amount: '10.00' })).status).toBe(201);
      problem(await refund(purchaseId, { refundId, amount: '11.00' }), 409, 'IDEMPOTENCY_CONFLICT');
      // The same refundId for another purchase of the same till is another body too.
      const other = await bought(m, { amount: '50.00' });
      problem(await refund(other.purchaseId, { refundId, amount: '10.00' }), 409, 'IDEMPOTENCY_CONFLICT');
      expect((await points(m)).balance).toBe(90);
    });

    it('more than is left to refund is 422 REFUND_EXCEEDS_PURCHASE with refundable and requestedAmount, and takes nothing', async () => {
      const m = await member(http);
      const { purchaseId } = await bought(m, { amount: '10.00' });
      const over = await refund(purchaseId, { refundId: id('refund'), amount: '10.01' });
      problem(over, 422, 'REFUND_EXCEEDS_PURCHASE');
      expect(over.body).toMatchObject({ refundable: '10.00', requestedAmount: '10.01' });

      expect((await refund(purchaseId, { refundId: id('refund'), amount: '4.00' })).status).toBe(201);
      const rest = await refund(purchaseId, { refundId: id('refund'), amount: '6.01' });
      problem(rest, 422, 'REFUND_EXCEEDS_PURCHASE');
      expect(rest.body).toMatchObject({ refundable: '6.00', requestedAmount: '6.01' });

      expect((await points(m)).balance).toBe(6);
      expect((await history(m)).filter((e) => e.type === 'REFUND')).toHaveLength(1);
      expect((await purchases(m))[0]).toMatchObject({ refundedAmount: '4.00' });
    });

    it('an unknown purchase is 404 NOT_FOUND, and so is another API client’s purchase (ids are per client)', async () => {
      problem(await refund(id('nobody'), { refundId: id('refund'), amount: '1.00' }), 404, 'NOT_FOUND');

      const m = await member(http);
      const otherTill = await apiClient(http, boss.auth, ['purchases:write']);
      const { purchaseId } = await bought(m, { amount: '20.00' }, otherTill);
      problem(await refund(purchaseId, { refundId: id('refund'), amount: '1.00' }), 404, 'NOT_FOUND');
      expect((await points(m)).balance).toBe(20);
      // Its own client refunds it.
      const own = await refund(purchaseId, { refundId: id('refund'), amount: '1.00' }, otherTill);
      expect([own.status, own.body.balance]).toEqual([201, 19]);
    });

    it('needs an API client with purchases:write: 401 without a token, 403 for a member, an admin or another scope', async () => {
      const m = await member(http);
      const { purchaseId } = await bought(m, { amount: '20.00' });
      const body = { refundId: id('refund'), amount: '5.00' };
      problem(await http().post(`/v1/purchases/${purchaseId}/refunds`).send(body), 401, 'UNAUTHENTICATED');
      const spender = await apiClient(http, boss.auth, ['redemptions:write']);
      for (const caller of [m, boss, spender])
        problem(await refund(purchaseId, body, caller), 403, 'FORBIDDEN');
      expect((await points(m)).balance).toBe(20);
    });

    it.each([
      [{ amount: 5 }, 'amount'],
      [{ amount: '5,00' }, 'amount'],
      [{ amount: '0.00' }, 'amount'],
      [{ amount: '1.234' }, 'amount'],
      [{ refundId: '' }, 'refundId'],
      [{ refundId: 'has space' }, 'refundId'],
      [{ points: 5 }, 'points'],
    ])('refuses %j with 400 VALIDATION_FAILED naming the field, and takes nothing', async (fields, field) => {
      const m = await member(http);
      const { purchaseId } = await bought(m, { amount: '20.00' });
      refused(await refund(purchaseId, { refundId: id('refund'), amount: '5.00', ...fields }), field);
      expect((await points(m)).balance).toBe(20);
    });

    it('a purchaseId that breaks the id rule is 400 naming purchaseId', async () => {
      refused(await refund('has%20space', { refundId: id('refund'), amount: '1.00' }), 'purchaseId');
    });

    it("takes back the purchase's own points first, then the group's other available points, oldest first", async () => {
      const m = await member(http);
      const older = await bought(m, { amount: '50.00', occurredAt: ago(3 * 60 * 60 * 1000) });
      await transaction(m.groupId, { payer: 'ACME', points: 30, timestamp: ago(2 * 60 * 60 * 1000) });
      await bought(m, { amount: '50.00', occurredAt: ago(60 * 60 * 1000) });
      await spent(m, 40); // oldest first: 40 of the older purchase's 50
      expect((await points(m)).byPayer).toEqual({ STORE: 60, ACME: 30 });

      const res = await refund(older.purchaseId, { refundId: id('refund'), amount: '50.00' });
      expect(res.status).toBe(201);
      // Its own 10 left, then ACME's 30 (older than the other purchase), then 10 of the other purchase.
      expect(res.body).toMatchObject({ pointsReversed: 50, unrecovered: 0, balance: 40 });
      expect((await points(m)).byPayer).toEqual({ STORE: 40, ACME: 0 });
    });

    it('reports what was already spent as unrecovered: no balance goes below 0', async () => {
      const m = await member(http);
      const first = await bought(m, { amount: '100.00', occurredAt: ago(2 * 60 * 60 * 1000) });
      await spent(m, 80);
      await bought(m, { amount: '30.00', occurredAt: ago(60 * 60 * 1000) });

      const refundId = id('refund');
      const res = await refund(first.purchaseId, { refundId, amount: '100.00' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ pointsReversed: 50, unrecovered: 50, balance: 0 });
      expect(await points(m)).toMatchObject({ balance: 0, pending: 0 });
      const taken = (await history(m)).filter((e) => e.type === 'REFUND');
      expect(taken.every((e) => e.reference === refundId && e.points < 0)).toBe(true);
      expect(taken.reduce((sum, e) => sum + e.points, 0)).toBe(-50);
      expect((await purchases(m)).find((p) => p.purchaseId === first.purchaseId)).toMatchObject({
        status: 'REFUNDED',
        refundedAmount: '100.00',
      });
      // Nothing is left to take: a further refund of the other purchase finds nothing.
      const none = await refund((await purchases(m))[0].purchaseId, {
        refundId: id('refund'),
        amount: '30.00',
      });
      expect(none.body).toMatchObject({ pointsReversed: 0, unrecovered: 30, balance: 0 });
    });
  });

  describe('POST /v1/redemptions/{redemptionId}/reversal', () => {
    it('gives the points back to the payers they came from: 200, and 200 with the same body on a repeat', async () => {
      const m = await member(http);
      await transaction(m.groupId, { payer: 'ACME', points: 30, timestamp: ago(2 * 60 * 60 * 1000) });
      await bought(m, { amount: '50.00', occurredAt: ago(60 * 60 * 1000) });
      const redemption = await spent(m, 60);
      expect(redemption.spent).toEqual([
        { payer: 'ACME', points: -30 },
        { payer: 'STORE', points: -30 },
      ]);

      const first = await reverse(redemption.redemptionId, { reason: 'Order cancelled at the till' });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        redemptionId: redemption.redemptionId,
        groupId: m.groupId,
        pointsRestored: 60,
        pointsExpired: 0,
        balance: 80,
        reason: 'Order cancelled at the till',
        createdAt: expect.any(String),
      });
      expect((await points(m)).byPayer).toEqual({ ACME: 30, STORE: 50 });

      for (const reason of ['Order cancelled at the till', 'Pressed twice']) {
        const repeat = await reverse(redemption.redemptionId, { reason });
        expect(repeat.status).toBe(200);
        expect(repeat.body).toEqual(first.body);
      }
      expect((await points(m)).balance).toBe(80);
      const reversals = (await history(m)).filter((e) => e.type === 'REVERSAL');
      expect(reversals.length).toBeGreaterThan(0);
      expect(reversals.reduce((sum, e) => sum + e.points, 0)).toBe(60);
      for (const entry of reversals) {
        expect(entry).toMatchObject({
          reference: redemption.redemptionId,
          reason: 'Order cancelled at the till',
        });
      }
      // The reversed points can be spent again.
      expect((await spent(m, 80)).balance).toBe(0);
    });

    it('an admin reverses a member’s own redemption, audited as redemption.reverse', async () => {
      const m = await member(http);
      await bought(m, { amount: '40.00' });
      const redemptionId = id('r');
      expect((await redeem(m, { redemptionId, points: 25 })).status).toBe(201);
      const since = await auditMark();

      const res = await reverse(redemptionId, { reason: 'Member complaint' }, boss);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ redemptionId, groupId: m.groupId, pointsRestored: 25, balance: 40 });
      expect((await points(m)).balance).toBe(40);
      await auditEntrySince(AUDIT_ACTIONS.redemptionReversed, since);
    });

    it('an unknown redemption is 404, and so is another API client’s redemption', async () => {
      problem(await reverse(id('nobody'), { reason: 'no such thing' }), 404, 'NOT_FOUND');
      problem(await reverse(id('nobody'), { reason: 'no such thing' }, boss), 404, 'NOT_FOUND');

      const m = await member(http);
      await bought(m, { amount: '20.00' });
      const redemption = await spent(m, 5);
      const otherTill = await apiClient(http, boss.auth, ['redemptions:write']);
      problem(await reverse(redemption.redemptionId, { reason: 'not mine' }, otherTill), 404, 'NOT_FOUND');
      expect((await points(m)).balance).toBe(15);
    });

    it('a redemptionId that several callers used is 409 REDEMPTION_AMBIGUOUS for an admin; its client reverses it', async () => {
      const [a, b] = [await member(http), await member(http)];
      await bought(a, { amount: '20.00' });
      await bought(b, { amount: '20.00' });
      const redemptionId = id('shared');
      expect((await redeem(a, { redemptionId, points: 5 })).status).toBe(201);
      expect((await spent(b, 7, redemptionId)).balance).toBe(13);

      problem(await reverse(redemptionId, { reason: 'which one?' }, boss), 409, 'REDEMPTION_AMBIGUOUS');
      expect([(await points(a)).balance, (await points(b)).balance]).toEqual([15, 13]);

      const res = await reverse(redemptionId, { reason: 'the till’s' });
      expect(res.body).toMatchObject({ groupId: b.groupId, pointsRestored: 7, balance: 20 });
      expect((await points(a)).balance).toBe(15);
    });

    it('needs an admin or an API client with redemptions:write: 401, and 403 for a member or another scope', async () => {
      const m = await member(http);
      await bought(m, { amount: '20.00' });
      const redemptionId = id('r');
      expect((await redeem(m, { redemptionId, points: 5 })).status).toBe(201);
      problem(
        await http().post(`/v1/redemptions/${redemptionId}/reversal`).send({ reason: 'x' }),
        401,
        'UNAUTHENTICATED',
      );
      problem(await reverse(redemptionId, { reason: 'I changed my mind' }, m), 403, 'FORBIDDEN');
      const recorder = await apiClient(http, boss.auth, ['purchases:write']);
      problem(await reverse(redemptionId, { reason: 'wrong scope' }, recorder), 403, 'FORBIDDEN');
      expect((await points(m)).balance).toBe(15);
    });

    it.each([
      [{}],
      [{ reason: '' }],
      [{ reason: 7 }],
      [{ reason: 'x'.repeat(501) }],
      [{ reason: 'x', points: 1 }],
    ])('refuses %j with 400 VALIDATION_FAILED, and restores nothing', async (body) => {
      const m = await member(http);
      await bought(m, { amount: '20.00' });
      const redemption = await spent(m, 5);
      const res = await reverse(redemption.redemptionId, body);
      refused(res, 'points' in body ? 'points' : 'reason');
      expect((await points(m)).balance).toBe(15);
    });

    it('points whose lot expired meanwhile come back expired (pointsExpired), keeping the lot’s expiry', async () => {
      await setPolicy({ pendingDays: 0, expiryDays: 1, expiryWarningDays: 30 });
      const m = await member(http);
      // Expires a few seconds from now: spent before, reversed after.
      await bought(m, { amount: '40.00', occurredAt: ago(DAY_MS - 6000) });
      const redemption = await spent(m, 10);
      await waitFor('the lot to expire', async () => (await points(m)).balance === 0, 20_000);

      const res = await reverse(redemption.redemptionId, { reason: 'Returned late' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ pointsRestored: 10, pointsExpired: 10, balance: 0 });
      expect(await points(m)).toMatchObject({ balance: 0, pending: 0, expiringSoon: [] });
    });
  });

  describe('points policy: GET and PUT /v1/admin/points-policy', () => {
    it('PUT answers 200 with the policy, GET reads it back, and the change is audited (points-policy.update)', async () => {
      const since = await auditMark();
      const policy = { pendingDays: 14, expiryDays: 365, expiryWarningDays: 10 };
      await setPolicy(policy);
      expect((await http().get('/v1/admin/points-policy').set(boss.auth).expect(200)).body).toEqual(policy);
      await auditEntrySince(AUDIT_ACTIONS.pointsPolicyUpdated, since);
    });

    it.each([
      [{ pendingDays: -1 }, 'pendingDays'],
      [{ pendingDays: 366 }, 'pendingDays'],
      [{ pendingDays: 1.5 }, 'pendingDays'],
      [{ pendingDays: '14' }, 'pendingDays'],
      [{ pendingDays: undefined }, 'pendingDays'],
      [{ expiryDays: 0 }, 'expiryDays'],
      [{ expiryDays: 3651 }, 'expiryDays'],
      [{ expiryDays: '365' }, 'expiryDays'],
      [{ expiryDays: undefined }, 'expiryDays'],
      [{ expiryWarningDays: 0 }, 'expiryWarningDays'],
      [{ expiryWarningDays: 366 }, 'expiryWarningDays'],
      [{ expiryWarningDays: null }, 'expiryWarningDays'],
      [{ graceDays: 3 }, 'graceDays'],
    ])(
      'refuses %j with 400 VALIDATION_FAILED naming the field, and keeps the policy',
      async (change, field) => {
        refused(await putPolicy({ pendingDays: 7, expiryDays: 90, expiryWarningDays: 14, ...change }), field);
        expect((await http().get('/v1/admin/points-policy').set(boss.auth).expect(200)).body).toEqual(
          DEFAULT_POLICY,
        );
      },
    );

    it.each([
      [14, 14],
      [30, 7],
    ])(
      'refuses expiryDays %i <= pendingDays %i with 400 naming expiryDays',
      async (pendingDays, expiryDays) => {
        refused(await putPolicy({ pendingDays, expiryDays, expiryWarningDays: 30 }), 'expiryDays');
        expect((await http().get('/v1/admin/points-policy').set(boss.auth).expect(200)).body).toEqual(
          DEFAULT_POLICY,
        );
      },
    );

    it('is for admins: 401 without a token, 403 for a member or an API client', async () => {
      const m = await member(http);
      const policy = { pendingDays: 1, expiryDays: null, expiryWarningDays: 30 };
      problem(await http().get('/v1/admin/points-policy'), 401, 'UNAUTHENTICATED');
      problem(await http().put('/v1/admin/points-policy').send(policy), 401, 'UNAUTHENTICATED');
      for (const caller of [m, till]) {
        problem(await http().get('/v1/admin/points-policy').set(caller.auth), 403, 'FORBIDDEN');
        problem(await putPolicy(policy, caller), 403, 'FORBIDDEN');
      }
      expect((await http().get('/v1/admin/points-policy').set(boss.auth).expect(200)).body).toEqual(
        DEFAULT_POLICY,
      );
    });
  });

  describe('pending points (pendingDays)', () => {
    it('a purchase is PENDING until availableAt: counted in pending, never in balance, and not spendable', async () => {
      await setPolicy({ pendingDays: 14, expiryDays: null, expiryWarningDays: 30 });
      const m = await member(http);
      const body = await bought(m, { amount: '50.00' });
      expect(body).toMatchObject({ pointsEarned: 50, status: 'PENDING', expiresAt: null, balance: 0 });
      expect(Date.parse(body.availableAt) - Date.parse(body.occurredAt)).toBe(14 * DAY_MS);

      const now = await points(m);
      expect(now).toMatchObject({ balance: 0, pending: 50 });
      expect(now.byPayer.STORE ?? 0).toBe(0);
      const res = await redeem(m, { redemptionId: id('r'), points: 10 });
      problem(res, 422, 'INSUFFICIENT_POINTS');
      expect(res.body).toMatchObject({ available: 0, requested: 10 });
      // The EARN entry is there, but the balance after it does not count the pending points.
      expect(await history(m)).toEqual([
        expect.objectContaining({ type: 'EARN', points: 50, reference: body.purchaseId, balanceAfter: 0 }),
      ]);
      expect((await purchases(m))[0]).toMatchObject({ status: 'PENDING', availableAt: body.availableAt });
    });

    it('a purchase that occurred more than pendingDays ago is available at once: nothing has to run', async () => {
      await setPolicy({ pendingDays: 14, expiryDays: null, expiryWarningDays: 30 });
      const m = await member(http);
      const body = await bought(m, { amount: '30.00', occurredAt: ago(15 * DAY_MS) });
      expect(body).toMatchObject({ status: 'AVAILABLE', balance: 30 });
      expect(await points(m)).toMatchObject({ balance: 30, pending: 0 });
      expect((await spent(m, 30)).balance).toBe(0);
    });

    it('positive payer transactions are available at once, whatever pendingDays', async () => {
      await setPolicy({ pendingDays: 14, expiryDays: null, expiryWarningDays: 30 });
      const m = await member(http);
      expect((await transaction(m.groupId, { payer: 'DANNON', points: 25 })).status).toBe(201);
      expect(await points(m)).toMatchObject({ balance: 25, pending: 0, byPayer: { DANNON: 25 } });
    });

    it('a refund takes a pending purchase’s own pending points first', async () => {
      await setPolicy({ pendingDays: 14, expiryDays: null, expiryWarningDays: 30 });
      const m = await member(http);
      await transaction(m.groupId, { payer: 'DANNON', points: 25 });
      const { purchaseId } = await bought(m, { amount: '50.00' });
      const res = await refund(purchaseId, { refundId: id('refund'), amount: '20.00' });
      expect(res.body).toMatchObject({ pointsReversed: 20, unrecovered: 0, balance: 25 });
      expect(await points(m)).toMatchObject({ balance: 25, pending: 30 });
    });

    it('a policy applies to points earned after it is set: earlier purchases keep their availableAt', async () => {
      const m = await member(http);
      const before = await bought(m, { amount: '10.00' });
      expect(before.status).toBe('AVAILABLE');
      await setPolicy({ pendingDays: 14, expiryDays: 30, expiryWarningDays: 30 });
      expect((await purchases(m))[0]).toMatchObject({
        purchaseId: before.purchaseId,
        status: 'AVAILABLE',
        availableAt: before.availableAt,
        expiresAt: null,
      });
      expect(await points(m)).toMatchObject({ balance: 10, pending: 0 });
    });
  });

  describe('expiry (expiryDays, expiryWarningDays)', () => {
    it('points past expiresAt are not counted or spendable, and the sweep writes EXPIRE into the history', async () => {
      await setPolicy({ pendingDays: 0, expiryDays: 1, expiryWarningDays: 30 });
      const m = await member(http);
      const body = await bought(m, { amount: '40.00', occurredAt: ago(2 * DAY_MS) });
      expect(Date.parse(body.expiresAt) - Date.parse(body.occurredAt)).toBe(DAY_MS);

      expect(await points(m)).toMatchObject({ balance: 0, pending: 0, expiringSoon: [] });
      problem(await redeem(m, { redemptionId: id('r'), points: 1 }), 422, 'INSUFFICIENT_POINTS');
      const expired = await waitFor('the sweep to write an EXPIRE entry', async () =>
        (await history(m)).find((e) => e.type === 'EXPIRE'),
      );
      expect(expired).toMatchObject({ points: -40, payer: 'STORE', reference: body.purchaseId });
      expect((await purchases(m))[0]).toMatchObject({ purchaseId: body.purchaseId, status: 'EXPIRED' });
    });

    it('expiringSoon lists the points that expire within expiryWarningDays, and only those', async () => {
      await setPolicy({ pendingDays: 0, expiryDays: 10, expiryWarningDays: 5 });
      const m = await member(http);
      await bought(m, { amount: '20.00' }); // expires in 10 days: outside the window
      const soon = await bought(m, { amount: '30.00', occurredAt: ago(7 * DAY_MS) }); // in 3 days
      expect(await points(m)).toMatchObject({
        balance: 50,
        expiringSoon: [{ points: 30, expiresAt: soon.expiresAt }],
      });
      // What is spent no longer expires: the oldest points go first.
      await spent(m, 12);
      expect((await points(m)).expiringSoon).toEqual([{ points: 18, expiresAt: soon.expiresAt }]);
    });

    it('payer transactions expire too, counted from their timestamp', async () => {
      await setPolicy({ pendingDays: 0, expiryDays: 1, expiryWarningDays: 30 });
      const m = await member(http);
      const res = await transaction(m.groupId, { payer: 'ACME', points: 15, timestamp: ago(2 * DAY_MS) });
      expect(res.status).toBe(201);
      const now = await points(m);
      expect(now.balance).toBe(0);
      expect(now.byPayer.ACME ?? 0).toBe(0);
    });
  });

  describe('tiers: GET and PUT /v1/admin/tiers', () => {
    it('PUT answers 200 with the tiers, GET reads them back, and the change is audited (tiers.update)', async () => {
      const since = await auditMark();
      await setTiers(SILVER_TIERS);
      expect((await http().get('/v1/admin/tiers').set(boss.auth).expect(200)).body).toEqual(SILVER_TIERS);
      await auditEntrySince(AUDIT_ACTIONS.tiersUpdated, since);
    });

    it('the purchase that crosses a tier reaches it; the next purchase earns with its multiplier', async () => {
      await setTiers(SILVER_TIERS);
      const m = await member(http);
      expect(await bought(m, { amount: '60.00' })).toMatchObject({ pointsEarned: 60, earnMultiplier: '1' });
      expect((await points(m)).tier).toEqual({
        name: 'Standard',
        earnMultiplier: '1',
        qualifyingPoints: 60,
        nextTier: 'Silver',
        pointsToNextTier: 40,
      });

      // Crosses 100 at the tier it started from.
      expect(await bought(m, { amount: '50.00' })).toMatchObject({ pointsEarned: 50, earnMultiplier: '1' });
      expect((await points(m)).tier).toEqual({
        name: 'Silver',
        earnMultiplier: '2',
        qualifyingPoints: 110,
        nextTier: null,
        pointsToNextTier: null,
      });

      const doubled = await bought(m, { amount: '10.00' });
      expect(doubled).toMatchObject({ pointsEarned: 20, earnMultiplier: '2', balance: 130 });

      // A refund takes back with the multiplier the purchase used, whatever the tiers are now.
      await setTiers(DEFAULT_TIERS);
      const res = await refund(doubled.purchaseId, { refundId: id('refund'), amount: '10.00' });
      expect(res.body).toMatchObject({ pointsReversed: 20, unrecovered: 0, balance: 110 });
      expect((await points(m)).tier).toMatchObject({ name: 'Standard', qualifyingPoints: 110 });
    });

    it.each([
      [[{ name: 'Standard', minPoints: 10, earnMultiplier: '1' }], 'tiers.0.minPoints'],
      [
        [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Silver', minPoints: 100, earnMultiplier: '2' },
          { name: 'Gold', minPoints: 100, earnMultiplier: '3' },
        ],
        'tiers.2.minPoints',
      ],
      [
        [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Silver', minPoints: 100, earnMultiplier: '2' },
          { name: 'Gold', minPoints: 50, earnMultiplier: '3' },
        ],
        'tiers.2.minPoints',
      ],
      [
        [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Standard', minPoints: 100, earnMultiplier: '2' },
        ],
        'tiers.1.name',
      ],
      [
        [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Silver', minPoints: 100, earnMultiplier: '0.5' },
        ],
        'tiers.1.earnMultiplier',
      ],
      [[{ name: 'Standard', minPoints: 0, earnMultiplier: '10.5' }], 'tiers.0.earnMultiplier'],
      [[{ name: 'Standard', minPoints: 0, earnMultiplier: 2 }], 'tiers.0.earnMultiplier'],
      [[{ name: '', minPoints: 0, earnMultiplier: '1' }], 'tiers.0.name'],
      [[{ name: 'Standard', minPoints: 0.5, earnMultiplier: '1' }], 'tiers.0.minPoints'],
      [[{ name: 'Standard', minPoints: 0, earnMultiplier: '1', colour: 'grey' }], 'tiers.0.colour'],
      [[], 'tiers'],
    ])('refuses tiers %j with 400 VALIDATION_FAILED naming %s, and keeps the tiers', async (tiers, field) => {
      refused(await putTiers({ qualifyingDays: 365, tiers }), field);
      expect((await http().get('/v1/admin/tiers').set(boss.auth).expect(200)).body).toEqual(DEFAULT_TIERS);
    });

    it.each([0, 3651, 1.5, '365'])(
      'refuses qualifyingDays %j with 400 naming qualifyingDays',
      async (days) => {
        refused(await putTiers({ ...SILVER_TIERS, qualifyingDays: days }), 'qualifyingDays');
      },
    );

    it('is for admins: 401 without a token, 403 for a member or an API client', async () => {
      const m = await member(http);
      problem(await http().get('/v1/admin/tiers'), 401, 'UNAUTHENTICATED');
      problem(await http().put('/v1/admin/tiers').send(SILVER_TIERS), 401, 'UNAUTHENTICATED');
      for (const caller of [m, till]) {
        problem(await http().get('/v1/admin/tiers').set(caller.auth), 403, 'FORBIDDEN');
        problem(await putTiers(SILVER_TIERS, caller), 403, 'FORBIDDEN');
      }
      expect((await http().get('/v1/admin/tiers').set(boss.auth).expect(200)).body).toEqual(DEFAULT_TIERS);
    });
  });
});
