import { useState } from 'react';
import { useApi, useResource } from '../api/context';
import { ApiError } from '../api/problem';
import type { AuditEntry, Page } from '../api/types';
import { useLocation } from '../router';
import { Pager, useCursorPages } from '../ui/Pager';
import { ErrorNotice, Loading } from '../ui/Status';
import { AuditTable } from './audit/AuditTable';
import { ChainVerification } from './audit/ChainVerification';
import { FiltersForm } from './audit/FiltersForm';
import type { AuditFilters } from './audit/auditQuery';
import { NO_FILTERS, auditLogPath, filterErrors, filtersFromSearch } from './audit/auditQuery';

const PAGE_SIZE = 25;

/** Every admin write, newest first, filterable; and a check of the log's hash chain. */
export function AuditLogPage() {
  const api = useApi();
  const { search } = useLocation();
  const [draft, setDraft] = useState<AuditFilters>(() => filtersFromSearch(search));
  const [applied, setApplied] = useState<AuditFilters>(draft);
  // Counts applications, so that "Apply filters" reloads even when the filters did not change.
  const [applications, setApplications] = useState(0);
  const pages = useCursorPages();
  const path = auditLogPath(applied, { limit: PAGE_SIZE, cursor: pages.cursor });
  const list = useResource(() => api.get<Page<AuditEntry>>(path), `${applications}:${path}`);

  function apply(filters: AuditFilters) {
    setDraft(filters);
    setApplied(filters);
    setApplications((n) => n + 1);
    pages.reset();
  }

  const errors =
    list.error instanceof ApiError && list.error.status === 400 ? filterErrors(list.error.byField()) : {};
  const besideFields = Object.keys(errors).length > 0;

  return (
    <>
      <FiltersForm
        value={draft}
        onChange={setDraft}
        onApply={apply}
        onClear={() => apply(NO_FILTERS)}
        errors={errors}
      />
      <section className="card" aria-labelledby="audit-entries">
        <h2 id="audit-entries">Entries</h2>
        {list.loading && <Loading what="audit entries" />}
        {besideFields ? (
          <p role="alert" className="notice notice-error">
            Some filters were refused; see the message beside each one.
          </p>
        ) : (
          <ErrorNotice error={list.error} onRetry={list.reload} title="The audit log could not be loaded." />
        )}
        {list.data && !list.error && (
          <>
            {list.data.items.length === 0 ? (
              <p className="muted">No entries match these filters.</p>
            ) : (
              <AuditTable
                entries={list.data.items}
                busy={list.loading}
                onFilter={(filter) => apply({ ...applied, ...filter })}
              />
            )}
            <Pager
              label="Audit log"
              pageNumber={pages.pageNumber}
              nextCursor={list.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
      </section>
      <ChainVerification />
    </>
  );
}
