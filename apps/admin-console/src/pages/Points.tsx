import { useCallback } from 'react';
import { useApi, useResource } from '../api/context';
import { ApiError } from '../api/problem';
import type { GroupPoints, LedgerEntry, Page } from '../api/types';
import { setSearch, useLocation } from '../router';
import { Pager, query, useCursorPages } from '../ui/Pager';
import { ErrorNotice, Loading } from '../ui/Status';
import { AdjustForm } from './points/AdjustForm';
import { Balance } from './points/Balance';
import { ExpiringSoon } from './points/ExpiringSoon';
import type { AdminGroup } from './points/group';
import { GroupPicker } from './points/GroupPicker';
import { GroupSummary } from './points/GroupSummary';
import { HistoryTable } from './points/HistoryTable';
import { TierStanding } from './points/TierStanding';
import './points/points.css';

const HISTORY_PAGE_SIZE = 20;
/** The history's pager in the URL: `historyPage`, `historyCursor` (the member search is a list too). */
const HISTORY_PAGER = 'history';

/**
 * A group's points: its members, balance by payer, pending points, tier, points expiring soon,
 * ledger history, and adjustments. The URL names the group (`groupId`), the member search
 * (`member`) and the history's page.
 */
export function PointsPage() {
  const { search } = useLocation();
  // `?group=` is read too, for links that use the short name.
  const groupId = (search.get('groupId') ?? search.get('group') ?? '').trim();
  const memberSearch = search.get('member')?.trim() ?? '';
  const { resetUpdates } = useCursorPages(HISTORY_PAGER);
  const pick = (id: string) => setSearch({ groupId: id, ...resetUpdates });
  const find = (text: string) => setSearch({ member: text });
  return (
    <>
      <GroupPicker groupId={groupId} memberSearch={memberSearch} onPick={pick} onSearch={find} />
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
  const groupPath = `/v1/admin/groups/${encodeURIComponent(groupId)}`;
  const group = useResource(
    useCallback(() => api.get<AdminGroup>(groupPath), [api, groupPath]),
    groupPath,
  );
  const points = useResource(
    useCallback(() => api.get<GroupPoints>(`${groupPath}/points`), [api, groupPath]),
    `${groupPath}/points`,
  );
  const pages = useCursorPages(HISTORY_PAGER);
  const historyPath = `${groupPath}/points/history${query({ limit: HISTORY_PAGE_SIZE, cursor: pages.cursor })}`;
  const history = useResource(
    useCallback(() => api.get<Page<LedgerEntry>>(historyPath), [api, historyPath]),
    historyPath,
  );

  // A wrong id is said once, plainly, instead of as three failed calls; and nothing can be adjusted.
  const failures = [group.error, points.error, history.error];
  if (failures.some((e) => e instanceof ApiError && e.status === 404))
    return (
      <div role="alert" className="notice notice-error unknown-group">
        <strong>No group has this id.</strong> Check <code>{groupId}</code>, or find the group by one of its
        members above.
      </div>
    );
  if (failures.some((e) => e instanceof ApiError && e.code === 'VALIDATION_FAILED'))
    return (
      <p role="alert" className="notice notice-error unknown-group">
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
      {group.loading && !group.data && <Loading what="the group" />}
      <ErrorNotice
        error={group.error}
        title="The group's members could not be loaded."
        onRetry={group.reload}
      />
      {group.data && <GroupSummary group={group.data} />}
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
              total={history.data.total}
              pageSize={HISTORY_PAGE_SIZE}
              noun={['entry', 'entries']}
            />
          </>
        )}
      </section>
      {/* Only a group that exists, with its balance read, can be adjusted: the review shows before and after. */}
      {group.data && points.data && (
        <AdjustForm
          group={group.data}
          balance={points.data.balance}
          byPayer={points.data.byPayer}
          onAdjusted={adjusted}
        />
      )}
    </>
  );
}
