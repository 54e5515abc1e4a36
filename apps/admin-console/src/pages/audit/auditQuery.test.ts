import {
  NO_FILTERS,
  auditLogPath,
  filterErrors,
  filtersFromSearch,
  localToIso,
  searchOfFilters,
} from './auditQuery';

describe('audit log query', () => {
  it('turns a local datetime-local value into ISO UTC', () => {
    expect(localToIso('2026-03-01T09:30')).toBe(new Date(2026, 2, 1, 9, 30).toISOString());
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('  ')).toBeUndefined();
    expect(localToIso('yesterday')).toBe('yesterday');
  });

  it('asks for the first page with no filters', () => {
    expect(auditLogPath(NO_FILTERS, { limit: 25 })).toBe('/v1/admin/audit-logs?limit=25');
  });

  it('sends the filled filters only, trimmed, with times in UTC, and the cursor', () => {
    const path = auditLogPath(
      { actorId: ' admin-1 ', action: 'user.update', target: '', from: '2026-03-01T09:30', to: '' },
      { limit: 25, cursor: 'abc' },
    );
    const params = new URLSearchParams(path.split('?')[1]);
    expect(path.startsWith('/v1/admin/audit-logs?')).toBe(true);
    expect(Object.fromEntries(params)).toEqual({
      actorId: 'admin-1',
      action: 'user.update',
      from: new Date(2026, 2, 1, 9, 30).toISOString(),
      limit: '25',
      cursor: 'abc',
    });
  });

  it('encodes a target with its colon', () => {
    expect(auditLogPath({ ...NO_FILTERS, target: 'user:1 2' }, { limit: 5 })).toBe(
      '/v1/admin/audit-logs?target=user%3A1+2&limit=5',
    );
  });

  it('reads the filters a URL carries, and writes them back', () => {
    const filters = filtersFromSearch(new URLSearchParams('target=group:g1&from=2026-03-01T09:30&page=2'));
    expect(filters).toEqual({ ...NO_FILTERS, target: 'group:g1', from: '2026-03-01T09:30' });
    expect(searchOfFilters({ ...filters, action: ' webhook.* ' })).toEqual({
      actorId: null,
      action: 'webhook.*',
      target: 'group:g1',
      from: '2026-03-01T09:30',
      to: null,
    });
  });

  it('keeps the field errors that belong to a filter', () => {
    expect(filterErrors({ from: 'from must be an ISO-8601 date-time', limit: 'too big' })).toEqual({
      from: 'from must be an ISO-8601 date-time',
    });
  });
});
