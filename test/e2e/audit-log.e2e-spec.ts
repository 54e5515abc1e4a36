import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import mongoose from 'mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuditRecordedV1, EVENTS } from '@lib/contracts';
import { Topology } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { testAuthSettings } from '../support/auth/test-auth-settings';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

type Res = { status: number; headers: Record<string, string>; body: any };

describe('the audit log: append from every service, list, verify (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('audit-log');
  const topology = new Topology(iso.namePrefix);
  let stack: IdentityStack;
  let http: IdentityStack['http'];
  let db: mongoose.Connection;
  let boss: Awaited<ReturnType<typeof admin>>;
  let broker: ChannelModel;
  let channel: Channel;
  let replica: NestFastifyApplication | undefined;

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER);
    iso.queue(NOTIFICATIONS_CONSUMER);
    stack = await startIdentityStack(iso, { authEnv: ADMIN_ENV });
    http = stack.http;
    db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    boss = await admin(http);
    broker = await connect(iso.infra.rabbitUrl);
    channel = await broker.createChannel();
    // Events published before auth's consumer has bound its queue would have nowhere to go.
    await waitFor('auth consuming its queue', async () => (await consumers()) > 0);
  });

  afterAll(async () => {
    await replica?.close();
    await broker?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  const consumers = async () => {
    const ch = await broker.createChannel();
    ch.on('error', () => undefined);
    const queue = await ch.checkQueue(topology.consumerQueue(AUDIT_CONSUMER)).catch(() => undefined);
    await ch.close().catch(() => undefined);
    return queue?.consumerCount ?? 0;
  };

  /** As another service's outbox relay would publish it. */
  const auditEvent = (over: Partial<AuditRecordedV1> = {}): AuditRecordedV1 => ({
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    actorId: 'admin-from-elsewhere',
    action: 'points.adjust',
    target: `group:${randomUUID()}`,
    details: { points: 10, payer: 'STORE' },
    ...over,
  });
  const publish = (event: unknown) =>
    channel.publish(topology.eventsExchange, EVENTS.auditRecorded, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      type: EVENTS.auditRecorded,
      messageId: (event as { eventId?: string }).eventId,
    });
  const entries = () => db.collection('audit_log');
  const waitForEntries = (what: string, filter: object, count: number) =>
    waitFor(what, async () => (await entries().countDocuments(filter)) >= count);
  const list = (query: Record<string, unknown> = {}) =>
    http().get('/v1/admin/audit-logs').query(query).set(boss.auth);
  const verify = async () =>
    (await http().get('/v1/admin/audit-logs/verify').set(boss.auth).expect(200)).body;

  it.each(['/v1/admin/audit-logs', '/v1/admin/audit-logs/verify'])(
    'GET %s is 401 without a token and 403 for a member',
    async (path) => {
      problem(await http().get(path), 401, 'UNAUTHENTICATED');
      const m = await member(http);
      problem(await http().get(path).set(m.auth), 403, 'FORBIDDEN');
    },
  );

  it('appends an event from another service as an entry {auditId, actorId, action, target, details, createdAt}', async () => {
    const e = auditEvent({
      details: { points: -5, nested: { reason: 'goodwill', empty: {} }, list: [1, 'a'] },
    });
    publish(e);
    await waitForEntries('the entry', { _id: e.eventId }, 1);
    const res = await list({ target: e.target }).expect(200);
    expect(res.body).toEqual({
      items: [
        {
          auditId: e.eventId,
          actorId: e.actorId,
          // Neither the actor nor the group is one auth knows, and the log recorded no name.
          actorName: null,
          action: e.action,
          target: e.target,
          targetName: null,
          details: e.details,
          createdAt: e.occurredAt,
          seq: expect.any(Number),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ],
      nextCursor: null,
      total: 1,
    });
  });

  it('appends an event delivered several times once', async () => {
    const e = auditEvent();
    for (let i = 0; i < 4; i++) publish(e);
    const marker = auditEvent();
    publish(marker);
    await waitForEntries('the marker', { _id: marker.eventId }, 1);
    expect(await entries().countDocuments({ _id: e.eventId as never })).toBe(1);

    // Even once the consumer's dedupe record has expired, the entry itself says it is done.
    await db.collection('processed_events').deleteMany({ eventId: e.eventId });
    publish(e);
    const marker2 = auditEvent();
    publish(marker2);
    await waitForEntries('the second marker', { _id: marker2.eventId }, 1);
    expect(await entries().countDocuments({ _id: e.eventId as never })).toBe(1);
    expect(await db.collection('processed_events').countDocuments({ eventId: e.eventId })).toBe(1);
  });

  it('dead-letters an event that can never be an entry, and goes on', async () => {
    const bad = { ...auditEvent(), actorId: undefined };
    publish(bad);
    const good = auditEvent();
    publish(good);
    await waitForEntries('the good entry', { _id: good.eventId }, 1);
    const dlq = `${topology.consumerQueue(AUDIT_CONSUMER)}.dlq`;
    const dead = await waitFor('the dead letter', async () => {
      const m = await channel.get(dlq, { noAck: true });
      return m ? JSON.parse(m.content.toString()) : undefined;
    });
    expect(dead.eventId).toBe(bad.eventId);
    expect(await entries().countDocuments({ _id: bad.eventId as never })).toBe(0);
  });

  it('chains 120 events appended at once by two auth replicas into one unbroken chain: seq 1..N, no gaps, no repeats', async () => {
    replica = await createApp(AuthModule.register(iso.config('auth'), testAuthSettings(ADMIN_ENV)));
    await replica.init(); // a second consumer on the same queue and database
    await waitFor('both replicas consuming', async () => (await consumers()) === 2);
    const batch = Array.from({ length: 120 }, (_, i) =>
      auditEvent({ actorId: 'bulk-actor', details: { i } }),
    );
    for (const e of batch) publish(e);
    await waitForEntries('all 120 entries', { actorId: 'bulk-actor' }, 120);
    const all = await entries()
      .find({}, { projection: { seq: 1 } })
      .sort({ seq: 1 })
      .toArray();
    expect(all.map((d) => d.seq)).toEqual(all.map((_, i) => i + 1));
    const head = await db.collection('audit_chain').findOne({ _id: 'head' as never });
    expect(head?.seq).toBe(all.length);
    expect(await verify()).toEqual({ ok: true, checked: all.length, firstBrokenAuditId: null });
    await replica.close();
    replica = undefined;
  });

  it('lists newest first (by when the change was made) and walks every page with no repeats and no gaps', async () => {
    // Same-millisecond entries too: the order then falls back on seq.
    const at = new Date().toISOString();
    const twins = Array.from({ length: 5 }, () => auditEvent({ occurredAt: at, actorId: 'twin' }));
    for (const e of twins) publish(e);
    await waitForEntries('the twins', { actorId: 'twin' }, 5);
    const expected = (await entries().find().sort({ createdAt: -1, seq: -1 }).toArray()).map((d) => d._id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Res = await list({ limit: 7, ...(cursor && { cursor }) }).expect(200);
      seen.push(...res.body.items.map((e: { auditId: string }) => e.auditId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(expected.length);
  });

  it('filters by actorId, action, target and a time window', async () => {
    const actorId = `actor-${randomUUID()}`;
    const target = `campaign:${randomUUID()}`;
    const old = auditEvent({
      actorId,
      action: 'campaign.create',
      target,
      occurredAt: '2026-01-01T10:00:00.000Z',
    });
    const mid = auditEvent({
      actorId,
      action: 'campaign.update',
      target,
      occurredAt: '2026-02-01T10:00:00.000Z',
    });
    const other = auditEvent({
      actorId,
      action: 'coupon-book.create',
      occurredAt: '2026-03-01T10:00:00.000Z',
    });
    for (const e of [old, mid, other]) publish(e);
    await waitForEntries('the three entries', { actorId }, 3);
    const ids = async (query: Record<string, string>) =>
      (await list(query).expect(200)).body.items.map((e: { auditId: string }) => e.auditId);
    expect(await ids({ actorId })).toEqual([other.eventId, mid.eventId, old.eventId]);
    expect(await ids({ actorId, action: 'campaign.update' })).toEqual([mid.eventId]);
    expect(await ids({ target })).toEqual([mid.eventId, old.eventId]);
    expect(await ids({ actorId, from: '2026-01-15T00:00:00Z', to: '2026-03-01T10:00:00.000Z' })).toEqual([
      mid.eventId,
    ]);
    expect(await ids({ actorId, from: '2026-01-01T10:00:00.000Z' })).toHaveLength(3);
    expect(await ids({ actorId: 'nobody' })).toEqual([]);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 101 }, 'limit'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-13-01' }, 'to'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ sort: 'asc' }, 'sort'],
  ])('rejects %j with 400 VALIDATION_FAILED', async (query, field) => {
    const res = await list(query);
    problem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('offers no way to edit or delete an entry', async () => {
    const [entry] = (await list({ limit: 1 }).expect(200)).body.items;
    for (const method of ['put', 'patch', 'delete'] as const) {
      const res = await http()[method](`/v1/admin/audit-logs/${entry.auditId}`).set(boss.auth).send({});
      expect(res.status).toBe(404);
      const all = await http()[method]('/v1/admin/audit-logs').set(boss.auth).send({});
      expect(all.status).toBe(404);
    }
    expect(await entries().countDocuments({ _id: entry.auditId })).toBe(1);
  });

  describe('tampering, straight in MongoDB', () => {
    const nth = async (seq: number) => (await entries().findOne({ seq }))!;

    it('verify reports an edited entry as the first broken one, and ok again once it is put back', async () => {
      expect((await verify()).ok).toBe(true);
      const victim = await nth(5);
      await entries().updateOne({ _id: victim._id }, { $set: { 'details.points': 1_000_000 } });
      expect(await verify()).toEqual({ ok: false, checked: 5, firstBrokenAuditId: victim._id });
      await entries().replaceOne({ _id: victim._id }, victim);
      expect((await verify()).ok).toBe(true);
    });

    it('verify reports an entry edited with its hash recomputed: the next link breaks', async () => {
      const victim = await nth(8);
      const next = await nth(9);
      await entries().updateOne({ _id: victim._id }, { $set: { actorId: 'forged', hash: 'f'.repeat(64) } });
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAuditId: victim._id });
      await entries().updateOne({ _id: victim._id }, { $set: { hash: victim.hash } });
      // Its own hash now "matches" the old content only if nothing changed: it did.
      expect((await verify()).firstBrokenAuditId).toBe(victim._id);
      await entries().replaceOne({ _id: victim._id }, victim);
      expect(next.prevHash).toBe(victim.hash);
      expect((await verify()).ok).toBe(true);
    });

    it('verify reports a deleted entry at the entry after the gap, and a cut-off tail by the missing entry', async () => {
      const victim = await nth(3);
      const after = await nth(4);
      await entries().deleteOne({ _id: victim._id });
      expect(await verify()).toEqual({ ok: false, checked: 3, firstBrokenAuditId: after._id });
      await entries().insertOne(victim);

      const last = await entries().find().sort({ seq: -1 }).limit(1).next();
      await entries().deleteOne({ _id: last!._id });
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAuditId: last!._id });
      await entries().insertOne(last!);
      expect(await verify()).toMatchObject({ ok: true, firstBrokenAuditId: null });
    });
  });
});
