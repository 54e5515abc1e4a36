import { connect } from 'amqplib';
import { Topology } from '@lib/messaging';
import { TestIsolation } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { RegisterUserHandler } from '../../apps/auth/src/users/register-user/register-user.handler';
import { ADMIN_ENV, PASSWORD, admin, member, uniqueUsername } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

type Res = { status: number; headers: Record<string, string>; body: any };

describe('GET /v1/admin/stats while loyalty and promotion are down (real auth, gateway, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('admin-stats');
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let boss: Awaited<ReturnType<typeof admin>>;

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER);
    iso.queue(NOTIFICATIONS_CONSUMER);
    // Only auth runs: the other services' parts must come back null, quickly, not fail the call.
    // (Short RPC timeout; long enough for auth's password hashing on a busy test machine.)
    stack = await startPlatformStack(iso, {
      services: [],
      gateway: { rpcTimeoutMs: 1500 },
      authEnv: ADMIN_ENV,
    });
    http = stack.http;
    boss = await admin(http);
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  it('is 401 without a token and 403 for a member', async () => {
    problem(await http().get('/v1/admin/stats'), 401, 'UNAUTHENTICATED');
    const m = await member(http);
    problem(await http().get('/v1/admin/stats').set(m.auth), 403, 'FORBIDDEN');
  });

  it("answers 200 with auth's counts and null for each part whose service is down", async () => {
    const before = (await http().get('/v1/admin/stats').set(boss.auth).expect(200)).body;
    // Straight through auth's use cases: what is counted here is the stats, not the gateway's timing.
    const users = stack.auth.get(RegisterUserHandler);
    const newUser = (groupId?: string) => {
      const username = uniqueUsername('stats');
      return users.execute({ username, password: PASSWORD, email: `${username}@example.com`, groupId });
    };
    const owner = await newUser();
    await newUser();
    await newUser(owner.groupId);
    await newUser(owner.groupId);
    const res = await http().get('/v1/admin/stats').query({ days: 7 }).set(boss.auth).expect(200);
    expect(res.body).toEqual({
      members: before.members + 4,
      groups: before.groups + 2,
      pointsByDay: null,
      activeCampaigns: null,
      runningJobs: null,
    });
  });

  it('counts every account and group: here the admin, the members made by earlier tests and no others', async () => {
    const res = await http().get('/v1/admin/stats').set(boss.auth).expect(200);
    // The admin (1 group) + 1 member of the access test + 4 users in 2 groups above.
    expect(res.body).toMatchObject({ members: 6, groups: 4 });
  });

  it('answers when a service takes requests but never replies (hung): its part is null after the RPC timeout', async () => {
    const broker = await connect(iso.infra.rabbitUrl);
    try {
      const ch = await broker.createChannel();
      // A queue nobody consumes: the requests wait there until the gateway gives up on them.
      const queue = new Topology(iso.namePrefix).rpcQueue('promotion');
      await ch.assertQueue(queue, { durable: true });
      const res = await http().get('/v1/admin/stats').set(boss.auth).expect(200);
      expect(res.body).toMatchObject({ members: 6, groups: 4, activeCampaigns: null, runningJobs: null });
      await ch.deleteQueue(queue);
    } finally {
      await broker.close();
    }
  });

  it.each([['0'], ['91'], ['-1'], ['7.5'], ['week']])(
    'rejects days=%s with 400 VALIDATION_FAILED',
    async (days) => {
      const res = await http().get('/v1/admin/stats').query({ days }).set(boss.auth);
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('days');
    },
  );

  it('takes days from 1 to 90', async () => {
    for (const days of [1, 90])
      await http().get('/v1/admin/stats').query({ days }).set(boss.auth).expect(200);
  });
});
