import type { AuditEntry } from '../../api/types';
import type { AuditFilters } from './auditQuery';
import { LONG_DETAILS, compactJson, formatLocalTime } from './auditQuery';

/** One page of entries; an actor or a target can be clicked to filter on it. */
export function AuditTable({
  entries,
  onFilter,
  busy,
}: {
  entries: AuditEntry[];
  onFilter: (filter: Partial<AuditFilters>) => void;
  busy: boolean;
}) {
  return (
    <div className="table-wrap">
      <table aria-label="Audit log entries" aria-busy={busy || undefined}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
            <th scope="col" className="num">
              Seq
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.auditId}>
              <td>
                <time dateTime={entry.createdAt} title={entry.createdAt}>
                  {formatLocalTime(entry.createdAt)}
                </time>
              </td>
              <td>
                <FilterButton
                  what="actor"
                  value={entry.actorId}
                  onClick={() => onFilter({ actorId: entry.actorId })}
                />
              </td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>
                <FilterButton
                  what="target"
                  value={entry.target}
                  onClick={() => onFilter({ target: entry.target })}
                />
              </td>
              <td className="audit-details">
                <Details details={entry.details} />
              </td>
              <td className="num">{entry.seq}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The value as a link-like button; its name says what a click does and still contains the value. */
function FilterButton({ what, value, onClick }: { what: string; value: string; onClick: () => void }) {
  return (
    <button
      type="button"
      className="link-button"
      onClick={onClick}
      aria-label={`Filter by ${what} ${value}`}
      title={`Show only entries with this ${what}`}
    >
      <code>{value}</code>
    </button>
  );
}

function Details({ details }: { details: Record<string, unknown> }) {
  const json = compactJson(details);
  if (json.length <= LONG_DETAILS) return <code>{json}</code>;
  return (
    <details>
      <summary>
        <code>{json.slice(0, LONG_DETAILS - 20)}…</code>
      </summary>
      <pre>{JSON.stringify(details, null, 2)}</pre>
    </details>
  );
}
