import type { AuditEntry } from '../../api/types';
import { formatDate, plural } from '../../ui/format';
import { ShortId } from '../../ui/ShortId';
import type { AuditFilters } from './auditQuery';
import { describeDetails } from './details';
import { isSystemActor, systemActorName, targetParts } from './target';

/** Past this many lines the details fold the rest away, so one entry never fills the screen. */
const SHOWN_LINES = 6;

/** One page of entries, by name; an actor or a target can be clicked to filter on it. */
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
              <td data-label="Time">
                <time dateTime={entry.createdAt} title={entry.createdAt}>
                  {formatDate(entry.createdAt)}
                </time>
              </td>
              <td data-label="Actor">
                <Actor entry={entry} onFilter={() => onFilter({ actorId: entry.actorId })} />
              </td>
              <td data-label="Action">
                <code>{entry.action}</code>
              </td>
              <td data-label="Target">
                <Target entry={entry} onFilter={() => onFilter({ target: entry.target })} />
              </td>
              <td data-label="Details" className="audit-details">
                <Details entry={entry} />
              </td>
              <td data-label="Seq" className="num">
                {entry.seq}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Who: a person or client by name with their id short, or the platform itself in words. */
function Actor({ entry, onFilter }: { entry: AuditEntry; onFilter: () => void }) {
  const system = isSystemActor(entry.actorId);
  const name = entry.actorName ?? (system ? systemActorName(entry.actorId) : 'Unknown actor');
  return (
    <div className="audit-who">
      <span className="audit-name">{name}</span>
      {!system && <ShortId id={entry.actorId} what="actor id" />}
      <FilterButton
        label={`Filter by actor ${name}`}
        title="Show only this actor's entries"
        onClick={onFilter}
      />
    </div>
  );
}

/** What: its kind and name, with its id short. */
function Target({ entry, onFilter }: { entry: AuditEntry; onFilter: () => void }) {
  const { kind, id } = targetParts(entry.target, entry.action);
  const name = entry.targetName ?? (id ? undefined : kind);
  return (
    <div className="audit-who">
      <span className="audit-name">
        {kind && id && <span className="muted">{kind} </span>}
        {name ?? <span className="muted">(no name)</span>}
      </span>
      {id && <ShortId id={id} what={`${kind ? kind.toLowerCase() : 'target'} id`} />}
      <FilterButton
        label={`Filter by target ${kind ? `${kind.toLowerCase()} ` : ''}${name ?? id ?? entry.target}`}
        title="Show only entries about this target"
        onClick={onFilter}
      />
    </div>
  );
}

function FilterButton({ label, title, onClick }: { label: string; title: string; onClick: () => void }) {
  return (
    <button type="button" className="link-button" onClick={onClick} aria-label={label} title={title}>
      Filter
    </button>
  );
}

/** "field: value" lines (changes as before → after), the long tail folded, and the raw entry. */
function Details({ entry }: { entry: AuditEntry }) {
  const lines = describeDetails(entry.details);
  const item = (line: { label: string; text: string }, i: number) => (
    <li key={`${line.label}-${i}`}>
      <span className="detail-label">{line.label}:</span> {line.text}
    </li>
  );
  // One element: on a phone the cell is a label-and-value grid, and all of this is the value.
  return (
    <div>
      {lines.length === 0 ? (
        <span className="muted">No details</span>
      ) : (
        <ul className="detail-lines">{lines.slice(0, SHOWN_LINES).map(item)}</ul>
      )}
      {lines.length > SHOWN_LINES && (
        <details>
          <summary>{plural(lines.length - SHOWN_LINES, 'more line', 'more lines')}</summary>
          <ul className="detail-lines">{lines.slice(SHOWN_LINES).map((l, i) => item(l, i + SHOWN_LINES))}</ul>
        </details>
      )}
      <details>
        <summary>Show the raw entry</summary>
        <pre>{JSON.stringify(entry, null, 2)}</pre>
      </details>
    </div>
  );
}
