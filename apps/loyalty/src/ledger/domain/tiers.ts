import { ValidationFailed, type FieldError } from '@lib/errors';
import { type Decimal, parseDecimal } from './money';

export interface Tier {
  name: string;
  minPoints: number;
  /** "1" to "10". */
  earnMultiplier: string;
}

/** The tier table (API.md, Tiers): a group's tier follows its qualifying points over a rolling window. */
export interface TierTable {
  qualifyingDays: number;
  tiers: Tier[];
}

export const DEFAULT_TIERS: TierTable = {
  qualifyingDays: 365,
  tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }],
};

/** Whether tiers change anything: with one tier at ×1, purchases skip the qualifying count. */
export function tiersMatter(table: TierTable): boolean {
  const only = parseDecimal(table.tiers[0].earnMultiplier)!;
  return table.tiers.length > 1 || only.units !== 10n ** BigInt(only.scale);
}

/** The highest tier whose minPoints `qualifying` reaches (the first tier is at 0). */
export function tierFor(table: TierTable, qualifying: number): Tier {
  let reached = table.tiers[0];
  for (const tier of table.tiers) if (qualifying >= tier.minPoints) reached = tier;
  return reached;
}

export function multiplierOf(tier: Tier): Decimal {
  return parseDecimal(tier.earnMultiplier)!;
}

export interface TierStanding {
  name: string;
  earnMultiplier: string;
  qualifyingPoints: number;
  nextTier: string | null;
  pointsToNextTier: number | null;
}

export function tierStanding(table: TierTable, qualifying: number): TierStanding {
  const tier = tierFor(table, qualifying);
  const next = table.tiers.find((t) => t.minPoints > qualifying) ?? null;
  return {
    name: tier.name,
    earnMultiplier: tier.earnMultiplier,
    qualifyingPoints: qualifying,
    nextTier: next?.name ?? null,
    pointsToNextTier: next ? next.minPoints - qualifying : null,
  };
}

/** The rules across tiers that the DTO can't state: 400 naming each offending field. */
export function checkTierTable(table: TierTable): TierTable {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  table.tiers.forEach((tier, i) => {
    if (i === 0 && tier.minPoints !== 0) {
      errors.push({
        field: 'tiers.0.minPoints',
        message: 'the first tier must have minPoints 0: every group is in a tier',
      });
    }
    if (i > 0 && tier.minPoints <= table.tiers[i - 1].minPoints) {
      errors.push({
        field: `tiers.${i}.minPoints`,
        message: `minPoints must be greater than the tier before it (${table.tiers[i - 1].minPoints}): list tiers from lowest to highest`,
      });
    }
    const name = tier.name.trim().toLowerCase();
    if (seen.has(name))
      errors.push({ field: `tiers.${i}.name`, message: `another tier is already named "${tier.name}"` });
    seen.add(name);
  });
  if (errors.length) throw new ValidationFailed(errors);
  return table;
}
