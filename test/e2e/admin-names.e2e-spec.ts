import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import mongoose from 'mongoose';
import { AuditRecordedV1, EVENTS } from '@lib/contracts';
import { Topology } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { ADMIN_ENV, PASSWORD, TEST_ADMIN, admin, member, uniqueUsername } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

type Res = { status: number; headers: Record<string, string>; body: any };
type Admin = Awaited<ReturnType<typeof admin>>;

/**
 * What the console needs to show people instead of ids: a group with its members' names, totals
 * on the admin lists, names of audit actors and targets, the reason of an adjustment, and the
 * birthday rule (real auth, loyalty, gateway, MongoDB and RabbitMQ).
 */
describe('names, totals and safer adjustments for the admin console', () => {
  const iso = new TestIsolation('admin-names');
  const topology = new Topology(iso.namePrefix);
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let authDb: mongoose.Connection;
  let boss: Admin;
  let broker: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, { services: ['loyalty'], authEnv: ADMIN_ENV });
    http = stack.http;
    authDb = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    boss = await admin(http);
    broker = await connect(iso.infra.rabbitUrl);
    channel = await broker.createChannel();
  });

  afterAll(async () => {
    await broker?.close();
    await authDb?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: Res, status: number, code: string, field?: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };
  const newUser = (label: string, extra: Record<string, unknown> = {}) => {
    const username = uniqueUsername(label);
    return { username, password: PASSWORD, email: `${username}@example.com`, ...extra };
  };
  const enroll = async (body: Record<string, unknown>) => {
    const res = (await http().post('/v1/admin/users').set(boss.auth).send(body)) as unknown as Res;
    if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { userId: string; username: string; groupId: string };
  };
  const auditPage = async (query: Record<string, unknown>) =>
    (await http().get('/v1/admin/audit-logs').query(query).set(boss.auth).expect(200)).body;
  const waitForAudit = (what: string, query: Record<string, unknown>, count = 1) =>
    waitFor(what, async () => (await auditPage(query)).items.length >= count);
  /** An `audit.recorded` event as another service's outbox relay would publish it. */
  const publishAudit = (over: Partial<AuditRecordedV1>) => {
    const event: AuditRecordedV1 = {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actorId: boss.userId,
      action: 'campaign.create',
      target: `campaign:${randomUUID()}`,
      details: {},
      ...over,
    };
    channel.publish(topology.eventsExchange, EVENTS.auditRecorded, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      type: EVENTS.auditRecorded,
      messageId: event.eventId,
    });
    return event;
  };
  /** Every page of a list, following nextCursor: the items, and the totals each page claimed. */
  const walk = async (path: string, query: Record<string, unknown>) => {
    const items: unknown[] = [];
    const totals: number[] = [];
    let cursor: string | undefined;
    do {
      const { body } = await http()
        .get(path)
        .query({ ...query, ...(cursor && { cursor }) })
        .set(boss.auth)
        .expect(200);
      items.push(...body.items);
      totals.push(body.total);
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    return { items, totals };
  };

  describe('GET /v1/admin/groups/{groupId}', () => {
    it("names a group's members, in the order they joined, with their contact and status", async () => {
      const ann = await enroll(newUser('ann', { fullName: 'Ann Lee' }));
      const bob = await enroll(newUser('bob', { groupId: ann.groupId }));
      await http()
        .patch(`/v1/admin/users/${bob.userId}`)
        .set(boss.auth)
        .send({ status: 'DISABLED' })
        .expect(200);

      const res = await http().get(`/v1/admin/groups/${ann.groupId}`).set(boss.auth).expect(200);
      expect(res.body).toEqual({
        groupId: ann.groupId,
        maxMembers: 4,
        members: [
          {
            userId: ann.userId,
            username: ann.username,
            fullName: 'Ann Lee',
            email: `${ann.username}@example.com`,
            status: 'ACTIVE',
          },
          {
            userId: bob.userId,
            username: bob.username,
            fullName: null,
            email: `${bob.username}@example.com`,
            status: 'DISABLED',
          },
        ],
      });
    });

    it('is 404 for an unknown group, 400 for a malformed id, 401 without a token and 403 for a member', async () => {
      problem(await http().get(`/v1/admin/groups/${randomUUID()}`).set(boss.auth), 404, 'NOT_FOUND');
      problem(
        await http().get('/v1/admin/groups/not-a-uuid').set(boss.auth),
        400,
        'VALIDATION_FAILED',
        'groupId',
      );
      const m = await member(http);
      problem(await http().get(`/v1/admin/groups/${m.groupId}`), 401, 'UNAUTHENTICATED');
      problem(await http().get(`/v1/admin/groups/${m.groupId}`).set(m.auth), 403, 'FORBIDDEN');
    });
  });

  describe('totals on the admin lists', () => {
    it('users: total counts every match, with and without a search, the same on every page', async () => {
      const tag = `t${Date.now().toString(36).slice(-6)}`;
      for (let i = 0; i < 5; i++) await enroll(newUser(`${tag}-${i}`));
      const filtered = await walk('/v1/admin/users', { query: tag, limit: 2 });
      expect(filtered.items).toHaveLength(5);
      expect(filtered.totals).toEqual([5, 5, 5]);

      const all = await walk('/v1/admin/users', { limit: 3 });
      expect(new Set(all.totals)).toEqual(new Set([all.items.length]));
      expect(all.items.length).toBe(await authDb.collection('users').countDocuments());

      const none = await http()
        .get('/v1/admin/users')
        .query({ query: `${tag}-none` })
        .set(boss.auth)
        .expect(200);
      expect(none.body).toEqual({ items: [], nextCursor: null, total: 0 });
    });

    it('API clients: total counts the active clients only', async () => {
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await http()
          .post('/v1/admin/api-clients')
          .set(boss.auth)
          .send({ name: `Counted till ${i}`, scopes: ['purchases:write'] })
          .expect(201);
        made.push(res.body.clientId);
      }
      const before = await walk('/v1/admin/api-clients', { limit: 2 });
      expect(new Set(before.totals)).toEqual(new Set([before.items.length]));
      await http().delete(`/v1/admin/api-clients/${made[0]}`).set(boss.auth).expect(204);
      const after = await http().get('/v1/admin/api-clients').query({ limit: 1 }).set(boss.auth).expect(200);
      expect(after.body.total).toBe(before.items.length - 1);
    });

    it('audit log: total counts the entries the filters match, across pages', async () => {
      const target = `campaign:${randomUUID()}`;
      for (let i = 0; i < 3; i++)
        publishAudit({ target, action: 'campaign.update', details: { status: 'PAUSED' } });
      await waitForAudit('three entries', { target }, 3);
      const paged = await walk('/v1/admin/audit-logs', { target, limit: 2 });
      expect(paged.items).toHaveLength(3);
      expect(paged.totals).toEqual([3, 3]);
      expect((await auditPage({ target, action: 'campaign.create' })).total).toBe(0);
      const all = await auditPage({ limit: 1 });
      expect(all.total).toBe(await authDb.collection('audit_log').countDocuments());
    });

    it("points history: total counts a group's entries, on the admin and the member route", async () => {
      const m = await member(http);
      for (let i = 0; i < 3; i++) {
        await http()
          .post(`/v1/admin/groups/${m.groupId}/transactions`)
          .set(boss.auth)
          .send({ transactionId: `tot-${i}`, payer: 'ACME', points: 10, reason: `credit ${i}` })
          .expect(201);
      }
      const paged = await walk(`/v1/admin/groups/${m.groupId}/points/history`, { limit: 2 });
      expect(paged.items).toHaveLength(3);
      expect(paged.totals).toEqual([3, 3]);
      const own = await http().get('/v1/points/history').query({ limit: 1 }).set(m.auth).expect(200);
      expect(own.body.total).toBe(3);
    });
  });

  describe('the reason of a points adjustment', () => {
    it('shows on the ADJUST entries of the history, and is null on other types', async () => {
      const m = await member(http);
      const groupId = m.groupId;
      await http()
        .post(`/v1/admin/groups/${groupId}/transactions`)
        .set(boss.auth)
        .send({ transactionId: 'why-1', payer: 'ACME', points: 50, reason: 'Goodwill after a late parcel' })
        .expect(201);
      await http()
        .post(`/v1/admin/groups/${groupId}/transactions`)
        .set(boss.auth)
        .send({ transactionId: 'why-2', payer: 'ACME', points: -20, reason: 'Duplicate credit taken back' })
        .expect(201);
      await http().post('/v1/redemptions').set(m.auth).send({ redemptionId: 'why-r', points: 5 }).expect(201);
      const history = await http()
        .get(`/v1/admin/groups/${groupId}/points/history`)
        .set(boss.auth)
        .expect(200);
      expect(history.body.items.map((e: any) => [e.type, e.points, e.reason])).toEqual([
        ['REDEEM', -5, null],
        ['ADJUST', -20, 'Duplicate credit taken back'],
        ['ADJUST', 50, 'Goodwill after a late parcel'],
      ]);
    });
  });

  describe('names of audit actors and targets', () => {
    it("a user update: the admin's username and the user's username", async () => {
      const ann = await enroll(newUser('named', { fullName: 'Ann Named' }));
      await http()
        .patch(`/v1/admin/users/${ann.userId}`)
        .set(boss.auth)
        .send({ phone: '+351900000000' })
        .expect(200);
      const target = `user:${ann.userId}`;
      await waitForAudit('the user.update entry', { target, action: 'user.update' });
      const [entry] = (await auditPage({ target, action: 'user.update' })).items;
      expect(entry).toMatchObject({
        actorId: boss.userId,
        actorName: TEST_ADMIN.username,
        target,
        targetName: ann.username,
      });
    });

    it("a points adjustment: the group named by its members' usernames", async () => {
      const ann = await enroll(newUser('grpa'));
      const bob = await enroll(newUser('grpb', { groupId: ann.groupId }));
      await http()
        .post(`/v1/admin/groups/${ann.groupId}/transactions`)
        .set(boss.auth)
        .send({ transactionId: 'named-adjust', payer: 'ACME', points: 5, reason: 'named' })
        .expect(201);
      const target = `group:${ann.groupId}`;
      await waitForAudit('the points.adjust entry', { target, action: 'points.adjust' });
      const [entry] = (await auditPage({ target, action: 'points.adjust' })).items;
      expect(entry).toMatchObject({
        actorName: TEST_ADMIN.username,
        targetName: `${ann.username}, ${bob.username}`,
      });
    });

    it('a campaign, coupon book and webhook: the name (or URL) the log recorded, on later entries too', async () => {
      const campaign = `campaign:${randomUUID()}`;
      const book = `coupon-book:${randomUUID()}`;
      const hook = `webhook:${randomUUID()}`;
      publishAudit({ target: campaign, action: 'campaign.create', details: { name: 'Spring welcome' } });
      publishAudit({
        target: campaign,
        action: 'campaign.update',
        details: { from: 'ACTIVE', status: 'PAUSED' },
      });
      publishAudit({ target: book, action: 'coupon-book.create', details: { name: 'Summer codes' } });
      publishAudit({ target: book, action: 'coupon-book.generation-job.create', details: { count: 10 } });
      publishAudit({
        target: hook,
        action: 'webhook.create',
        details: { url: 'https://hooks.example.com/a' },
      });
      const unnamed = publishAudit({
        target: `coupon-book:${randomUUID()}`,
        action: 'coupon-book.codes.upload',
      });
      await waitForAudit('the campaign entries', { target: campaign }, 2);
      await waitForAudit('the book entries', { target: book }, 2);
      await waitForAudit('the webhook entry', { target: hook });
      await waitForAudit('the unnamed entry', { target: unnamed.target });

      const names = async (target: string) =>
        (await auditPage({ target })).items.map((e: any) => [e.action, e.targetName, e.actorName]);
      expect(await names(campaign)).toEqual([
        ['campaign.update', 'Spring welcome', TEST_ADMIN.username],
        ['campaign.create', 'Spring welcome', TEST_ADMIN.username],
      ]);
      expect(await names(book)).toEqual([
        ['coupon-book.generation-job.create', 'Summer codes', TEST_ADMIN.username],
        ['coupon-book.create', 'Summer codes', TEST_ADMIN.username],
      ]);
      expect(await names(hook)).toEqual([
        ['webhook.create', 'https://hooks.example.com/a', TEST_ADMIN.username],
      ]);
      expect(await names(unnamed.target)).toEqual([['coupon-book.codes.upload', null, TEST_ADMIN.username]]);
    });

    it('a system actor reads "System (<x>)", an API client by its name, an unknown actor null', async () => {
      const target = `webhook:${randomUUID()}`;
      publishAudit({
        target,
        actorId: 'system:webhook-dispatcher',
        action: 'webhook.disable-failing',
        details: { url: 'https://down.example.com/hook' },
      });
      const created = await http()
        .post('/v1/admin/api-clients')
        .set(boss.auth)
        .send({ name: 'Acme payer feed', scopes: ['payer-transactions:write'] })
        .expect(201);
      const { clientId } = created.body;
      publishAudit({ target, actorId: clientId, action: 'webhook.update', details: { events: ['x'] } });
      publishAudit({ target, actorId: 'nobody-we-know', action: 'webhook.update', details: {} });
      await waitForAudit('the three entries', { target }, 3);
      const byActor = Object.fromEntries(
        (await auditPage({ target })).items.map((e: any) => [e.actorId, [e.actorName, e.targetName]]),
      );
      expect(byActor).toEqual({
        'system:webhook-dispatcher': ['System (webhook-dispatcher)', 'https://down.example.com/hook'],
        [clientId]: ['Acme payer feed', 'https://down.example.com/hook'],
        'nobody-we-know': [null, 'https://down.example.com/hook'],
      });
      // The client's own create entry names it as the target.
      const apiTarget = `api-client:${clientId}`;
      await waitForAudit('the api-client.create entry', { target: apiTarget });
      expect((await auditPage({ target: apiTarget })).items[0].targetName).toBe('Acme payer feed');
    });
  });

  describe('the audit action filter', () => {
    it('matches exactly, or by prefix when it ends with *; a * elsewhere is 400 naming action', async () => {
      const target = `webhook:${randomUUID()}`;
      publishAudit({ target, action: 'webhook.create', details: { url: 'https://p.example.com' } });
      publishAudit({ target, action: 'webhook.update', details: {} });
      publishAudit({ target, action: 'webhooks.other', details: {} });
      await waitForAudit('the three entries', { target }, 3);
      const actions = async (action: string) =>
        (await auditPage({ target, action })).items.map((e: any) => e.action).sort();
      expect(await actions('webhook.*')).toEqual(['webhook.create', 'webhook.update']);
      expect(await actions('webhook.update')).toEqual(['webhook.update']);
      expect(await actions('webhook')).toEqual([]);
      expect(await actions('webhook*')).toEqual(['webhook.create', 'webhook.update', 'webhooks.other']);
      expect((await auditPage({ target, action: 'webhook.*' })).total).toBe(2);
      // A regex in disguise is matched literally.
      expect(await actions('webhook.(c|u).*')).toEqual([]);
      for (const action of ['web*hook', '*.create', 'webhook.**']) {
        const res = (await http()
          .get('/v1/admin/audit-logs')
          .query({ action })
          .set(boss.auth)) as unknown as Res;
        problem(res, 400, 'VALIDATION_FAILED', 'action');
      }
    });
  });

  describe('birthdays', () => {
    it('enrolment refuses a birthday in the future or before 1900 with 400 naming birthday, takes today', async () => {
      const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
      const before = await authDb.collection('users').countDocuments();
      for (const [birthday, message] of [
        [nextYear, 'birthday must not be in the future'],
        ['1899-12-31', 'birthday must not be before 1900-01-01'],
      ]) {
        const res = (await http()
          .post('/v1/admin/users')
          .set(boss.auth)
          .send(newUser('bday', { birthday }))) as unknown as Res;
        problem(res, 400, 'VALIDATION_FAILED', 'birthday');
        expect(res.body.errors).toContainEqual({ field: 'birthday', message });
      }
      expect(await authDb.collection('users').countDocuments()).toBe(before);
      const today = new Date().toISOString().slice(0, 10);
      await enroll(newUser('bday', { birthday: today }));
      await enroll(newUser('bday', { birthday: '1900-01-01' }));
    });
  });
});
