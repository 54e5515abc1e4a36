import type { AdminUser } from '../../api/types';
import { Link } from '../../router';

/** One page of users; "Edit" opens the edit panel, "Points" the group's points. */
export function UserTable({ users, onEdit }: { users: AdminUser[]; onEdit: (user: AdminUser) => void }) {
  if (users.length === 0) return <p className="muted">No users match.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Full name</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Group</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.userId}>
              <td>{user.username}</td>
              <td>{user.fullName ?? '—'}</td>
              <td>{user.email}</td>
              <td>{user.phone ?? '—'}</td>
              <td>{user.roles.join(', ')}</td>
              <td>
                <span className={`badge badge-${user.status}`}>{user.status.toLowerCase()}</span>
              </td>
              <td>
                <code className="group-id">{user.groupId}</code>
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit ${user.username}`}
                  onClick={() => onEdit(user)}
                >
                  Edit
                </button>
                <Link to={`/points?groupId=${encodeURIComponent(user.groupId)}`}>Points</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
