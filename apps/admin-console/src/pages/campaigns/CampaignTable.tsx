import { useCallback, useEffect, useRef, useState } from 'react';
import { useAction, useApi, useResource } from '../../api/context';
import type { Campaign, CampaignStatus, Page } from '../../api/types';
import { Pager, query, useCursorPages } from '../../ui/Pager';
import { ProgressBar } from '../../ui/ProgressBar';
import { ErrorNotice, Loading, Success } from '../../ui/Status';
import { formatCount, formatDate } from './formValues';

type Action = 'Pause' | 'Resume' | 'End';

const TARGET: Record<Action, CampaignStatus> = { Pause: 'PAUSED', Resume: 'ACTIVE', End: 'ENDED' };
const DONE: Record<Action, string> = { Pause: 'paused', Resume: 'resumed', End: 'ended' };

/** What an admin may do to a campaign in this status (ENDED is final). */
export function actionsFor(status: CampaignStatus): Action[] {
  if (status === 'ACTIVE') return ['Pause', 'End'];
  if (status === 'PAUSED') return ['Resume', 'End'];
  return [];
}

/** The campaigns, a page at a time, with pause / resume / end. `version` changes after a create. */
export function CampaignTable({ version }: { version: number }) {
  const api = useApi();
  const pages = useCursorPages();
  const { reset } = pages;
  const list = useResource(
    () => api.get<Page<Campaign>>(`/v1/admin/campaigns${query({ limit: 20, cursor: pages.cursor })}`),
    `${pages.cursor ?? ''}:${version}`,
  );
  const [confirming, setConfirming] = useState<Campaign>();
  const [done, setDone] = useState<string>();
  const [failed, setFailed] = useState<string>();
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => reset(), [version, reset]);
  useEffect(() => confirmButton.current?.focus(), [confirming]);

  const change = useAction(
    useCallback(
      (campaign: Campaign, action: Action) =>
        api.patch<Campaign>(`/v1/admin/campaigns/${encodeURIComponent(campaign.campaignId)}`, {
          status: TARGET[action],
        }),
      [api],
    ),
  );

  async function act(campaign: Campaign, action: Action) {
    setDone(undefined);
    setFailed(`Could not ${action.toLowerCase()} “${campaign.name}”.`);
    setConfirming(undefined);
    const updated = await change.run(campaign, action);
    if (!updated) return;
    setDone(`Campaign “${campaign.name}” ${DONE[action]}.`);
    list.reload();
  }

  function choose(campaign: Campaign, action: Action) {
    if (action === 'End') {
      setDone(undefined);
      change.setError(undefined);
      setConfirming(campaign);
    } else void act(campaign, action);
  }

  return (
    <section className="card" aria-labelledby="campaign-list">
      <h2 id="campaign-list">All campaigns</h2>
      {confirming && (
        <div className="card confirm" role="group" aria-label="Confirm ending the campaign">
          <p>
            <strong>End {confirming.name}?</strong> No more vouchers are issued; this cannot be undone.
          </p>
          <div className="actions">
            <button
              ref={confirmButton}
              type="button"
              className="danger"
              disabled={change.pending}
              onClick={() => void act(confirming, 'End')}
            >
              Confirm end
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorNotice error={change.error} title={failed} />
      {done && <Success>{done}</Success>}
      {list.loading && !list.data && <Loading what="campaigns" />}
      <ErrorNotice error={list.error} onRetry={list.reload} title="The campaigns could not be loaded." />
      {list.data && list.data.items.length === 0 && <p className="muted">No campaigns yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th className="num">Discount</th>
                <th className="num">Issued</th>
                <th className="num">Remaining</th>
                <th className="num">Redeemed</th>
                <th>Issued of limit</th>
                <th>Starts</th>
                <th>Ends</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.campaignId}>
                  <td>
                    {c.name}
                    {c.description && <div className="muted">{c.description}</div>}
                  </td>
                  <td>
                    <span className={`badge badge-${c.status}`}>{c.status}</span>
                  </td>
                  <td className="num">{c.discountPercent}%</td>
                  <td className="num">{formatCount(c.issued)}</td>
                  <td className="num">{formatCount(c.remaining)}</td>
                  <td className="num">{formatCount(c.redeemed)}</td>
                  <td className="campaign-progress">
                    <ProgressBar label={`${c.name} issued`} value={c.issued} max={c.voucherLimit} />
                    <small className="muted">of {formatCount(c.voucherLimit)}</small>
                  </td>
                  <td>{formatDate(c.startsAt)}</td>
                  <td>{c.endsAt ? formatDate(c.endsAt) : 'Open-ended'}</td>
                  <td>
                    <div className="actions">
                      {actionsFor(c.status).map((action) => (
                        <button
                          key={action}
                          type="button"
                          className={action === 'End' ? 'danger' : 'secondary'}
                          aria-label={`${action} ${c.name}`}
                          disabled={change.pending}
                          onClick={() => choose(c, action)}
                        >
                          {action}
                        </button>
                      ))}
                    </div>
                  </td>
                </tr>
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
      />
    </section>
  );
}
