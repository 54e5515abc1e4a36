import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { MemberResults } from './MemberResults';

/**
 * Choose the group: by its id, or by finding one of its members. Both live in the URL
 * (`groupId`, `member`), so Back from a group returns to the search as it was.
 */
export function GroupPicker({
  groupId,
  memberSearch,
  onPick,
  onSearch,
}: {
  groupId: string;
  memberSearch: string;
  onPick: (groupId: string) => void;
  onSearch: (text: string) => void;
}) {
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
      <MemberSearch search={memberSearch} shownGroupId={groupId} onPick={onPick} onSearch={onSearch} />
    </section>
  );
}

/** Finds members by username, email or name and offers their group. */
function MemberSearch({
  search,
  shownGroupId,
  onPick,
  onSearch,
}: {
  search: string;
  shownGroupId: string;
  onPick: (groupId: string) => void;
  onSearch: (text: string) => void;
}) {
  const [text, setText] = useState(search);
  useEffect(() => setText(search), [search]);
  // Each submit is a new search (n), so searching the same text again fetches afresh.
  const [n, setN] = useState(0);

  function submit(e: FormEvent) {
    e.preventDefault();
    onSearch(text.trim());
    setN((count) => count + 1);
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
      {search && (
        <MemberResults key={`${search}#${n}`} search={search} shownGroupId={shownGroupId} onPick={onPick} />
      )}
    </>
  );
}
