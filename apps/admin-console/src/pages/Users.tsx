import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useApi, useResource } from '../api/context';
import type { AdminUser, Page } from '../api/types';
import { setSearch, useSearchParam } from '../router';
import { revealRow } from '../ui/focus';
import { Pager, query, useCursorPages } from '../ui/Pager';
import { ErrorNotice, Loading } from '../ui/Status';
import { EditUserPanel } from './users/EditUserPanel';
import { EnrollForm } from './users/EnrollForm';
import { UserTable, userRowId } from './users/UserTable';
import './users/users.css';

const PAGE_SIZE = 20;

/**
 * Enroll new users, then find users and edit or disable one. The search and the page are in the
 * URL (`?q=`, `?page=&cursor=`), so Back, a reload and a shared link show the same list.
 */
export function UsersPage() {
  const api = useApi();
  const [search] = useSearchParam('q');
  const [text, setText] = useState(search);
  const [editing, setEditing] = useState<AdminUser>();
  // The user just enrolled, whose row is scrolled to and marked once the list shows it.
  const [reveal, setReveal] = useState<string>();
  const pages = useCursorPages();
  const path = `/v1/admin/users${query({ query: search, limit: PAGE_SIZE, cursor: pages.cursor })}`;
  const users = useResource(
    useCallback(() => api.get<Page<AdminUser>>(path), [api, path]),
    path,
  );

  // Back and Forward change the search in the URL: the box follows.
  useEffect(() => setText(search), [search]);

  useEffect(() => {
    if (!reveal || !users.data?.items.some((u) => u.userId === reveal)) return;
    revealRow(userRowId(reveal));
    setReveal(undefined);
  }, [reveal, users.data]);

  function find(text: string) {
    setSearch({ q: text, ...pages.resetUpdates });
    users.reload(); // the same search again still fetches afresh
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    find(text.trim());
  }

  /** A new user may be on any page of the whole list: searching for their username shows them. */
  function enrolled(user: AdminUser) {
    setReveal(user.userId);
    setText(user.username);
    find(user.username);
  }

  function changed(user: AdminUser) {
    setEditing(user);
    users.reload();
  }

  return (
    <>
      <EnrollForm onEnrolled={enrolled} />
      <section className="card" aria-labelledby="find-users">
        <h2 id="find-users">Find users</h2>
        <form className="toolbar" role="search" onSubmit={submit}>
          <div className="field">
            <label htmlFor="user-search">Search users</label>
            <input
              id="user-search"
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="Username, email, phone or name"
            />
          </div>
          <button type="submit">Search</button>
        </form>
        {users.loading && <Loading what="users" />}
        <ErrorNotice error={users.error} title="The users could not be loaded." onRetry={users.reload} />
        {users.data && !users.error && (
          <>
            <UserTable users={users.data.items} onEdit={setEditing} />
            <Pager
              label="Users"
              pageNumber={pages.pageNumber}
              nextCursor={users.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
              total={users.data.total}
              pageSize={PAGE_SIZE}
              noun={['user', 'users']}
            />
          </>
        )}
      </section>
      {editing && (
        <EditUserPanel
          key={editing.userId}
          user={editing}
          onChanged={changed}
          onClose={() => setEditing(undefined)}
        />
      )}
    </>
  );
}
