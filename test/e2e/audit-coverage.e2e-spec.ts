import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { ADMIN_ENV, PASSWORD, admin, member, uniqueUsername } from '../support/identity-client';
import { SmtpSink } from '../support/smtp-sink';
import { PlatformStack, startPlatformStack } from '../support/stack';

/**
 * Every kind of admin write, in every service, lands in auth's one audit log (through each
 * service's outbox and auth's consumer), and the chain they form verifies.
 */
describe('audit coverage and admin stats across the whole platform', () => {
  const iso = new TestIsolation('audit-coverage');
  let smtp: SmtpSink;
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let boss: Awaited<ReturnType<typeof admin>>;

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER);
    iso.queue(NOTIFICATIONS_CONSUMER);
    smtp = await SmtpSink.start();
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'promotion', 'coupon-worker'],
      authEnv: { ...ADMIN_ENV, SMTP_URL: smtp.url },
    });
    http = stack.http;
    boss = await admin(http);
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
    await iso.cleanup();
  });

  /** The one entry of `action` on `target`, by this admin, once it has arrived. */
  const entryOf = async (action: string, target: string) => {
    const items = await waitFor(`the ${action} entry of ${target}`, async () => {
      const res = await http()
        .get('/v1/admin/audit-logs')
        .query({ action, target })
        .set(boss.auth)
        .expect(200);
      return res.body.items.length ? res.body.items : undefined;
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      auditId: expect.any(String),
      actorId: boss.userId,
      action,
      target,
      details: expect.any(Object),
      createdAt: expect.any(String),
    });
    return items[0];
  };

  it('user enroll and edit (auth)', async () => {
    const username = uniqueUsername('cov');
    const user = await http()
      .post('/v1/admin/users')
      .set(boss.auth)
      .send({ username, password: PASSWORD, email: `${username}@example.com` })
      .expect(201);
    await entryOf(AUDIT_ACTIONS.userEnrolled, `user:${user.body.userId}`);
    await http()
      .patch(`/v1/admin/users/${user.body.userId}`)
      .set(boss.auth)
      .send({ fullName: 'Covered' })
      .expect(200);
    await entryOf(AUDIT_ACTIONS.userUpdated, `user:${user.body.userId}`);
  });

  it('points adjustment (loyalty), whose members are mailed too', async () => {
    const m = await member(http);
    const transactionId = randomUUID();
    await http()
      .post(`/v1/admin/groups/${m.groupId}/transactions`)
      .set(boss.auth)
      .send({ transactionId, payer: 'STORE', points: 120, reason: 'Goodwill' })
      .expect(201);
    const entry = await entryOf(AUDIT_ACTIONS.pointsAdjusted, `group:${m.groupId}`);
    expect(JSON.stringify(entry.details)).toContain(transactionId);
    // The same adjustment, replayed (idempotent), is not a second write: no second entry.
    await http()
      .post(`/v1/admin/groups/${m.groupId}/transactions`)
      .set(boss.auth)
      .send({ transactionId, payer: 'STORE', points: 120, reason: 'Goodwill' })
      .expect(200);
    const [mail] = await waitFor('the points mail', () => {
      const mails = smtp.to(`${m.username}@example.com`);
      return mails.length ? mails : undefined;
    });
    expect(mail.subject).toBe("Your group's points: +120");
    await entryOf(AUDIT_ACTIONS.pointsAdjusted, `group:${m.groupId}`);
  });

  it('points policy, tiers and a redemption reversal (loyalty), each with what changed', async () => {
    const policy = { pendingDays: 3, expiryDays: 400, expiryWarningDays: 20 };
    await http().put('/v1/admin/points-policy').set(boss.auth).send(policy).expect(200);
    const policyEntry = await entryOf(AUDIT_ACTIONS.pointsPolicyUpdated, 'points-policy:programme');
    expect(policyEntry.details).toMatchObject({ after: policy });
    await http()
      .put('/v1/admin/points-policy')
      .set(boss.auth)
      .send({ pendingDays: 0, expiryDays: null, expiryWarningDays: 30 })
      .expect(200);
    const tiers = { qualifyingDays: 90, tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }] };
    await http().put('/v1/admin/tiers').set(boss.auth).send(tiers).expect(200);
    const tiersEntry = await entryOf(AUDIT_ACTIONS.tiersUpdated, 'tiers:programme');
    expect(tiersEntry.details).toMatchObject({ after: tiers });
    const m = await member(http);
    await http()
      .post(`/v1/admin/groups/${m.groupId}/transactions`)
      .set(boss.auth)
      .send({ transactionId: randomUUID(), payer: 'STORE', points: 50, reason: 'seed' })
      .expect(201);
    const redemptionId = randomUUID();
    await http().post('/v1/redemptions').set(m.auth).send({ redemptionId, points: 20 }).expect(201);
    await http()
      .post(`/v1/redemptions/${redemptionId}/reversal`)
      .set(boss.auth)
      .send({ reason: 'redeemed by mistake' })
      .expect(200);
    const reversal = await entryOf(AUDIT_ACTIONS.redemptionReversed, `group:${m.groupId}`);
    expect(reversal.details).toMatchObject({
      redemptionId,
      pointsRestored: 20,
      reason: 'redeemed by mistake',
    });
  });

  it('campaign create and status change (promotion), and the campaign in the stats while active', async () => {
    const created = await http()
      .post('/v1/admin/campaigns')
      .set(boss.auth)
      .send({ name: 'Welcome 10%', discountPercent: 10, voucherLimit: 100, trigger: 'FIRST_LOGIN' })
      .expect(201);
    const target = `campaign:${created.body.campaignId}`;
    await entryOf(AUDIT_ACTIONS.campaignCreated, target);
    const stats = await http().get('/v1/admin/stats').set(boss.auth).expect(200);
    expect(stats.body.activeCampaigns).toEqual(
      expect.arrayContaining([
        { campaignId: created.body.campaignId, name: 'Welcome 10%', issued: 0, remaining: 100 },
      ]),
    );
    await http()
      .patch(`/v1/admin/campaigns/${created.body.campaignId}`)
      .set(boss.auth)
      .send({ status: 'PAUSED' })
      .expect(200);
    await entryOf(AUDIT_ACTIONS.campaignUpdated, target);
  });

  it('coupon book create, code upload, generation job and switch-off (promotion)', async () => {
    const book = await http()
      .post('/v1/admin/coupon-books')
      .set(boss.auth)
      .send({ name: 'Summer' })
      .expect(201);
    const target = `coupon-book:${book.body.couponBookId}`;
    await entryOf(AUDIT_ACTIONS.couponBookCreated, target);
    await http()
      .post(`/v1/admin/coupon-books/${book.body.couponBookId}/codes`)
      .set(boss.auth)
      .send({ codes: ['SUMMER-0001', 'SUMMER-0002'] })
      .expect(200);
    await entryOf(AUDIT_ACTIONS.couponCodesUploaded, target);
    const job = await http()
      .post(`/v1/admin/coupon-books/${book.body.couponBookId}/generation-jobs`)
      .set(boss.auth)
      .send({ count: 50 })
      .expect(202);
    const entry = await entryOf(AUDIT_ACTIONS.generationJobCreated, target);
    expect(JSON.stringify(entry.details)).toContain(job.body.jobId);
    await http()
      .patch(`/v1/admin/coupon-books/${book.body.couponBookId}`)
      .set(boss.auth)
      .send({ status: 'INACTIVE' })
      .expect(200);
    const switchedOff = await entryOf(AUDIT_ACTIONS.couponBookUpdated, target);
    expect(switchedOff.details).toMatchObject({
      before: { status: 'ACTIVE' },
      after: { status: 'INACTIVE' },
    });
  });

  it('stats gathers every part when every service is up', async () => {
    const res = await http().get('/v1/admin/stats').query({ days: 3 }).set(boss.auth).expect(200);
    expect(res.body).toEqual({
      members: expect.any(Number),
      groups: expect.any(Number),
      pointsByDay: expect.any(Array),
      activeCampaigns: expect.any(Array),
      runningJobs: expect.any(Array),
    });
    expect(res.body.pointsByDay).toHaveLength(3);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.body.pointsByDay.at(-1)).toMatchObject({ date: today });
  });

  it('the entries of every service form one chain that verifies', async () => {
    const res = await http().get('/v1/admin/audit-logs/verify').set(boss.auth).expect(200);
    expect(res.body).toEqual({ ok: true, checked: expect.any(Number), firstBrokenAuditId: null });
    expect(res.body.checked).toBeGreaterThanOrEqual(8);
  });
});
