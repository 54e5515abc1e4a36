import type { ExpiringPoints } from '../../api/types';
import { formatDate, plural } from '../../ui/format';
import { formatPoints } from './adjustment';

/** Soonest first, whatever order they came in. */
export function soonestFirst(items: ExpiringPoints[]): ExpiringPoints[] {
  return [...items].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
}

/** The group's points that expire within the points policy's warning window, soonest first. */
export function ExpiringSoon({ items }: { items: ExpiringPoints[] }) {
  const rows = soonestFirst(items);
  const total = rows.reduce((sum, row) => sum + row.points, 0);
  return (
    <section className="card" aria-labelledby="expiring-soon">
      <h2 id="expiring-soon">Expiring soon</h2>
      {rows.length === 0 ? (
        <p className="muted">No points expire within the points policy&apos;s warning window.</p>
      ) : (
        <>
          <p>
            <strong>{plural(total, 'point')}</strong> {total === 1 ? 'expires' : 'expire'} within the points
            policy&apos;s warning window unless they are spent.
          </p>
          <div className="table-wrap">
            <table aria-label="Points expiring soon">
              <thead>
                <tr>
                  <th scope="col">Expires</th>
                  <th scope="col" className="num">
                    Points
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={`${row.expiresAt}-${i}`}>
                    <td data-label="Expires">
                      <time dateTime={row.expiresAt}>{formatDate(row.expiresAt)}</time>
                    </td>
                    <td data-label="Points" className="num">
                      {formatPoints(row.points)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
