import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import mongoose from 'mongoose';
import { EVENTS, PointsAdjustedV1, UserEnrolledV1 } from '@lib/contracts';
import { Topology } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { EventTap } from '../support/event-tap';
import { ADMIN_ENV, PASSWORD, admin, member, uniqueUsername } from '../support/identity-client';
import { SmtpSink } from '../support/smtp-sink';
import { IdentityStack, startIdentityStack } from '../support/stack';

describe('mail: welcome on enrollment, notice on points adjustments (real SMTP server, auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('notifications');
  const topology = new Topology(iso.namePrefix);
  let smtp: SmtpSink;
  let stack: IdentityStack;
  let http: IdentityStack['http'];
  let db: mongoose.Connection;
  let boss: Awaited<ReturnType<typeof admin>>;
  let broker: ChannelModel;
  let channel: Channel;
  let enrolledTap: EventTap;

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER);
    iso.queue(NOTIFICATIONS_CONSUMER);
    smtp = await SmtpSink.start();
    stack = await startIdentityStack(iso, {
      authEnv: {
        ...ADMIN_ENV,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyalty <hello@loyalty.test>',
        MAIL_MAX_ATTEMPTS: '3',
      },
    });
    http = stack.http;
    db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    boss = await admin(http);
    broker = await connect(iso.infra.rabbitUrl);
    channel = await broker.createChannel();
    // Events published before auth's consumer has bound its queue would have nowhere to go.
    await waitFor('auth consuming its queue', async () => {
      const ch = await broker.createChannel();
      ch.on('error', () => undefined);
      const queue = await ch
        .checkQueue(topology.consumerQueue(NOTIFICATIONS_CONSUMER))
        .catch(() => undefined);
      await ch.close().catch(() => undefined);
      return (queue?.consumerCount ?? 0) > 0;
    });
    enrolledTap = await EventTap.open(iso, EVENTS.userEnrolled);
  });

  afterAll(async () => {
    await enrolledTap?.close();
    await broker?.close();
    await db?.close();
    await stack?.close();
    await smtp?.close();
    await iso.cleanup();
  });

  /** As the producing service's outbox relay would publish it (a redelivery is the same bytes). */
  const publish = (name: string, event: { eventId: string }) =>
    channel.publish(topology.eventsExchange, name, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      type: name,
      messageId: event.eventId,
    });
  const enroll = async (fields: Record<string, unknown> = {}) => {
    const username = uniqueUsername('mail');
    const res = await http()
      .post('/v1/admin/users')
      .set(boss.auth)
      .send({ username, password: PASSWORD, email: `${username}@example.com`, ...fields })
      .expect(201);
    return res.body as { userId: string; groupId: string; email: string; username: string };
  };
  const mailsTo = (address: string, count: number) =>
    waitFor(`${count} mail(s) to ${address}`, () => smtp.to(address).length >= count && smtp.to(address));
  /** Publishes a fresh event after the others and waits for its mail: by then the copies were all handled. */
  const drainWith = async () => {
    const marker = await enroll();
    await mailsTo(marker.email, 1);
  };
  const pointsEvent = (groupId: string, points: number): PointsAdjustedV1 => ({
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    groupId,
    transactionId: randomUUID(),
    payer: 'STORE',
    points,
    balance: 250,
    reason: 'Birthday bonus',
  });

  it('sends the welcome mail of an enrollment through SMTP, once', async () => {
    const user = await enroll({ fullName: 'Rita Lopes' });
    const [mail] = await mailsTo(user.email, 1);
    expect(mail.from).toBe('hello@loyalty.test');
    expect(mail.subject).toBe('Welcome to the loyalty programme');
    expect(mail.raw).toContain('Hello Rita Lopes,');
    expect(mail.raw).toContain(user.username);
    await drainWith();
    expect(smtp.to(user.email)).toHaveLength(1);
  });

  it('mails exactly once when the enrolled event is delivered twice more', async () => {
    const user = await enroll();
    await mailsTo(user.email, 1);
    const [event] = await waitFor('the enrolled event', async () => {
      const found = (await enrolledTap.drain()).filter((e) => e.payload.userId === user.userId);
      return found.length ? found : undefined;
    });
    publish(EVENTS.userEnrolled, event.payload as unknown as UserEnrolledV1);
    publish(EVENTS.userEnrolled, event.payload as unknown as UserEnrolledV1);
    await drainWith();
    expect(smtp.to(user.email)).toHaveLength(1);
    const record = await db.collection('mail_deliveries').findOne({ eventId: event.payload.eventId });
    expect(record).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('sends again after an attempt that died mid-send (at-least-once), and only once', async () => {
    const user = await enroll();
    await mailsTo(user.email, 1); // its own welcome mail
    const event: UserEnrolledV1 = {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      userId: user.userId,
      groupId: user.groupId,
    };
    // What a crash between claiming the mail and recording the server's answer leaves behind.
    const now = new Date();
    await db.collection('mail_deliveries').insertOne({
      _id: `${event.eventId}:${user.email}` as never,
      eventId: event.eventId,
      recipient: user.email,
      state: 'sending',
      attempts: 1,
      messageId: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    });
    publish(EVENTS.userEnrolled, event);
    publish(EVENTS.userEnrolled, event);
    await mailsTo(user.email, 2);
    await drainWith();
    expect(smtp.to(user.email)).toHaveLength(2);
    expect(await db.collection('mail_deliveries').findOne({ eventId: event.eventId })).toMatchObject({
      state: 'sent',
      attempts: 2,
    });
  });

  it('mails every active member of the group once about a points adjustment, even when the event comes twice', async () => {
    const owner = await member(http);
    const second = await enroll({ groupId: owner.groupId, fullName: 'Second Member' });
    const disabled = await enroll({ groupId: owner.groupId });
    await http()
      .patch(`/v1/admin/users/${disabled.userId}`)
      .set(boss.auth)
      .send({ status: 'DISABLED' })
      .expect(200);
    const event = pointsEvent(owner.groupId, -40);
    publish(EVENTS.pointsAdjusted, event);
    publish(EVENTS.pointsAdjusted, event);
    const ownerEmail = `${owner.username}@example.com`;
    const [toOwner] = await mailsTo(ownerEmail, 1);
    const [toSecond] = await mailsTo(second.email, 1);
    expect(toOwner.subject).toBe("Your group's points: -40");
    expect(toOwner.raw).toContain('40 points were taken from your group');
    expect(toOwner.raw).toContain('Reason: Birthday bonus');
    expect(toOwner.raw).toContain('New balance: 250 points.');
    expect(toSecond.raw).toContain('Hello Second Member,');
    await drainWith();
    const aboutPoints = (address: string) =>
      smtp.to(address).filter((m) => m.subject.startsWith("Your group's points"));
    expect(aboutPoints(ownerEmail)).toHaveLength(1);
    expect(aboutPoints(second.email)).toHaveLength(1);
    expect(aboutPoints(disabled.email)).toHaveLength(0);
  });

  it('retries a temporary SMTP failure with backoff and then mails once, without mailing again those already mailed', async () => {
    const owner = await member(http);
    const flaky = await enroll({ groupId: owner.groupId });
    await mailsTo(flaky.email, 1); // the welcome mail, before the server starts refusing
    let refusals = 2;
    smtp.refuseWhen((rcpt) =>
      rcpt === flaky.email && refusals-- > 0 ? { code: 451, message: 'try again later' } : undefined,
    );
    const event = pointsEvent(owner.groupId, 15);
    publish(EVENTS.pointsAdjusted, event);
    await mailsTo(flaky.email, 2); // welcome + this one, on the 3rd try
    smtp.refuseWhen(() => undefined);
    await drainWith();
    const ownerEmail = `${owner.username}@example.com`;
    expect(smtp.to(ownerEmail).filter((m) => m.subject.endsWith('+15'))).toHaveLength(1);
    expect(smtp.to(flaky.email).filter((m) => m.subject.endsWith('+15'))).toHaveLength(1);
    expect(
      await db.collection('mail_deliveries').findOne({ eventId: event.eventId, recipient: flaky.email }),
    ).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('dead-letters an event whose mail keeps failing after MAIL_MAX_ATTEMPTS tries', async () => {
    const owner = await member(http);
    const ownerEmail = `${owner.username}@example.com`;
    smtp.refuseWhen((rcpt) =>
      rcpt === ownerEmail ? { code: 421, message: 'service not available' } : undefined,
    );
    const event = pointsEvent(owner.groupId, 7);
    publish(EVENTS.pointsAdjusted, event);
    const dlq = `${topology.consumerQueue(NOTIFICATIONS_CONSUMER)}.dlq`;
    const dead = await waitFor('the dead letter', async () => {
      const m = await channel.get(dlq, { noAck: true });
      return m ? JSON.parse(m.content.toString()) : undefined;
    });
    smtp.refuseWhen(() => undefined);
    expect(dead.eventId).toBe(event.eventId);
    expect(smtp.to(ownerEmail).filter((m) => m.subject.endsWith('+7'))).toHaveLength(0);
    expect(
      await db.collection('mail_deliveries').findOne({ eventId: event.eventId, recipient: ownerEmail }),
    ).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringContaining('421') });
  });

  it('does not retry a mail the server refuses for good (5xx)', async () => {
    const owner = await member(http);
    const other = await enroll({ groupId: owner.groupId });
    const ownerEmail = `${owner.username}@example.com`;
    smtp.refuseWhen((rcpt) => (rcpt === ownerEmail ? { code: 550, message: 'no such mailbox' } : undefined));
    const event = pointsEvent(owner.groupId, 3);
    publish(EVENTS.pointsAdjusted, event);
    await waitFor('the other member mailed', () =>
      smtp.to(other.email).some((m) => m.subject.endsWith('+3')),
    );
    await waitFor('the refusal recorded', () =>
      db
        .collection('mail_deliveries')
        .findOne({ eventId: event.eventId, recipient: ownerEmail, state: 'refused' }),
    );
    smtp.refuseWhen(() => undefined);
    await drainWith();
    expect(
      await db.collection('mail_deliveries').findOne({ eventId: event.eventId, recipient: ownerEmail }),
    ).toMatchObject({ state: 'refused', attempts: 1 });
    expect(smtp.to(ownerEmail).filter((m) => m.subject.endsWith('+3'))).toHaveLength(0);
  });
});
