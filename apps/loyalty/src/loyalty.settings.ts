import { EnvReader } from '@lib/config';
import { currencyMinorUnits, Decimal, parseEarnRate } from './ledger/domain/money';

/** The loyalty service's own settings, on top of PlatformConfig. Read once at boot. */
export class LoyaltySettings {
  constructor(
    /** Points per currency unit: pointsEarned = floor(amount × earnRate). */
    readonly earnRate: Decimal,
    /** The currency of a purchase that names none. */
    readonly defaultCurrency: string,
    /** How often each replica writes down expired points and rolled tiers (the sweep). */
    readonly sweepSeconds = 60,
  ) {}
}

export function readLoyaltySettings(env: NodeJS.ProcessEnv = process.env): LoyaltySettings {
  const reader = new EnvReader(env);
  const rateText = reader.get('LOYALTY_EARN_RATE') || '1';
  const earnRate = parseEarnRate(rateText);
  if (!earnRate) {
    reader.problem(
      `LOYALTY_EARN_RATE must be a decimal like "1" or "0.5" (greater than 0, at most 1000, at most 6 decimals); got "${rateText}"`,
    );
  }
  const defaultCurrency = reader.get('LOYALTY_DEFAULT_CURRENCY') || 'USD';
  if (currencyMinorUnits(defaultCurrency) === undefined) {
    reader.problem(`LOYALTY_DEFAULT_CURRENCY must be an ISO-4217 code like USD; got "${defaultCurrency}"`);
  }
  const sweepText = reader.get('POINTS_EXPIRY_SWEEP_SECONDS') || '60';
  const sweepSeconds = Number(sweepText);
  if (!/^[0-9]+$/.test(sweepText) || sweepSeconds < 1 || sweepSeconds > 3600) {
    reader.problem(
      `POINTS_EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600; got "${sweepText}"`,
    );
  }
  reader.finish('loyalty');
  return new LoyaltySettings(earnRate ?? { units: 1n, scale: 0 }, defaultCurrency, sweepSeconds || 60);
}
