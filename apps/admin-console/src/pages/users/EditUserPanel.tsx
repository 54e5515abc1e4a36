import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import { ROLES } from '../../api/types';
import type { AdminUser, UserUpdate } from '../../api/types';
import { CheckboxGroup, Field } from '../../ui/Field';
import { formatDate, formatDay } from '../../ui/format';
import { useFocusOnResult } from '../../ui/focus';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Success } from '../../ui/Status';
import { editFormOf, userChanges } from './userForm';
import type { EditForm, UserChanges } from './userForm';
import { bindFields } from '../../ui/bindFields';

type Patch = UserChanges | Pick<UserUpdate, 'status'>;

/** The API's field errors of a failed save; a taken email goes beside the email. */
function saveErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return error.code === 'EMAIL_TAKEN' ? { ...error.byField(), email: error.detail } : error.byField();
}

/**
 * Edits one user: contact details and roles (only what changed is sent), and enabling or
 * disabling the account, which asks first because it signs the user out everywhere.
 */
export function EditUserPanel({
  user,
  onChanged,
  onClose,
}: {
  user: AdminUser;
  onChanged: (user: AdminUser) => void;
  onClose: () => void;
}) {
  const api = useApi();
  const [form, setForm] = useState<EditForm>(() => editFormOf(user));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [confirmDisable, setConfirmDisable] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // A new object after every save or status change, so that focus moves even when it repeats.
  const [outcome, setOutcome] = useState<object>();
  const card = useFocusOnResult<HTMLElement>(outcome);
  const patch = useCallback(
    (body: Patch) => api.patch<AdminUser>(`/v1/admin/users/${encodeURIComponent(user.userId)}`, body),
    [api, user.userId],
  );
  const save = useAction(patch);
  const setStatus = useAction(patch);
  const errors = { ...saveErrors(save.error), ...localErrors };
  const placed = Object.keys(saveErrors(save.error)).length > 0;
  const field = bindFields(form, setForm, errors);

  // Keyboard and screen-reader users land in the panel they just opened.
  useEffect(() => heading.current?.focus(), [user.userId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(undefined);
    save.setError(undefined);
    const { changes, errors: local } = userChanges(user, form);
    setLocalErrors(local);
    setOutcome({});
    if (Object.keys(local).length > 0) return;
    if (Object.keys(changes).length === 0) {
      setMessage('Nothing changed.');
      return;
    }
    const saved = await save.run(changes);
    setOutcome({});
    if (!saved) return;
    setForm(editFormOf(saved));
    setMessage(`Saved changes to ${saved.username}.`);
    onChanged(saved);
  }

  async function changeStatus(status: AdminUser['status']) {
    setMessage(undefined);
    setConfirmDisable(false);
    const saved = await setStatus.run({ status });
    setOutcome({});
    if (!saved) return;
    setMessage(`${status === 'DISABLED' ? 'Disabled' : 'Enabled'} ${saved.username}.`);
    onChanged(saved);
  }

  const busy = save.pending || setStatus.pending;
  return (
    <section className="card" aria-labelledby="edit-user" ref={card}>
      <h2 id="edit-user" ref={heading} tabIndex={-1}>
        Edit {user.username}
      </h2>
      <dl className="user-facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge badge-${user.status}`}>{user.status.toLowerCase()}</span>
        </dd>
        <dt>User id</dt>
        <dd>
          <ShortId id={user.userId} what="user id" />
        </dd>
        <dt>Group</dt>
        <dd>
          <ShortId id={user.groupId} what="group id" />
        </dd>
        <dt>Birthday</dt>
        <dd>{formatDay(user.birthday)}</dd>
        <dt>Enrolled</dt>
        <dd>{formatDate(user.createdAt)}</dd>
      </dl>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field label="Email" type="email" {...field('email')} autoComplete="off" />
          <Field label="Phone" type="tel" {...field('phone')} autoComplete="off" />
          <Field label="Full name" {...field('fullName')} autoComplete="off" />
          <CheckboxGroup
            legend="Roles"
            options={ROLES}
            value={form.roles}
            onChange={(roles) => setForm((f) => ({ ...f, roles }))}
            error={errors.roles}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save changes
          </button>
          {user.status === 'ACTIVE' ? (
            <button
              type="button"
              className="danger"
              disabled={busy || confirmDisable}
              onClick={() => setConfirmDisable(true)}
            >
              Disable
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void changeStatus('ACTIVE')}
            >
              Enable
            </button>
          )}
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
          {busy && <span role="status">Saving…</span>}
        </div>
      </form>
      {confirmDisable && (
        <div className="card confirm" role="group" aria-label="Disable confirmation">
          <p>Disable {user.username}? Their sessions are signed out.</p>
          <div className="actions">
            <button type="button" className="danger" autoFocus onClick={() => void changeStatus('DISABLED')}>
              Confirm disable
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmDisable(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {placed ? (
        <p role="alert" className="notice notice-error">
          The changes were not saved: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice
          error={save.error}
          title="The changes were not saved."
          besideFields={['email', 'phone', 'fullName', 'roles']}
        />
      )}
      <ErrorNotice error={setStatus.error} title="The status did not change." />
      {message && <Success>{message}</Success>}
    </section>
  );
}
