import { useEffect, useState } from 'react';
import { useApi, useResource } from '../api/context';
import { ApiError } from '../api/problem';
import type { AuditEntry, Page } from '../api/types';
import { setSearch, useLocation } from '../router';
import { rangeProblem } from '../ui/format';
import { focusFirstProblem } from '../ui/focus';
import { Pager, useCursorPages } from '../ui/Pager';
import { ErrorNotice, Loading } from '../ui/Status';
import { AuditTable } from './audit/AuditTable';
import { ChainVerification } from './audit/ChainVerification';
import { FiltersForm } from './audit/FiltersForm';
import type { AuditFilters } from './audit/auditQuery';
import {
  NO_FILTERS,
  auditLogPath,
  filterErrors,
  filtersFromSearch,
  searchOfFilters,
} from './audit/auditQuery';
import './audit/audit.css';

const PAGE_SIZE = 25;

/**
 * Every admin write, newest first, filterable; and a check of the log's hash chain. The filters
 * and the page are in the URL, so Back, a reload and a shared link show the same entries.
 */
export function AuditLogPage() {
  const api = useApi();
  const { search } = useLocation();
  const applied = filtersFromSearch(search);
  const appliedKey = JSON.stringify(applied);
  const [draft, setDraft] = useState<AuditFilters>(applied);
  // A range the browser refuses before asking (the end not after the start).
  const [rangeError, setRangeError] = useState<string>();
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const pages = useCursorPages();
  const path = auditLogPath(applied, { limit: PAGE_SIZE, cursor: pages.cursor });
  const list = useResource(() => api.get<Page<AuditEntry>>(path), path);

  // Back and Forward change the filters in the URL: the form follows.
  useEffect(() => {
    setDraft(JSON.parse(appliedKey) as AuditFilters);
    setRangeError(undefined);
  }, [appliedKey]);

  const refused = list.error instanceof ApiError && list.error.status === 400;
  const errors = {
    ...(refused ? filterErrors((list.error as ApiError).byField()) : {}),
    ...(rangeError ? { to: rangeError } : {}),
  };
  const besideFields = Object.keys(errors).length > 0;

  // After a refusal, the keyboard goes to the first filter to fix.
  useEffect(() => {
    if (besideFields) focusFirstProblem(form);
  }, [besideFields, list.error, rangeError, form]);

  function apply(filters: AuditFilters) {
    const problem = rangeProblem(filters.from, filters.to);
    setDraft(filters);
    setRangeError(problem);
    if (problem) return;
    setSearch({ ...searchOfFilters(filters), ...pages.resetUpdates });
    list.reload(); // the same filters again still fetch afresh
  }

  return (
    <>
      <FiltersForm
        value={draft}
        onChange={setDraft}
        onApply={apply}
        onClear={() => apply(NO_FILTERS)}
        errors={errors}
        formRef={setForm}
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
              total={list.data.total}
              pageSize={PAGE_SIZE}
              noun={['entry', 'entries']}
            />
          </>
        )}
      </section>
      <ChainVerification />
    </>
  );
}
