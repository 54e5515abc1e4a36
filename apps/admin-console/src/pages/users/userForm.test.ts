import type { AdminUser } from '../../api/types';
import type { EditForm } from './userForm';
import {
  conflictField,
  EMPTY_ENROLL_FORM,
  editFormOf,
  enrollBody,
  enrollProblems,
  userChanges,
} from './userForm';

const ANA: AdminUser = {
  userId: 'u1',
  username: 'ana',
  email: 'ana@example.com',
  phone: null,
  fullName: 'Ana Silva',
  birthday: null,
  groupId: 'g1',
  roles: ['member'],
  status: 'ACTIVE',
  createdAt: '2024-01-01T00:00:00Z',
};

describe('enrollBody', () => {
  it('sends the required fields and only the optional ones filled in, trimmed', () => {
    expect(
      enrollBody({
        ...EMPTY_ENROLL_FORM,
        username: ' ana ',
        password: ' secret pass ',
        email: 'ana@example.com',
        phone: '   ',
        fullName: ' Ana Silva ',
      }),
    ).toEqual({
      username: 'ana',
      password: ' secret pass ',
      email: 'ana@example.com',
      fullName: 'Ana Silva',
      roles: ['member'],
    });
  });

  it('sends the group to join and the birthday when given', () => {
    const body = enrollBody({
      ...EMPTY_ENROLL_FORM,
      birthday: '1990-02-03',
      groupId: 'g7',
      roles: ['admin'],
    });
    expect(body).toMatchObject({ birthday: '1990-02-03', groupId: 'g7', roles: ['admin'] });
  });
});

describe('enrollProblems', () => {
  const now = new Date('2026-12-06T10:00:00Z');

  it('refuses a birthday after today, but takes today and earlier days', () => {
    expect(enrollProblems({ ...EMPTY_ENROLL_FORM, birthday: '2030-01-01' }, now)).toEqual({
      birthday: 'This date is in the future: enter a date up to today.',
    });
    expect(enrollProblems({ ...EMPTY_ENROLL_FORM, birthday: '2026-12-06' }, now)).toEqual({});
    expect(enrollProblems({ ...EMPTY_ENROLL_FORM, birthday: '1990-02-03' }, now)).toEqual({});
  });

  it('asks for at least one role', () => {
    expect(enrollProblems({ ...EMPTY_ENROLL_FORM, roles: [] }, now)).toEqual({
      roles: 'Choose at least one role.',
    });
  });
});

describe('conflictField', () => {
  it('places each conflict beside the field it is about', () => {
    expect(conflictField('USERNAME_TAKEN')).toBe('username');
    expect(conflictField('EMAIL_TAKEN')).toBe('email');
    expect(conflictField('GROUP_FULL')).toBe('groupId');
    expect(conflictField('RATE_LIMITED')).toBeUndefined();
  });
});

describe('userChanges', () => {
  it('is empty when nothing changed, whatever the order of the roles', () => {
    const admin: AdminUser = { ...ANA, roles: ['member', 'admin'] };
    expect(userChanges(admin, { ...editFormOf(admin), roles: ['admin', 'member'] })).toEqual({
      changes: {},
      errors: {},
    });
  });

  it('holds only what changed', () => {
    const form: EditForm = { ...editFormOf(ANA), phone: '+351912345678', roles: ['member', 'admin'] };
    expect(userChanges(ANA, form).changes).toEqual({ phone: '+351912345678', roles: ['member', 'admin'] });
  });

  it('refuses to clear a full name, which the API cannot do', () => {
    const { changes, errors } = userChanges(ANA, { ...editFormOf(ANA), fullName: ' ' });
    expect(changes).toEqual({});
    expect(errors.fullName).toMatch(/cannot be removed/);
  });
});
