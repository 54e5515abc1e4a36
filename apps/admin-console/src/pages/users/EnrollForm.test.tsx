import { screen } from '@testing-library/react';
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
      ]),
    });
    await user.type(screen.getByLabelText('Username'), 'X');
    await user.click(screen.getByRole('button', { name: 'Enroll' }));

    expect(await screen.findByLabelText('Username')).toHaveAccessibleDescription(
      expect.stringContaining('username must be 3-32 characters'),
    );
    expect(screen.getByLabelText('Birthday')).toHaveAccessibleDescription(
      expect.stringContaining('birthday must be YYYY-MM-DD'),
    );
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('see the fields marked above');
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

    expect(await screen.findByText('Enrolled bruno.')).toBeInTheDocument();
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
