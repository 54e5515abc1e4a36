import { errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { API_CLIENT_SCOPES, type ApiClientScope } from '@lib/contracts';
import { DomainError, Unauthenticated, UpstreamUnavailable } from '@lib/errors';
import { AuthenticatedUser, JwtSettings, PERSON_ROLES, PersonRole } from './authenticated-user';
import { JwksCache, KeySetUnavailable } from './jwks-cache';
import { TokenRevocations } from './token-revocations';
import { VerifiedTokenCache } from './verified-token-cache';

const MAX_TOKEN_LENGTH = 8192;

/**
 * Verifies access tokens locally: RS256 only (pinned, so `alg: none` and HS256-with-the-public-key
 * fail), the key chosen by `kid` from auth's JWKS, and `iss`, `aud` and `exp` checked, then the
 * principal's revocation time (TokenRevocations), on every call, cached or not. Every failure is
 * the same 401 UNAUTHENTICATED; the reason goes to logs through `onRejected` only.
 */
export class AccessTokenVerifier {
  private readonly cache: VerifiedTokenCache<AuthenticatedUser>;
  private readonly clockTolerance: number;
  private readonly now: () => number;

  constructor(
    private readonly jwks: JwksCache,
    private readonly settings: JwtSettings,
    options: { cacheSize?: number; clockToleranceSeconds?: number; now?: () => number } = {},
    private readonly onRejected: (reason: string) => void = () => undefined,
    /** Without it (unit tests of other parts), nothing is ever revoked. */
    private readonly revocations?: TokenRevocations,
  ) {
    this.cache = new VerifiedTokenCache(options.cacheSize ?? 10_000, options.now);
    this.clockTolerance = options.clockToleranceSeconds ?? 5;
    this.now = options.now ?? Date.now;
  }

  async verify(token: string | undefined): Promise<AuthenticatedUser> {
    if (!token || token.length > MAX_TOKEN_LENGTH) throw unauthenticated('no bearer token');
    const cached = this.cache.get(token);
    if (cached) return this.unlessRevoked(token, cached);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: ['RS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        clockTolerance: this.clockTolerance,
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      if (err instanceof KeySetUnavailable) throw new UpstreamUnavailable(err.message);
      this.onRejected(err instanceof errors.JOSEError ? err.code : String(err));
      throw unauthenticated('the access token is invalid or expired');
    }
    const user = toUser(payload);
    if (!user) {
      this.onRejected('ERR_CLAIMS_SHAPE');
      throw unauthenticated('the access token is invalid or expired');
    }
    await this.revocations?.ensureLoaded();
    this.cache.set(token, user);
    return this.unlessRevoked(token, user);
  }

  private unlessRevoked(token: string, user: AuthenticatedUser): AuthenticatedUser {
    if (!this.revocations?.refuses(user)) return user;
    this.cache.delete(token);
    this.onRejected('REVOKED');
    throw unauthenticated('the access token was revoked: log in again');
  }

  private async keyFor(header: JWTHeaderParameters) {
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw new errors.JWSInvalid('no RS256 kid');
    const key = await this.jwks.key(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  }
}

/**
 * The caller a token's claims describe, or undefined when they don't fit either shape: a person
 * (`gid` and people roles) or an API client (`roles: ["client"]`, `client_id` equal to `sub` and
 * known scopes). A token mixing the two is refused.
 */
function toUser(payload: JWTPayload): AuthenticatedUser | undefined {
  const { sub, gid, roles, jti, exp, iat, client_id, scope } = payload as JWTPayload & {
    gid?: unknown;
    roles?: unknown;
    client_id?: unknown;
    scope?: unknown;
  };
  if (typeof sub !== 'string' || typeof jti !== 'string' || !exp || typeof iat !== 'number') return undefined;
  if (!Array.isArray(roles) || roles.length === 0) return undefined;
  const base = { userId: sub, tokenId: jti, issuedAt: iat, expiresAt: exp };
  if (roles.length === 1 && roles[0] === 'client') {
    if (client_id !== sub || gid !== undefined || typeof scope !== 'string') return undefined;
    const scopes = scope.split(' ').filter(Boolean);
    if (
      !scopes.length ||
      !scopes.every((s): s is ApiClientScope => (API_CLIENT_SCOPES as readonly string[]).includes(s))
    ) {
      return undefined;
    }
    return { ...base, groupId: '', roles: ['client'], scopes, clientId: sub };
  }
  if (typeof gid !== 'string' || client_id !== undefined) return undefined;
  if (!roles.every((r): r is PersonRole => (PERSON_ROLES as readonly unknown[]).includes(r)))
    return undefined;
  return { ...base, groupId: gid, roles, scopes: [] };
}

function unauthenticated(message: string): DomainError {
  return new Unauthenticated(message);
}
