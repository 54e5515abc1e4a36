import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import { ROLES } from '../../api/types';
import type { AdminUser } from '../../api/types';
import { CheckboxGroup, Field } from '../../ui/Field';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice, Success } from '../../ui/Status';
import { conflictField, EMPTY_ENROLL_FORM, enrollBody, enrollProblems } from './userForm';
import type { EnrollBody, EnrollForm as Form } from './userForm';
import { bindFields } from '../../ui/bindFields';

const FORM_FIELDS = Object.keys(EMPTY_ENROLL_FORM);

/** Field errors of a failed enroll: the API's 400 list, or a 409 placed beside the field it is about. */
function enrollErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const field = conflictField(error.code);
  return field ? { ...error.byField(), [field]: error.detail } : error.byField();
}

/**
 * Enrolls a user (into a new group of their own, or an existing one). What the browser can check
 * (a birthday in the future, no role) is refused before sending; the API's errors go beside their
 * fields. After each result the keyboard goes to the first field to fix, or to the message.
 */
export function EnrollForm({ onEnrolled }: { onEnrolled: (user: AdminUser) => void }) {
  const api = useApi();
  const [form, setForm] = useState<Form>(EMPTY_ENROLL_FORM);
  const [enrolled, setEnrolled] = useState<AdminUser>();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  // A new object after every submit's outcome, so that focus moves even when the outcome repeats.
  const [outcome, setOutcome] = useState<object>();
  const ref = useFocusOnResult<HTMLElement>(outcome);
  const enroll = useAction(
    useCallback((body: EnrollBody) => api.post<AdminUser>('/v1/admin/users', body), [api]),
  );
  const errors = { ...enrollErrors(enroll.error), ...localErrors };
  // Every error sits beside a field of this form: a short alert suffices; otherwise the full notice.
  const fields = Object.keys(errors);
  const placed = fields.length > 0 && fields.every((field) => FORM_FIELDS.includes(field));
  const field = bindFields(form, setForm, errors);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setEnrolled(undefined);
    enroll.setError(undefined);
    const problems = enrollProblems(form);
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) {
      setOutcome({});
      return;
    }
    const user = await enroll.run(enrollBody(form));
    setOutcome({});
    if (!user) return;
    setEnrolled(user);
    setForm(EMPTY_ENROLL_FORM);
    onEnrolled(user);
  }

  return (
    <section className="card" aria-labelledby="enroll-user" ref={ref}>
      <h2 id="enroll-user">Enroll a user</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field
            label="Username"
            {...field('username')}
            hint="3–32 of a–z, 0–9, _ . -"
            autoComplete="off"
            autoCapitalize="none"
            required
          />
          <Field
            label="Password"
            type="password"
            {...field('password')}
            hint="10–128 characters"
            autoComplete="new-password"
            required
          />
          <Field label="Email" type="email" {...field('email')} autoComplete="off" required />
          <Field label="Phone" type="tel" {...field('phone')} hint="Optional" autoComplete="off" />
          <Field label="Full name" {...field('fullName')} hint="Optional" autoComplete="off" />
          <Field
            label="Birthday"
            type="date"
            {...field('birthday')}
            hint="Optional; up to today"
            max={new Date().toISOString().slice(0, 10)}
          />
          <Field
            label="Group id"
            {...field('groupId')}
            hint="Empty: a new group of their own. To join an existing group, its id."
            autoComplete="off"
          />
          <CheckboxGroup
            legend="Roles"
            options={ROLES}
            value={form.roles}
            onChange={(roles) => setForm((f) => ({ ...f, roles }))}
            error={errors.roles}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={enroll.pending}>
            Enroll
          </button>
          {enroll.pending && <span role="status">Enrolling…</span>}
        </div>
      </form>
      {placed ? (
        <p role="alert" className="notice notice-error">
          The user was not enrolled: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice error={enroll.error} title="The user was not enrolled." besideFields={FORM_FIELDS} />
      )}
      {enrolled && <Success>Enrolled {enrolled.username}. They are shown in the list below.</Success>}
    </section>
  );
}
