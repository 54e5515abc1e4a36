import { EnvReader } from '@lib/config';
import { MAX_VOUCHER_VALID_DAYS } from '@lib/contracts';

/** The DI token of CampaignSettings. */
export const CAMPAIGN_SETTINGS = Symbol('CAMPAIGN_SETTINGS');

/** Settings of campaigns and vouchers, read from the promotion service's environment at boot. */
export interface CampaignSettings {
  /** VOUCHER_VALID_DAYS: a voucher's validity when its campaign does not say. */
  defaultVoucherValidDays: number;
  /** VOUCHER_ISSUE_BATCH_SIZE: first-login events committed together in one transaction. */
  issueBatchSize: number;
  /** VOUCHER_ISSUE_PREFETCH: unacknowledged first-login events the consumer may hold. */
  issuePrefetch: number;
}

export function readCampaignSettings(env: NodeJS.ProcessEnv): CampaignSettings {
  const reader = new EnvReader(env);
  const issueBatchSize = reader.int('VOUCHER_ISSUE_BATCH_SIZE', 200, 1, 1000);
  const settings: CampaignSettings = {
    defaultVoucherValidDays: reader.int('VOUCHER_VALID_DAYS', 30, 1, MAX_VOUCHER_VALID_DAYS),
    issueBatchSize,
    issuePrefetch: reader.int('VOUCHER_ISSUE_PREFETCH', issueBatchSize * 2, 1, 5000),
  };
  if (settings.issuePrefetch < settings.issueBatchSize)
    reader.problem('VOUCHER_ISSUE_PREFETCH must be at least VOUCHER_ISSUE_BATCH_SIZE');
  reader.finish('promotion (campaigns)');
  return settings;
}
