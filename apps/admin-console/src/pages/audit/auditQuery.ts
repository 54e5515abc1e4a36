import { query } from '../../ui/Pager';

/** The filters as typed: `from` and `to` are `datetime-local` values, in the admin's time zone. */
export interface AuditFilters {
  actorId: string;
  action: string;
  target: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { actorId: '', action: '', target: '', from: '', to: '' };

/** The filter fields as the API names them in a 400's `errors[].field`. */
export const FILTER_FIELDS = ['actorId', 'action', 'target', 'from', 'to'] as const;

import { localToIso } from '../../ui/format';

export { localToIso };

/** The list call for these filters and page; empty filters are left out. */
export function auditLogPath(filters: AuditFilters, page: { limit: number; cursor?: string }): string {
  return `/v1/admin/audit-logs${query({
    actorId: filters.actorId.trim(),
    action: filters.action.trim(),
    target: filters.target.trim(),
    from: localToIso(filters.from),
    to: localToIso(filters.to),
    limit: page.limit,
    cursor: page.cursor,
  })}`;
}

/** Filters another page linked to, e.g. `/audit-logs?target=group:…`. */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  return {
    ...NO_FILTERS,
    actorId: search.get('actorId') ?? '',
    action: search.get('action') ?? '',
    target: search.get('target') ?? '',
  };
}

/** The API's field errors that belong to a filter field (others are shown in the error notice). */
export function filterErrors(byField: Record<string, string>): Partial<Record<keyof AuditFilters, string>> {
  const out: Partial<Record<keyof AuditFilters, string>> = {};
  for (const field of FILTER_FIELDS) if (byField[field]) out[field] = byField[field];
  return out;
}

/** Past this many characters the details are folded into a <details>. */
export const LONG_DETAILS = 60;

export function compactJson(details: unknown): string {
  return JSON.stringify(details ?? {});
}

/** An ISO time in the admin's locale and time zone; unreadable input is shown as it is. */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
