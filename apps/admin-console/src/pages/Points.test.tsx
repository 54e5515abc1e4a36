import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn } from '../test-utils';
import { PointsPage } from './Points';

const POINTS = { groupId: 'g1', balance: 1500, byPayer: { STORE: 1000, DANNON: 500 } };
const HISTORY = {
  items: [
    {
      entryId: 'e2',
      type: 'REDEEM',
      points: -200,
      payer: 'STORE',
      reference: 'r-1',
      balanceAfter: 1500,
      createdAt: '2024-03-02T10:00:00Z',
    },
    {
      entryId: 'e1',
      type: 'EARN',
      points: 1700,
      payer: 'STORE',
      reference: 'p-1',
      balanceAfter: 1700,
      createdAt: '2024-03-01T10:00:00Z',
    },
  ],
  nextCursor: null,
};
const ROUTES = {
  'GET /v1/admin/groups/g1/points': { status: 200, body: POINTS },
  'GET /v1/admin/groups/g1/points/history': { status: 200, body: HISTORY },
};

afterEach(() => window.history.replaceState(null, '', '/'));

describe('PointsPage', () => {
  it('shows the group named in the URL: balance, payers and signed history', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, ROUTES);

    expect(await screen.findByTestId('balance')).toHaveTextContent(/^1,500$/);
    expect(screen.getByLabelText('Group id')).toHaveValue('g1');
    const payers = screen.getByRole('table', { name: 'Points by payer' });
    expect(
      within(payers)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['PayerPoints', 'STORE1,000', 'DANNON500']);
    const history = await screen.findByRole('table', { name: 'Points history' });
    expect(within(history).getByText('-200')).toHaveClass('negative');
    expect(within(history).getByText('+1,700')).toHaveClass('positive');
  });

  it('says plainly when there is no such group', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=nope');
    await renderSignedIn(<PointsPage />, {
      'GET /v1/admin/groups/nope/points': { status: 404, body: { code: 'NOT_FOUND', detail: 'Not found' } },
    });
    expect(await screen.findByText('No group with id nope.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Adjust points' })).not.toBeInTheDocument();
  });

  it('finds a member and shows their group, keeping the URL in step', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/admin/points');
    const { calls } = await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/users?query=ana&limit=10': {
        status: 200,
        body: {
          items: [{ userId: 'u1', username: 'ana', email: 'a@x.io', fullName: null, groupId: 'g1' }],
          nextCursor: null,
        },
      },
    });
    expect(calls).toHaveLength(0); // no group, no search yet

    await user.type(screen.getByLabelText('Find a member'), 'ana');
    await user.click(screen.getByRole('button', { name: 'Find' }));
    await user.click(await screen.findByRole('button', { name: 'Show points of ana' }));

    expect(window.location.pathname + window.location.search).toBe('/admin/points?groupId=g1');
    expect(await screen.findByTestId('balance')).toHaveTextContent('1,500');
    expect(screen.getByLabelText('Group id')).toHaveValue('g1');
  });

  it('shows the group whose id is typed in', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/admin/points');
    await renderSignedIn(<PointsPage />, ROUTES);
    await user.type(screen.getByLabelText('Group id'), 'g1');
    await user.click(screen.getByRole('button', { name: 'Show points' }));
    expect(window.location.search).toBe('?groupId=g1');
    expect(await screen.findByTestId('balance')).toHaveTextContent('1,500');
  });

  it('reloads the balance and the history after an adjustment', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    let balance = 1500;
    const { calls } = await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1/points': () => ({ status: 200, body: { ...POINTS, balance } }),
      'POST /v1/admin/groups/g1/transactions': (call) => {
        balance = 2000;
        return { status: 201, body: { ...(call.body as object), groupId: 'g1', balance } };
      },
    });
    expect(await screen.findByTestId('balance')).toHaveTextContent('1,500');
    await user.type(screen.getByLabelText('Payer'), 'STORE');
    await user.type(screen.getByLabelText('Points'), '500');
    await user.type(screen.getByLabelText('Reason'), 'Goodwill');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));

    expect(await screen.findByText('Adjusted: balance is now 2,000.')).toBeInTheDocument();
    expect(await screen.findByTestId('balance')).toHaveTextContent('2,000');
    expect(calls.filter((c) => c.path.startsWith('/v1/admin/groups/g1/points/history'))).toHaveLength(2);
  });
});
