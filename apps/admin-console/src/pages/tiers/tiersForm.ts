// The Tiers form: what it holds, its checks before the review, and the words of the review. The
// rules are API.md's ("Tiers") and the loyalty service's; errors are keyed as the API names its
// fields (`tiers.1.minPoints`), so the browser's and the API's show in the same places.
import type { Tier, TierTable } from '../../api/types';
import { formatCount, plural } from '../../ui/format';
import { wholeNumberIn } from '../../ui/wholeNumber';

export interface TierRow {
  /** React's key for the row: stays with the row when the rows above it are removed. */
  key: number;
  name: string;
  minPoints: string;
  earnMultiplier: string;
}

export interface TiersForm {
  qualifyingDays: string;
  tiers: TierRow[];
}

export type TierKey = 'name' | 'minPoints' | 'earnMultiplier';

/** The API's limits (TiersDto, TierDto). */
export const MAX_TIERS = 20;
const MAX_NAME = 40;
const MAX_MIN_POINTS = 1_000_000_000_000;

/**
 * "1" to "10" with at most 2 decimals: the same as EARN_MULTIPLIER_PATTERN in
 * libs/contracts/src/points/lifecycle.dto.ts (server code, not imported into the browser).
 */
export const EARN_MULTIPLIER_PATTERN = /^(?:10(?:\.0{1,2})?|[1-9](?:\.[0-9]{1,2})?)$/;

let lastKey = 0;

export function newRow(tier?: Tier): TierRow {
  return {
    key: ++lastKey,
    name: tier?.name ?? '',
    minPoints: tier ? String(tier.minPoints) : '',
    earnMultiplier: tier?.earnMultiplier ?? '',
  };
}

export function formOf(table: TierTable): TiersForm {
  return { qualifyingDays: String(table.qualifyingDays), tiers: table.tiers.map((tier) => newRow(tier)) };
}

/** `tiers.1.minPoints`: the API's name for a field of the second tier. */
export function tierField(index: number, key: TierKey): string {
  return `tiers.${index}.${key}`;
}

const FIELD_WORDS: Record<TierKey, string> = {
  name: 'name',
  minPoints: 'minimum points',
  earnMultiplier: 'earn multiplier',
};

/**
 * An API field name in the form's words, for a sentence: `tiers.1.minPoints` → "Tier 2 minimum
 * points", `qualifyingDays` → "Qualifying days", `tiers.3` → "Tier 4".
 */
export function tierFieldLabel(field: string): string {
  if (field === 'qualifyingDays') return 'Qualifying days';
  if (field === 'tiers') return 'The tiers';
  const match = /^tiers\.(\d+)(?:\.(name|minPoints|earnMultiplier))?$/.exec(field);
  if (!match) return field;
  const row = `Tier ${Number(match[1]) + 1}`;
  return match[2] ? `${row} ${FIELD_WORDS[match[2] as TierKey]}` : row;
}

/** "Tier 2 minimum points must be at least 1." — one of the API's field errors as a sentence. */
export function tierErrorSentence(field: string, message: string): string {
  const text = `${tierFieldLabel(field)} ${message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export type CheckedTiers = { ok: true; table: TierTable } | { ok: false; errors: Record<string, string> };

/**
 * Checks the form: a qualifying window of 1–3650 days, 1–20 tiers, the first at 0 points, each
 * higher than the one before, names unique (as the service compares them: trimmed, any case),
 * multipliers from "1" to "10".
 */
export function checkTiers(form: TiersForm): CheckedTiers {
  const errors: Record<string, string> = {};
  const qualifyingDays = wholeNumberIn(form.qualifyingDays, 1, 3650);
  if (qualifyingDays === undefined) errors.qualifyingDays = 'Enter a whole number of days from 1 to 3650.';
  if (form.tiers.length === 0)
    errors.tiers = 'Add at least one tier: the first, at 0 points, is every group’s.';
  if (form.tiers.length > MAX_TIERS) errors.tiers = `There can be at most ${MAX_TIERS} tiers.`;

  const names = new Map<string, string>();
  let previous: number | undefined;
  const tiers = form.tiers.map((row, i): Tier => {
    const name = row.name.trim();
    const folded = name.toLowerCase();
    if (!name) errors[tierField(i, 'name')] = 'Enter a name.';
    else if (name.length > MAX_NAME) errors[tierField(i, 'name')] = `Use at most ${MAX_NAME} characters.`;
    else if (names.has(folded))
      errors[tierField(i, 'name')] =
        `Another tier is already named “${names.get(folded)}”: names must differ.`;
    else names.set(folded, name);

    const minPoints = wholeNumberIn(row.minPoints, 0, MAX_MIN_POINTS);
    if (minPoints === undefined)
      errors[tierField(i, 'minPoints')] = 'Enter a whole number of points, 0 or more.';
    else if (i === 0 && minPoints !== 0)
      errors[tierField(i, 'minPoints')] = 'The first tier starts at 0 points: every group is in a tier.';
    else if (i > 0 && previous !== undefined && minPoints <= previous)
      errors[tierField(i, 'minPoints')] =
        `Enter more than the tier above (${formatCount(previous)}): list tiers from lowest to highest.`;
    // Each row is compared with the nearest readable one above it, as the service compares them.
    if (minPoints !== undefined) previous = minPoints;

    const earnMultiplier = row.earnMultiplier.trim();
    if (!EARN_MULTIPLIER_PATTERN.test(earnMultiplier))
      errors[tierField(i, 'earnMultiplier')] =
        'Enter a multiplier from 1 to 10 with at most 2 decimals, like 1.5.';

    return { name, minPoints: minPoints ?? 0, earnMultiplier };
  });

  if (qualifyingDays === undefined || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, table: { qualifyingDays, tiers } };
}

/** The review's question: "Save 3 tiers, counting qualifying points over the last 365 days?" */
export function describeTiers(table: TierTable): string {
  const count = plural(table.tiers.length, 'tier');
  const days = table.qualifyingDays === 1 ? 'day' : plural(table.qualifyingDays, 'day');
  return `Save ${count}, counting qualifying points over the last ${days}?`;
}

export function sameTiers(a: TierTable, b: TierTable): boolean {
  return (
    a.qualifyingDays === b.qualifyingDays &&
    a.tiers.length === b.tiers.length &&
    a.tiers.every(
      (tier, i) =>
        tier.name === b.tiers[i].name &&
        tier.minPoints === b.tiers[i].minPoints &&
        tier.earnMultiplier === b.tiers[i].earnMultiplier,
    )
  );
}
