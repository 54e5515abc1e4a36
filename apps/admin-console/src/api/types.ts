// The shapes of the API that the console reads, under the console's own names. Each one is the
// gateway's schema from openapi.d.ts, which `npm run console:api-types` generates from the
// OpenAPI document (/docs-json) and a test keeps up to date: a change in the API's shapes is a
// compile error here and in the pages, not a surprise in the browser. (Not imported from
// libs/contracts: those are server classes, with class-validator and swagger decorators, that
// must not end up in the browser bundle.)
import type { components } from './openapi';
import type { Page } from '../ui/Pager';

export type { Page };

type Schemas = components['schemas'];

export type TokenPair = Schemas['TokenPairDto'];
export type Me = Schemas['MeDto'];

export type AdminUser = Schemas['AdminUserDto'];
export type Role = AdminUser['roles'][number];
/** The body of POST /v1/admin/users. */
export type EnrollUser = Schemas['EnrollUserDto'];
/** The body of PATCH /v1/admin/users/{userId}. */
export type UserUpdate = Schemas['UpdateUserDto'];

/**
 * Every role, in the order the forms offer them. A Record over the API's roles: a role added to
 * or removed from the API is a compile error here until this list follows.
 */
const ROLE_ORDER: Record<Role, number> = { member: 0, admin: 1 };
export const ROLES: readonly Role[] = (Object.keys(ROLE_ORDER) as Role[]).sort(
  (a, b) => ROLE_ORDER[a] - ROLE_ORDER[b],
);

/** GET /v1/admin/groups/{groupId}: the group and its members, by name. */
export type AdminGroup = Schemas['AdminGroupDto'];
export type GroupMember = AdminGroup['members'][number];

export type GroupPoints = Schemas['PointsDto'];
/** Points of one lot that expire within the policy's warning window. */
export type ExpiringPoints = GroupPoints['expiringSoon'][number];
/** The group's tier now, and how far the next one is. */
export type GroupTier = GroupPoints['tier'];
export type LedgerEntry = Schemas['LedgerEntryDto'];
export type LedgerEntryType = LedgerEntry['type'];
export type PayerTransaction = Schemas['PayerTransactionDto'];
/** The body of POST /v1/admin/groups/{groupId}/transactions. */
export type PayerTransactionRequest = Schemas['CreatePayerTransactionDto'];

/** GET /v1/admin/points-policy, and the body of its PUT: when points earned from now on wait and expire. */
export type PointsPolicy = Schemas['PointsPolicyDto'];
/** GET /v1/admin/tiers, and the body of its PUT. */
export type TierTable = Schemas['TiersDto'];
export type Tier = Schemas['TierDto'];

export type Campaign = Schemas['CampaignDto'];
export type CampaignStatus = Campaign['status'];

export type CouponBook = Schemas['CouponBookDto'];
export type GenerationJob = Schemas['GenerationJobDto'];
export type JobStatus = GenerationJob['status'];

export type AuditEntry = Schemas['AuditEntryDto'];
export type AuditVerification = Schemas['AuditVerificationDto'];

/** Each part is null when its service did not answer: the rest still shows. */
export type AdminStats = Schemas['AdminStatsDto'];

export type ApiClient = Schemas['ApiClientDto'];
export type ApiClientScope = ApiClient['scopes'][number];
/** The body of POST /v1/admin/api-clients. */
export type NewApiClient = Schemas['CreateApiClientDto'];
/** The answer to a create: the client and its secret, shown this once. */
export type CreatedApiClient = Schemas['CreatedApiClientDto'];
/** The answer to a rotation: the new secret, shown this once, and when the old one stops. */
export type RotatedSecret = Schemas['ApiClientSecretDto'];

export type Webhook = Schemas['WebhookDto'];
/** An event type an endpoint subscribes to, or `*` for every type (those added later too). */
export type WebhookEventChoice = Webhook['events'][number];
export type WebhookEventType = Exclude<WebhookEventChoice, '*'>;
/** The body of POST /v1/admin/webhooks. */
export type NewWebhook = Schemas['CreateWebhookDto'];
/** The body of PATCH /v1/admin/webhooks/{webhookId}. */
export type WebhookUpdate = Schemas['UpdateWebhookDto'];
/** The answer to a create: the endpoint and its signing secret, shown this once. */
export type CreatedWebhook = Schemas['CreatedWebhookDto'];
export type Delivery = Schemas['DeliveryDto'];
export type DeliveryStatus = Delivery['status'];
