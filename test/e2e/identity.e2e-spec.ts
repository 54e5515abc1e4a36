import mongoose from 'mongoose';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { EVENTS } from '@lib/contracts';
import { createApp } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { testAuthSettings } from '../support/auth/test-auth-settings';
import { EventTap } from '../support/event-tap';
import { member, PASSWORD, register, uniqueUsername } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

const ADMIN = { username: 'chief', password: 'admin-password-for-tests' };

describe('identity through the gateway (real auth, MongoDB, Redis, RabbitMQ)', () => {
  const iso = new TestIsolation('identity');
  let stack: IdentityStack;
  let http: IdentityStack['http'];
  let logins: EventTap;
  let db: mongoose.Connection;

  beforeAll(async () => {
    stack = await startIdentityStack(iso, {
      authEnv: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
    });
    http = stack.http;
    logins = await EventTap.open(iso, EVENTS.userLoggedIn);
    db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
  });

  afterAll(async () => {
    await logins?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: { headers: Record<string, string>; body: unknown }, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  describe('POST /v1/auth/register', () => {
    it('creates the user in a new group of their own: 201 {userId, groupId, roles}', async () => {
      const { res } = await register(http, { username: uniqueUsername('reg') });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        groupId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        roles: ['member'],
      });
    });

    it('stores only an argon2id hash of the password', async () => {
      const { res, username } = await register(http);
      const doc = await db.collection('users').findOne({ username });
      expect(doc?._id).toBe(res.body.userId);
      expect(doc?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(JSON.stringify(doc)).not.toContain(PASSWORD);
    });

    it('refuses a taken username with 409 USERNAME_TAKEN', async () => {
      const { username } = await register(http);
      const { res } = await register(http, { username, email: `other-${username}@example.com` });
      expect(res.status).toBe(409);
      problem(res, 409, 'USERNAME_TAKEN');
    });

    it('refuses a taken email, whatever its case, with 409 EMAIL_TAKEN', async () => {
      const { username } = await register(http);
      const { res } = await register(http, { email: `${username.toUpperCase()}@Example.COM` });
      problem(res, 409, 'EMAIL_TAKEN');
    });

    it.each([
      [{ username: 'AB' }, 'username', /3-32 characters/],
      [{ username: 'Upper.Case' }, 'username', /lowercase/],
      [{ username: 'x'.repeat(33) }, 'username', /3-32/],
      [{ password: 'short' }, 'password', /10-128/],
      [{ password: 'p'.repeat(129) }, 'password', /10-128/],
      [{ email: 'not-an-email' }, 'email', /email/],
      [{ birthday: '1990-13-40' }, 'birthday', /real date/],
      [{ birthday: '23/04/1990' }, 'birthday', /YYYY-MM-DD/],
      [{ isAdmin: true }, 'isAdmin', /not an allowed field/],
      [{ roles: ['admin'] }, 'roles', /not an allowed field/],
      [{ inviteCode: null }, 'inviteCode', /string/],
      [{ '': 1 }, '', /not an allowed field/],
    ])('rejects %j with 400 VALIDATION_FAILED naming the field', async (fields, field, rule) => {
      const { res } = await register(http, fields as Record<string, string>);
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([{ field, message: expect.stringMatching(rule) }]),
      );
    });

    it('names every missing field', async () => {
      const res = await http().post('/v1/auth/register').send({});
      problem(res, 400, 'VALIDATION_FAILED');
      expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['username', 'password', 'email']),
      );
    });

    it('keeps the optional profile fields', async () => {
      const username = uniqueUsername('full');
      const { res } = await register(http, {
        username,
        phone: '+351 912 345 678',
        fullName: 'Ana Silva',
        birthday: '1990-04-23',
      } as Record<string, string>);
      expect(res.status).toBe(201);
      const login = await http().post('/v1/auth/login').send({ username, password: PASSWORD });
      const me = await http()
        .get('/v1/me')
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);
      expect(me.body).toMatchObject({
        phone: '+351 912 345 678',
        fullName: 'Ana Silva',
        birthday: '1990-04-23',
      });
    });
  });

  describe('groups and invites', () => {
    it('joins the inviting group with a single-use code valid for 7 days', async () => {
      const owner = await member(http);
      const invite = await http().post('/v1/groups/me/invites').set(owner.auth).expect(201);
      expect(invite.body.inviteCode).toMatch(/^[2-9A-HJKMNP-Z]{16}$/);
      const days = (Date.parse(invite.body.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);

      const joiner = await member(http, { inviteCode: invite.body.inviteCode.toLowerCase() });
      expect(joiner.groupId).toBe(owner.groupId);
      const group = await http().get('/v1/groups/me').set(joiner.auth).expect(200);
      expect(group.body).toEqual({
        groupId: owner.groupId,
        maxMembers: 4,
        members: [
          { userId: owner.userId, username: owner.username },
          { userId: joiner.userId, username: joiner.username },
        ],
      });

      const again = await register(http, { inviteCode: invite.body.inviteCode });
      problem(again.res, 400, 'INVITE_INVALID');
    });

    it('refuses unknown and expired invites with 400 INVITE_INVALID, and creates no user', async () => {
      const unknown = await register(http, { inviteCode: 'ZZZZZZZZZZZZZZZZ' });
      problem(unknown.res, 400, 'INVITE_INVALID');
      expect(unknown.res.body.errors).toEqual([{ field: 'inviteCode', message: expect.any(String) }]);
      expect(await db.collection('users').countDocuments({ username: unknown.username })).toBe(0);

      const owner = await member(http);
      const invite = await http().post('/v1/groups/me/invites').set(owner.auth).expect(201);
      await db
        .collection('invites')
        .updateMany({ groupId: owner.groupId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      problem((await register(http, { inviteCode: invite.body.inviteCode })).res, 400, 'INVITE_INVALID');
    });

    it('caps a group at 4: a fifth join is 409 GROUP_FULL, and a full group cannot invite', async () => {
      const owner = await member(http);
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await http().post('/v1/groups/me/invites').set(owner.auth).expect(201)).body.inviteCode);
      }
      for (const code of codes.slice(0, 3))
        expect((await register(http, { inviteCode: code })).res.status).toBe(201);
      const fifth = await register(http, { inviteCode: codes[3] });
      problem(fifth.res, 409, 'GROUP_FULL');
      expect(await db.collection('users').countDocuments({ username: fifth.username })).toBe(0);
      // The refused join rolled back: its invite is still unused.
      const unused = await db.collection('invites').countDocuments({ groupId: owner.groupId, usedAt: null });
      expect(unused).toBe(1);
      problem(await http().post('/v1/groups/me/invites').set(owner.auth), 409, 'GROUP_FULL');
      const group = await http().get('/v1/groups/me').set(owner.auth).expect(200);
      expect(group.body.members).toHaveLength(4);
    });
  });

  describe('POST /v1/auth/login', () => {
    it('answers an RS256 access token (kid, iss, aud, sub, gid, roles, iat, exp, jti; 30 minutes) and a refresh token', async () => {
      const m = await member(http);
      const res = await http()
        .post('/v1/auth/login')
        .send({ username: m.username, password: PASSWORD })
        .expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 1800,
      });
      const header = decodeProtectedHeader(res.body.accessToken);
      const jwks = await http().get('/.well-known/jwks.json').expect(200);
      expect(header).toMatchObject({ alg: 'RS256', kid: jwks.body.keys[0].kid });
      const claims = decodeJwt(res.body.accessToken);
      expect(claims).toEqual({
        iss: 'loyalty-platform',
        aud: 'loyalty-api',
        sub: m.userId,
        gid: m.groupId,
        roles: ['member'],
        iat: expect.any(Number),
        exp: expect.any(Number),
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(claims.exp! - claims.iat!).toBe(1800);
    });

    it('gives a wrong password and an unknown user the same 401 INVALID_CREDENTIALS body', async () => {
      const m = await member(http);
      const wrong = await http()
        .post('/v1/auth/login')
        .send({ username: m.username, password: 'wrong-password-1' });
      const unknown = await http()
        .post('/v1/auth/login')
        .send({ username: 'nobody-here', password: 'wrong-password-1' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      problem(wrong, 401, 'INVALID_CREDENTIALS');
      expect(unknown.body).toEqual(wrong.body);
    });

    it('refuses a disabled account with 401, and its refresh tokens too', async () => {
      const m = await member(http);
      await db.collection('users').updateOne({ _id: m.userId as never }, { $set: { status: 'DISABLED' } });
      problem(
        await http().post('/v1/auth/login').send({ username: m.username, password: PASSWORD }),
        401,
        'INVALID_CREDENTIALS',
      );
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('publishes auth.user.logged-in for each login, firstLogin only the first time; a failed login publishes nothing', async () => {
      await logins.drain();
      const m = await member(http); // first login
      await http().post('/v1/auth/login').send({ username: m.username, password: PASSWORD }).expect(200);
      await http()
        .post('/v1/auth/login')
        .send({ username: m.username, password: 'wrong-password-2' })
        .expect(401);
      const events: Array<{ messageId: string; payload: Record<string, unknown> }> = [];
      await waitFor('two login events', async () => {
        events.push(...(await logins.drain()).filter((e) => e.payload.userId === m.userId));
        return events.length >= 2;
      });
      // registeredAt: the account's creation time (campaign eligibility), as /v1/me tells it.
      const { createdAt } = (await http().get('/v1/me').set(m.auth).expect(200)).body as {
        createdAt: string;
      };
      expect(events.map((e) => e.payload)).toEqual([
        {
          eventId: events[0].messageId,
          userId: m.userId,
          groupId: m.groupId,
          firstLogin: true,
          occurredAt: expect.any(String),
          registeredAt: createdAt,
        },
        {
          eventId: events[1].messageId,
          userId: m.userId,
          groupId: m.groupId,
          firstLogin: false,
          occurredAt: expect.any(String),
          registeredAt: createdAt,
        },
      ]);
      await new Promise((r) => setTimeout(r, 300));
      expect((await logins.drain()).filter((e) => e.payload.userId === m.userId)).toEqual([]);
      expect(await db.collection('logins').countDocuments({ userId: m.userId })).toBe(2);
    });

    it('bootstraps the admin account from ADMIN_USERNAME / ADMIN_PASSWORD', async () => {
      const res = await http().post('/v1/auth/login').send(ADMIN).expect(200);
      expect(decodeJwt(res.body.accessToken).roles).toEqual(['member', 'admin']);
    });

    it('on a restart, refuses to promote a demoted bootstrap account, and keeps its password', async () => {
      await db.collection('users').updateOne({ username: ADMIN.username }, { $set: { roles: ['member'] } });
      const replica = await createApp(
        AuthModule.register(
          iso.config('auth'),
          testAuthSettings({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: 'another-password-entirely' }),
        ),
      );
      // Bootstrap runs in init: the name belongs to a non-admin now (test/integration/admin-bootstrap).
      await expect(replica.init()).rejects.toThrow(/not an admin.*Choose another ADMIN_USERNAME/);
      await replica.close();
      const admin = await db.collection('users').findOne({ username: ADMIN.username });
      expect(admin?.roles).toEqual(['member']);
      expect(await db.collection('users').countDocuments({ username: ADMIN.username })).toBe(1);
      await http().post('/v1/auth/login').send(ADMIN).expect(200);
    });
  });

  describe('refresh and logout', () => {
    it('rotates the refresh token on every refresh', async () => {
      const m = await member(http);
      const first = await http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken }).expect(200);
      expect(first.body.refreshToken).not.toBe(m.refreshToken);
      expect(first.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800 });
      await http().get('/v1/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
      const second = await http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: first.body.refreshToken })
        .expect(200);
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    });

    it('revokes the whole family when a spent refresh token is presented again', async () => {
      const m = await member(http);
      const rotated = await http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: m.refreshToken })
        .expect(200);
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken }),
        401,
        'UNAUTHENTICATED',
      );
      // The legitimate holder's newer token died with the family.
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken }),
        401,
        'UNAUTHENTICATED',
      );
      // Another session of the same user is untouched.
      const other = await http()
        .post('/v1/auth/login')
        .send({ username: m.username, password: PASSWORD })
        .expect(200);
      await http().post('/v1/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(200);
    });

    it('lets only one of two concurrent refreshes of the same token through, and then revokes the family', async () => {
      const m = await member(http);
      const results = await Promise.all(
        [1, 2].map(() => http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: winner.body.refreshToken }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('refuses unknown refresh tokens with 401 and malformed ones with 400', async () => {
      problem(
        await http()
          .post('/v1/auth/refresh')
          .send({ refreshToken: 'x'.repeat(43) }),
        401,
        'UNAUTHENTICATED',
      );
      problem(await http().post('/v1/auth/refresh').send({ refreshToken: 42 }), 400, 'VALIDATION_FAILED');
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: 'a', extra: 1 }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('logout answers 204 and ends the session; unknown tokens get 204 too', async () => {
      const m = await member(http);
      await http().post('/v1/auth/logout').send({ refreshToken: m.refreshToken }).expect(204);
      problem(
        await http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken }),
        401,
        'UNAUTHENTICATED',
      );
      await http().post('/v1/auth/logout').send({ refreshToken: m.refreshToken }).expect(204);
      await http().post('/v1/auth/logout').send({ refreshToken: 'never-issued' }).expect(204);
      problem(await http().post('/v1/auth/logout').send({}), 400, 'VALIDATION_FAILED');
    });
  });

  describe('authenticated reads', () => {
    it('GET /v1/me answers the caller profile', async () => {
      const m = await member(http);
      const me = await http().get('/v1/me').set(m.auth).expect(200);
      expect(me.body).toEqual({
        userId: m.userId,
        username: m.username,
        email: `${m.username}@example.com`,
        phone: null,
        fullName: null,
        birthday: null,
        groupId: m.groupId,
        roles: ['member'],
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
    });

    it.each(['/v1/me', '/v1/groups/me'])(
      'GET %s without or with a garbage token is 401 UNAUTHENTICATED',
      async (path) => {
        problem(await http().get(path), 401, 'UNAUTHENTICATED');
        problem(await http().get(path).set('Authorization', 'Bearer not.a.jwt'), 401, 'UNAUTHENTICATED');
        problem(await http().get(path).set('Authorization', 'Basic dXNlcjpwYXNz'), 401, 'UNAUTHENTICATED');
      },
    );

    it('takes the Bearer scheme in any case, as RFC 6750 allows', async () => {
      const m = await member(http);
      const me = await http().get('/v1/me').set('Authorization', `bearer ${m.accessToken}`).expect(200);
      expect(me.body.userId).toBe(m.userId);
    });

    it('POST /v1/groups/me/invites needs a token', async () => {
      problem(await http().post('/v1/groups/me/invites'), 401, 'UNAUTHENTICATED');
    });

    it('GET /.well-known/jwks.json lists the public signing key only, cacheable', async () => {
      const res = await http().get('/.well-known/jwks.json').expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.body.keys).toEqual([
        { kty: 'RSA', kid: expect.any(String), alg: 'RS256', use: 'sig', n: expect.any(String), e: 'AQAB' },
      ]);
    });
  });
});
