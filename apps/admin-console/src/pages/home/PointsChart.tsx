import { lazy, Suspense } from 'react';
import type { PointsDay } from './stats';
import { chartDays, formatCount, longDate, pointsTotals } from './stats';
import { Unavailable } from './Unavailable';

// recharts is most of the console's weight: its own chunk, fetched when a chart is first shown.
const PointsDrawing = lazy(() => import('./PointsDrawing'));

/** Earned and redeemed points per UTC day, as bars for the eye and as a table for everyone else. */
export function PointsChart({ days }: { days: PointsDay[] | null }) {
  return (
    <section className="card" aria-labelledby="points-per-day">
      <h2 id="points-per-day">Points per day, last 30 days</h2>
      {days === null ? <Unavailable part="pointsByDay" /> : <PointsFigure days={days} />}
    </section>
  );
}

function PointsFigure({ days }: { days: PointsDay[] }) {
  const rows = chartDays(days);
  const totals = pointsTotals(rows);
  const first = rows[0];
  const last = rows[rows.length - 1];
  return (
    <figure className="chart-figure">
      {/* The figcaption and the table below say what the bars show; the drawing itself is skipped. */}
      <div className="chart" aria-hidden="true">
        <Suspense fallback={null}>
          <PointsDrawing rows={rows} />
        </Suspense>
      </div>
      <figcaption>
        <p className="chart-totals" data-testid="points-totals">
          Earned {formatCount(totals.earned)} · Redeemed {formatCount(totals.redeemed)}
        </p>
        <p className="muted">
          {first && last
            ? `Points earned (green) and redeemed (red) each day, from ${longDate(first.date)} to ${longDate(last.date)} (UTC days).`
            : 'No days to show.'}
        </p>
      </figcaption>
      <details>
        <summary>Show as a table</summary>
        <div className="table-wrap">
          <table aria-label="Points per day">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">
                  Earned
                </th>
                <th scope="col" className="num">
                  Redeemed
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((day) => (
                <tr key={day.date}>
                  <th scope="row">
                    <time dateTime={day.date}>{longDate(day.date)}</time>
                  </th>
                  <td className="num">{formatCount(day.earned)}</td>
                  <td className="num">{formatCount(day.redeemed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
