import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthenticatedUser } from '../authenticated-user';
import { AccessTokenVerifier } from '../access-token-verifier';

/**
 * passport-jwt verifies with jsonwebtoken after asking for a key. We want jose's verification (and
 * its cache) instead, so our key provider verifies and hands back the claims wrapped in this
 * marker; the wrapped verifier below passes marked claims through and leaves any other
 * passport-jwt strategy in the process untouched.
 */
class AlreadyVerified {
  constructor(readonly user: AuthenticatedUser) {}
}

type VerifyFn = (
  token: string,
  key: unknown,
  options: unknown,
  done: (err: Error | null, payload?: unknown) => void,
) => void;
const strategyStatics = Strategy as unknown as { JwtVerifier: VerifyFn & { joseBridge?: true } };
if (!strategyStatics.JwtVerifier.joseBridge) {
  const original = strategyStatics.JwtVerifier;
  const bridged: VerifyFn & { joseBridge?: true } = (token, key, options, done) =>
    key instanceof AlreadyVerified ? done(null, key.user) : original(token, key, options, done);
  bridged.joseBridge = true;
  strategyStatics.JwtVerifier = bridged;
}

export const JWT_STRATEGY = 'jwt';

/** The passport-jwt strategy: Bearer token from the Authorization header, verified by jose. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(verifier: AccessTokenVerifier) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['RS256'],
      secretOrKeyProvider: (_req: unknown, rawJwt: string, done: (err: unknown, key?: string) => void) => {
        verifier.verify(rawJwt).then(
          (user) => done(null, new AlreadyVerified(user) as unknown as string),
          (err: unknown) => done(err),
        );
      },
    });
  }

  /** passport's last step: what becomes `request.user`. */
  validate(user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }
}
