import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import { EnrollForm } from './EnrollForm';

const CREATED = {
  userId: 'u9',
  username: 'bruno',
  email: 'bruno@example.com',
  phone: null,
  fullName: null,
  birthday: null,
  groupId: 'g9',
  roles: ['member'],
  status: 'ACTIVE',
  createdAt: '2024-01-01T00:00:00Z',
};

async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Username'), 'bruno');
  await user.type(screen.getByLabelText('Password'), 'long enough password');
  await user.type(screen.getByLabelText('Email'), 'bruno@example.com');
}

describe('EnrollForm', () => {
  it("shows the API's 400 errors beside their fields", async () => {
    const user = userEvent.setup();
    await renderSignedIn(<EnrollForm onEnrolled={() => undefined} />, {
      'POST /v1/admin/users': validationFailed([
        { field: 'username', message: 'username must be 3-32 characters' },
        { field: 'birthday', message: 'birthday must be YYYY-MM-DD' },
        { field: 'roles', message: 'roles must contain at least 1 elements' },
      ]),
    });
    await user.type(screen.getByLabelText('Username'), 'X');
    await user.click(screen.getByRole('button', { name: 'Enroll' }));

    const username = await screen.findByLabelText('Username');
    await waitFor(() =>
      expect(username).toHaveAccessibleDescription('3–32 of a–z, 0–9, _ . - must be 3-32 characters'),
    );
    // The keyboard lands on the first field to fix.
    await waitFor(() => expect(username).toHaveFocus());
    expect(screen.getByLabelText('Birthday')).toHaveAccessibleDescription(
      expect.stringContaining('must be YYYY-MM-DD'),
    );
    expect(screen.getByRole('group', { name: 'Roles' })).toHaveAccessibleDescription(
      'needs at least one choice',
    );
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The user was not enrolled: see the fields marked above.',
    );
  });

  it('refuses a birthday in the future and no role before sending anything', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<EnrollForm onEnrolled={() => undefined} />, {});
    await fillRequired(user);
    const nextYear = new Date().getUTCFullYear() + 1;
    await user.type(screen.getByLabelText('Birthday'), `${nextYear}-01-15`);
    await user.click(screen.getByRole('checkbox', { name: 'member' }));
    await user.click(screen.getByRole('button', { name: 'Enroll' }));

    const birthday = screen.getByLabelText('Birthday');
    expect(birthday).toHaveAttribute('aria-invalid', 'true');
    expect(birthday).toHaveAccessibleDescription(
      'Optional; up to today This date is in the future: enter a date up to today.',
    );
    expect(screen.getByRole('group', { name: 'Roles' })).toHaveAccessibleDescription(
      'Choose at least one role.',
    );
    await waitFor(() => expect(birthday).toHaveFocus());
    expect(calls).toHaveLength(0);
  });

  it('puts a taken email beside the email field', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<EnrollForm onEnrolled={() => undefined} />, {
      'POST /v1/admin/users': {
        status: 409,
        body: { code: 'EMAIL_TAKEN', detail: 'That email is already registered.' },
      },
    });
    await fillRequired(user);
    await user.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByLabelText('Email')).toHaveAccessibleDescription(
      'That email is already registered.',
    );
  });

  it('sends only the fields filled in, then says so and clears the form', async () => {
    const user = userEvent.setup();
    const onEnrolled = vi.fn();
    const { calls } = await renderSignedIn(<EnrollForm onEnrolled={onEnrolled} />, {
      'POST /v1/admin/users': { status: 201, body: CREATED },
    });
    await fillRequired(user);
    await user.type(screen.getByLabelText('Full name'), 'Bruno Costa');
    await user.click(screen.getByRole('checkbox', { name: 'admin' }));
    await user.click(screen.getByRole('button', { name: 'Enroll' }));

    const done = await screen.findByText('Enrolled bruno. They are shown in the list below.');
    await waitFor(() => expect(done).toHaveFocus());
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/v1/admin/users',
        body: {
          username: 'bruno',
          password: 'long enough password',
          email: 'bruno@example.com',
          fullName: 'Bruno Costa',
          roles: ['member', 'admin'],
        },
      },
    ]);
    expect(onEnrolled).toHaveBeenCalledWith(CREATED);
    expect(screen.getByLabelText('Username')).toHaveValue('');
    expect(screen.getByLabelText('Full name')).toHaveValue('');
    expect(screen.getByRole('checkbox', { name: 'member' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'admin' })).not.toBeChecked();
  });
});
