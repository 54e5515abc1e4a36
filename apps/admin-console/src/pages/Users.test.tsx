import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn } from '../test-utils';
import { UsersPage } from './Users';

const ANA = {
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

describe('UsersPage', () => {
  it('searches, pages on, and opens the edit panel of a row', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<UsersPage />, {
      'GET /v1/admin/users?limit=20': { status: 200, body: { items: [], nextCursor: null } },
      'GET /v1/admin/users?query=ana&limit=20': { status: 200, body: { items: [ANA], nextCursor: 'c2' } },
      'GET /v1/admin/users?query=ana&limit=20&cursor=c2': {
        status: 200,
        body: { items: [{ ...ANA, userId: 'u2', username: 'ana2' }], nextCursor: null },
      },
    });
    expect(await screen.findByText('No users match.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Search users'), 'ana');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    const row = (await screen.findByRole('cell', { name: 'ana' })).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'Points' })).toHaveAttribute(
      'href',
      '/admin/points?groupId=g1',
    );

    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(await screen.findByRole('cell', { name: 'ana2' })).toBeInTheDocument();
    expect(calls.at(-1)?.path).toBe('/v1/admin/users?query=ana&limit=20&cursor=c2');

    await user.click(screen.getByRole('button', { name: 'Edit ana2' }));
    expect(screen.getByRole('heading', { name: 'Edit ana2' })).toHaveFocus();
  });

  it('shows a failed load with a retry', async () => {
    await renderSignedIn(<UsersPage />, {
      'GET /v1/admin/users': { status: 503, body: { code: 'SERVICE_UNAVAILABLE', detail: 'auth is down' } },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('The users could not be loaded. auth is down');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
