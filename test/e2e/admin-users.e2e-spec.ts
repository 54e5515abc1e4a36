import mongoose from 'mongoose';
import { decodeJwt } from 'jose';
import { AUDIT_ACTIONS, EVENTS } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { EventTap } from '../support/event-tap';
import { ADMIN_ENV, PASSWORD, admin, member, uniqueUsername } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

type Res = { status: number; headers: Record<string, string>; body: any };

describe('admin users: search, enroll, edit, disable, roles (real auth, MongoDB, Redis, RabbitMQ)', () => {
  const iso = new TestIsolation('admin-users');
  let stack: IdentityStack;
  let http: IdentityStack['http'];
  let db: mongoose.Connection;
  let boss: Awaited<ReturnType<typeof admin>>;
  let enrolled: EventTap;

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER); // so cleanup removes the consumers' queues and DLQs
    iso.queue(NOTIFICATIONS_CONSUMER);
    stack = await startIdentityStack(iso, { authEnv: ADMIN_ENV });
    http = stack.http;
    db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    enrolled = await EventTap.open(iso, EVENTS.userEnrolled);
    boss = await admin(http);
  });

  afterAll(async () => {
    await enrolled?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  const enroll = (fields: Record<string, unknown> = {}) => {
    const username = (fields.username as string) ?? uniqueUsername('enr');
    return http()
      .post('/v1/admin/users')
      .set(boss.auth)
      .send({ username, password: PASSWORD, email: `${username}@example.com`, ...fields });
  };
  const patch = (userId: string, body: Record<string, unknown>) =>
    http().patch(`/v1/admin/users/${userId}`).set(boss.auth).send(body);
  const login = (username: string) => http().post('/v1/auth/login').send({ username, password: PASSWORD });
  const auditFor = (action: string, target: string) =>
    waitFor(`the ${action} audit entry of ${target}`, async () => {
      const res = await http()
        .get('/v1/admin/audit-logs')
        .query({ action, target })
        .set(boss.auth)
        .expect(200);
      return res.body.items.length ? res.body.items : undefined;
    });

  describe('access', () => {
    it.each([
      ['get', '/v1/admin/users'],
      ['post', '/v1/admin/users'],
      ['patch', '/v1/admin/users/some-user'],
    ] as const)('%s %s is 401 without a token and 403 with a member token', async (method, path) => {
      problem(await http()[method](path).send({}), 401, 'UNAUTHENTICATED');
      const m = await member(http);
      problem(await http()[method](path).set(m.auth).send({}), 403, 'FORBIDDEN');
    });
  });

  describe('POST /v1/admin/users (enroll)', () => {
    it('creates the user in a new group: 201 with the user, who can log in; emits auth.user.enrolled and an audit entry', async () => {
      const username = uniqueUsername('enr');
      const res = await enroll({ username, fullName: 'Bea Costa', phone: '+351 911 111 111' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username,
        email: `${username}@example.com`,
        phone: '+351 911 111 111',
        fullName: 'Bea Costa',
        birthday: null,
        groupId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        roles: ['member'],
        status: 'ACTIVE',
        createdAt: expect.any(String),
      });
      const tokens = await login(username).expect(200);
      expect(decodeJwt(tokens.body.accessToken)).toMatchObject({ sub: res.body.userId, roles: ['member'] });

      const events = await waitFor('the enrolled event', async () => {
        const all = (await enrolled.drain()).filter((e) => e.payload.userId === res.body.userId);
        return all.length ? all : undefined;
      });
      expect(events.map((e) => e.payload)).toEqual([
        {
          eventId: expect.any(String),
          occurredAt: res.body.createdAt,
          userId: res.body.userId,
          groupId: res.body.groupId,
        },
      ]);
      const [entry] = await auditFor(AUDIT_ACTIONS.userEnrolled, `user:${res.body.userId}`);
      expect(entry).toMatchObject({
        auditId: expect.any(String),
        actorId: boss.userId,
        action: 'user.enroll',
        target: `user:${res.body.userId}`,
        details: { username, roles: ['member'], groupId: res.body.groupId, joinedExistingGroup: false },
        createdAt: res.body.createdAt,
      });
    });

    it('gives the roles asked for, which are in the first token', async () => {
      const username = uniqueUsername('enr-admin');
      const res = await enroll({ username, roles: ['member', 'admin'] }).expect(201);
      expect(res.body.roles).toEqual(['member', 'admin']);
      const tokens = await login(username).expect(200);
      expect(decodeJwt(tokens.body.accessToken).roles).toEqual(['member', 'admin']);
    });

    it('seats the user in an existing group; a fifth member is 409 GROUP_FULL; an unknown group is 404', async () => {
      const owner = await member(http);
      const second = await enroll({ groupId: owner.groupId }).expect(201);
      expect(second.body.groupId).toBe(owner.groupId);
      await enroll({ groupId: owner.groupId }).expect(201);
      await enroll({ groupId: owner.groupId }).expect(201);
      const fifth = await enroll({ groupId: owner.groupId });
      problem(fifth, 409, 'GROUP_FULL');
      expect(await db.collection('users').countDocuments({ groupId: owner.groupId })).toBe(4);
      const group = await http().get('/v1/groups/me').set(owner.auth).expect(200);
      expect(group.body.members).toHaveLength(4);
      problem(await enroll({ groupId: 'no-such-group' }), 404, 'NOT_FOUND');
    });

    it('lets exactly 3 of 8 concurrent enrollments into a group of 1 through', async () => {
      const owner = await member(http);
      const results = await Promise.all(Array.from({ length: 8 }, () => enroll({ groupId: owner.groupId })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(5);
      for (const r of refused) problem(r, 409, 'GROUP_FULL');
      expect(await db.collection('users').countDocuments({ groupId: owner.groupId })).toBe(4);
      const doc = await db.collection('groups').findOne({ _id: owner.groupId as never });
      expect(doc?.members).toHaveLength(4);
      expect(doc?.memberCount).toBe(4);
    });

    it('refuses taken usernames and emails with 409, and writes nothing', async () => {
      const username = uniqueUsername('taken');
      await enroll({ username }).expect(201);
      problem(await enroll({ username, email: `x-${username}@example.com` }), 409, 'USERNAME_TAKEN');
      problem(await enroll({ email: `${username.toUpperCase()}@EXAMPLE.com` }), 409, 'EMAIL_TAKEN');
      expect(await db.collection('users').countDocuments({ email: `x-${username}@example.com` })).toBe(0);
    });

    it.each([
      [{ roles: ['root'] }, 'roles', /role must be one of/],
      [{ roles: [] }, 'roles', /at least 1/],
      [{ roles: 'admin' }, 'roles', /array/],
      [{ groupId: '' }, 'groupId', /longer than or equal to 1/],
      [{ username: 'A' }, 'username', /3-32/],
      [{ password: 'short' }, 'password', /10-128/],
      [{ status: 'ACTIVE' }, 'status', /not an allowed field/],
      [{ groupId: 'g', inviteCode: 'ABCDEFGHJKMNPQRS' }, 'groupId', /not both/],
    ])('rejects %j with 400 VALIDATION_FAILED naming the field', async (fields, field, rule) => {
      const res = await enroll(fields);
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([{ field, message: expect.stringMatching(rule) }]),
      );
    });
  });

  describe('GET /v1/admin/users', () => {
    it('finds users by any part of username, email or full name, in any case', async () => {
      const tag = `zq${Date.now().toString(36)}`;
      const a = await enroll({ username: uniqueUsername(`${tag}a`) }).expect(201);
      const b = await enroll({ email: `someone.${tag.toUpperCase()}@example.com` }).expect(201);
      const c = await enroll({ fullName: `Carla ${tag.toUpperCase()} Dias` }).expect(201);
      await enroll().expect(201); // no match
      const res = await http()
        .get('/v1/admin/users')
        .query({ query: tag.toUpperCase() })
        .set(boss.auth)
        .expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items.map((u: { userId: string }) => u.userId).sort()).toEqual(
        [a.body.userId, b.body.userId, c.body.userId].sort(),
      );
      expect(res.body.items[0]).not.toHaveProperty('passwordHash');
      // Regex characters are matched literally.
      const none = await http().get('/v1/admin/users').query({ query: '.*' }).set(boss.auth).expect(200);
      expect(none.body.items).toEqual([]);
    });

    it('walks a long list page by page, newest first, with no repeats and no gaps, even while users are added', async () => {
      const tag = `pg${Date.now().toString(36)}`;
      const ids: string[] = [];
      for (let i = 0; i < 27; i++)
        ids.push((await enroll({ fullName: `Page ${tag} ${i}` }).expect(201)).body.userId);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Res = await http()
          .get('/v1/admin/users')
          .query({ query: tag, limit: 4, ...(cursor && { cursor }) })
          .set(boss.auth)
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(4);
        seen.push(...res.body.items.map((u: { userId: string }) => u.userId));
        cursor = res.body.nextCursor;
        if (++pages === 2) await enroll({ fullName: `Page ${tag} late` }).expect(201); // newer: not in later pages
      } while (cursor);
      expect(pages).toBe(7);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...ids].reverse());
    });

    it('pages the whole user list too, and rejects bad paging input with 400', async () => {
      const total = await db.collection('users').countDocuments();
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const res: Res = await http()
          .get('/v1/admin/users')
          .query({ limit: 100, ...(cursor && { cursor }) })
          .set(boss.auth)
          .expect(200);
        for (const u of res.body.items) seen.add(u.userId);
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.size).toBe(total);
      for (const query of [
        { limit: 0 },
        { limit: 101 },
        { limit: 'x' },
        { cursor: 'garbage' },
        { other: 1 },
      ]) {
        problem(await http().get('/v1/admin/users').query(query).set(boss.auth), 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('PATCH /v1/admin/users/{userId}', () => {
    it('changes email, phone and full name; 200 with the user; the user sees it; audited with the changes', async () => {
      const m = await member(http);
      const email = `new-${m.username}@example.com`;
      const res = await patch(m.userId, {
        email: email.toUpperCase(),
        phone: '+1 555 0100',
        fullName: 'Dee',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userId: m.userId, email, phone: '+1 555 0100', fullName: 'Dee' });
      const me = await http().get('/v1/me').set(m.auth).expect(200);
      expect(me.body).toMatchObject({ email, phone: '+1 555 0100', fullName: 'Dee' });
      const [entry] = await auditFor(AUDIT_ACTIONS.userUpdated, `user:${m.userId}`);
      expect(entry).toMatchObject({
        actorId: boss.userId,
        details: {
          changes: {
            email: { from: `${m.username}@example.com`, to: email },
            phone: { from: null, to: '+1 555 0100' },
            fullName: { from: null, to: 'Dee' },
          },
        },
      });
    });

    it('refuses an email another account has with 409 EMAIL_TAKEN, an unknown user with 404', async () => {
      const [a, b] = [await member(http), await member(http)];
      problem(await patch(a.userId, { email: `${b.username}@example.com` }), 409, 'EMAIL_TAKEN');
      expect((await db.collection('users').findOne({ _id: a.userId as never }))?.email).toBe(
        `${a.username}@example.com`,
      );
      problem(await patch('no-such-user', { fullName: 'X' }), 404, 'NOT_FOUND');
    });

    it.each([
      [{}, 'body', /at least one/],
      [{ status: 'BANNED' }, 'status', /ACTIVE, DISABLED/],
      [{ roles: ['member', 'member'] }, 'roles', /unique/],
      [{ email: 'nope' }, 'email', /email/],
      [{ fullName: null }, 'fullName', /string/],
      [{ username: 'renamed' }, 'username', /not an allowed field/],
      [{ password: 'new-password-123' }, 'password', /not an allowed field/],
    ])('rejects %j with 400 VALIDATION_FAILED', async (body, field, rule) => {
      const m = await member(http);
      const res = await patch(m.userId, body);
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([{ field, message: expect.stringMatching(rule) }]),
      );
    });

    it('disabling revokes every refresh token at once and blocks login (401); enabling lets the user log in again', async () => {
      const m = await member(http);
      const other = await login(m.username).expect(200); // a second session
      const res = await patch(m.userId, { status: 'DISABLED' }).expect(200);
      expect(res.body).toEqual({
        userId: m.userId,
        username: m.username,
        email: `${m.username}@example.com`,
        phone: null,
        fullName: null,
        birthday: null,
        groupId: m.groupId,
        roles: ['member'],
        status: 'DISABLED',
        createdAt: expect.any(String),
      });
      problem(await login(m.username), 401, 'INVALID_CREDENTIALS');
      for (const refreshToken of [m.refreshToken, other.body.refreshToken]) {
        problem(await http().post('/v1/auth/refresh').send({ refreshToken }), 401, 'UNAUTHENTICATED');
      }
      const families = await db.collection('refresh_families').find({ userId: m.userId }).toArray();
      expect(families).toHaveLength(2);
      expect(families.every((f) => f.revokedAt && f.revokedReason === 'account-disabled')).toBe(true);
      const [entry] = await auditFor(AUDIT_ACTIONS.userUpdated, `user:${m.userId}`);
      expect(entry.details).toEqual({
        changes: { status: { from: 'ACTIVE', to: 'DISABLED' } },
        refreshFamiliesRevoked: 2,
      });

      await patch(m.userId, { status: 'ACTIVE' }).expect(200);
      const again = await login(m.username).expect(200);
      await http().post('/v1/auth/refresh').send({ refreshToken: again.body.refreshToken }).expect(200);
      // Tokens revoked by the disable stay dead.
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: other.body.refreshToken }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('no refresh racing a disable survives it', async () => {
      const m = await member(http);
      const [, ...refreshes] = await Promise.all([
        patch(m.userId, { status: 'DISABLED' }),
        ...[1, 2, 3].map(() => http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken })),
      ]);
      const winner = refreshes.find((r) => r.status === 200);
      if (winner) {
        problem(
          await http().post('/v1/auth/refresh').send({ refreshToken: winner.body.refreshToken }),
          401,
          'UNAUTHENTICATED',
        );
      }
      const live = await db
        .collection('refresh_families')
        .countDocuments({ userId: m.userId, revokedAt: null });
      expect(live).toBe(0);
    });

    it('new roles arrive with the next token, from refresh as from login; the old token is revoked', async () => {
      const m = await member(http);
      problem(await http().get('/v1/admin/users').set(m.auth), 403, 'FORBIDDEN');
      await patch(m.userId, { roles: ['member', 'admin'] }).expect(200);
      // A roles change revokes every token issued before it, within 5 s (docs/api.md, Revocation):
      // the old token never gains the new roles, and soon stops working at all.
      const before = await http().get('/v1/admin/users').set(m.auth);
      expect([401, 403]).toContain(before.status);
      await waitFor(
        'the old token to be refused',
        async () => (await http().get('/v1/me').set(m.auth)).status === 401,
        5000,
      );
      const refreshed = await http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: m.refreshToken })
        .expect(200);
      expect(decodeJwt(refreshed.body.accessToken).roles).toEqual(['member', 'admin']);
      await http()
        .get('/v1/admin/users')
        .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
        .expect(200);

      await patch(m.userId, { roles: ['member'] }).expect(200);
      const demoted = await http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: refreshed.body.refreshToken })
        .expect(200);
      expect(decodeJwt(demoted.body.accessToken).roles).toEqual(['member']);
      expect(decodeJwt((await login(m.username).expect(200)).body.accessToken).roles).toEqual(['member']);
    });

    it('an admin cannot disable their own account or drop their own admin role (403); nothing changes', async () => {
      problem(await patch(boss.userId, { status: 'DISABLED' }), 403, 'FORBIDDEN');
      problem(await patch(boss.userId, { roles: ['member'] }), 403, 'FORBIDDEN');
      const doc = await db.collection('users').findOne({ _id: boss.userId as never });
      expect(doc).toMatchObject({ status: 'ACTIVE', roles: ['member', 'admin'] });
      await patch(boss.userId, { fullName: 'The Chief' }).expect(200);
    });
  });
});
