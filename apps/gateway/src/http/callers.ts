import { DECORATORS } from '@nestjs/swagger';
import type { ApiClientScope } from '@lib/contracts';
import { Access, Authenticated, ClientGrant } from '@lib/jwt';

/** The OpenAPI security schemes: people's bearer tokens, and API clients' OAuth 2.0 tokens. */
export const BEARER_SCHEME = 'bearer';
export const OAUTH2_SCHEME = 'oauth2';
/** HTTP Basic, as API clients may authenticate to the token endpoint (else with the form's fields). */
export const CLIENT_BASIC_SCHEME = 'clientBasic';

/** What each scope lets an API client do: the oauth2 scheme's scope descriptions. */
export const SCOPE_DESCRIPTIONS: Record<ApiClientScope, string> = {
  'purchases:write':
    "Record a member's purchases (POST /v1/purchases), which earn points, and refund them (POST /v1/purchases/{purchaseId}/refunds)",
  'redemptions:write':
    "Spend a member's points (POST /v1/redemptions naming userId) and reverse those redemptions (POST /v1/redemptions/{redemptionId}/reversal)",
  'payer-transactions:write':
    "Add or remove a payer's points in a group (POST /v1/admin/groups/{groupId}/transactions)",
  'vouchers:redeem':
    "Redeem a member's voucher for an order (POST /v1/vouchers/{voucherId}/redeem naming userId)",
  'members:read': "Read a member's points (GET /v1/members/{userId}/points)",
};

const isGrant = (a: Access): a is ClientGrant => typeof a === 'object';

/**
 * Who may call a route: `@Authenticated(...access)` (people roles, and API clients by scope with
 * `client(scope)`; none = any person), and the OpenAPI document says the same. A route people may
 * use lists the bearer scheme; one API clients may use lists the oauth2 scheme with the scopes that
 * let them in, and a route for API clients only lists nothing else. A method's list replaces its
 * class's. Its 401 and 403 are the route's own problem responses (ApiProblems), not
 * Authenticated()'s descriptions, which @nestjs/swagger would otherwise merge into them.
 */
export function CalledBy(...access: Access[]): MethodDecorator & ClassDecorator {
  const scopes = access.filter(isGrant).map((grant) => grant.clientScope);
  const people = access.length === 0 || access.some((a) => !isGrant(a));
  const security = [
    ...(people ? [{ [BEARER_SCHEME]: [] }] : []),
    // One requirement per scope: any one of them lets a client in (assertAccess).
    ...scopes.map((scope) => ({ [OAUTH2_SCHEME]: [scope] })),
  ];
  const authenticated = Authenticated(...access);
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor ? descriptor.value : target;
    const responses: unknown = Reflect.getMetadata(DECORATORS.API_RESPONSE, holder);
    authenticated(target as never, key as never, descriptor as never);
    if (responses === undefined) Reflect.deleteMetadata(DECORATORS.API_RESPONSE, holder);
    else Reflect.defineMetadata(DECORATORS.API_RESPONSE, responses, holder);
    Reflect.defineMetadata(DECORATORS.API_SECURITY, security, holder);
  };
}
