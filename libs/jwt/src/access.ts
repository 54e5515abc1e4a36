import type { ApiClientScope } from '@lib/contracts';
import { Forbidden } from '@lib/errors';
import { AuthenticatedUser, PERSON_ROLES, PersonRole, isApiClient } from './authenticated-user';

/** Lets API clients holding `scope` in, next to whichever people roles a route names. */
export interface ClientGrant {
  clientScope: ApiClientScope;
}
export const client = (scope: ApiClientScope): ClientGrant => ({ clientScope: scope });

/** Who may use a route or RPC: people roles and client scopes. */
export type Access = PersonRole | ClientGrant;

/**
 * Refuses (403 FORBIDDEN) a caller the access list doesn't name. Safe by default: with no people
 * role named, people may use it only when no client grant is named either (`@Authenticated()` is
 * any person); API clients get in only through a scope named here, never by default.
 */
export function assertAccess(caller: AuthenticatedUser, access: readonly Access[]): void {
  const roles = access.filter((a): a is PersonRole => typeof a === 'string');
  const scopes = access.filter((a): a is ClientGrant => typeof a === 'object').map((g) => g.clientScope);
  if (isApiClient(caller)) {
    if (!scopes.length) throw new Forbidden('API clients cannot use this; it is for people who log in');
    if (!scopes.some((scope) => caller.scopes.includes(scope))) {
      throw new Forbidden(`this needs an API client with the ${scopes.join(' or ')} scope`);
    }
    return;
  }
  const people: readonly PersonRole[] = roles.length ? roles : scopes.length ? [] : PERSON_ROLES;
  if (people.some((role) => caller.roles.includes(role))) return;
  if (!people.length) throw new Forbidden(`this is for API clients with the ${scopes.join(' or ')} scope`);
  throw new Forbidden(`this needs the ${people.join(' or ')} role`);
}
