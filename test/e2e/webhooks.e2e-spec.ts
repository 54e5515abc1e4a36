import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { TestIsolation, waitFor } from '@lib/testing';
import { ADMIN_ENV, admin, apiClient, member, type ApiClientCaller } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';
import {
  verifyStandardWebhook,
  WebhookReceiver,
  LOCAL_RECEIVERS_ENV,
  receiverPool,
} from '../support/webhook-receiver';

/** Short retries, so the schedule runs out within a test; local receivers are allowed. */
const SCHEDULE_MS = [300, 700];
const DISPATCHER_ENV = {
  ...LOCAL_RECEIVERS_ENV,
  WEBHOOKS_RETRY_SCHEDULE: SCHEDULE_MS.map((ms) => `${ms}ms`).join(','),
  WEBHOOKS_ENDPOINT_CONCURRENCY: '4',
  WEBHOOKS_TIMEOUT_MS: '30000',
  WEBHOOKS_POLL_MS: '50',
  WEBHOOKS_HEARTBEAT_MS: '200',
};

/**
 * Webhooks through the public API (API.md, Webhooks): an admin's endpoints, signed deliveries of
 * real domain events from loyalty, retries on the configured schedule with a stable webhook-id,
 * the delivery log and its retry, and one hanging receiver not slowing another. The gateway, auth,
 * loyalty and the dispatcher run on real MongoDB, Redis and RabbitMQ.
 */
