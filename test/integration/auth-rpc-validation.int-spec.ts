import mongoose from 'mongoose';
import { RPC } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { RpcClient } from '@lib/messaging';
import { encodeCursor } from '@lib/paging';
import { TokenRevocations } from '@lib/jwt';
import { TestIsolation, waitFor } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { ADMIN_ENV, PASSWORD, admin, member, uniqueUsername } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

type Pattern = keyof typeof RPC.auth;
type Parts = Record<string, unknown>;

/**
 * Every auth RPC, sent malformed straight to auth's queue (past the gateway, as a bug or anyone
 * holding broker credentials could): wrong types, missing and unknown fields, bodies that are not
 * objects, input where the RPC takes none, bad paging. Each is VALIDATION_FAILED naming the field,
 * with a valid token so that validation, not authentication, refuses it, and nothing is written.
 */
describe('auth RPCs check their input against the gateway DTOs (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('auth-rpc-validation');
  let stack: IdentityStack;
  let db: mongoose.Connection;
  let rpc: RpcClient;
  let boss: Awaited<ReturnType<typeof admin>>;
  let m: Awaited<ReturnType<typeof member>>;
  let usersCursor: string;
  const auditCursor = encodeCursor([Date.now(), 3]); // the audit list's key shape: [createdAt, seq]

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER);
    iso.queue(NOTIFICATIONS_CONSUMER);
    stack = await startIdentityStack(iso, { authEnv: ADMIN_ENV });
    // The gateway verifies no token until it has read the revocation list (admin() uses /v1/me).
    const revocations = stack.gateway.get(TokenRevocations);
    await waitFor('the gateway to read the revocation list', () =>
      revocations.ensureLoaded().then(
        () => true,
        () => false,
      ),
    );
    db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    rpc = stack.auth.get(RpcClient);
    boss = await admin(stack.http);
    m = await member(stack.http);
    const page = await rpc.send<{ items: unknown[]; nextCursor: string }>('auth', RPC.auth.listUsers, {
      caller: { accessToken: boss.accessToken },
      query: { limit: 1 },
    });
    usersCursor = page.nextCursor;
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const asAdmin = (parts: Parts = {}) => ({ caller: { accessToken: boss.accessToken }, ...parts });
  const asMember = (parts: Parts = {}) => ({ caller: { accessToken: m.accessToken }, ...parts });
  const newUser = (extra: Parts = {}) => {
    const username = uniqueUsername('rpcval');
    return { username, password: PASSWORD, email: `${username}@example.com`, ...extra };
  };

  /** Documents in each of auth's collections. */
  async function counts(): Promise<Record<string, number>> {
    const names = (await db.db!.listCollections().toArray()).map((c) => c.name).sort();
    const sizes = await Promise.all(names.map((name) => db.collection(name).countDocuments()));
    return Object.fromEntries(names.map((name, i) => [name, sizes[i]]));
  }

  const paging = (
    pattern: Pattern,
    foreignCursor: () => string,
  ): Array<[Pattern, string, () => unknown, string]> => [
    [pattern, 'limit 0', () => asAdmin({ query: { limit: 0 } }), 'limit'],
    [pattern, 'limit 101', () => asAdmin({ query: { limit: 101 } }), 'limit'],
    [pattern, 'limit 2.5', () => asAdmin({ query: { limit: 2.5 } }), 'limit'],
    [pattern, 'limit "abc"', () => asAdmin({ query: { limit: 'abc' } }), 'limit'],
    [pattern, "another list's cursor", () => asAdmin({ query: { cursor: foreignCursor() } }), 'cursor'],
    [pattern, 'an unknown query field', () => asAdmin({ query: { sort: 'asc' } }), 'sort'],
    [pattern, 'a body', () => asAdmin({ body: { limit: 5 } }), 'limit'],
  ];

  const CASES: Array<[Pattern, string, () => unknown, string]> = [
    ['register', 'a payload that is not an object', () => 'register me', 'request'],
    ['register', 'an unknown envelope field', () => ({ body: newUser(), sudo: true }), 'sudo'],
    ['register', 'a wrong type', () => ({ body: newUser({ username: 42 }) }), 'username'],
    ['register', 'missing fields', () => ({ body: { username: uniqueUsername('rpcval') } }), 'password'],
    ['register', 'roles (an admin’s to give)', () => ({ body: newUser({ roles: ['admin'] }) }), 'roles'],
    ['register', 'a group (only by invite)', () => ({ body: newUser({ groupId: m.groupId }) }), 'groupId'],
    ['register', 'a body that is not an object', () => ({ body: ['a', 'b'] }), 'body'],
    ['register', 'a query it does not take', () => ({ body: newUser(), query: { x: 1 } }), 'x'],
    ['login', 'a wrong type', () => ({ body: { username: m.username, password: 123 } }), 'password'],
    ['login', 'missing fields', () => ({ body: {} }), 'username'],
    [
      'login',
      'an unknown field',
      () => ({ body: { username: m.username, password: PASSWORD, otp: 1 } }),
      'otp',
    ],
    ['login', 'a body that is a number', () => ({ body: 7 }), 'body'],
    [
      'login',
      'an unknown caller field',
      () => ({ caller: { ip: '10.0.0.9', roles: ['admin'] }, body: {} }),
      'caller.roles',
    ],
    ['refresh', 'a wrong type', () => ({ body: { refreshToken: 42 } }), 'refreshToken'],
    ['refresh', 'a missing token', () => ({ body: null }), 'refreshToken'],
    ['refresh', 'an unknown field', () => ({ body: { refreshToken: m.refreshToken, keep: true } }), 'keep'],
    ['logout', 'a wrong type', () => ({ body: { refreshToken: [m.refreshToken] } }), 'refreshToken'],
    ['logout', 'an unknown field', () => ({ body: { refreshToken: m.refreshToken, all: true } }), 'all'],
    [
      'logout',
      'params it does not take',
      () => ({ body: { refreshToken: m.refreshToken }, params: { id: 'x' } }),
      'id',
    ],
    ...paging('listUsers', () => auditCursor),
    ['listUsers', 'a wrong type', () => asAdmin({ query: { query: 5 } }), 'query'],
    [
      'enrollUser',
      'missing fields',
      () => asAdmin({ body: { username: uniqueUsername('rpcval') } }),
      'email',
    ],
    ['enrollUser', 'roles of a wrong type', () => asAdmin({ body: newUser({ roles: 'admin' }) }), 'roles'],
    ['enrollUser', 'an unknown role', () => asAdmin({ body: newUser({ roles: ['root'] }) }), 'roles'],
    [
      'enrollUser',
      'a birthday in the future',
      () => asAdmin({ body: newUser({ birthday: `${new Date().getUTCFullYear() + 1}-01-01` }) }),
      'birthday',
    ],
    [
      'enrollUser',
      'a birthday before 1900',
      () => asAdmin({ body: newUser({ birthday: '1899-12-31' }) }),
      'birthday',
    ],
    ['enrollUser', 'an unknown field', () => asAdmin({ body: newUser({ status: 'ACTIVE' }) }), 'status'],
    [
      'enrollUser',
      'params it does not take',
      () => asAdmin({ body: newUser(), params: { userId: 'u' } }),
      'userId',
    ],
    [
      'updateUser',
      'an unknown status',
      () => asAdmin({ params: { userId: m.userId }, body: { status: 'GONE' } }),
      'status',
    ],
    [
      'updateUser',
      'a wrong type',
      () => asAdmin({ params: { userId: m.userId }, body: { email: 7 } }),
      'email',
    ],
    ['updateUser', 'no userId', () => asAdmin({ params: {}, body: { fullName: 'X' } }), 'userId'],
    [
      'updateUser',
      'a userId that is a number',
      () => asAdmin({ params: { userId: 5 }, body: { fullName: 'X' } }),
      'userId',
    ],
    [
      'updateUser',
      'a field no admin may set',
      () => asAdmin({ params: { userId: m.userId }, body: { passwordHash: 'x' } }),
      'passwordHash',
    ],
    [
      'updateUser',
      'a query it does not take',
      () => asAdmin({ params: { userId: m.userId }, body: { fullName: 'X' }, query: { limit: 1 } }),
      'limit',
    ],
    ...paging('listAuditLogs', () => usersCursor),
    ['listAuditLogs', 'a date that is not one', () => asAdmin({ query: { from: 'yesterday' } }), 'from'],
    [
      'listAuditLogs',
      'a * before the end of action',
      () => asAdmin({ query: { action: 'web*.create' } }),
      'action',
    ],
    ['jwks', 'a body', () => ({ body: { kid: 'x' } }), 'kid'],
    ['me', 'a body', () => asMember({ body: { userId: boss.userId } }), 'userId'],
    ['myGroup', 'params', () => asMember({ params: { groupId: boss.groupId } }), 'groupId'],
    ['createInvite', 'a body', () => asMember({ body: { groupId: boss.groupId } }), 'groupId'],
    ['createInvite', 'a body that is not an object', () => asMember({ body: 'invite' }), 'body'],
    ['verifyAuditLog', 'a query', () => asAdmin({ query: { from: 1 } }), 'from'],
    ['memberStats', 'a body', () => asAdmin({ body: { days: 30 } }), 'days'],
    ['groupExists', 'no params', () => asAdmin({}), 'groupId'],
    ['groupExists', 'a groupId that is not a UUID', () => asAdmin({ params: { groupId: 'g' } }), 'groupId'],
    ['groupExists', 'a body', () => asAdmin({ params: { groupId: m.groupId }, body: { x: 1 } }), 'x'],
    ['getGroup', 'no params', () => asAdmin({}), 'groupId'],
    ['getGroup', 'a groupId that is not a UUID', () => asAdmin({ params: { groupId: 'g' } }), 'groupId'],
    ['getGroup', 'a query', () => asAdmin({ params: { groupId: m.groupId }, query: { x: 1 } }), 'x'],
    ['createApiClient', 'missing fields', () => asAdmin({ body: {} }), 'scopes'],
    [
      'createApiClient',
      'a name of a wrong type',
      () => asAdmin({ body: { name: 7, scopes: ['members:read'] } }),
      'name',
    ],
    [
      'createApiClient',
      'an empty name',
      () => asAdmin({ body: { name: '', scopes: ['members:read'] } }),
      'name',
    ],
    [
      'createApiClient',
      'an unknown scope',
      () => asAdmin({ body: { name: 'T', scopes: ['admin'] } }),
      'scopes',
    ],
    ['createApiClient', 'no scope', () => asAdmin({ body: { name: 'T', scopes: [] } }), 'scopes'],
    [
      'createApiClient',
      'a repeated scope',
      () => asAdmin({ body: { name: 'T', scopes: ['members:read', 'members:read'] } }),
      'scopes',
    ],
    [
      'createApiClient',
      'scopes that are a string',
      () => asAdmin({ body: { name: 'T', scopes: 'members:read' } }),
      'scopes',
    ],
    [
      'createApiClient',
      'a secret chosen by the caller',
      () => asAdmin({ body: { name: 'T', scopes: ['members:read'], clientSecret: 'lps_mine' } }),
      'clientSecret',
    ],
    [
      'createApiClient',
      'params it does not take',
      () => asAdmin({ body: { name: 'T', scopes: ['members:read'] }, params: { clientId: 'c' } }),
      'clientId',
    ],
    ...paging('listApiClients', () => auditCursor),
    ['rotateApiClientSecret', 'no params', () => asAdmin({}), 'clientId'],
    [
      'rotateApiClientSecret',
      'a clientId that is not a UUID',
      () => asAdmin({ params: { clientId: 'till-1' } }),
      'clientId',
    ],
    [
      'rotateApiClientSecret',
      'a body (the secret is never chosen by the caller)',
      () => asAdmin({ params: { clientId: m.userId }, body: { clientSecret: 'lps_mine' } }),
      'clientSecret',
    ],
    ['revokeApiClient', 'no params', () => asAdmin({}), 'clientId'],
    [
      'revokeApiClient',
      'a clientId that is a number',
      () => asAdmin({ params: { clientId: 5 } }),
      'clientId',
    ],
    [
      'revokeApiClient',
      'a query',
      () => asAdmin({ params: { clientId: m.userId }, query: { force: 1 } }),
      'force',
    ],
    ['issueClientToken', 'no secret', () => ({ body: { clientId: m.userId } }), 'clientSecret'],
    [
      'issueClientToken',
      'a secret of a wrong type',
      () => ({ body: { clientId: m.userId, clientSecret: 1 } }),
      'clientSecret',
    ],
    [
      'issueClientToken',
      'scopes as an array',
      () => ({ body: { clientId: m.userId, clientSecret: 's', scope: ['members:read'] } }),
      'scope',
    ],
    [
      'issueClientToken',
      'a grant type (the gateway checks it; auth takes none)',
      () => ({ body: { clientId: m.userId, clientSecret: 's', grant_type: 'client_credentials' } }),
      'grant_type',
    ],
    ['issueClientToken', 'a body that is a string', () => ({ body: 'client_id=x' }), 'body'],
    ['lookupMember', 'no params', () => asAdmin({}), 'userId'],
    [
      'lookupMember',
      'a userId that is not a UUID',
      () => asAdmin({ params: { userId: 'member-1' } }),
      'userId',
    ],
    [
      'lookupMember',
      'a body',
      () => asAdmin({ params: { userId: m.userId }, body: { groupId: m.groupId } }),
      'groupId',
    ],
    ['tokenRevocations', 'a query', () => ({ query: { since: 0 } }), 'since'],
    ['tokenRevocations', 'a body', () => ({ body: { principalId: m.userId } }), 'principalId'],
  ];

  it('covers every auth RPC pattern but ping', () => {
    const covered = new Set(CASES.map(([pattern]) => pattern));
    expect(Object.keys(RPC.auth).filter((p) => p !== 'ping' && !covered.has(p as Pattern))).toEqual([]);
  });

  it.each(CASES)(
    '%s refuses %s: VALIDATION_FAILED naming the field, nothing written',
    async (pattern, _label, payload, field) => {
      const before = await counts();
      const err = await rpc.send('auth', RPC.auth[pattern], payload()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('VALIDATION_FAILED');
      expect((err as DomainError).errors?.map((e) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
    },
  );

  it('answers the same requests when they are well formed (the tokens and shapes above are right)', async () => {
    const page = await rpc.send<{ items: unknown[] }>(
      'auth',
      RPC.auth.listUsers,
      asAdmin({ query: { limit: 2 } }),
    );
    expect(page.items).toHaveLength(2);
    await expect(rpc.send('auth', RPC.auth.me, asMember())).resolves.toMatchObject({ userId: m.userId });
    await expect(rpc.send('auth', RPC.auth.jwks, {})).resolves.toMatchObject({ keys: expect.any(Array) });
    const exists = (groupId: string, as = asAdmin) =>
      rpc.send('auth', RPC.auth.groupExists, as({ params: { groupId } }));
    await expect(exists(m.groupId)).resolves.toEqual({ groupId: m.groupId, exists: true });
    const nobody = '00000000-0000-4000-8000-000000000000';
    await expect(exists(nobody)).resolves.toEqual({ groupId: nobody, exists: false });
    // Admins only: a member can't probe for groups.
    await expect(exists(m.groupId, asMember)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each([
    ['/v1/admin/users', () => auditCursor],
    ['/v1/admin/audit-logs', () => usersCursor],
  ])('the gateway refuses the same paging on %s, naming the field', async (path, foreignCursor) => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
      [{ limit: 'abc' }, 'limit'],
      [{ cursor: foreignCursor() }, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await stack.http().get(path).query(query).set(boss.auth);
      expect({ query, status: res.status, code: res.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
