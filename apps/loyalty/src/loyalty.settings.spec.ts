import { ConfigError } from '@lib/config';
import { readLoyaltySettings } from './loyalty.settings';

describe('loyalty settings (pure)', () => {
  it('defaults to 1 point per currency unit and USD', () => {
    expect(readLoyaltySettings({})).toMatchObject({
      earnRate: { units: 1n, scale: 0 },
      defaultCurrency: 'USD',
    });
  });

  it('reads LOYALTY_EARN_RATE as a decimal and LOYALTY_DEFAULT_CURRENCY', () => {
    const settings = readLoyaltySettings({ LOYALTY_EARN_RATE: '2.75', LOYALTY_DEFAULT_CURRENCY: 'EUR' });
    expect(settings).toMatchObject({ earnRate: { units: 275n, scale: 2 }, defaultCurrency: 'EUR' });
  });

  it('names every bad setting at once', () => {
    const attempt = () => readLoyaltySettings({ LOYALTY_EARN_RATE: '1e3', LOYALTY_DEFAULT_CURRENCY: 'euro' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/LOYALTY_EARN_RATE must be a decimal/);
    expect(attempt).toThrow(/LOYALTY_DEFAULT_CURRENCY must be an ISO-4217 code/);
  });
});
