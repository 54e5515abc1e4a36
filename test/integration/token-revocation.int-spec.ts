import { decodeJwt } from 'jose';
import { EVENTS, RPC, type TokenPairDto, type TokenRevocationListDto } from '@lib/contracts';
import {
  AccessTokenVerifier,
  JwksCache,
  RpcJwksSource,
  RpcRevocationSource,
  TokenRevocations,
} from '@lib/jwt';
import { TestIsolation, waitFor } from '@lib/testing';
import { TokenRevocationsRepository } from '../../apps/auth/src/revocations/ports/token-revocations.repository';
import { EventTap } from '../support/event-tap';
import { refusal } from '../support/auth/api-client-rpc';
import {
  AuthService,
  PersonCaller,
  logIn,
  rpcAdmin,
  rpcMember,
  startAuthService,
} from '../support/auth/auth-service';

const after = <T>(ms: number, send: () => Promise<T>) =>
  new Promise((resolve) => setTimeout(resolve, ms)).then(send);
const JWT = { issuer: 'loyalty-platform', audience: 'loyalty-api' };
/** ACCESS_TOKEN_TTL_SECONDS (1800 by default) is longer than CLIENT_TOKEN_TTL_SECONDS (900), plus a minute. */
const RETENTION_MS = 1800_000 + 60_000;

/**
 * Revoking people's access tokens, against the real auth service, MongoDB and RabbitMQ: a disable
 * or a change of roles stores a per-user valid-after time and announces it
 * (`auth.principal.revoked`) in the same transaction; auth's own verifier and any verifier reading
 * `RPC.auth.tokenRevocations` then refuse every token issued before it, while tokens issued after
 * it (a re-enabled user, new roles) pass, even within the same second.
 */
