import { createHash } from 'node:crypto';
import {
  AUDIT_ACTIONS,
  RPC,
  type ApiClientPageDto,
  type ApiClientSecretDto,
  type CreatedApiClientDto,
} from '@lib/contracts';
import { TestIsolation } from '@lib/testing';
import { auditEntries, createApiClient, issueClientToken, refusal } from '../support/auth/api-client-rpc';
import {
  AuthService,
  PersonCaller,
  rpcAdmin,
  rpcMember,
  startAuthService,
} from '../support/auth/auth-service';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOUR_MS = 3600_000;

/**
 * API clients administered over RPC against the real auth service, MongoDB and RabbitMQ: create
 * (the secret once, its hash only in the store, an audit entry without it), list (active, newest
 * first, never a secret), rotate (the previous secret keeps working, the one before it doesn't)
 * and revoke (no more tokens). The token grant itself: api-clients-token.int-spec.ts.
 */
describe('API clients: create, list, rotate, revoke (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('api-clients');
  let auth: AuthService;
  let boss: PersonCaller;
  let someone: PersonCaller;

  beforeAll(async () => {
    auth = await startAuthService(iso);
    boss = await rpcAdmin(auth.rpc);
    someone = await rpcMember(auth.rpc);
  });

  afterAll(async () => {
    await auth?.close();
    await iso.cleanup();
  });

  const send = <T>(pattern: string, payload: object) => auth.rpc.send<T>('auth', pattern, payload);
  const rotate = (clientId: string, as: PersonCaller = boss) =>
    send<ApiClientSecretDto>(RPC.auth.rotateApiClientSecret, { caller: as.caller, params: { clientId } });
  const revoke = (clientId: string, as: PersonCaller = boss) =>
    send<Record<string, never>>(RPC.auth.revokeApiClient, { caller: as.caller, params: { clientId } });
  const list = (query: object = {}) =>
    send<ApiClientPageDto>(RPC.auth.listApiClients, { caller: boss.caller, query });
  const stored = (clientId: string) => auth.db.collection('api_clients').findOne({ _id: clientId as never });

  describe('create', () => {
    it('answers the client with its secret once, stores only its SHA-256, and audits it without the secret', async () => {
      const before = Date.now();
      const created = await createApiClient(auth.rpc, boss, ['purchases:write', 'members:read'], 'Till 7');
      expect(created).toEqual({
        clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientSecret: expect.stringMatching(/^lps_[A-Za-z0-9_-]{43}$/),
        name: 'Till 7',
        scopes: ['purchases:write', 'members:read'],
        status: 'ACTIVE',
        createdAt: expect.any(String),
        secretCreatedAt: created.createdAt,
        previousSecretExpiresAt: null,
        lastTokenAt: null,
      });
      expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before);

      const doc = await stored(created.clientId);
      expect(doc).toMatchObject({ secretHash: sha256(created.clientSecret), status: 'ACTIVE' });
      // Nowhere in the raw document: not the secret, nor its random part.
      expect(JSON.stringify(doc)).not.toContain(created.clientSecret.slice(4));

      const [entry] = await auditEntries(
        auth.rpc,
        boss,
        AUDIT_ACTIONS.apiClientCreated,
        `api-client:${created.clientId}`,
      );
      expect(entry).toMatchObject({
        actorId: boss.userId,
        details: { name: 'Till 7', scopes: ['purchases:write', 'members:read'] },
      });
      expect(JSON.stringify(entry)).not.toContain(created.clientSecret.slice(4));
    });

    it('is for admins only: a member is FORBIDDEN, an API client too, no token is UNAUTHENTICATED; nothing is stored', async () => {
      const client = await createApiClient(auth.rpc, boss, ['members:read']);
      const clientCaller = {
        caller: {
          accessToken: (await issueClientToken(auth.rpc, client.clientId, client.clientSecret)).access_token,
        },
      };
      const count = () => auth.db.collection('api_clients').countDocuments();
      const before = await count();
      const body = { name: 'sneaky', scopes: ['purchases:write'] };
      for (const [caller, code] of [
        [someone.caller, 'FORBIDDEN'],
        [clientCaller.caller, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        expect((await refusal(send(RPC.auth.createApiClient, { caller, body }))).code).toBe(code);
        expect((await refusal(send(RPC.auth.listApiClients, { caller, query: {} }))).code).toBe(code);
        for (const pattern of [RPC.auth.rotateApiClientSecret, RPC.auth.revokeApiClient]) {
          const params = { clientId: client.clientId };
          expect((await refusal(send(pattern, { caller, params }))).code).toBe(code);
        }
      }
      expect(await count()).toBe(before);
      expect(await stored(client.clientId)).toMatchObject({ status: 'ACTIVE' });
    });
  });

  describe('list', () => {
    it('pages the active clients newest first, never with a secret or a hash, and leaves revoked ones out', async () => {
      const made: CreatedApiClientDto[] = [];
      for (const name of ['List A', 'List B', 'List C']) {
        made.push(await createApiClient(auth.rpc, boss, ['vouchers:redeem'], name));
      }
      await revoke(made[1].clientId);
      // Newest first; clients made in the same millisecond are ordered by clientId, descending.
      const kept = [...made]
        .sort(
          (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.clientId < b.clientId ? 1 : -1),
        )
        .filter((c) => c.clientId !== made[1].clientId);
      const first = await list({ limit: 1 });
      expect(first.items.map((c) => c.clientId)).toEqual([kept[0].clientId]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list({ limit: 1, cursor: first.nextCursor });
      expect(second.items.map((c) => c.clientId)).toEqual([kept[1].clientId]);

      const all = await list({ limit: 100 });
      const ids = all.items.map((c) => c.clientId);
      expect(ids).not.toContain(made[1].clientId);
      expect(all.items.every((c) => c.status === 'ACTIVE')).toBe(true);
      const createdAt = all.items.map((c) => Date.parse(c.createdAt));
      expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
      expect(all.items.find((c) => c.clientId === made[0].clientId)).toEqual({
        clientId: made[0].clientId,
        name: 'List A',
        scopes: ['vouchers:redeem'],
        status: 'ACTIVE',
        createdAt: made[0].createdAt,
        secretCreatedAt: made[0].createdAt,
        previousSecretExpiresAt: null,
        lastTokenAt: null,
      });
      const text = JSON.stringify(all);
      for (const c of made) {
        expect(text).not.toContain(c.clientSecret.slice(4));
        expect(text).not.toContain(sha256(c.clientSecret));
      }
    });
  });

  describe('rotate', () => {
    it('the new secret works, the previous one for 24 hours more, the one before it no longer; audited', async () => {
      const client = await createApiClient(auth.rpc, boss, ['members:read']);
      const token = (secret: string) => issueClientToken(auth.rpc, client.clientId, secret);
      const before = Date.now();
      const second = await rotate(client.clientId);
      expect(second.clientSecret).toMatch(/^lps_[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(second.previousSecretExpiresAt)).toBeGreaterThanOrEqual(before + 24 * HOUR_MS);
      expect(Date.parse(second.previousSecretExpiresAt)).toBeLessThanOrEqual(Date.now() + 24 * HOUR_MS);
      await expect(token(second.clientSecret)).resolves.toMatchObject({ token_type: 'Bearer' });
      await expect(token(client.clientSecret)).resolves.toMatchObject({ token_type: 'Bearer' });

      const third = await rotate(client.clientId);
      expect((await refusal(token(client.clientSecret))).code).toBe('OAUTH_INVALID_CLIENT');
      await expect(token(second.clientSecret)).resolves.toMatchObject({ token_type: 'Bearer' });
      await expect(token(third.clientSecret)).resolves.toMatchObject({ token_type: 'Bearer' });

      const doc = await stored(client.clientId);
      expect(doc).toMatchObject({
        secretHash: sha256(third.clientSecret),
        previousSecretHash: sha256(second.clientSecret),
        previousSecretExpiresAt: new Date(third.previousSecretExpiresAt),
      });
      const page = await list({ limit: 100 });
      expect(page.items.find((c) => c.clientId === client.clientId)).toMatchObject({
        previousSecretExpiresAt: third.previousSecretExpiresAt,
        lastTokenAt: expect.any(String),
      });
      const entries = await auditEntries(
        auth.rpc,
        boss,
        AUDIT_ACTIONS.apiClientSecretRotated,
        `api-client:${client.clientId}`,
        2,
      );
      expect(entries).toHaveLength(2);
      expect(entries[0].details).toEqual({
        name: client.name,
        previousSecretExpiresAt: third.previousSecretExpiresAt,
      });
      expect(entries[0].actorId).toBe(boss.userId);
      for (const secret of [client.clientSecret, second.clientSecret, third.clientSecret]) {
        expect(JSON.stringify(entries)).not.toContain(secret.slice(4));
      }
    });

    it('of 6 concurrent rotations every one answers, and exactly two secrets work after: the last and the one before', async () => {
      const client = await createApiClient(auth.rpc, boss, ['members:read']);
      const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => rotate(client.clientId)));
      const outcomes = await Promise.all(
        [client.clientSecret, ...answers.map((a) => a.clientSecret)].map((secret) =>
          issueClientToken(auth.rpc, client.clientId, secret).then(
            () => true,
            () => false,
          ),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(2);
      expect(outcomes[0]).toBe(false); // the original secret is two rotations back at least
    });

    it('an unknown or revoked client is NOT_FOUND', async () => {
      expect((await refusal(rotate('00000000-0000-4000-8000-000000000000'))).code).toBe('NOT_FOUND');
      const client = await createApiClient(auth.rpc, boss);
      await revoke(client.clientId);
      expect((await refusal(rotate(client.clientId))).code).toBe('NOT_FOUND');
      expect(await stored(client.clientId)).toMatchObject({ secretHash: sha256(client.clientSecret) });
    });
  });

  describe('revoke', () => {
    it('the client gets no more tokens, with any secret; the revocation is stored; audited; a second revoke is NOT_FOUND', async () => {
      const client = await createApiClient(auth.rpc, boss, ['purchases:write', 'members:read']);
      const rotated = await rotate(client.clientId);
      await issueClientToken(auth.rpc, client.clientId, rotated.clientSecret);
      const before = Date.now();
      await expect(revoke(client.clientId)).resolves.toEqual({});
      for (const secret of [client.clientSecret, rotated.clientSecret]) {
        expect((await refusal(issueClientToken(auth.rpc, client.clientId, secret))).code).toBe(
          'OAUTH_INVALID_CLIENT',
        );
      }
      const doc = await stored(client.clientId);
      expect(doc).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(Date) });
      const revocation = await auth.db
        .collection('token_revocations')
        .findOne({ _id: client.clientId as never });
      expect(revocation?.validAfter.getTime()).toBe(doc?.revokedAt.getTime());
      expect(revocation?.validAfter.getTime()).toBeGreaterThanOrEqual(before);

      const [entry] = await auditEntries(
        auth.rpc,
        boss,
        AUDIT_ACTIONS.apiClientRevoked,
        `api-client:${client.clientId}`,
      );
      expect(entry).toMatchObject({
        actorId: boss.userId,
        details: { name: client.name, scopes: ['purchases:write', 'members:read'] },
      });
      expect((await refusal(revoke(client.clientId))).code).toBe('NOT_FOUND');
      expect((await refusal(revoke('00000000-0000-4000-8000-000000000000'))).code).toBe('NOT_FOUND');
    });
  });
});
