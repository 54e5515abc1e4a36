import { ConfigError } from '@lib/config';
import { readCampaignSettings } from './campaigns.settings';

describe('readCampaignSettings', () => {
  it('has defaults', () => {
    expect(readCampaignSettings({})).toEqual({
      defaultVoucherValidDays: 30,
      issueBatchSize: 200,
      issuePrefetch: 400,
    });
  });

  it('reads the environment', () => {
    expect(
      readCampaignSettings({
        VOUCHER_VALID_DAYS: '7',
        VOUCHER_ISSUE_BATCH_SIZE: '10',
        VOUCHER_ISSUE_PREFETCH: '15',
      }),
    ).toEqual({ defaultVoucherValidDays: 7, issueBatchSize: 10, issuePrefetch: 15 });
  });

  it('lists every bad setting at once', () => {
    expect(() =>
      readCampaignSettings({
        VOUCHER_VALID_DAYS: '0',
        VOUCHER_ISSUE_BATCH_SIZE: '50',
        VOUCHER_ISSUE_PREFETCH: '10',
      }),
    ).toThrow(/VOUCHER_VALID_DAYS[\s\S]*VOUCHER_ISSUE_PREFETCH/);
    expect(() => readCampaignSettings({ VOUCHER_ISSUE_BATCH_SIZE: 'many' })).toThrow(ConfigError);
  });
});
