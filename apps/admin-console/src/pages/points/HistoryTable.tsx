import type { LedgerEntry } from '../../api/types';
import { formatDate } from '../../ui/format';
import { ShortId } from '../../ui/ShortId';
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
              <td data-label="Date">
                <time dateTime={entry.createdAt}>{formatDate(entry.createdAt)}</time>
              </td>
              <td data-label="Type">
                {/* The API's code shows on hover, for admins who know the types by it. */}
                <span title={entry.type}>{entryLabel(entry.type)}</span>
              </td>
              <td data-label="Payer">{entry.payer}</td>
              <td data-label="Points" className={`num ${entry.points < 0 ? 'negative' : 'positive'}`}>
                {formatSignedPoints(entry.points)}
              </td>
              <td data-label="Reference">
                <ShortId id={entry.reference} what="reference" />
              </td>
              {/* Only ADJUST and REVERSAL carry a reason; the others say so with a dash. */}
              <td data-label="Reason" className="reason">
                {entry.reason ?? '—'}
              </td>
              <td data-label="Balance after" className="num">
                {formatPoints(entry.balanceAfter)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
