// The audit actions the services record, copied from AUDIT_ACTIONS in
// libs/contracts/src/admin/audit-actions.ts (the console does not import server code): keep the
// two in step. Offered as suggestions only: the Action filter still accepts any text, so an
// action added later is not locked out.
export const AUDIT_ACTIONS = [
  'user.enroll',
  'user.update',
  'api-client.create',
  'api-client.secret.rotate',
  'api-client.revoke',
  'points.adjust',
  'points-policy.update',
  'tiers.update',
  'redemption.reverse',
  'campaign.create',
  'campaign.update',
  'coupon-book.create',
  'coupon-book.update',
  'coupon-book.codes.upload',
  'coupon-book.generation-job.create',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.disable-failing',
] as const;

/**
 * A prefix filter (`webhook.*`) for each family of two or more actions: the API matches every
 * action that starts with what comes before a trailing `*`.
 */
export const AUDIT_ACTION_PREFIXES: readonly string[] = [
  ...new Set(AUDIT_ACTIONS.map((action) => `${action.split('.')[0]}.*`)),
].filter((prefix) => AUDIT_ACTIONS.filter((a) => a.startsWith(prefix.slice(0, -1))).length > 1);
