import { useCallback } from 'react';
import { useApi, useResource } from '../api/context';
import { ApiError } from '../api/problem';
import type { GroupPoints, LedgerEntry, Page } from '../api/types';
import { navigate, useLocation } from '../router';
import { Pager, query, useCursorPages } from '../ui/Pager';
import { ErrorNotice, Loading } from '../ui/Status';
import { AdjustForm } from './points/AdjustForm';
import { Balance } from './points/Balance';
import { ExpiringSoon } from './points/ExpiringSoon';
import { GroupPicker } from './points/GroupPicker';
import { HistoryTable } from './points/HistoryTable';
import { TierStanding } from './points/TierStanding';

const HISTORY_PAGE_SIZE = 20;

/**
 * A group's points: balance by payer, pending points, tier, points expiring soon, ledger history,
 * and adjustments. The URL names the group.
 */
export function PointsPage() {
  const { search } = useLocation();
  const groupId = search.get('groupId')?.trim() ?? '';
  const pick = (id: string) => navigate(id ? `/points${query({ groupId: id })}` : '/points');

  return (
    <>
      <GroupPicker groupId={groupId} onPick={pick} />
      {groupId ? (
        <GroupView key={groupId} groupId={groupId} />
      ) : (
        <p className="muted">Enter a group id, or find a member, to see a group&apos;s points.</p>
      )}
    </>
  );
}

function GroupView({ groupId }: { groupId: string }) {
  const api = useApi();
  const group = `/v1/admin/groups/${encodeURIComponent(groupId)}`;
  const points = useResource(
    useCallback(() => api.get<GroupPoints>(`${group}/points`), [api, group]),
    group,
  );
  const pages = useCursorPages();
  const historyPath = `${group}/points/history${query({ limit: HISTORY_PAGE_SIZE, cursor: pages.cursor })}`;
  const history = useResource(
    useCallback(() => api.get<Page<LedgerEntry>>(historyPath), [api, historyPath]),
    historyPath,
  );

  // A wrong id is said once, plainly, instead of as three failed calls.
  if (points.error instanceof ApiError && points.error.status === 404)
    return (
      <p role="alert" className="notice notice-error">
        No group with id {groupId}.
      </p>
    );
  if (points.error instanceof ApiError && points.error.code === 'VALIDATION_FAILED')
    return (
      <p role="alert" className="notice notice-error">
        “{groupId}” is not a group id: group ids look like 3f2b8c1e-…-…, as the Users page shows them.
      </p>
    );

  function adjusted() {
    points.reload();
    pages.reset(); // the new entry is on the first page, newest first
    history.reload();
  }

  return (
    <>
      {points.loading && !points.data && <Loading what="the balance" />}
      <ErrorNotice error={points.error} title="The balance could not be loaded." onRetry={points.reload} />
      {points.data && !points.error && (
        <>
          <Balance points={points.data} />
          <div className="grid">
            <TierStanding tier={points.data.tier} />
            <ExpiringSoon items={points.data.expiringSoon} />
          </div>
        </>
      )}

      <section className="card" aria-labelledby="points-history">
        <h2 id="points-history">History</h2>
        {history.loading && <Loading what="the history" />}
        <ErrorNotice
          error={history.error}
          title="The history could not be loaded."
          onRetry={history.reload}
        />
        {history.data && !history.error && (
          <>
            <HistoryTable entries={history.data.items} />
            <Pager
              label="History"
              pageNumber={pages.pageNumber}
              nextCursor={history.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
      </section>

      <AdjustForm groupId={groupId} onAdjusted={adjusted} />
    </>
  );
}
