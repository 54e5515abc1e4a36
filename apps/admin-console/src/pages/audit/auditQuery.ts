import type { SearchUpdates } from '../../router';
import { localToIso } from '../../ui/format';
import { query } from '../../ui/Pager';

export { localToIso };

/** The filters as typed: `from` and `to` are `datetime-local` values, in the admin's time zone. */
export interface AuditFilters {
  actorId: string;
  action: string;
  target: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { actorId: '', action: '', target: '', from: '', to: '' };

/** The filter fields, as the API names them in a 400's `errors[].field` and as the URL holds them. */
export const FILTER_FIELDS = ['actorId', 'action', 'target', 'from', 'to'] as const;

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

/**
 * The filters the URL holds (a reload, Back, a link from another page such as
 * `/audit-logs?target=group:…`); `from` and `to` as the admin typed them, in their own time.
 */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const filters = { ...NO_FILTERS };
  for (const field of FILTER_FIELDS) filters[field] = search.get(field) ?? '';
  return filters;
}

/** The URL changes that hold these filters (empty ones removed). */
export function searchOfFilters(filters: AuditFilters): SearchUpdates {
  const updates: SearchUpdates = {};
  for (const field of FILTER_FIELDS) updates[field] = filters[field].trim() || null;
  return updates;
}

/** The API's field errors that belong to a filter field (others are shown in the error notice). */
export function filterErrors(byField: Record<string, string>): Partial<Record<keyof AuditFilters, string>> {
  const out: Partial<Record<keyof AuditFilters, string>> = {};
  for (const field of FILTER_FIELDS) if (byField[field]) out[field] = byField[field];
  return out;
}
