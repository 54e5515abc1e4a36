// The audit actions the services record, copied from libs/contracts/src/admin/audit-actions.ts
// (the console does not import server code). Offered as suggestions only: the Action filter
// still accepts any text, so an action added later is not locked out.
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
  'coupon-book.codes.upload',
  'coupon-book.generation-job.create',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.disable-failing',
] as const;
