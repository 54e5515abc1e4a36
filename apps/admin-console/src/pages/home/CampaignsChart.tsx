import { lazy, Suspense } from 'react';
import { Link } from '../../router';
import type { ActiveCampaignStat } from './stats';
import { campaignBars, formatCount, plural } from './stats';
import { Unavailable } from './Unavailable';

// recharts is most of the console's weight: its own chunk, fetched when a chart is first shown.
const CampaignsDrawing = lazy(() => import('./CampaignsDrawing'));

/** Vouchers issued and left per active campaign: stacked bars, and the same figures as a table. */
export function CampaignsChart({ campaigns }: { campaigns: ActiveCampaignStat[] | null }) {
  return (
    <section className="card" aria-labelledby="active-campaigns">
      <h2 id="active-campaigns">Active campaigns</h2>
      {campaigns === null ? (
        <Unavailable part="activeCampaigns" />
      ) : campaigns.length === 0 ? (
        <p className="muted">
          No active campaigns. <Link to="/campaigns">Go to Campaigns</Link>
        </p>
      ) : (
        <CampaignBars campaigns={campaigns} />
      )}
    </section>
  );
}

function CampaignBars({ campaigns }: { campaigns: ActiveCampaignStat[] }) {
  const rows = campaignBars(campaigns);
  const issued = rows.reduce((sum, c) => sum + c.issued, 0);
  const remaining = rows.reduce((sum, c) => sum + c.remaining, 0);
  return (
    <>
      <p data-testid="campaign-totals">
        {plural(rows.length, 'active campaign')}: {plural(issued, 'voucher')} issued, {formatCount(remaining)}{' '}
        remaining.
      </p>
      {/* The table below holds the same figures for screen readers. */}
      <div className="chart" aria-hidden="true" style={{ height: 70 + rows.length * 40 }}>
        <Suspense fallback={null}>
          <CampaignsDrawing rows={rows} />
        </Suspense>
      </div>
      <div className="table-wrap">
        <table aria-label="Vouchers per active campaign">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col" className="num">
                Issued
              </th>
              <th scope="col" className="num">
                Remaining
              </th>
              <th scope="col" className="num">
                Limit
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.campaignId}>
                <th scope="row">{c.name}</th>
                <td data-label="Issued" className="num">
                  {formatCount(c.issued)}
                </td>
                <td data-label="Remaining" className="num">
                  {formatCount(c.remaining)}
                </td>
                <td data-label="Limit" className="num">
                  {formatCount(c.limit)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
