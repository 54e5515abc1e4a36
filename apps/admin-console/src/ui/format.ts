// How the console writes numbers and times, and reads the times admins type, on every page.

/** 1,500 — grouped the same way whatever the browser's locale, so figures line up across pages. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Dates as the tables show them: short, in the admin's own time zone; unreadable input as it is. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
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
