import { errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { DomainError, Unauthenticated } from '@lib/errors';
import { AuthenticatedUser, JwtSettings, ROLES, Role } from './authenticated-user';
import { JwksCache } from './jwks-cache';
import { VerifiedTokenCache } from './verified-token-cache';

const MAX_TOKEN_LENGTH = 8192;

/**
 * Verifies access tokens locally: RS256 only (pinned, so `alg: none` and HS256-with-the-public-key
 * fail), the key chosen by `kid` from auth's JWKS, and `iss`, `aud` and `exp` checked. Every
 * failure is the same 401 UNAUTHENTICATED; the reason goes to logs through `onRejected` only.
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
  ) {
    this.cache = new VerifiedTokenCache(options.cacheSize ?? 10_000, options.now);
    this.clockTolerance = options.clockToleranceSeconds ?? 5;
    this.now = options.now ?? Date.now;
  }

  async verify(token: string | undefined): Promise<AuthenticatedUser> {
    if (!token || token.length > MAX_TOKEN_LENGTH) throw unauthenticated('no bearer token');
    const cached = this.cache.get(token);
    if (cached) return cached;
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
      this.onRejected(err instanceof errors.JOSEError ? err.code : String(err));
      throw unauthenticated('the access token is invalid or expired');
    }
    const user = toUser(payload);
    if (!user) {
      this.onRejected('ERR_CLAIMS_SHAPE');
      throw unauthenticated('the access token is invalid or expired');
    }
    this.cache.set(token, user);
    return user;
  }

  private async keyFor(header: JWTHeaderParameters) {
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw new errors.JWSInvalid('no RS256 kid');
    const key = await this.jwks.key(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  }
}

function toUser(payload: JWTPayload): AuthenticatedUser | undefined {
  const { sub, gid, roles, jti, exp } = payload as JWTPayload & { gid?: unknown; roles?: unknown };
  if (typeof sub !== 'string' || typeof gid !== 'string' || typeof jti !== 'string' || !exp) return undefined;
  if (!Array.isArray(roles) || !roles.every((r): r is Role => (ROLES as readonly unknown[]).includes(r))) {
    return undefined;
  }
  return { userId: sub, groupId: gid, roles, tokenId: jti, expiresAt: exp };
}

function unauthenticated(message: string): DomainError {
  return new Unauthenticated(message);
}
