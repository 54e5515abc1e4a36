import { DomainError } from '@lib/errors';
import {
  acceptsSecret,
  ApiClient,
  grantedScopes,
  hashClientSecret,
  newClientSecret,
  PREVIOUS_SECRET_GRACE_MS,
  rotatedSecrets,
  toApiClientView,
} from './api-client';

const T0 = new Date(Date.UTC(2026, 11, 6, 9, 0, 0));
const at = (ms: number) => new Date(T0.getTime() + ms);

function clientWith(secret: string): ApiClient {
  return {
    clientId: 'c-1',
    name: 'Store 042 till',
    scopes: ['purchases:write', 'members:read'],
    status: 'ACTIVE',
    secretHash: hashClientSecret(secret),
    secretCreatedAt: T0,
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    createdAt: T0,
    revokedAt: null,
    lastTokenAt: null,
  };
}

function scopeError(run: () => unknown): DomainError | undefined {
  try {
    run();
  } catch (err) {
    return err as DomainError;
  }
  return undefined;
}

describe('API client secrets and scopes (domain)', () => {
  it('makes secrets of lps_ and 256 random bits, stored as a SHA-256 hex hash only', () => {
    const a = newClientSecret();
    const b = newClientSecret();
    expect(a).toMatch(/^lps_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashClientSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashClientSecret(a)).not.toContain(a.slice(4));
  });

  it('accepts the current secret only, never a near miss', () => {
    const secret = newClientSecret();
    const client = clientWith(secret);
    expect(acceptsSecret(client, secret, T0)).toBe(true);
    expect(acceptsSecret(client, `${secret}x`, T0)).toBe(false);
    expect(acceptsSecret(client, secret.slice(0, -1), T0)).toBe(false);
    expect(acceptsSecret(client, '', T0)).toBe(false);
  });

  it('after a rotation the previous secret works for 24 hours, to the millisecond, then stops', () => {
    const first = newClientSecret();
    const second = newClientSecret();
    const rotatedAt = at(3600_000);
    const client = {
      ...clientWith(first),
      ...rotatedSecrets(clientWith(first), hashClientSecret(second), rotatedAt),
    };
    expect(client.previousSecretExpiresAt).toEqual(new Date(rotatedAt.getTime() + PREVIOUS_SECRET_GRACE_MS));
    expect(acceptsSecret(client, second, rotatedAt)).toBe(true);
    expect(acceptsSecret(client, first, rotatedAt)).toBe(true);
    expect(acceptsSecret(client, first, at(3600_000 + PREVIOUS_SECRET_GRACE_MS - 1))).toBe(true);
    expect(acceptsSecret(client, first, at(3600_000 + PREVIOUS_SECRET_GRACE_MS))).toBe(false);
    expect(acceptsSecret(client, second, at(3600_000 + 10 * PREVIOUS_SECRET_GRACE_MS))).toBe(true);
  });

  it('a second rotation retires the secret before the previous one at once, within its grace', () => {
    const [first, second, third] = [newClientSecret(), newClientSecret(), newClientSecret()];
    let client = clientWith(first);
    client = { ...client, ...rotatedSecrets(client, hashClientSecret(second), at(1000)) };
    client = { ...client, ...rotatedSecrets(client, hashClientSecret(third), at(2000)) };
    expect(acceptsSecret(client, first, at(2000))).toBe(false);
    expect(acceptsSecret(client, second, at(2000))).toBe(true);
    expect(acceptsSecret(client, third, at(2000))).toBe(true);
  });

  it('grants every scope when none is asked for, else exactly those asked (in grant order, once each)', () => {
    const client = { scopes: ['purchases:write', 'members:read'] } as Pick<ApiClient, 'scopes'>;
    expect(grantedScopes(client)).toEqual(['purchases:write', 'members:read']);
    expect(grantedScopes(client, '')).toEqual(['purchases:write', 'members:read']);
    expect(grantedScopes(client, 'members:read')).toEqual(['members:read']);
    expect(grantedScopes(client, 'members:read purchases:write members:read')).toEqual([
      'purchases:write',
      'members:read',
    ]);
  });

  it.each([
    ['a scope the client was not granted', 'purchases:write vouchers:redeem', 'vouchers:redeem'],
    ['a scope that does not exist', 'admin', 'admin'],
    [
      'scopes separated by something other than a space',
      'purchases:write,members:read',
      'purchases:write,members:read',
    ],
  ])('refuses %s with OAUTH_INVALID_SCOPE naming it', (_label, requested, named) => {
    const client = { scopes: ['purchases:write', 'members:read'] } as Pick<ApiClient, 'scopes'>;
    const err = scopeError(() => grantedScopes(client, requested));
    expect(err).toBeInstanceOf(DomainError);
    expect(err?.code).toBe('OAUTH_INVALID_SCOPE');
    expect(err?.message).toContain(named);
  });

  it('shows administrators no secret and no hash, and the grace end only while it lasts', () => {
    const secret = newClientSecret();
    const client = {
      ...clientWith(secret),
      ...rotatedSecrets(clientWith(secret), hashClientSecret('x'), T0),
    };
    const view = toApiClientView(client, at(1000));
    expect(JSON.stringify(view)).not.toContain(client.secretHash);
    expect(JSON.stringify(view)).not.toContain(secret);
    expect(view).toEqual({
      clientId: 'c-1',
      name: 'Store 042 till',
      scopes: ['purchases:write', 'members:read'],
      status: 'ACTIVE',
      createdAt: T0.toISOString(),
      secretCreatedAt: T0.toISOString(),
      previousSecretExpiresAt: new Date(T0.getTime() + PREVIOUS_SECRET_GRACE_MS).toISOString(),
      lastTokenAt: null,
    });
    expect(toApiClientView(client, at(PREVIOUS_SECRET_GRACE_MS)).previousSecretExpiresAt).toBeNull();
  });
});
