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
import { AuthenticatedUser, Role } from '../authenticated-user';
import { JWT_STRATEGY } from './passport-jwt.strategy';

/** Any failure to authenticate is the same 401 UNAUTHENTICATED problem. */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  override handleRequest<T = AuthenticatedUser>(err: unknown, user: T | false): T {
    if (err instanceof DomainError) throw err;
    if (err || !user) throw new Unauthenticated();
    return user;
  }
}

const ROLES_KEY = 'jwt:roles';

/** Lets the request through only when the token carries one of `roles`: otherwise 403 FORBIDDEN. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!needed?.length) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (user && needed.some((role) => user.roles.includes(role))) return true;
    throw new Forbidden(`this needs the ${needed.join(' or ')} role`);
  }
}

/** A route that needs a valid access token, and one of `roles` when given. */
export function Authenticated(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
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
