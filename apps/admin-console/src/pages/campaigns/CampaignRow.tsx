import type { Campaign, CampaignStatus } from '../../api/types';
import { formatCount, plural } from '../../ui/format';
import { ProgressBar } from '../../ui/ProgressBar';
import { ShortId } from '../../ui/ShortId';
import { campaignRuns } from './campaignRuns';

export type CampaignAction = 'Pause' | 'Resume' | 'End';

/** What an admin may do to a campaign in this status (ENDED is final). */
export function actionsFor(status: CampaignStatus): CampaignAction[] {
  if (status === 'ACTIVE') return ['Pause', 'End'];
  if (status === 'PAUSED') return ['Resume', 'End'];
  return [];
}

/** The row's element id: links (`?campaign=`) and a create scroll to it. */
export function campaignRowId(campaignId: string): string {
  return `campaign-row-${campaignId}`;
}

const STATUS_WORD: Record<CampaignStatus, string> = { ACTIVE: 'Active', PAUSED: 'Paused', ENDED: 'Ended' };

/** One campaign: actions first (they stay in reach), the name before its short id, then its figures. */
export function CampaignRow({
  campaign: c,
  highlighted,
  busy,
  onChoose,
}: {
  campaign: Campaign;
  highlighted: boolean;
  busy: boolean;
  onChoose: (campaign: Campaign, action: CampaignAction) => void;
}) {
  const runs = campaignRuns(c);
  const actions = actionsFor(c.status);
  return (
    <tr id={campaignRowId(c.campaignId)} aria-current={highlighted ? 'true' : undefined}>
      <td className="actions-cell" data-label="Actions">
        {actions.length === 0 && <span className="muted">None (ended)</span>}
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'End' ? 'danger' : 'secondary'}
            aria-label={`${action} ${c.name}`}
            disabled={busy}
            onClick={() => onChoose(c, action)}
          >
            {action}
          </button>
        ))}
      </td>
      <td data-label="Campaign">
        <strong>{c.name}</strong>
        {c.description && <div className="muted">{c.description}</div>}
        <div>
          <ShortId id={c.campaignId} what="campaign id" />
        </div>
      </td>
      <td data-label="Status">
        <span className={`badge badge-${c.status}`}>{STATUS_WORD[c.status]}</span>
      </td>
      <td className="num" data-label="Discount">
        {c.discountPercent}%
      </td>
      <td className="campaign-progress" data-label="Issued">
        <ProgressBar label={`${c.name} issued`} value={c.issued} max={c.voucherLimit} />
        <small className="muted">
          {formatCount(c.issued)} of {plural(c.voucherLimit, 'voucher')}
        </small>
      </td>
      <td className="num" data-label="Remaining">
        {formatCount(c.remaining)}
      </td>
      <td className="num" data-label="Redeemed">
        {formatCount(c.redeemed)}
      </td>
      <td data-label="Runs">
        {runs.main}
        {runs.detail && <div className="muted">{runs.detail}</div>}
      </td>
    </tr>
  );
}
