import { decodeJwt, decodeProtectedHeader } from 'jose';
import { RPC, type ClientTokenDto } from '@lib/contracts';
import {
  AccessTokenVerifier,
  JwksCache,
  RpcJwksSource,
  RpcRevocationSource,
  TokenRevocations,
} from '@lib/jwt';
import { TestIsolation, waitFor } from '@lib/testing';
import { createApiClient, issueClientToken, refusal } from '../support/auth/api-client-rpc';
import {
  AuthService,
  PersonCaller,
  rpcAdmin,
  rpcMember,
  startAuthService,
} from '../support/auth/auth-service';

const JWT = { issuer: 'loyalty-platform', audience: 'loyalty-api' };
const NOBODY = '00000000-0000-4000-8000-000000000000';

/**
 * The client-credentials grant (`RPC.auth.issueClientToken`, which the gateway's
 * `POST /v1/oauth/token` forwards) against the real auth service: the token a verifier accepts as
 * an API client's, the scopes asked for, every refusal of RFC 6749 §5.2 that is auth's to make,
 * and tokens racing a revoke.
 */
describe('client-credentials tokens (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('api-client-tokens');
  let auth: AuthService;
  let boss: PersonCaller;
  let someone: PersonCaller;
  /** A verifier as any other app builds it: JWKS and revocations from auth over RPC. */
  let verifier: AccessTokenVerifier;
  let revocations: TokenRevocations;

  beforeAll(async () => {
    auth = await startAuthService(iso, { CLIENT_TOKEN_TTL_SECONDS: '600' });
    boss = await rpcAdmin(auth.rpc);
    someone = await rpcMember(auth.rpc);
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
    await auth?.close();
    await iso.cleanup();
  });

  const send = <T>(pattern: string, payload: object) => auth.rpc.send<T>('auth', pattern, payload);
  const lookUp = (accessToken: string, userId = someone.userId) =>
    send(RPC.auth.lookupMember, { caller: { accessToken }, params: { userId } });

  it('answers an RS256 token of the client (kid, sub = client_id, scope, roles ["client"], iss, aud, iat, exp, jti) that verifiers take as an API client', async () => {
    const client = await createApiClient(auth.rpc, boss, ['purchases:write', 'members:read']);
    const before = Math.floor(Date.now() / 1000);
    const answer = await issueClientToken(auth.rpc, client.clientId, client.clientSecret);
    expect(answer).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'purchases:write members:read',
    });
    const header = decodeProtectedHeader(answer.access_token);
    expect(header).toEqual({ alg: 'RS256', kid: expect.any(String), typ: 'JWT' });
    const jwks = await send<{ keys: Array<{ kid: string }> }>(RPC.auth.jwks, {});
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    const claims = decodeJwt(answer.access_token);
    expect(claims).toEqual({
      sub: client.clientId,
      client_id: client.clientId,
      scope: 'purchases:write members:read',
      roles: ['client'],
      iss: JWT.issuer,
      aud: JWT.audience,
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp! - claims.iat!).toBe(600);

    await expect(verifier.verify(answer.access_token)).resolves.toEqual({
      userId: client.clientId,
      clientId: client.clientId,
      groupId: '',
      roles: ['client'],
      scopes: ['purchases:write', 'members:read'],
      tokenId: claims.jti,
      issuedAt: claims.iat,
      expiresAt: claims.exp,
    });
    const doc = await auth.db.collection('api_clients').findOne({ _id: client.clientId as never });
    expect(doc?.lastTokenAt).toBeInstanceOf(Date);
  });

  it('gives the scopes asked for, each once, in the order granted; the token carries only those', async () => {
    const client = await createApiClient(auth.rpc, boss, [
      'members:read',
      'purchases:write',
      'vouchers:redeem',
    ]);
    const token = (scope: string) => issueClientToken(auth.rpc, client.clientId, client.clientSecret, scope);
    const narrow = await token('members:read');
    expect(narrow.scope).toBe('members:read');
    expect(decodeJwt(narrow.access_token).scope).toBe('members:read');
    expect((await verifier.verify(narrow.access_token)).scopes).toEqual(['members:read']);
    const two = await token('vouchers:redeem members:read vouchers:redeem');
    expect(two.scope).toBe('members:read vouchers:redeem');
    // What the narrowed token may do is what its scope says, not what the client was granted.
    await expect(lookUp(narrow.access_token)).resolves.toEqual({
      userId: someone.userId,
      groupId: someone.groupId,
    });
    const onlyVouchers = await token('vouchers:redeem');
    await expect(lookUp(onlyVouchers.access_token)).resolves.toMatchObject({ userId: someone.userId });
    const admin = await send(RPC.auth.listApiClients, { caller: { accessToken: narrow.access_token } }).catch(
      (e: unknown) => e,
    );
    expect(admin).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a scope the client was not granted, or that does not exist: OAUTH_INVALID_SCOPE', async () => {
    const client = await createApiClient(auth.rpc, boss, ['members:read']);
    for (const scope of [
      'purchases:write',
      'members:read purchases:write',
      'admin',
      'members:read,purchases:write',
    ]) {
      const err = await refusal(issueClientToken(auth.rpc, client.clientId, client.clientSecret, scope));
      expect({ scope, code: err.code }).toEqual({ scope, code: 'OAUTH_INVALID_SCOPE' });
    }
  });

  it('refuses an unknown client, a wrong or retired secret and a revoked client alike: OAUTH_INVALID_CLIENT, the same message', async () => {
    const client = await createApiClient(auth.rpc, boss, ['members:read']);
    const other = await createApiClient(auth.rpc, boss, ['members:read']);
    const retired = await createApiClient(auth.rpc, boss, ['members:read']);
    for (let i = 0; i < 2; i++) {
      await send(RPC.auth.rotateApiClientSecret, {
        caller: boss.caller,
        params: { clientId: retired.clientId },
      });
    }
    const revoked = await createApiClient(auth.rpc, boss, ['members:read']);
    await send(RPC.auth.revokeApiClient, { caller: boss.caller, params: { clientId: revoked.clientId } });
    const cases: Array<[string, string, string, string?]> = [
      ['an unknown clientId', NOBODY, client.clientSecret],
      ['a clientId that is no UUID', 'till-42', client.clientSecret],
      ['a wrong secret', client.clientId, `lps_${'A'.repeat(43)}`],
      ['the secret in another case', client.clientId, client.clientSecret.toUpperCase()],
      ['another client’s secret', client.clientId, other.clientSecret],
      ['a secret two rotations back', retired.clientId, retired.clientSecret],
      ['a revoked client', revoked.clientId, revoked.clientSecret],
      // The client is authenticated before its scope is looked at.
      ['a wrong secret and a scope not granted', client.clientId, other.clientSecret, 'purchases:write'],
    ];
    const messages = new Set<string>();
    for (const [label, clientId, secret, scope] of cases) {
      const err = await refusal(issueClientToken(auth.rpc, clientId, secret, scope));
      expect({ label, code: err.code }).toEqual({ label, code: 'OAUTH_INVALID_CLIENT' });
      messages.add(err.message);
    }
    expect(messages.size).toBe(1);
    await expect(issueClientToken(auth.rpc, client.clientId, client.clientSecret)).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('refuses a malformed grant with VALIDATION_FAILED naming the field', async () => {
    const client = await createApiClient(auth.rpc, boss, ['members:read']);
    const cases: Array<[object, string]> = [
      [{ clientId: client.clientId }, 'clientSecret'],
      [{ clientSecret: client.clientSecret }, 'clientId'],
      [{ clientId: client.clientId, clientSecret: 42 }, 'clientSecret'],
      [{ clientId: client.clientId, clientSecret: client.clientSecret, scope: ['members:read'] }, 'scope'],
      [
        { clientId: client.clientId, clientSecret: client.clientSecret, grant_type: 'password' },
        'grant_type',
      ],
      [{ clientId: '', clientSecret: client.clientSecret }, 'clientId'],
    ];
    for (const [body, field] of cases) {
      const err = await refusal(send<ClientTokenDto>(RPC.auth.issueClientToken, { body }));
      expect({ body, code: err.code }).toEqual({ body, code: 'VALIDATION_FAILED' });
      expect(err.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it('20 concurrent requests of one client get 20 distinct tokens', async () => {
    const client = await createApiClient(auth.rpc, boss, ['members:read']);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => issueClientToken(auth.rpc, client.clientId, client.clientSecret)),
    );
    expect(new Set(answers.map((a) => decodeJwt(a.access_token).jti)).size).toBe(20);
  });

  it('no token issued while the client is being revoked survives the revocation', async () => {
    const client = await createApiClient(auth.rpc, boss, ['members:read']);
    const earlier = await issueClientToken(auth.rpc, client.clientId, client.clientSecret);
    await expect(lookUp(earlier.access_token)).resolves.toMatchObject({ userId: someone.userId });
    const [, ...racing] = await Promise.all([
      send(RPC.auth.revokeApiClient, { caller: boss.caller, params: { clientId: client.clientId } }),
      ...Array.from({ length: 15 }, () =>
        issueClientToken(auth.rpc, client.clientId, client.clientSecret).then(
          (answer) => answer.access_token,
          () => undefined,
        ),
      ),
    ]);
    const issued = [earlier.access_token, ...racing.filter((t): t is string => t !== undefined)];
    // A verifier that reads the list now refuses every one of them.
    await revocations.sync();
    for (const token of issued) {
      expect((await refusal(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
    }
    // And auth's own verifier, told by the broadcast, refuses them on its RPCs.
    await waitFor('auth to refuse the revoked client’s tokens', async () => {
      const outcomes = await Promise.all(
        issued.map((t) =>
          lookUp(t).then(
            () => 'ok',
            (e: { code?: string }) => e.code,
          ),
        ),
      );
      return outcomes.every((code) => code === 'UNAUTHENTICATED');
    });
  });
});
