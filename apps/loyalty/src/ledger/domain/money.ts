import { ValidationFailed } from '@lib/errors';

/**
 * Money as decimal strings and points as integers: amounts are parsed into scaled BigInts and
 * never pass through a float, so `floor(amount × rate)` is exact ("0.29" × 100 is 29, not 28).
 */
export interface Decimal {
  /** The value × 10^scale. */
  units: bigint;
  scale: number;
}

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** The biggest purchase amount accepted, in whole currency units (integer digits of the amount). */
export const MAX_AMOUNT_INTEGER_DIGITS = 9;

export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { units: BigInt(match[1] + fraction), scale: fraction.length };
}

/** ISO-4217 minor units (2 for USD, 0 for JPY, 3 for BHD), or undefined for an unknown code. */
export function currencyMinorUnits(currency: string): number | undefined {
  const known = MINOR_UNITS.get(currency);
  if (known !== undefined || !KNOWN_CURRENCIES.has(currency)) return known;
  // Building a NumberFormat costs far more than a purchase's arithmetic: once per currency.
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  MINOR_UNITS.set(currency, digits);
  return digits;
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const MINOR_UNITS = new Map<string, number>();

export interface Amount {
  /** Normalized to the currency's minor units: "12.5" USD is "12.50". */
  text: string;
  value: Decimal;
}

/** A purchase amount: positive, at most 999999999 units, no more decimals than the currency has. */
export function parseAmount(text: string, currency: string): Amount {
  const minorUnits = currencyMinorUnits(currency);
  if (minorUnits === undefined) {
    throw new ValidationFailed([
      { field: 'currency', message: `currency ${currency} is not an ISO-4217 code` },
    ]);
  }
  const value = parseDecimal(text);
  const fail = (message: string) => new ValidationFailed([{ field: 'amount', message }]);
  if (!value) throw fail('amount must be a decimal string like "12.50"');
  const integerDigits = text.split('.')[0].length;
  if (integerDigits > MAX_AMOUNT_INTEGER_DIGITS) {
    throw fail(`amount must be at most ${'9'.repeat(MAX_AMOUNT_INTEGER_DIGITS)} ${currency}`);
  }
  if (value.scale > minorUnits) {
    throw fail(`amount must have at most ${minorUnits} decimal places for ${currency}`);
  }
  if (value.units === 0n) throw fail('amount must be greater than 0');
  const units = value.units * 10n ** BigInt(minorUnits - value.scale);
  return { text: formatUnits(units, minorUnits), value: { units, scale: minorUnits } };
}

function formatUnits(units: bigint, scale: number): string {
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** An earn rate from configuration: a positive decimal of at most 6 decimal places, at most 1000. */
export function parseEarnRate(text: string): Decimal | undefined {
  const rate = parseDecimal(text.trim());
  if (!rate || rate.scale > 6 || rate.units === 0n) return undefined;
  if (rate.units > 1000n * 10n ** BigInt(rate.scale)) return undefined;
  return rate;
}

/** floor(amount × rate), exactly. */
export function earnedPoints(amount: Decimal, rate: Decimal): number {
  const product = amount.units * rate.units;
  return Number(product / 10n ** BigInt(amount.scale + rate.scale));
}

/** a × b, exactly (an earn rate times a tier's multiplier: the rate a purchase earns at). */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function formatDecimal(value: Decimal): string {
  const text = formatUnits(value.units, value.scale);
  return value.scale === 0 ? text : text.replace(/\.?0+$/, '');
}

/** An amount in minor units as text ("4.00"): what refunds add up and compare in. */
export function formatMinor(units: number, minorUnits: number): string {
  return formatUnits(BigInt(units), minorUnits);
}
