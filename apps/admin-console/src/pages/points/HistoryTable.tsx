import type { LedgerEntry } from '../../api/types';
import { formatDate as formatWhen } from '../../ui/format';
import { formatPoints, formatSignedPoints } from './adjustment';
import { entryLabel } from './entryTypes';

/** One page of the group's ledger, newest first. */
export function HistoryTable({ entries }: { entries: LedgerEntry[] }) {
  if (entries.length === 0) return <p className="muted">No ledger entries yet.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Points history">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Type</th>
            <th scope="col">Payer</th>
            <th scope="col" className="num">
              Points
            </th>
            <th scope="col">Reference</th>
            <th scope="col">Reason</th>
            <th scope="col" className="num">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.entryId}>
              <td>
                <time dateTime={entry.createdAt}>{formatWhen(entry.createdAt)}</time>
              </td>
              <td>
                {/* The API's code shows on hover, for admins who know the types by it. */}
                <span title={entry.type}>{entryLabel(entry.type)}</span>
              </td>
              <td>{entry.payer}</td>
              <td className={`num ${entry.points < 0 ? 'negative' : 'positive'}`}>
                {formatSignedPoints(entry.points)}
              </td>
              <td>
                <code>{entry.reference}</code>
              </td>
              {/* Only ADJUST and REVERSAL carry a reason; the others say so with a dash. */}
              <td className="reason">{entry.reason ?? '—'}</td>
              <td className="num">{formatPoints(entry.balanceAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
