// How the console writes numbers, words and times, and reads the times admins type, on every
// page: one format for each, so the same moment or figure reads the same everywhere.

/** 1,500 — grouped the same way whatever the browser's locale, so figures line up across pages. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 code", "2 codes", "1,500 codes": the count and the word that agrees with it. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
const DAY_UTC = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/**
 * The console's one way to write a moment: "6 Dec 2026, 14:05", in the admin's own time zone;
 * "—" for none; unreadable input as it is.
 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

/**
 * A calendar day in the same style: "6 Dec 2026". A bare `YYYY-MM-DD` (a birthday, a chart's day)
 * is that day wherever the admin is; a full timestamp is its day in the admin's time zone.
 */
export function formatDay(value: string | null | undefined): string {
  if (!value) return '—';
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(bare ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return (bare ? DAY_UTC : DAY).format(date);
}

/** "from 1 Mar 2026, 09:00 to 31 Mar 2026, 23:59"; open ends say so ("from … on, open-ended"). */
export function formatRange(startsAt: string | null | undefined, endsAt: string | null | undefined): string {
  if (!startsAt && !endsAt) return 'Always (no start or end)';
  if (!endsAt) return `From ${formatDate(startsAt)}, open-ended`;
  if (!startsAt) return `Until ${formatDate(endsAt)}`;
  return `${formatDate(startsAt)} to ${formatDate(endsAt)}`;
}

/**
 * A `datetime-local` value (the admin's own clock) as ISO-8601 UTC: `2026-03-01T09:30` →
 * `2026-03-01T08:30:00.000Z` in Paris. Empty is undefined (not sent); text that is not a date is
 * sent as typed so that the API's 400 names the field.
 */
export function localToIso(local: string): string | undefined {
  const text = local.trim();
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/**
 * Checked in the browser before a form is sent: a range whose end is not after its start (both
 * as typed into `datetime-local` or date inputs). Returns the message for the end field, or undefined.
 */
export function rangeProblem(starts: string, ends: string): string | undefined {
  if (!starts.trim() || !ends.trim()) return undefined;
  const from = new Date(starts).getTime();
  const to = new Date(ends).getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  return to > from ? undefined : 'The end must be after the start.';
}

/** A `YYYY-MM-DD` day after today (a birthday, say): the message to show, or undefined. */
export function futureDayProblem(day: string, now = new Date()): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day.trim())) return undefined;
  const today = now.toISOString().slice(0, 10);
  return day.trim() > today ? 'This date is in the future: enter a date up to today.' : undefined;
}
