import { screen, waitFor } from '@testing-library/react';
import { formatDate, formatDay } from '../../ui/format';
import userEvent from '@testing-library/user-event';
import type { AdminUser } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import { EditUserPanel } from './EditUserPanel';

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

function panel(user: AdminUser, onChanged = vi.fn()) {
  return <EditUserPanel user={user} onChanged={onChanged} onClose={() => undefined} />;
}

describe('EditUserPanel', () => {
  it('sends only the changed fields', async () => {
    const user = userEvent.setup();
    const onChanged = vi.fn();
    const { calls } = await renderSignedIn(panel(ANA, onChanged), {
      'PATCH /v1/admin/users/u1': (call) => ({
        status: 200,
        body: { ...ANA, ...(call.body as object) },
      }),
    });
    expect(screen.getByRole('heading', { name: 'Edit ana' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Phone'), '+351912345678');
    await user.click(screen.getByRole('checkbox', { name: 'admin' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const saved = await screen.findByText('Saved changes to ana.');
    await waitFor(() => expect(saved).toHaveFocus());
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['PATCH', '/v1/admin/users/u1', { phone: '+351912345678', roles: ['member', 'admin'] }],
    ]);
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ phone: '+351912345678' }));
  });

  it('shows field errors beside the fields, and sends nothing when nothing changed', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(panel(ANA), {
      'PATCH /v1/admin/users/u1': validationFailed([{ field: 'email', message: 'email must be an email' }]),
    });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(screen.getByText('Nothing changed.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);

    await user.clear(screen.getByLabelText('Email'));
    await user.type(screen.getByLabelText('Email'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const email = await screen.findByLabelText('Email');
    await waitFor(() =>
      expect(email).toHaveAccessibleDescription('must be an email address, like name@example.com'),
    );
    expect(email).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The changes were not saved: see the fields marked above.',
    );
  });

  it('asks before disabling; Cancel sends nothing, Confirm disable sends the status', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(panel(ANA), {
      'PATCH /v1/admin/users/u1': { status: 200, body: { ...ANA, status: 'DISABLED' } },
    });
    await user.click(screen.getByRole('button', { name: 'Disable' }));
    expect(screen.getByText('Disable ana? Their sessions are signed out.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText(/Their sessions are signed out/)).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Disable' }));
    await user.click(screen.getByRole('button', { name: 'Confirm disable' }));
    expect(await screen.findByText('Disabled ana.')).toBeInTheDocument();
    expect(calls.map((c) => c.body)).toEqual([{ status: 'DISABLED' }]);
  });

  it("shows the user's ids short and copyable, and their dates", async () => {
    await renderSignedIn(panel({ ...ANA, birthday: '1990-02-03' }), {});
    expect(screen.getByRole('button', { name: 'Copy user id u1' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy group id g1' })).toBeInTheDocument();
    expect(screen.getByText(formatDay('1990-02-03'))).toBeInTheDocument();
    expect(screen.getByText(formatDate(ANA.createdAt))).toBeInTheDocument();
  });

  it('enables a disabled user at once', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(panel({ ...ANA, status: 'DISABLED' }), {
      'PATCH /v1/admin/users/u1': { status: 200, body: ANA },
    });
    expect(screen.queryByRole('button', { name: 'Disable' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Enable' }));
    expect(await screen.findByText('Enabled ana.')).toBeInTheDocument();
    expect(calls.map((c) => c.body)).toEqual([{ status: 'ACTIVE' }]);
  });
});
