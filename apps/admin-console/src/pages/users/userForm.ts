// What the Users forms hold (strings) and what the API takes. The API rejects unknown fields and
// empty strings where it expects a value, so optional fields left empty are not sent at all.
import type { AdminUser, EnrollUser, Role, UserUpdate } from '../../api/types';
import { futureDayProblem } from '../../ui/format';

export interface EnrollForm {
  username: string;
  password: string;
  email: string;
  phone: string;
  fullName: string;
  birthday: string;
  groupId: string;
  roles: Role[];
}

export const EMPTY_ENROLL_FORM: EnrollForm = {
  username: '',
  password: '',
  email: '',
  phone: '',
  fullName: '',
  birthday: '',
  groupId: '',
  roles: ['member'],
};

export type EnrollBody = EnrollUser;

function optional(value: string): string | undefined {
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * The POST /v1/admin/users body. The required fields always go (even empty, so the API names them
 * beside their fields); the password is sent as typed, spaces included.
 */
export function enrollBody(form: EnrollForm): EnrollBody {
  const body: EnrollBody = {
    username: form.username.trim(),
    password: form.password,
    email: form.email.trim(),
    roles: form.roles,
  };
  const phone = optional(form.phone);
  const fullName = optional(form.fullName);
  const birthday = optional(form.birthday);
  const groupId = optional(form.groupId);
  if (phone) body.phone = phone;
  if (fullName) body.fullName = fullName;
  if (birthday) body.birthday = birthday;
  if (groupId) body.groupId = groupId;
  return body;
}

/**
 * What the browser can refuse before sending, by field: a birthday after today, and no role (the
 * API refuses both too; checking here saves a round trip and says it in the form's words).
 */
export function enrollProblems(form: EnrollForm, now = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  const birthday = futureDayProblem(form.birthday, now);
  if (birthday) problems.birthday = birthday;
  if (form.roles.length === 0) problems.roles = 'Choose at least one role.';
  return problems;
}

/**
 * Which field a 409 (or a 404 for the group to join) is about, so its message shows beside that
 * field; undefined when it is about none of them.
 */
export function conflictField(code: string): keyof EnrollForm | undefined {
  switch (code) {
    case 'USERNAME_TAKEN':
      return 'username';
    case 'EMAIL_TAKEN':
      return 'email';
    case 'GROUP_FULL':
    case 'NOT_FOUND':
      return 'groupId';
    default:
      return undefined;
  }
}

export interface EditForm {
  email: string;
  phone: string;
  fullName: string;
  roles: Role[];
}

export function editFormOf(user: AdminUser): EditForm {
  return {
    email: user.email,
    phone: user.phone ?? '',
    fullName: user.fullName ?? '',
    roles: [...user.roles],
  };
}

export type UserChanges = Pick<UserUpdate, 'email' | 'phone' | 'fullName' | 'roles'>;

function sameRoles(a: Role[], b: Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/**
 * The PATCH body: only what differs from the user as loaded. The API has no way to clear a phone
 * or a full name (it takes no empty string nor null), so emptying one is an error here rather
 * than a change silently not made.
 */
export function userChanges(
  user: AdminUser,
  form: EditForm,
): { changes: UserChanges; errors: Record<string, string> } {
  const changes: UserChanges = {};
  const errors: Record<string, string> = {};
  const email = form.email.trim();
  if (email !== user.email) changes.email = email;
  for (const key of ['phone', 'fullName'] as const) {
    const value = form[key].trim();
    const before = user[key] ?? '';
    if (value === before) continue;
    if (value === '')
      errors[key] = `${key === 'phone' ? 'The phone' : 'The full name'} cannot be removed, only changed.`;
    else changes[key] = value;
  }
  if (!sameRoles(form.roles, user.roles)) changes.roles = form.roles;
  return { changes, errors };
}
