import type { AdminUser } from '../../api/types';
import { Link } from '../../router';
import { formatDay } from '../../ui/format';
import { ShortId } from '../../ui/ShortId';
import { pointsPath } from './links';

/** The id of a user's row, for revealRow() after an enrol. */
export const userRowId = (userId: string) => `user-row-${userId}`;

/**
 * One page of users. The actions come first (on a phone, at the top of each card), so that a
 * long name or email never pushes "Edit" out of reach; ids are short and copyable.
 */
export function UserTable({ users, onEdit }: { users: AdminUser[]; onEdit: (user: AdminUser) => void }) {
  if (users.length === 0) return <p className="muted">No users match.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Users" className="users-table">
        <thead>
          <tr>
            <th scope="col">Actions</th>
            <th scope="col">Username</th>
            <th scope="col">User id</th>
            <th scope="col">Full name</th>
            <th scope="col">Contact</th>
            <th scope="col">Birthday</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Group</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.userId} id={userRowId(user.userId)}>
              <td className="actions-cell" data-label="Actions">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit ${user.username}`}
                  onClick={() => onEdit(user)}
                >
                  Edit
                </button>
                <Link to={pointsPath(user.groupId)} aria-label={`Points of ${user.username}'s group`}>
                  Points
                </Link>
              </td>
              <td data-label="Username" className="wrap-anywhere">
                <span className="user-name">{user.username}</span>
              </td>
              <td data-label="User id">
                <ShortId id={user.userId} what="user id" />
              </td>
              <td data-label="Full name" className="wrap-anywhere">
                {user.fullName ?? '—'}
              </td>
              <td data-label="Contact" className="wrap-anywhere">
                <div>
                  <span className="contact-line">{user.email}</span>
                  {user.phone && <span className="contact-line">{user.phone}</span>}
                </div>
              </td>
              <td data-label="Birthday">{formatDay(user.birthday)}</td>
              <td data-label="Roles">{user.roles.join(', ')}</td>
              <td data-label="Status">
                <span className={`badge badge-${user.status}`}>{user.status.toLowerCase()}</span>
              </td>
              <td data-label="Group">
                <ShortId id={user.groupId} what="group id" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
