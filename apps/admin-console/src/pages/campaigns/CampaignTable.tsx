import { useCallback, useEffect, useRef, useState } from 'react';
import { useAction, useApi, useResource } from '../../api/context';
import type { Campaign, CampaignStatus } from '../../api/types';
import { useSearchParam } from '../../router';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { revealRow, useFocusOnResult } from '../../ui/focus';
import { Pager, query, useCursorPages } from '../../ui/Pager';
import type { Page } from '../../ui/Pager';
import { ErrorNotice, Loading, Success } from '../../ui/Status';
import { CampaignProblem } from './CampaignProblem';
import { campaignRowId, CampaignRow } from './CampaignRow';
import type { CampaignAction } from './CampaignRow';

export { actionsFor } from './CampaignRow';

const PAGE_SIZE = 20;
const TARGET: Record<CampaignAction, CampaignStatus> = { Pause: 'PAUSED', Resume: 'ACTIVE', End: 'ENDED' };
const DONE: Record<CampaignAction, string> = { Pause: 'paused', Resume: 'resumed', End: 'ended' };

/**
 * The campaigns, a page at a time (page in the URL), with pause / resume / end. `?campaign=<id>`
 * (a conflict's link, a create) highlights that campaign's row and scrolls to it; one that is not
 * on this page is shown pinned above the others. `createdId` reloads the list after a create.
 */
export function CampaignTable({ createdId }: { createdId?: string }) {
  const api = useApi();
  const pages = useCursorPages();
  const [linkedId] = useSearchParam('campaign');
  const listKey = `${pages.cursor ?? ''}:${createdId ?? ''}`;
  const list = useResource(
    () => api.get<Page<Campaign>>(`/v1/admin/campaigns${query({ limit: PAGE_SIZE, cursor: pages.cursor })}`),
    listKey,
  );
  const onThisPage = list.data?.items.some((c) => c.campaignId === linkedId);
  const needsPin = !!linkedId && !!list.data && !list.loading && !onThisPage;
  const pinned = useResource(
    () =>
      needsPin
        ? api.get<Campaign>(`/v1/admin/campaigns/${encodeURIComponent(linkedId)}`)
        : Promise.resolve(undefined),
    `${linkedId}:${needsPin}:${listKey}`,
  );
  const [confirming, setConfirming] = useState<Campaign>();
  const [done, setDone] = useState<string>();
  const [failed, setFailed] = useState('');
  const [outcome, setOutcome] = useState<object>();
  const card = useFocusOnResult<HTMLElement>(outcome);

  // Scrolls to the linked row once it is drawn, once per link and list (not after every reload).
  const revealed = useRef('');
  const linkedShown = !!linkedId && (!!onThisPage || !!pinned.data);
  useEffect(() => {
    const key = `${linkedId}:${listKey}`;
    if (!linkedShown || revealed.current === key) return;
    revealed.current = key;
    revealRow(campaignRowId(linkedId));
  }, [linkedShown, linkedId, listKey]);

  const change = useAction(
    useCallback(
      (campaign: Campaign, action: CampaignAction) =>
        api.patch<Campaign>(`/v1/admin/campaigns/${encodeURIComponent(campaign.campaignId)}`, {
          status: TARGET[action],
        }),
      [api],
    ),
  );

  async function act(campaign: Campaign, action: CampaignAction) {
    setDone(undefined);
    setFailed(`Could not ${action.toLowerCase()} “${campaign.name}”.`);
    const updated = await change.run(campaign, action);
    setConfirming(undefined);
    setOutcome({});
    if (!updated) return;
    setDone(`Campaign “${campaign.name}” ${DONE[action]}.`);
    list.reload();
    pinned.reload();
  }

  function choose(campaign: Campaign, action: CampaignAction) {
    setDone(undefined);
    change.setError(undefined);
    if (action === 'End') setConfirming(campaign);
    else void act(campaign, action);
  }

  const rows = [...(needsPin && pinned.data ? [pinned.data] : []), ...(list.data?.items ?? [])];
  const total = list.data?.total;

  return (
    <section className="card" aria-labelledby="campaign-list" ref={card}>
      <h2 id="campaign-list">All campaigns</h2>
      {confirming && (
        <ConfirmPanel
          label="Confirm ending the campaign"
          confirmText="Confirm end"
          pendingText="Ending…"
          pending={change.pending}
          onConfirm={() => void act(confirming, 'End')}
          onCancel={() => setConfirming(undefined)}
        >
          <p>
            <strong>End “{confirming.name}”?</strong> It will give no more vouchers, and this cannot be
            undone; vouchers already given stay valid.
          </p>
        </ConfirmPanel>
      )}
      <CampaignProblem error={change.error} title={failed} />
      {done && <Success>{done}</Success>}
      {list.loading && !list.data && <Loading what="campaigns" />}
      <ErrorNotice error={list.error} onRetry={list.reload} title="The campaigns could not be loaded." />
      <ErrorNotice error={pinned.error} title="The linked campaign could not be found." />
      {list.data && rows.length === 0 && <p className="muted">No campaigns yet.</p>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Campaigns">
            <thead>
              <tr>
                <th>Actions</th>
                <th>Campaign</th>
                <th>Status</th>
                <th className="num">Discount</th>
                <th>Issued of limit</th>
                <th className="num">Remaining</th>
                <th className="num">Redeemed</th>
                <th>Runs</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <CampaignRow
                  key={c.campaignId}
                  campaign={c}
                  highlighted={c.campaignId === linkedId}
                  busy={change.pending}
                  onChoose={choose}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Campaigns"
        pageNumber={pages.pageNumber}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        total={total}
        pageSize={PAGE_SIZE}
        noun={['campaign', 'campaigns']}
      />
    </section>
  );
}
