import { rangeProblem } from '../../ui/format';
import type { CampaignForm } from './campaignBody';

/** The fields the create form shows beside their inputs (their problems are not repeated below it). */
export const CAMPAIGN_FIELDS = [
  'name',
  'description',
  'discountPercent',
  'voucherLimit',
  'voucherValidDays',
  'startsAt',
  'endsAt',
  'trigger',
] as const;

const WHOLE = /^\d+$/;

/** A whole number from `min` (to `max`) as typed, or the plain-words problem with it. */
function wholeProblem(text: string, what: string, min: number, max?: number): string | undefined {
  const value = text.trim();
  const range = max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
  if (!WHOLE.test(value)) return `Enter ${what}: a whole number ${range}.`;
  const n = Number(value);
  if (n < min || (max !== undefined && n > max)) return `Enter ${what}: a whole number ${range}.`;
  return undefined;
}

/**
 * What the browser can tell before sending a new campaign, in plain words, keyed by field (the API
 * checks again; these only save a round trip and say it the way an admin thinks of it).
 */
export function campaignFormProblems(form: CampaignForm, now = new Date()): Record<string, string> {
  const problems: Record<string, string | undefined> = {
    name: form.name.trim() ? undefined : 'Enter a name for the campaign.',
    discountPercent: wholeProblem(form.discountPercent, 'the discount in percent', 1, 100),
    voucherLimit: wholeProblem(form.voucherLimit, 'the most vouchers it may issue', 1),
    voucherValidDays: form.voucherValidDays.trim()
      ? wholeProblem(form.voucherValidDays, 'how many days a voucher stays valid', 1)
      : undefined,
    endsAt: rangeProblem(form.startsAt, form.endsAt) ?? pastEnd(form.endsAt, now),
  };
  return Object.fromEntries(Object.entries(problems).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

/** An end already behind us: the API refuses it (endsAt must be in the future). */
function pastEnd(ends: string, now: Date): string | undefined {
  if (!ends.trim()) return undefined;
  const at = new Date(ends).getTime();
  if (Number.isNaN(at)) return undefined;
  return at > now.getTime() ? undefined : 'The end has passed: choose a moment in the future.';
}