describe('token revocation of users (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('token-revocation');
  let auth: AuthService;
  let boss: PersonCaller;
  let tap: EventTap;
  let verifier: AccessTokenVerifier;
  let revocations: TokenRevocations;

  beforeAll(async () => {
    // The races below log one user in a dozen times at once, and past a disable.
    auth = await startAuthService(iso, { LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '1000' });
    boss = await rpcAdmin(auth.rpc);
    tap = await EventTap.open(iso, EVENTS.principalRevoked);
    revocations = new TokenRevocations(new RpcRevocationSource(auth.rpc));
    verifier = new AccessTokenVerifier(
      new JwksCache(new RpcJwksSource(auth.rpc)),
      JWT,
      {},
      undefined,
      revocations,
    );
  });

  afterAll(async () => {
    await tap?.close();
    await auth?.close();
    await iso.cleanup();
  });

  const patch = (userId: string, body: object) =>
    auth.rpc.send('auth', RPC.auth.updateUser, { caller: boss.caller, params: { userId }, body });
  const me = (accessToken: string) =>
    auth.rpc.send<{ userId: string }>('auth', RPC.auth.me, { caller: { accessToken } });
  const listed = () => auth.rpc.send<TokenRevocationListDto>('auth', RPC.auth.tokenRevocations, {});
  const stored = (principalId: string) =>
    auth.db.collection('token_revocations').findOne({ _id: principalId as never });
  const refresh = (refreshToken: string) =>
    auth.rpc.send<TokenPairDto>('auth', RPC.auth.refresh, { body: { refreshToken } });
  /** Auth's own verifier hears the revocation on its broadcast queue: its RPCs refuse the token. */
  const refusedByAuth = (accessToken: string) =>
    waitFor('auth to refuse the revoked token', () =>
      me(accessToken).then(
        () => false,
        (e: { code?: string }) => e.code === 'UNAUTHENTICATED',
      ),
    );
  const eventsFor = async (principalId: string) =>
    (await tap.drain()).filter((e) => e.payload.principalId === principalId);

  it('disabling a user stores, lists and announces a valid-after time; every token issued before it is refused', async () => {
    const m = await rpcMember(auth.rpc);
    const second = await logIn(auth.rpc, m.username);
    await expect(me(m.accessToken)).resolves.toMatchObject({ userId: m.userId });
    const before = Date.now();
    await patch(m.userId, { status: 'DISABLED' });

    const doc = await stored(m.userId);
    expect(doc?.validAfter.getTime()).toBeGreaterThanOrEqual(before);
    expect(doc?.expiresAt.getTime()).toBe(doc!.validAfter.getTime() + RETENTION_MS);
    const validAfter = doc!.validAfter.getTime();
    expect((await listed()).items).toContainEqual({ principalId: m.userId, validAfter });

    const events = await waitFor('auth.principal.revoked', async () => {
      const found = await eventsFor(m.userId);
      return found.length ? found : undefined;
    });
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({
      eventId: events[0].messageId,
      occurredAt: new Date(validAfter).toISOString(),
      principalId: m.userId,
      validAfter: new Date(validAfter).toISOString(),
    });
    expect(events[0].payload.validAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    await revocations.sync();
    for (const token of [m.accessToken, second.accessToken]) {
      expect((await refusal(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
      await refusedByAuth(token);
    }
  });

  it('a re-enabled user logs in at once, even within the second of the revocation, and the new token passes', async () => {
    const m = await rpcMember(auth.rpc);
    await patch(m.userId, { status: 'DISABLED' });
    await patch(m.userId, { status: 'ACTIVE' });
    const again = await logIn(auth.rpc, m.username);
    const validAfter = (await stored(m.userId))!.validAfter.getTime();
    expect(decodeJwt(again.accessToken).iat! * 1000).toBeGreaterThanOrEqual(validAfter);
    await revocations.sync();
    await expect(verifier.verify(again.accessToken)).resolves.toMatchObject({ userId: m.userId });
    await expect(me(again.accessToken)).resolves.toMatchObject({ userId: m.userId });
    await refusedByAuth(m.accessToken);
  });

  it('a change of roles revokes the old tokens; a refresh gets the new roles, dated after the revocation, and passes', async () => {
    const m = await rpcMember(auth.rpc);
    await patch(m.userId, { roles: ['member', 'admin'] });
    const validAfter = (await stored(m.userId))!.validAfter.getTime();
    await revocations.sync();
    expect((await refusal(verifier.verify(m.accessToken))).code).toBe('UNAUTHENTICATED');
    await refusedByAuth(m.accessToken);

    const refreshed = await refresh(m.refreshToken);
    const claims = decodeJwt(refreshed.accessToken);
    expect(claims.roles).toEqual(['member', 'admin']);
    expect(claims.iat! * 1000).toBeGreaterThanOrEqual(validAfter);
    await expect(verifier.verify(refreshed.accessToken)).resolves.toMatchObject({
      roles: ['member', 'admin'],
    });
    // Now an admin: the admin RPCs take the new token.
    await expect(
      auth.rpc.send('auth', RPC.auth.memberStats, { caller: { accessToken: refreshed.accessToken } }),
    ).resolves.toMatchObject({ members: expect.any(Number) });
  });

  it('edits that change neither status nor roles revoke nothing: the same roles again, a name, an email, ACTIVE again', async () => {
    const m = await rpcMember(auth.rpc);
    await patch(m.userId, { roles: ['member'] });
    await patch(m.userId, { fullName: 'Ana Lima', email: `${m.username}.new@example.com` });
    await patch(m.userId, { status: 'ACTIVE' });
    expect(await stored(m.userId)).toBeNull();
    expect((await listed()).items.map((i) => i.principalId)).not.toContain(m.userId);
    await expect(me(m.accessToken)).resolves.toMatchObject({ userId: m.userId });
    // The event tap is checked after a revocation of someone else went through, so it had time.
    const other = await rpcMember(auth.rpc);
    await patch(other.userId, { status: 'DISABLED' });
    await waitFor('the other revocation', async () => (await eventsFor(other.userId)).length > 0);
    expect(await eventsFor(m.userId)).toEqual([]);
  });

  it('keeps the later of two times, whichever is written last; lists only revocations not yet expired', async () => {
    const store = auth.app.get(TokenRevocationsRepository);
    const principalId = `client-${Date.now()}`;
    const later = new Date(Date.now() + 5_000);
    const earlier = new Date(Date.now() - 5_000);
    await store.record({
      principalId,
      validAfter: later,
      expiresAt: new Date(later.getTime() + RETENTION_MS),
    });
    await store.record({
      principalId,
      validAfter: earlier,
      expiresAt: new Date(earlier.getTime() + RETENTION_MS),
    });
    expect(await stored(principalId)).toMatchObject({
      validAfter: later,
      expiresAt: new Date(later.getTime() + RETENTION_MS),
    });
    const expired = `expired-${Date.now()}`;
    await store.record({
      principalId: expired,
      validAfter: new Date(Date.now() - 7_200_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    const ids = (await listed()).items.map((i) => i.principalId);
    expect(ids).toContain(principalId);
    expect(ids).not.toContain(expired);
    const indexes = await auth.db.collection('token_revocations').indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
  });

  it('no refresh racing a change of roles yields a token with the old roles that passes', async () => {
    const m = await rpcMember(auth.rpc);
    const sessions = [
      m,
      ...(await Promise.all(Array.from({ length: 11 }, () => logIn(auth.rpc, m.username)))),
    ];
    // Refreshes sent every 3 ms, the change of roles among them: some land before it, some after.
    const [, ...refreshed] = await Promise.all([
      after(15, () => patch(m.userId, { roles: ['member', 'admin'] })),
      ...sessions.map((s, i) => after(i * 3, () => refresh(s.refreshToken))),
    ]);
    expect(refreshed).toHaveLength(12);
    await revocations.sync();
    const outcomes = await Promise.all(
      refreshed.map(async (pair) => ({
        roles: decodeJwt(pair.accessToken).roles,
        passes: await verifier.verify(pair.accessToken).then(
          () => true,
          () => false,
        ),
      })),
    );
    // Each token carries the new roles and passes, or carries the old ones and is refused.
    for (const { roles, passes } of outcomes) {
      const promoted = JSON.stringify(roles) === JSON.stringify(['member', 'admin']);
      expect({ roles, passes }).toEqual(
        promoted ? { roles, passes: true } : { roles: ['member'], passes: false },
      );
    }
  });

  it('no login racing a disable yields a token that passes', async () => {
    const m = await rpcMember(auth.rpc);
    // Logins sent every 10 ms (each spends tens of ms on the password), the disable among them.
    const [, ...logins] = await Promise.all([
      after(60, () => patch(m.userId, { status: 'DISABLED' })),
      ...Array.from({ length: 12 }, (_, i) =>
        after(i * 10, () => logIn(auth.rpc, m.username)).then(
          (pair) => pair.accessToken,
          (e: { code?: string }) => e.code,
        ),
      ),
    ]);
    const tokens = logins.filter((outcome) => outcome !== 'INVALID_CREDENTIALS');
    expect(tokens.every((token) => token?.startsWith('eyJ'))).toBe(true);
    await revocations.sync();
    for (const token of tokens) {
      expect((await refusal(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
    }
  });
});
