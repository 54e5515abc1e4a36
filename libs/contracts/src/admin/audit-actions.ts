/**
 * The `action` of every audit entry. Each service emits `audit.recorded` through its outbox, in
 * the same unit of work as the admin write it describes, so a change without its entry cannot
 * exist; the auth service appends the entries to the one hash-chained audit log.
 * `target` is `<kind>:<id>`, e.g. `group:6f1c…`, `campaign:…`, `coupon-book:…`, `user:…`.
 */
export const AUDIT_ACTIONS = {
  userEnrolled: 'user.enroll',
  userUpdated: 'user.update',
  apiClientCreated: 'api-client.create',
  apiClientSecretRotated: 'api-client.secret.rotate',
  apiClientRevoked: 'api-client.revoke',
  pointsAdjusted: 'points.adjust',
  pointsPolicyUpdated: 'points-policy.update',
  tiersUpdated: 'tiers.update',
  redemptionReversed: 'redemption.reverse',
  campaignCreated: 'campaign.create',
  campaignUpdated: 'campaign.update',
  couponBookCreated: 'coupon-book.create',
  /** Switched off or on again: details `{before, after}` statuses. */
  couponBookUpdated: 'coupon-book.update',
  couponCodesUploaded: 'coupon-book.codes.upload',
  generationJobCreated: 'coupon-book.generation-job.create',
  webhookCreated: 'webhook.create',
  webhookUpdated: 'webhook.update',
  webhookDeleted: 'webhook.delete',
  /** The dispatcher disabled an endpoint whose deliveries had all failed for 5 days. */
  webhookDisabledFailing: 'webhook.disable-failing',
} as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

export const auditTarget = (kind: string, id: string) => `${kind}:${id}`;
