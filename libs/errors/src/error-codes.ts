/**
 * The catalogue of the public API's stable error codes: the HTTP status each maps to, its title,
 * when it happens and what to do, and the extra problem+json members it carries. Domain code
 * throws DomainError with one of these codes (through a factory); the gateway maps it to
 * problem+json once, and services map it to an RPC error once. docs/api.md's error table is
 * generated from this (`npm run docs:api`), and a test fails when the two differ.
 */
export interface ErrorCodeEntry {
  status: number;
  title: string;
  /** When a client gets it, and what to do next. */
  when: string;
  /** Extra problem+json members, by name: their JSON type and meaning. */
  fields?: Record<
    string,
    { type: 'string' | 'integer' | 'object' | 'array'; description: string; nullable?: boolean }
  >;
}

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'Validation failed',
    when: 'A body, query or path field broke a rule, or an unknown field was sent. `errors` names each field and its rule: fix those and send again.',
    fields: { errors: { type: 'array', description: '`[{field, message}]`, one per broken rule' } },
  },
  INVITE_INVALID: {
    status: 400,
    title: 'Invite invalid',
    when: 'The invite code is unknown, already used or expired. Ask a member of the group for a new one.',
    fields: { errors: { type: 'array', description: 'names `inviteCode`' } },
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication required',
    when: 'The access token is missing, malformed, expired, signed by an unknown key or revoked, or a refresh token is spent. Log in (or refresh) and retry.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    title: 'Invalid credentials',
    when: 'The username or password is wrong, or the account is disabled. The same answer for each, on purpose.',
  },
  OAUTH_INVALID_REQUEST: {
    status: 400,
    title: 'Invalid token request',
    when: 'Only on `POST /v1/oauth/token`, whose body is `{error: "invalid_request"}` (RFC 6749 §5.2): a parameter is missing or repeated, or the client authenticated in two ways at once.',
  },
  OAUTH_UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    title: 'Unsupported grant type',
    when: 'Only on `POST /v1/oauth/token` (`{error: "unsupported_grant_type"}`): the only grant is `client_credentials`.',
  },
  OAUTH_INVALID_SCOPE: {
    status: 400,
    title: 'Invalid scope',
    when: 'Only on `POST /v1/oauth/token` (`{error: "invalid_scope"}`): the client asked for a scope it was not granted. Ask for fewer, or have an admin create a client with it.',
  },
  OAUTH_INVALID_CLIENT: {
    status: 401,
    title: 'Invalid client',
    when: 'Only on `POST /v1/oauth/token` (`{error: "invalid_client"}`): the client id is unknown or revoked, or the secret is wrong or retired. The same answer for each, on purpose.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Forbidden',
    when: 'The caller is authenticated but lacks the role (or scope) the route needs, or asked an administrator to disable or demote themselves.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    when: "The resource doesn't exist, or belongs to another group or user (never told apart, so existence never leaks).",
  },
  USERNAME_TAKEN: {
    status: 409,
    title: 'Username taken',
    when: 'Another account has this username. Choose another.',
    fields: { errors: { type: 'array', description: 'names `username`' } },
  },
  EMAIL_TAKEN: {
    status: 409,
    title: 'Email taken',
    when: 'Another account has this email address.',
    fields: { errors: { type: 'array', description: 'names `email`' } },
  },
  GROUP_FULL: {
    status: 409,
    title: 'Group full',
    when: 'The group already has its 4 members.',
    fields: { maxMembers: { type: 'integer', description: 'how many people a group holds' } },
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    title: 'Idempotency conflict',
    when: 'This business id (purchaseId, redemptionId, transactionId, refundId, orderId) was already used with a different body. Use a new id for a new operation; resend the same body to get the first answer.',
  },
  CAMPAIGN_CONFLICT: {
    status: 409,
    title: 'Campaign conflict',
    when: 'Another active campaign with the same trigger overlaps this one in time, or an ENDED campaign was asked to restart. Pause or end the other campaign first.',
    fields: {
      conflictingCampaignId: {
        type: 'string',
        description: 'the campaign that overlaps, when that is the cause',
      },
      conflictingCampaign: {
        type: 'object',
        description: '`{campaignId, name}` of the campaign that overlaps, when that is the cause',
      },
    },
  },
  VOUCHER_ALREADY_REDEEMED: {
    status: 409,
    title: 'Voucher already redeemed',
    when: 'The voucher was redeemed for another order.',
  },
  NO_CODES_AVAILABLE: {
    status: 409,
    title: 'No codes available',
    when: 'Every code of the coupon book has been handed out.',
    fields: { couponBookId: { type: 'string', description: 'the book' } },
  },
  COUPON_LOCKED: {
    status: 409,
    title: 'Coupon locked',
    when: 'Another checkout holds the lock on this coupon. Retry after its lock expires.',
  },
  COUPON_ALREADY_REDEEMED: {
    status: 409,
    title: 'Coupon already redeemed',
    when: 'The coupon has been redeemed as often as its book allows.',
    fields: {
      maxRedemptionsPerUser: {
        type: 'integer',
        description: "the book's limit, when the caller has reached it",
      },
    },
  },
  LOCK_REQUIRED: {
    status: 409,
    title: 'Lock required',
    when: 'A coupon redemption came without a valid lock token (missing, expired, or taken over), or a lock release named a token that does not hold the live lock on the code (nothing was released). Lock the coupon, then redeem with the token.',
  },
  VOUCHER_EXPIRED: {
    status: 410,
    title: 'Voucher expired',
    when: 'The voucher is past its expiry.',
    fields: { expiresAt: { type: 'string', description: 'when it expired (ISO-8601)' } },
  },
  COUPON_BOOK_INACTIVE: {
    status: 410,
    title: 'Coupon book inactive',
    when: 'The coupon book is switched off, not started yet, or over.',
    fields: {
      couponBookId: { type: 'string', description: 'the book' },
      startsAt: { type: 'string', nullable: true, description: 'when it starts (ISO-8601)' },
      endsAt: { type: 'string', nullable: true, description: 'when it ends (ISO-8601)' },
    },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    when: 'The request has a body in a media type the route does not take (form-encoded, text, XML, or no `Content-Type` at all). Send the body as JSON with `Content-Type: application/json`; the few routes that take another type say so in the OpenAPI document.',
  },
  WEBHOOK_URL_FORBIDDEN: {
    status: 422,
    title: 'Webhook URL forbidden',
    when: "The webhook's URL is `http://` where the operator allows only `https://`, or its host is or resolves to a loopback, private, link-local, CGNAT or other non-public address the operator hasn't allowed (`WEBHOOKS_ALLOWED_PRIVATE_CIDRS`). Use a public https URL; nothing was saved.",
    fields: { errors: { type: 'array', description: 'names `url`' } },
  },
  UNKNOWN_MEMBER: {
    status: 422,
    title: 'Unknown member',
    when: 'An API client named a `userId` that is no member, or whose account is disabled. Check the id the member gave you; nothing was recorded.',
    fields: { errors: { type: 'array', description: 'names `userId`' } },
  },
  INSUFFICIENT_POINTS: {
    status: 422,
    title: 'Insufficient points',
    when: "The group's available balance is below the points requested.",
    fields: {
      available: { type: 'integer', description: 'the points the group can spend now' },
      requested: { type: 'integer', description: 'the points asked for' },
    },
  },
  REFUND_EXCEEDS_PURCHASE: {
    status: 422,
    title: 'Refund exceeds purchase',
    when: "The purchase's refunds would add up to more than its amount. `refundable` says what is left to refund; nothing was taken back.",
    fields: {
      refundable: { type: 'string', description: 'what is left to refund, in the purchase’s currency' },
      requestedAmount: { type: 'string', description: 'the amount asked for' },
      errors: { type: 'array', description: 'names `amount`' },
    },
  },
  REDEMPTION_AMBIGUOUS: {
    status: 409,
    title: 'Redemption ambiguous',
    when: 'An admin asked to reverse a redemptionId that several callers used (ids are scoped per member group or API client). Reverse it with the API client that made it.',
  },
  INSUFFICIENT_PAYER_POINTS: {
    status: 422,
    title: 'Insufficient payer points',
    when: "A negative payer transaction would take more than that payer's points in the group.",
    fields: {
      payer: { type: 'string', description: 'the payer' },
      available: { type: 'integer', description: "the payer's points in the group" },
      requested: { type: 'integer', description: 'the points that would be taken' },
    },
  },
  MAX_CODES_PER_USER: {
    status: 422,
    title: 'Max codes per user',
    when: 'The member already holds as many codes of this book as it allows.',
    fields: { maxCodesPerUser: { type: 'integer', description: "the book's limit" } },
  },
  PATTERN_CAPACITY: {
    status: 422,
    title: 'Pattern capacity',
    when: "The book's code pattern can't make `count` more unique codes. Ask for fewer, or use a book with a longer pattern.",
    fields: {
      capacity: { type: 'integer', description: 'how many codes the pattern can make in all' },
      existing: { type: 'integer', description: 'codes of the pattern that exist already' },
      requested: { type: 'integer', description: 'the count asked for' },
    },
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    when: 'A rate limit was reached. Wait for the `Retry-After` header’s seconds, then retry.',
    fields: { retryAfterSeconds: { type: 'integer', description: 'the same as `Retry-After`' } },
  },
  INTERNAL: {
    status: 500,
    title: 'Internal server error',
    when: 'An unexpected failure. Nothing about it is shown; quote `errorId` to the operator, who finds the cause in the logs under it.',
    fields: { errorId: { type: 'string', description: 'the id the failure is logged under' } },
  },
  UPSTREAM_UNAVAILABLE: {
    status: 503,
    title: 'Upstream service unavailable',
    when: 'A service behind the gateway, or the broker, is unreachable. Retry shortly; a create retried with the same business id is safe.',
  },
  LOCK_SERVICE_UNAVAILABLE: {
    status: 503,
    title: 'Lock service unavailable',
    when: 'Redis, which holds coupon locks, is unreachable. Nothing was locked or redeemed; retry shortly.',
  },
  NOT_READY: {
    status: 503,
    title: 'Not ready',
    when: 'The app is starting or one of its dependencies is down (`/health/ready`).',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    title: 'Upstream service timed out',
    when: 'A service did not answer within `RPC_TIMEOUT_MS`. The operation may still have happened: retry with the same business id, which returns its result if it did.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Each code's HTTP status. */
export const ERROR_STATUS = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [code, entry.status]),
) as { readonly [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['status'] };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** Where a code is documented: problem+json `type` URIs point here. */
export const PROBLEM_TYPE_BASE =
  'https://github.com/loyalty-platform/loyalty-platform/blob/main/docs/api.md#';

export function problemTypeOf(code: ErrorCode): string {
  return `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`;
}
