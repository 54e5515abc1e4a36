import { EnvReader } from '@lib/config';
import { MAX_VOUCHER_VALID_DAYS } from '@lib/contracts';

/** Settings of campaigns and vouchers, read from the promotion service's environment at boot. */
export class CampaignSettings {
  constructor(
    /** VOUCHER_VALID_DAYS: a voucher's validity when its campaign does not say. */
    readonly defaultVoucherValidDays: number,
    /** VOUCHER_ISSUE_BATCH_SIZE: first-login events committed together in one transaction. */
    readonly issueBatchSize: number,
    /** VOUCHER_ISSUE_PREFETCH: unacknowledged first-login events the consumer may hold. */
    readonly issuePrefetch: number,
  ) {}
}

export function readCampaignSettings(env: NodeJS.ProcessEnv = process.env): CampaignSettings {
  const reader = new EnvReader(env);
  const defaultVoucherValidDays = reader.int('VOUCHER_VALID_DAYS', 30, 1, MAX_VOUCHER_VALID_DAYS);
  const issueBatchSize = reader.int('VOUCHER_ISSUE_BATCH_SIZE', 200, 1, 1000);
  const issuePrefetch = reader.int('VOUCHER_ISSUE_PREFETCH', issueBatchSize * 2, 1, 5000);
  if (issuePrefetch < issueBatchSize)
    reader.problem('VOUCHER_ISSUE_PREFETCH must be at least VOUCHER_ISSUE_BATCH_SIZE');
  reader.finish('promotion (campaigns)');
  return new CampaignSettings(defaultVoucherValidDays, issueBatchSize, issuePrefetch);
}
