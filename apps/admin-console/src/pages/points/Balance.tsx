import { lazy, Suspense } from 'react';
import type { GroupPoints } from '../../api/types';
import { formatPoints } from './adjustment';

// recharts is most of the console's weight: its own chunk, fetched when a chart is first shown.
const PayersDrawing = lazy(() => import('./PayersDrawing'));

/** Payers with the most points first. */
export function payerRows(byPayer: Record<string, number>): Array<{ payer: string; points: number }> {
  return Object.entries(byPayer)
    .map(([payer, points]) => ({ payer, points }))
    .sort((a, b) => b.points - a.points || a.payer.localeCompare(b.payer));
}

/**
 * The group's balance, its pending points beside it, and who funds the balance: a table (the
 * accessible figures) and a bar chart.
 */
export function Balance({ points }: { points: GroupPoints }) {
  const rows = payerRows(points.byPayer);
  return (
    <section className="card" aria-labelledby="group-balance">
      <h2 id="group-balance">Balance</h2>
      <div className="figures">
        <div className="figure">
          <span className="value" data-testid="balance">
            {formatPoints(points.balance)}
          </span>
          <span className="label">points available to spend</span>
        </div>
        {/* Smaller than the balance on purpose: pending points are not the group's to spend yet. */}
        <div className="figure figure-minor">
          <span className="value" data-testid="pending">
            {formatPoints(points.pending)}
          </span>
          <span className="label">
            pending: not yet spendable. Purchases waiting out the return window; they join the balance when
            available.
          </span>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No payer has points in this group.</p>
      ) : (
        <div className="split">
          <div className="table-wrap">
            <table aria-label="Points by payer">
              <thead>
                <tr>
                  <th scope="col">Payer</th>
                  <th scope="col" className="num">
                    Points
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.payer}>
                    <td data-label="Payer">{row.payer}</td>
                    <td data-label="Points" className="num">
                      {formatPoints(row.points)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {/* The table holds the same figures for screen readers; the chart is for the eye. */}
          <div className="chart points-chart" aria-hidden="true">
            <Suspense fallback={null}>
              <PayersDrawing rows={rows} />
            </Suspense>
          </div>
        </div>
      )}
    </section>
  );
}
