import { plural } from '../../ui/format';
import { ShortId } from '../../ui/ShortId';
import type { AdminGroup } from './group';
import { groupTitle } from './group';

/** The group shown, named by its members: who they are, and its id, short and copyable. */
export function GroupSummary({ group }: { group: AdminGroup }) {
  return (
    <section className="card group-summary" aria-labelledby="group-title">
      <h2 id="group-title">{groupTitle(group)}</h2>
      <p className="group-id">
        Group id <ShortId id={group.groupId} what="group id" />
        <span className="muted">
          {' · '}
          {plural(group.members.length, 'member')} of {group.maxMembers}
        </span>
      </p>
      {group.members.length > 0 && (
        <ul className="member-list" aria-label="Members">
          {group.members.map((member) => (
            <li key={member.userId}>
              <strong>{member.username}</strong>
              {member.fullName && <span> · {member.fullName}</span>}
              {member.status !== 'ACTIVE' && <span className="muted"> ({member.status.toLowerCase()})</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
