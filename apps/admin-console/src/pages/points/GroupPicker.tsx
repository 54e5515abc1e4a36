import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useApi, useResource } from '../../api/context';
import type { AdminUser, Page } from '../../api/types';
import { query } from '../../ui/Pager';
import { ErrorNotice, Loading } from '../../ui/Status';

/** Choose the group: by its id, or by finding one of its members. */
export function GroupPicker({ groupId, onPick }: { groupId: string; onPick: (groupId: string) => void }) {
  const [text, setText] = useState(groupId);
  // The URL can change the group too (a "Points" link, Back): the field follows it.
  useEffect(() => setText(groupId), [groupId]);

  function submit(e: FormEvent) {
    e.preventDefault();
    onPick(text.trim());
  }

  return (
    <section className="card" aria-labelledby="find-group">
      <h2 id="find-group">Find a group</h2>
      <form className="toolbar" onSubmit={submit}>
        <div className="field">
          <label htmlFor="points-group-id">Group id</label>
          <input
            id="points-group-id"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit">Show points</button>
      </form>
      <MemberSearch onPick={onPick} />
    </section>
  );
}

/** Finds members by username, email or name and offers their group. */
function MemberSearch({ onPick }: { onPick: (groupId: string) => void }) {
  const [text, setText] = useState('');
  // Each submit is a new search (n), so searching the same text again fetches afresh.
  const [search, setSearch] = useState({ text: '', n: 0 });

  function submit(e: FormEvent) {
    e.preventDefault();
    setSearch((s) => ({ text: text.trim(), n: s.n + 1 }));
  }

  return (
    <>
      <form className="toolbar" role="search" onSubmit={submit}>
        <div className="field">
          <label htmlFor="points-member-search">Find a member</label>
          <input
            id="points-member-search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Username, email or name"
          />
        </div>
        <button type="submit" className="secondary">
          Find
        </button>
      </form>
      {search.text && <MemberResults key={search.n} search={search.text} onPick={onPick} />}
    </>
  );
}

function MemberResults({ search, onPick }: { search: string; onPick: (groupId: string) => void }) {
  const api = useApi();
  const path = `/v1/admin/users${query({ query: search, limit: 10 })}`;
  const members = useResource(
    useCallback(() => api.get<Page<AdminUser>>(path), [api, path]),
    path,
  );
  return (
    <>
      {members.loading && <Loading what="members" />}
      <ErrorNotice error={members.error} title="The members could not be loaded." onRetry={members.reload} />
      {members.data && !members.error && (
        <MemberMatches members={members.data.items} more={members.data.nextCursor !== null} onPick={onPick} />
      )}
    </>
  );
}

function MemberMatches({
  members,
  more,
  onPick,
}: {
  members: AdminUser[];
  more: boolean;
  onPick: (groupId: string) => void;
}) {
  if (members.length === 0) return <p className="muted">No member matches.</p>;
  return (
    <>
      <div className="table-wrap">
        <table aria-label="Matching members">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Full name</th>
              <th scope="col">Email</th>
              <th scope="col">Group</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.userId}>
                <td>{member.username}</td>
                <td>{member.fullName ?? '—'}</td>
                <td>{member.email}</td>
                <td>
                  <code>{member.groupId}</code>
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Show points of ${member.username}`}
                    onClick={() => onPick(member.groupId)}
                  >
                    Show points
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more && <p className="muted">More members match: narrow the search.</p>}
    </>
  );
}
