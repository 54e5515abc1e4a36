import { useCallback } from 'react';
import { useApi, useResource } from '../../api/context';
import type { AdminUser, Page } from '../../api/types';
import { query } from '../../ui/Pager';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading } from '../../ui/Status';

const MATCHES_SHOWN = 10;

/** The members matching a search, each with a way to their group's points. */
export function MemberResults({
  search,
  shownGroupId,
  onPick,
}: {
  search: string;
  shownGroupId: string;
  onPick: (groupId: string) => void;
}) {
  const api = useApi();
  const path = `/v1/admin/users${query({ query: search, limit: MATCHES_SHOWN })}`;
  const members = useResource(
    useCallback(() => api.get<Page<AdminUser>>(path), [api, path]),
    path,
  );
  return (
    <>
      {members.loading && <Loading what="members" />}
      <ErrorNotice error={members.error} title="The members could not be loaded." onRetry={members.reload} />
      {members.data && !members.error && (
        <MemberMatches
          members={members.data.items}
          more={members.data.nextCursor !== null}
          shownGroupId={shownGroupId}
          onPick={onPick}
        />
      )}
    </>
  );
}

/** The other matching members in the same group: "with bob", where the results already hold them. */
function groupmates(members: AdminUser[], member: AdminUser): string {
  const others = members.filter((m) => m.groupId === member.groupId && m.userId !== member.userId);
  return others.length ? `with ${others.map((m) => m.username).join(', ')}` : '';
}

function MemberMatches({
  members,
  more,
  shownGroupId,
  onPick,
}: {
  members: AdminUser[];
  more: boolean;
  shownGroupId: string;
  onPick: (groupId: string) => void;
}) {
  if (members.length === 0) return <p className="muted">No member matches.</p>;
  return (
    <>
      <div className="table-wrap">
        <table aria-label="Matching members">
          <thead>
            <tr>
              <th scope="col">Actions</th>
              <th scope="col">Username</th>
              <th scope="col">Full name</th>
              <th scope="col">Email</th>
              <th scope="col">Group</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const mates = groupmates(members, member);
              const shown = member.groupId === shownGroupId;
              return (
                <tr key={member.userId} aria-current={shown ? 'true' : undefined}>
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Show points of ${member.username}`}
                      onClick={() => onPick(member.groupId)}
                    >
                      Show points
                    </button>
                  </td>
                  <td data-label="Username">{member.username}</td>
                  <td data-label="Full name">{member.fullName ?? '—'}</td>
                  <td data-label="Email">{member.email}</td>
                  <td data-label="Group">
                    {/* One child: on a phone the cell is a two-column grid, label then value. */}
                    <span>
                      {shown ? 'Shown below' : `${member.username}'s group`}
                      {mates && <span className="muted"> ({mates})</span>}{' '}
                      <ShortId id={member.groupId} what={`group id of ${member.username}`} />
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {more && <p className="muted">More members match: narrow the search.</p>}
    </>
  );
}