describe('webhooks', () => {
  const iso = new TestIsolation('webhooks');
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let boss: Awaited<ReturnType<typeof admin>>;
  let till: ApiClientCaller;
  const receivers = receiverPool();

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'promotion', 'webhook-dispatcher'],
      env: { 'webhook-dispatcher': DISPATCHER_ENV },
      authEnv: ADMIN_ENV,
    });
    http = stack.http;
    boss = await admin(http);
    till = await apiClient(http, boss.auth, ['purchases:write']);
  });

  afterAll(async () => {
    await stack?.close();
    await receivers.closeAll();
    await iso.cleanup();
  });

  const receiver = () => receivers.start();
  const create = (body: Record<string, unknown>) =>
    http().post('/v1/admin/webhooks').set(boss.auth).send(body) as unknown as Promise<Response>;
  const endpointFor = async (r: WebhookReceiver, events: string[] = ['*']) => {
    const res = await create({ url: r.url, events });
    expect(res.status).toBe(201);
    return res.body as { webhookId: string; secret: string };
  };
  const purchase = async (userId: string, amount = '10.00') => {
    const res = await http()
      .post('/v1/purchases')
      .set(till.auth)
      .send({ purchaseId: `p-${randomUUID()}`, userId, amount });
    expect(res.status).toBe(201);
    return res.body as { purchaseId: string };
  };
  const deliveries = async (webhookId: string, query: Record<string, string> = {}) =>
    (await http().get(`/v1/admin/webhooks/${webhookId}/deliveries`).query(query).set(boss.auth).expect(200))
      .body.items as Array<Record<string, any>>;
  const problem = (res: Response, status: number, code: string, field?: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };

  describe('endpoints', () => {
    it('create shows the whsec_ secret once; list and get never do; patch and delete work; each write is audited', async () => {
      const created = await create({
        url: 'https://crm.example.com/hooks',
        events: ['purchase.recorded', 'points.redeemed'],
        description: 'CRM',
      });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toMatchObject({
        webhookId: expect.any(String),
        url: 'https://crm.example.com/hooks',
        events: ['purchase.recorded', 'points.redeemed'],
        status: 'ENABLED',
        createdAt: expect.any(String),
      });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const { webhookId } = created.body;

      const one = await http().get(`/v1/admin/webhooks/${webhookId}`).set(boss.auth).expect(200);
      expect(one.body).not.toHaveProperty('secret');
      expect(one.body).toMatchObject({ webhookId, description: 'CRM', status: 'ENABLED' });
      const list = await http().get('/v1/admin/webhooks').set(boss.auth).expect(200);
      expect(list.body.items.find((w: { webhookId: string }) => w.webhookId === webhookId)).toBeDefined();
      expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

      const patched = await http()
        .patch(`/v1/admin/webhooks/${webhookId}`)
        .set(boss.auth)
        .send({ events: ['*'], status: 'DISABLED' })
        .expect(200);
      expect(patched.body).toMatchObject({ events: ['*'], status: 'DISABLED', disabledReason: 'ADMIN' });
      const enabled = await http()
        .patch(`/v1/admin/webhooks/${webhookId}`)
        .set(boss.auth)
        .send({ status: 'ENABLED' })
        .expect(200);
      expect(enabled.body).toMatchObject({ status: 'ENABLED', disabledReason: null });

      await http().delete(`/v1/admin/webhooks/${webhookId}`).set(boss.auth).expect(204);
      problem(await http().get(`/v1/admin/webhooks/${webhookId}`).set(boss.auth), 404, 'NOT_FOUND');
      problem(await http().delete(`/v1/admin/webhooks/${webhookId}`).set(boss.auth), 404, 'NOT_FOUND');

      for (const action of ['webhook.create', 'webhook.update', 'webhook.delete']) {
        const entries = await waitFor(`the ${action} audit entries`, async () => {
          const res = await http()
            .get('/v1/admin/audit-logs')
            .query({ action, target: `webhook:${webhookId}` })
            .set(boss.auth)
            .expect(200);
          return res.body.items.length ? res.body.items : undefined;
        });
        expect(entries[0]).toMatchObject({ actorId: boss.userId });
        expect(JSON.stringify(entries)).not.toContain(created.body.secret);
      }
    });

    it('refuses bad input with 400 naming the field, and non-public targets with 422 WEBHOOK_URL_FORBIDDEN', async () => {
      problem(await create({ url: 'not a url', events: ['*'] }), 400, 'VALIDATION_FAILED', 'url');
      problem(await create({ url: 'ftp://example.com/x', events: ['*'] }), 400, 'VALIDATION_FAILED', 'url');
      problem(
        await create({ url: 'https://user:pw@example.com/x', events: ['*'] }),
        400,
        'VALIDATION_FAILED',
        'url',
      );
      problem(await create({ url: 'https://example.com/x', events: [] }), 400, 'VALIDATION_FAILED', 'events');
      problem(
        await create({ url: 'https://example.com/x', events: ['points.minted'] }),
        400,
        'VALIDATION_FAILED',
        'events',
      );
      problem(
        await create({ url: 'https://example.com/x', events: ['*'], secret: 'mine' }),
        400,
        'VALIDATION_FAILED',
      );
      for (const url of [
        'http://10.1.2.3/x',
        'https://169.254.169.254/latest',
        'http://[::ffff:192.168.0.1]/',
        'http://100.64.0.1/',
      ]) {
        problem(await create({ url, events: ['*'] }), 422, 'WEBHOOK_URL_FORBIDDEN', 'url');
      }
      const ok = await endpointFor(await receiver());
      problem(
        await http()
          .patch(`/v1/admin/webhooks/${ok.webhookId}`)
          .set(boss.auth)
          .send({ url: 'http://172.16.0.9/' }),
        422,
        'WEBHOOK_URL_FORBIDDEN',
        'url',
      );
      for (const body of [undefined, {}]) {
        const patch = http().patch(`/v1/admin/webhooks/${ok.webhookId}`).set(boss.auth);
        problem(await (body ? patch.send(body) : patch), 400, 'VALIDATION_FAILED', 'body');
      }
      problem(
        await http().patch(`/v1/admin/webhooks/${ok.webhookId}`).set(boss.auth).send({ status: 'PAUSED' }),
        400,
        'VALIDATION_FAILED',
        'status',
      );
      problem(
        await http().get('/v1/admin/webhooks/not-a-uuid').set(boss.auth),
        400,
        'VALIDATION_FAILED',
        'webhookId',
      );
      problem(
        await http()
          .get(`/v1/admin/webhooks/${ok.webhookId}/deliveries`)
          .query({ status: 'LOST' })
          .set(boss.auth),
        400,
        'VALIDATION_FAILED',
        'status',
      );
    });

    it('is for admins only: 401 without a token, 403 for a member or an API client', async () => {
      problem(await http().get('/v1/admin/webhooks'), 401, 'UNAUTHENTICATED');
      const m = await member(http);
      problem(await http().get('/v1/admin/webhooks').set(m.auth), 403, 'FORBIDDEN');
      problem(
        await http()
          .post('/v1/admin/webhooks')
          .set(till.auth)
          .send({ url: 'https://x.example/', events: ['*'] }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('delivery', () => {
    it('delivers a purchase as a signed {type, timestamp, data} POST, and logs it SUCCEEDED', async () => {
      const r = await receiver();
      const { webhookId, secret } = await endpointFor(r, ['purchase.recorded']);
      const m = await member(http);
      const { purchaseId } = await purchase(m.userId, '12.50');

      const got = await waitFor('the purchase webhook', async () =>
        r.received.find((x) => x.body.includes(purchaseId)),
      );
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      expect(verifyStandardWebhook(secret, got.headers, got.body)).toBe(true);
      expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      const event = JSON.parse(got.body);
      expect(event).toEqual({
        type: 'purchase.recorded',
        timestamp: expect.any(String),
        data: expect.objectContaining({ purchaseId, userId: m.userId, amount: '12.50', points: 12 }),
      });
      expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);

      const [logged] = await waitFor('the delivery to be logged SUCCEEDED', async () => {
        const items = await deliveries(webhookId, { status: 'SUCCEEDED' });
        return items.length ? items : undefined;
      });
      expect(logged).toMatchObject({
        deliveryId: expect.any(String),
        eventId: got.headers['webhook-id'],
        eventType: 'purchase.recorded',
        status: 'SUCCEEDED',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
      });
    });

    it('delivers each first-login voucher of a batch as its own voucher.issued, with its own webhook-id', async () => {
      const r = await receiver();
      const { secret } = await endpointFor(r, ['voucher.issued']);
      await http()
        .post('/v1/admin/campaigns')
        .set(boss.auth)
        .send({ name: 'Welcome', discountPercent: 20, voucherLimit: 100, trigger: 'FIRST_LOGIN' })
        .expect(201);
      const members = await Promise.all([member(http), member(http), member(http)]);
      const got = await waitFor('a voucher.issued for each first login', async () => {
        const bodies = r.received.map((x) => ({ x, event: JSON.parse(x.body) }));
        const mine = members.map((m) => bodies.find((b) => b.event.data.userId === m.userId));
        return mine.every(Boolean) ? mine.map((b) => b!) : undefined;
      });
      for (const [i, { x, event }] of got.entries()) {
        expect(verifyStandardWebhook(secret, x.headers, x.body)).toBe(true);
        expect(event).toEqual({
          type: 'voucher.issued',
          timestamp: expect.any(String),
          data: expect.objectContaining({
            userId: members[i].userId,
            groupId: members[i].groupId,
            discountPercent: 20,
          }),
        });
        expect(String(x.headers['webhook-id']).endsWith(`.${event.data.voucherId}`)).toBe(true);
      }
      expect(new Set(got.map((g) => g.x.headers['webhook-id'])).size).toBe(3);
    });

    it('sends only the events an endpoint subscribed to, and nothing to a disabled one', async () => {
      const redemptionsOnly = await receiver();
      const disabled = await receiver();
      const everything = await receiver();
      await endpointFor(redemptionsOnly, ['points.redeemed']);
      const off = await endpointFor(disabled, ['*']);
      await http()
        .patch(`/v1/admin/webhooks/${off.webhookId}`)
        .set(boss.auth)
        .send({ status: 'DISABLED' })
        .expect(200);
      await endpointFor(everything, ['*']);
      const m = await member(http);
      const { purchaseId } = await purchase(m.userId);
      await waitFor('the * endpoint to get the purchase', async () =>
        everything.received.some((x) => x.body.includes(purchaseId)),
      );
      // The dispatcher handled the event (the * endpoint got it): the others were never sent it.
      expect(redemptionsOnly.received).toHaveLength(0);
      expect(disabled.received).toHaveLength(0);
    });

    it('retries a failing receiver on the schedule with the same webhook-id, then marks it FAILED; a manual retry tries once more', async () => {
      const r = await receiver();
      r.answer = () => ({ status: 503 });
      const { webhookId, secret } = await endpointFor(r, ['purchase.recorded']);
      const m = await member(http);
      await purchase(m.userId);

      const [failed] = await waitFor('the delivery to fail for good', async () => {
        const items = await deliveries(webhookId, { status: 'FAILED' });
        return items.length ? items : undefined;
      });
      expect(failed).toMatchObject({
        attempts: 1 + SCHEDULE_MS.length,
        lastStatusCode: 503,
        nextAttemptAt: null,
      });
      expect(failed.lastError).toMatch(/503/);
      expect(r.received).toHaveLength(1 + SCHEDULE_MS.length);
      expect(r.distinctIds()).toEqual(new Set([failed.eventId]));
      for (const attempt of r.received)
        expect(verifyStandardWebhook(secret, attempt.headers, attempt.body)).toBe(true);
      // The bodies are identical; each attempt waits its turn. The wait runs from the start of the
      // failed attempt (exact in the log, tested below); arrivals add a millisecond or two of transit.
      expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
      SCHEDULE_MS.forEach((wait, i) =>
        expect(r.received[i + 1].at - r.received[i].at).toBeGreaterThanOrEqual(wait - 20),
      );

      r.answer = () => ({ status: 204 });
      const retried = await http()
        .post(`/v1/admin/webhooks/${webhookId}/deliveries/${failed.deliveryId}/retry`)
        .set(boss.auth)
        .expect(202);
      expect(retried.body).toMatchObject({ deliveryId: failed.deliveryId, status: 'PENDING' });
      const [done] = await waitFor('the retried delivery to succeed', async () => {
        const items = await deliveries(webhookId, { status: 'SUCCEEDED' });
        return items.length ? items : undefined;
      });
      expect(done).toMatchObject({
        deliveryId: failed.deliveryId,
        attempts: 2 + SCHEDULE_MS.length,
        lastStatusCode: 204,
      });
      expect(r.received.at(-1)!.headers['webhook-id']).toBe(failed.eventId);
      expect(await deliveries(webhookId, { status: 'FAILED' })).toEqual([]);
    });

    it('logs when the next attempt is due: exactly the scheduled wait after the failed one', async () => {
      const r = await receiver();
      r.answer = (_req, i) => (i === 0 ? { status: 500 } : 'hang');
      const { webhookId } = await endpointFor(r, ['purchase.recorded']);
      await purchase((await member(http)).userId);
      const [pending] = await waitFor('the first failure to be logged', async () => {
        const items = await deliveries(webhookId, { status: 'PENDING' });
        return items.find((d) => d.attempts === 1) ? items : undefined;
      });
      expect(Date.parse(pending.nextAttemptAt) - Date.parse(pending.lastAttemptAt)).toBe(SCHEDULE_MS[0]);
      expect(pending).toMatchObject({ lastStatusCode: 500, status: 'PENDING' });
      await http().delete(`/v1/admin/webhooks/${webhookId}`).set(boss.auth).expect(204);
    });

    it("a receiver that hangs doesn't delay another's deliveries", async () => {
      const stuck = await receiver();
      stuck.answer = () => 'hang';
      const healthy = await receiver();
      const hung = await endpointFor(stuck, ['purchase.recorded']);
      await endpointFor(healthy, ['purchase.recorded']);
      const m = await member(http);
      const purchases: string[] = [];
      for (let i = 0; i < 20; i++) purchases.push((await purchase(m.userId)).purchaseId);

      await waitFor('the healthy receiver to get all 20', async () =>
        purchases.every((id) => healthy.received.some((x) => x.body.includes(id))),
      );
      // The stuck one holds its 4 connections (its concurrency) and answered none of them.
      expect(stuck.received.length).toBeLessThanOrEqual(4);
      const log = await deliveries(hung.webhookId);
      expect(log.filter((d) => d.status === 'PENDING')).toHaveLength(20);
      expect(log.every((d) => d.attempts === 0)).toBe(true);
      await http().delete(`/v1/admin/webhooks/${hung.webhookId}`).set(boss.auth).expect(204);
    });

    it('pages the delivery log newest first, filters by status and event type, and counts every match in total', async () => {
      const r = await receiver();
      const { webhookId } = await endpointFor(r, ['purchase.recorded']);
      const m = await member(http);
      for (let i = 0; i < 5; i++) await purchase(m.userId);
      await waitFor(
        '5 deliveries',
        async () => (await deliveries(webhookId, { status: 'SUCCEEDED' })).length === 5,
      );
      const first = await http()
        .get(`/v1/admin/webhooks/${webhookId}/deliveries`)
        .query({ limit: 3 })
        .set(boss.auth)
        .expect(200);
      expect(first.body.items).toHaveLength(3);
      expect(first.body.total).toBe(5);
      const second = await http()
        .get(`/v1/admin/webhooks/${webhookId}/deliveries`)
        .query({ limit: 3, cursor: first.body.nextCursor })
        .set(boss.auth)
        .expect(200);
      expect(second.body.items).toHaveLength(2);
      expect(second.body.nextCursor).toBeNull();
      expect(second.body.total).toBe(5);
      const all = [...first.body.items, ...second.body.items];
      expect(new Set(all.map((d: { deliveryId: string }) => d.deliveryId)).size).toBe(5);
      const created = all.map((d: { createdAt: string }) => Date.parse(d.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      expect(await deliveries(webhookId, { eventType: 'points.redeemed' })).toEqual([]);
      expect(await deliveries(webhookId, { eventType: 'purchase.recorded' })).toHaveLength(5);
      const totalOf = async (query: Record<string, string | number>) =>
        (
          await http()
            .get(`/v1/admin/webhooks/${webhookId}/deliveries`)
            .query(query)
            .set(boss.auth)
            .expect(200)
        ).body.total as number;
      expect(await totalOf({ limit: 1, status: 'SUCCEEDED' })).toBe(5);
      expect(await totalOf({ limit: 1, status: 'FAILED' })).toBe(0);
      expect(await totalOf({ limit: 1, eventType: 'points.redeemed' })).toBe(0);
      expect(await totalOf({ limit: 1, status: 'SUCCEEDED', eventType: 'purchase.recorded' })).toBe(5);
    });

    it('counts every endpoint in the list total, whatever the page size', async () => {
      const listed = async (query: Record<string, string | number>) =>
        (await http().get('/v1/admin/webhooks').query(query).set(boss.auth).expect(200)).body as {
          items: unknown[];
          nextCursor: string | null;
          total: number;
        };
      const before = (await listed({ limit: 1 })).total;
      await endpointFor(await receiver(), ['points.redeemed']);
      await endpointFor(await receiver(), ['points.redeemed']);
      const first = await listed({ limit: 1 });
      expect(first.total).toBe(before + 2);
      expect(first.items).toHaveLength(1);
      // Every page says the same total, and walking them all finds exactly that many.
      let seen = first.items.length;
      let cursor = first.nextCursor;
      while (cursor) {
        const next = await listed({ limit: 50, cursor });
        expect(next.total).toBe(first.total);
        seen += next.items.length;
        cursor = next.nextCursor;
      }
      expect(seen).toBe(first.total);
    });
  });
});
