import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT, type JSONWebKeySet } from 'jose';
import { forgedTokens, publicPemOf, TOKEN_ATTACKS } from '@lib/testing';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksCache } from './jwks-cache';
import { JwksSource } from './jwks-source';
import { RevocationSource, TokenRevocations } from './token-revocations';

const settings = { issuer: 'loyalty-platform', audience: 'loyalty-api' };
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const signingKey = createPrivateKey(pem);
const KID = 'key-1';

class StaticJwks extends JwksSource {
  fetches = 0;
  constructor(private readonly set: () => Promise<JSONWebKeySet>) {
    super();
  }
  fetch() {
    this.fetches++;
    return this.set();
  }
}
const jwksOf = async (...keys: Array<{ pem: string; kid: string }>): Promise<JSONWebKeySet> => ({
  keys: await Promise.all(
    keys.map(async (k) => ({
      ...(await exportJWK(createPrivateKey(k.pem))),
      d: undefined,
      p: undefined,
      q: undefined,
      dp: undefined,
      dq: undefined,
      qi: undefined,
      kid: k.kid,
      alg: 'RS256',
      use: 'sig',
    })),
  ),
});

const token = (overrides: Record<string, unknown> = {}, kid = KID, key = signingKey) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ gid: 'g-1', roles: ['member'], ...overrides })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject('u-1')
    .setJti(`t-${Math.random()}`)
    .setIssuedAt(now)
    .setExpirationTime(now + 1800)
    .sign(key);
};

describe('access-token verification (jose, RS256 pinned)', () => {
  let source: StaticJwks;
  let verifier: AccessTokenVerifier;
  beforeEach(() => {
    source = new StaticJwks(() => jwksOf({ pem, kid: KID }));
    verifier = new AccessTokenVerifier(new JwksCache(source), settings);
  });

  it('accepts a genuine token and reads the caller from it', async () => {
    await expect(verifier.verify(await token())).resolves.toMatchObject({
      userId: 'u-1',
      groupId: 'g-1',
      roles: ['member'],
    });
  });

  it.each(TOKEN_ATTACKS)('refuses %s with UNAUTHENTICATED', async (attack) => {
    const attacks = await forgedTokens(await token(), { publicKeyPem: publicPemOf(pem), signingKey });
    await expect(verifier.verify(attacks[attack])).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses tokens with unknown roles or no group, and empty or oversized tokens', async () => {
    await expect(verifier.verify(await token({ roles: ['root'] }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(verifier.verify(await token({ gid: undefined }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(verifier.verify('')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify('a'.repeat(9000))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('picks up a rotated key on first sight of its kid, and rate-limits refetches for unknown kids', async () => {
    const next = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    let rotated = false;
    source = new StaticJwks(() =>
      rotated ? jwksOf({ pem: next, kid: 'key-2' }, { pem, kid: KID }) : jwksOf({ pem, kid: KID }),
    );
    verifier = new AccessTokenVerifier(new JwksCache(source, { unknownKidCooldownMs: 60_000 }), settings);
    await verifier.verify(await token());
    expect(source.fetches).toBe(1);
    rotated = true;
    await expect(verifier.verify(await token({}, 'key-2', createPrivateKey(next)))).resolves.toMatchObject({
      userId: 'u-1',
    });
    expect(source.fetches).toBe(2);
    await expect(verifier.verify(await token())).resolves.toMatchObject({ userId: 'u-1' }); // old key still published
    for (let i = 0; i < 5; i++) {
      await expect(verifier.verify(await token({}, `forged-${i}`))).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    // The rotation's refetch started the cooldown: the forged kids cost auth no fetch at all.
    expect(source.fetches).toBe(2);
  });

  it('answers 503, not 401, while auth cannot be asked for its keys, then accepts the same token', async () => {
    // A replica that just started has no keys yet, and auth is restarting (or the broker is).
    let authUp = false;
    source = new StaticJwks(() =>
      authUp ? jwksOf({ pem, kid: KID }) : Promise.reject(new Error('auth timed out')),
    );
    verifier = new AccessTokenVerifier(new JwksCache(source, { unknownKidCooldownMs: 60_000 }), settings);
    const valid = await token();
    await expect(verifier.verify(valid)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(verifier.verify(valid)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    // A failed fetch starts no cooldown: the next request asks again, and auth is back.
    authUp = true;
    await expect(verifier.verify(valid)).resolves.toMatchObject({ userId: 'u-1' });
    expect(source.fetches).toBe(3);
    // A forged token is still refused, never a 503, once the keys are known.
    await expect(verifier.verify(await token({}, 'forged'))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('serves a repeated token from the verified-token cache until it expires', async () => {
    let now = Date.now();
    verifier = new AccessTokenVerifier(new JwksCache(source), settings, {
      now: () => now,
      clockToleranceSeconds: 0,
    });
    const t = await token();
    const first = await verifier.verify(t);
    expect(await verifier.verify(t)).toBe(first); // the same object: no second verification
    now += 1801 * 1000;
    await expect(verifier.verify(t)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it("reads an API client's token: scopes, client id, no group", async () => {
    const clientToken = await token({
      gid: undefined,
      roles: ['client'],
      client_id: 'u-1',
      scope: 'purchases:write members:read',
    });
    await expect(verifier.verify(clientToken)).resolves.toMatchObject({
      userId: 'u-1',
      clientId: 'u-1',
      groupId: '',
      roles: ['client'],
      scopes: ['purchases:write', 'members:read'],
    });
  });

  it.each([
    [
      'a client token with a group',
      { gid: 'g-1', roles: ['client'], client_id: 'u-1', scope: 'purchases:write' },
    ],
    [
      'a client token for another client id',
      { gid: undefined, roles: ['client'], client_id: 'other', scope: 'purchases:write' },
    ],
    [
      'a client token with an unknown scope',
      { gid: undefined, roles: ['client'], client_id: 'u-1', scope: 'admin:all' },
    ],
    ['a client token with no scope', { gid: undefined, roles: ['client'], client_id: 'u-1', scope: '' }],
    [
      'a person token that is also a client',
      { roles: ['admin', 'client'], client_id: 'u-1', scope: 'purchases:write' },
    ],
    ['a person token carrying client_id', { client_id: 'u-1' }],
  ])('refuses %s', async (_what, claims) => {
    await expect(verifier.verify(await token(claims))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a revoked principal’s token even from the verified-token cache, and keeps its other callers', async () => {
    class Listed extends RevocationSource {
      async list() {
        return [];
      }
    }
    const revocations = new TokenRevocations(new Listed());
    verifier = new AccessTokenVerifier(new JwksCache(source), settings, {}, undefined, revocations);
    const held = await token();
    await verifier.verify(held); // now cached
    revocations.apply('u-1', Date.now() + 1000);
    await expect(verifier.verify(held)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(await token({}, KID, signingKey))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const someoneElse = new SignJWT({ gid: 'g-2', roles: ['member'] })
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setSubject('u-2')
      .setJti('t-2')
      .setIssuedAt()
      .setExpirationTime('30m')
      .sign(signingKey);
    await expect(verifier.verify(await someoneElse)).resolves.toMatchObject({ userId: 'u-2' });
  });
});
