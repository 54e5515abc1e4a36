import { lazy, Suspense, useMemo, useState } from 'react';
import type { ChartDay, PointsDay } from './stats';
import { chartDays, describeDay, formatCount, formatDay, pointsTotals } from './stats';
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
  // The same rows while the figures stay the same: the dashboard reloads every 5 s, and new rows
  // would make recharts redraw the bars, taking the keyboard focus off the day an admin is on.
  const daysKey = JSON.stringify(days);
  const rows = useMemo(() => chartDays(JSON.parse(daysKey) as PointsDay[]), [daysKey]);
  const totals = pointsTotals(rows);
  const first = rows[0];
  const last = rows[rows.length - 1];
  // The day whose bars have the keyboard focus, written out under the chart for sighted keyboard users.
  const [focused, setFocused] = useState<ChartDay>();
  return (
    <figure className="chart-figure">
      {/* Each day's bars are a named focus target; the figcaption and the table say the same in full. */}
      <div
        className="chart"
        role="group"
        aria-label="Chart of points per day: the arrow keys go from day to day"
      >
        <Suspense fallback={null}>
          <PointsDrawing rows={rows} onFocusDay={setFocused} />
        </Suspense>
      </div>
      <p className="muted chart-focus" data-testid="focused-day">
        {focused ? describeDay(focused) : '\u00a0'}
      </p>
      <figcaption>
        <p className="chart-totals" data-testid="points-totals">
          Earned {formatCount(totals.earned)} · Redeemed {formatCount(totals.redeemed)}
        </p>
        <p className="muted">
          {first && last
            ? `Points earned (green) and redeemed (red) each day, from ${formatDay(first.date)} to ${formatDay(last.date)} (UTC days).`
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
                    <time dateTime={day.date}>{formatDay(day.date)}</time>
                  </th>
                  <td data-label="Earned" className="num">
                    {formatCount(day.earned)}
                  </td>
                  <td data-label="Redeemed" className="num">
                    {formatCount(day.redeemed)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
