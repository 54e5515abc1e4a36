// What each scope lets a till or a partner do, in a line an administrator can choose by.
import type { ApiClientScope } from '../../api/types';

/**
 * Every scope, in the order the form offers them. A Record over the API's scopes: a scope added
 * to or removed from the API is a compile error here until this list follows.
 */
export const SCOPE_EXPLANATIONS: Record<ApiClientScope, string> = {
  'purchases:write': "Record a member's purchases so they earn points, and refund them (a till).",
  'redemptions:write': "Spend a member's points at the till, and reverse such a spend.",
  'payer-transactions:write':
    "Add or remove a payer's points in a group (a partner crediting its own points).",
  'vouchers:redeem': "Redeem a member's voucher against an order.",
  'members:read': "Read a member's points balance.",
};

export const SCOPES = Object.keys(SCOPE_EXPLANATIONS) as ApiClientScope[];

/** The 24 hours during which the old secret keeps working after a rotation (API.md). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/** The token request a client makes, with the secret read from CLIENT_SECRET (kept out of shell history). */
export function tokenRequestExample(origin: string, clientId: string): string {
  return [
    `curl -X POST ${origin}/v1/oauth/token \\`,
    `  -u "${clientId}:$CLIENT_SECRET" \\`,
    '  -d grant_type=client_credentials',
  ].join('\n');
}
