import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useApi, useResource } from '../api/context';
import type { AdminUser, Page } from '../api/types';
import { Pager, query, useCursorPages } from '../ui/Pager';
import { ErrorNotice, Loading } from '../ui/Status';
import { EditUserPanel } from './users/EditUserPanel';
import { EnrollForm } from './users/EnrollForm';
import { UserTable } from './users/UserTable';

const PAGE_SIZE = 20;

/** Find users, edit or disable one, and enroll new ones. */
export function UsersPage() {
  const api = useApi();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<AdminUser>();
  const pages = useCursorPages();
  const path = `/v1/admin/users${query({ query: search, limit: PAGE_SIZE, cursor: pages.cursor })}`;
  const users = useResource(
    useCallback(() => api.get<Page<AdminUser>>(path), [api, path]),
    path,
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    setSearch(text.trim());
    pages.reset();
    users.reload(); // the same search again still fetches afresh
  }

  function changed(user: AdminUser) {
    setEditing(user);
    users.reload();
  }

  return (
    <>
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
      <EnrollForm onEnrolled={() => users.reload()} />
    </>
  );
}
