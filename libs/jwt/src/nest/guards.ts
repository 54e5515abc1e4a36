import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ExtractJwt } from 'passport-jwt';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { DomainError, Forbidden, Unauthenticated } from '@lib/errors';
import { Access, assertAccess } from '../access';
import { AuthenticatedUser } from '../authenticated-user';
import { JWT_STRATEGY } from './passport-jwt.strategy';

/** Any failure to authenticate is the same 401 UNAUTHENTICATED problem. */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  override handleRequest<T = AuthenticatedUser>(err: unknown, user: T | false, info?: unknown): T {
    if (err instanceof DomainError) throw err;
    // passport-jwt hands the key provider's errors over as `info`: the verifier's own answer,
    // e.g. 503 while auth can't be asked for the revocation list, must not become a 401.
    if (info instanceof DomainError) throw info;
    if (err || !user) throw new Unauthenticated();
    return user;
  }
}

const ROLES_KEY = 'jwt:access';

/** Lets the request through only when the caller fits the route's access list: otherwise 403 FORBIDDEN. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const access =
      this.reflector.getAllAndOverride<Access[] | undefined>(ROLES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) throw new Forbidden('no authenticated caller');
    assertAccess(user, access);
    return true;
  }
}

/**
 * A route that needs a valid access token and a caller that `access` names: people roles, and
 * API clients by scope (`client('purchases:write')`). With none, any person and no API client.
 * A method's list replaces its class's.
 */
export function Authenticated(...access: Access[]): MethodDecorator & ClassDecorator {
  const roles = access.map((a) => (typeof a === 'string' ? a : `API client with ${a.clientScope}`));
  return applyDecorators(
    SetMetadata(ROLES_KEY, access),
    UseGuards(JwtAuthGuard, RolesGuard),
    ApiBearerAuth('bearer'),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: missing, invalid or expired token' }),
    ...(roles.length
      ? [ApiForbiddenResponse({ description: `FORBIDDEN: needs ${roles.join(' or ')}` })]
      : []),
  );
}

const bearerFromHeader = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * The raw bearer token, forwarded to services so they verify the caller themselves. Read the way
 * the strategy read it (scheme in any case), so the token forwarded is the one the guard checked.
 */
export const BearerToken = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  bearerFromHeader(context.switchToHttp().getRequest()),
);
