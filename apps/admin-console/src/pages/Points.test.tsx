import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { GroupPoints, LedgerEntry } from '../api/types';
import { renderSignedIn, validationFailed } from '../test-utils';
import { formatDate } from '../ui/format';
import { PointsPage } from './Points';
import type { AdminGroup } from './points/group';

const POINTS: GroupPoints = {
  groupId: 'g1',
  balance: 1500,
  pending: 320,
  byPayer: { STORE: 1000, DANNON: 500 },
  // Out of order on purpose: the page shows the soonest first.
  expiringSoon: [
    { points: 200, expiresAt: '2024-03-20T09:00:00Z' },
    { points: 50, expiresAt: '2024-03-05T09:00:00Z' },
  ],
  tier: {
    name: 'Silver',
    earnMultiplier: '1.5',
    qualifyingPoints: 1250,
    nextTier: 'Gold',
    pointsToNextTier: 750,
  },
};
const HISTORY: { items: LedgerEntry[]; nextCursor: null } = {
  items: [
    {
      entryId: 'e2',
      type: 'REDEEM',
      points: -200,
      payer: 'STORE',
      reference: 'r-1',
      balanceAfter: 1500,
      reason: null,
      createdAt: '2024-03-02T10:00:00Z',
    },
    {
      entryId: 'e1',
      type: 'EARN',
      points: 1700,
      payer: 'STORE',
      reference: 'p-1',
      balanceAfter: 1700,
      reason: null,
      createdAt: '2024-03-01T10:00:00Z',
    },
  ],
  nextCursor: null,
};
const GROUP: AdminGroup = {
  groupId: 'g1',
  maxMembers: 4,
  members: [
    { userId: 'u1', username: 'ann', fullName: 'Ann Lee', email: 'ann@x.io', status: 'ACTIVE' },
    { userId: 'u2', username: 'bob', fullName: null, email: 'bob@x.io', status: 'DISABLED' },
  ],
};
const MEMBER_SEARCH = {
  'GET /v1/admin/users?query=ann&limit=10': {
    status: 200,
    body: {
      items: [
        { userId: 'u1', username: 'ann', email: 'ann@x.io', fullName: 'Ann Lee', groupId: 'g1' },
        {
          userId: 'u3',
          username: 'annie',
          email: 'annie@x.io',
          fullName: null,
          groupId: 'g2-0000-4000-8000-000000000002',
        },
        { userId: 'u4', username: 'annie2', email: 'a2@x.io', fullName: null, groupId: 'g1' },
      ],
      nextCursor: null,
    },
  },
};
const ROUTES = {
  'GET /v1/admin/groups/g1': { status: 200, body: GROUP },
  'GET /v1/admin/groups/g1/points': { status: 200, body: POINTS },
  'GET /v1/admin/groups/g1/points/history': { status: 200, body: HISTORY },
};

afterEach(() => window.history.replaceState(null, '', '/admin/points'));

describe('PointsPage', () => {
  it('shows the group named in the URL: balance, payers and signed history', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, ROUTES);

    expect(await screen.findByTestId('balance')).toHaveTextContent(/^1,500$/);
    expect(screen.getByLabelText('Group id')).toHaveValue('g1');
    expect(screen.getByRole('heading', { name: 'Group of ann, bob' })).toBeInTheDocument();
    const members = screen.getByRole('list', { name: 'Members' });
    expect(
      within(members)
        .getAllByRole('listitem')
        .map((m) => m.textContent),
    ).toEqual(['ann · Ann Lee', 'bob (disabled)']);
    const summary = screen.getByRole('region', { name: 'Group of ann, bob' });
    expect(summary).toHaveTextContent('Group id g1Copy');
    expect(summary).toHaveTextContent('2 members of 4');
    expect(within(summary).getByRole('button', { name: 'Copy group id g1' })).toBeInTheDocument();
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

  it('shows pending points beside the balance, labelled as not spendable, without adding them to it', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, ROUTES);

    expect(await screen.findByTestId('balance')).toHaveTextContent(/^1,500$/);
    const pending = screen.getByTestId('pending');
    expect(pending).toHaveTextContent(/^320$/);
    expect(pending.closest('.figure')).toHaveTextContent(/pending: not yet spendable/);
    // The balance is the headline: first, and the pending figure is the minor one.
    const figures = screen.getAllByText(/^[\d,]+$/, { selector: '.figure .value' });
    expect(figures.map((f) => f.dataset.testid)).toEqual(['balance', 'pending']);
    expect(pending.closest('.figure')).toHaveClass('figure-minor');
  });

  it("shows the points expiring soon, soonest first, in the console's date format, with their total", async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, ROUTES);

    const table = await screen.findByRole('table', { name: 'Points expiring soon' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual([
      'ExpiresPoints',
      `${formatDate('2024-03-05T09:00:00Z')}50`,
      `${formatDate('2024-03-20T09:00:00Z')}200`,
    ]);
    const section = screen.getByRole('region', { name: 'Expiring soon' });
    expect(section).toHaveTextContent("250 points expire within the points policy's warning window");
  });

  it('says when nothing expires soon', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1/points': { status: 200, body: { ...POINTS, expiringSoon: [] } },
    });
    expect(
      await screen.findByText("No points expire within the points policy's warning window."),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Points expiring soon' })).not.toBeInTheDocument();
  });

  it('shows the tier: name, earn multiplier, qualifying points, and the next tier with the points still needed', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, ROUTES);

    const tier = await screen.findByRole('region', { name: 'Tier' });
    const facts = [...tier.querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent,
    ]);
    expect(facts).toEqual([
      ['Tier', 'Silver'],
      ['Earn multiplier', '×1.5'],
      ['Qualifying points', '1,250'],
      ['Next tier', 'Gold: 750 more qualifying points'],
    ]);
  });

  it('says when the group is at the top tier', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1/points': {
        status: 200,
        body: {
          ...POINTS,
          tier: {
            name: 'Gold',
            earnMultiplier: '2',
            qualifyingPoints: 5000,
            nextTier: null,
            pointsToNextTier: null,
          },
        },
      },
    });
    const tier = await screen.findByRole('region', { name: 'Tier' });
    expect(within(tier).getByText('None: Gold is the top tier')).toBeInTheDocument();
    expect(within(tier).getByText('×2')).toBeInTheDocument();
  });

  it('names the new entry types in the history, signs their points, and shows the reason or a dash', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
      entryId: over.type ?? 'e',
      type: 'EARN',
      points: 0,
      payer: 'STORE',
      reference: 'ref',
      balanceAfter: 0,
      reason: null,
      createdAt: '2024-03-04T10:00:00Z',
      ...over,
    });
    await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1/points/history': {
        status: 200,
        body: {
          items: [
            entry({ type: 'REVERSAL', points: 300, reference: 'r-9', reason: 'Order cancelled at the till' }),
            entry({ type: 'REFUND', points: -120, reference: 'return-1' }),
            entry({ type: 'EXPIRE', points: -50, reference: 'p-old' }),
            entry({ type: 'ADJUST', points: 25, reference: 't-1', reason: 'Goodwill' }),
          ],
          nextCursor: null,
        },
      },
    });
    const history = await screen.findByRole('table', { name: 'Points history' });
    const headers = within(history)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Date', 'Type', 'Payer', 'Points', 'Reference', 'Reason', 'Balance after']);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    const [, reversal, refund, expiry, adjust] = within(history).getAllByRole('row');
    // The reference is an id: shown short, with its copy button.
    expect(cells(reversal).slice(1, 6)).toEqual([
      'Redemption reversed',
      'STORE',
      '+300',
      'r-9Copy',
      'Order cancelled at the till',
    ]);
    expect(cells(refund).slice(1, 6)).toEqual(['Refunded', 'STORE', '-120', 'return-1Copy', '—']);
    expect(cells(expiry).slice(1, 6)).toEqual(['Expired', 'STORE', '-50', 'p-oldCopy', '—']);
    expect(cells(adjust).slice(1, 6)).toEqual(['Adjusted', 'STORE', '+25', 't-1Copy', 'Goodwill']);
    // On a phone each cell is a card line named by its column.
    expect(
      within(adjust)
        .getAllByRole('cell')
        .map((c) => c.dataset.label),
    ).toEqual(headers);
    expect(within(history).getByText('-120')).toHaveClass('negative');
    expect(within(history).getByText('+300')).toHaveClass('positive');
  });

  it('refuses a well-formed but unknown group: one message, no balance and no adjust form', async () => {
    const unknown = '0b9e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
    window.history.replaceState(null, '', `/admin/points?groupId=${unknown}`);
    const notFound = { status: 404, body: { code: 'NOT_FOUND', detail: 'No such group' } };
    await renderSignedIn(<PointsPage />, {
      [`GET /v1/admin/groups/${unknown}`]: notFound,
      [`GET /v1/admin/groups/${unknown}/points`]: notFound,
      [`GET /v1/admin/groups/${unknown}/points/history`]: notFound,
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      `No group has this id. Check ${unknown}, or find the group by one of its members above.`,
    );
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.queryByTestId('balance')).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Adjust points' })).not.toBeInTheDocument();
  });

  it('refuses a group when only the group lookup says it is unknown', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1': { status: 404, body: { code: 'NOT_FOUND', detail: 'No such group' } },
    });
    expect(await screen.findByText('No group has this id.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Adjust points' })).not.toBeInTheDocument();
  });

  it('says what a group id looks like when the text is not one', async () => {
    window.history.replaceState(null, '', '/admin/points?groupId=nope');
    const invalid = validationFailed([{ field: 'groupId', message: 'groupId must be a UUID' }]);
    await renderSignedIn(<PointsPage />, {
      'GET /v1/admin/groups/nope': invalid,
      'GET /v1/admin/groups/nope/points': invalid,
      'GET /v1/admin/groups/nope/points/history': invalid,
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('“nope” is not a group id');
    expect(screen.queryByRole('heading', { name: 'Adjust points' })).not.toBeInTheDocument();
  });

  it('pages the history with its total, the page in the URL, and reads the page back from the URL', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/admin/points?groupId=g1');
    const page = (n: number) => ({ ...HISTORY, total: 41, nextCursor: n < 3 ? `c${n + 1}` : null });
    const { calls, unmount } = await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1/points/history?limit=20': { status: 200, body: page(1) },
      'GET /v1/admin/groups/g1/points/history?limit=20&cursor=c2': { status: 200, body: page(2) },
    });
    const pager = await screen.findByRole('navigation', { name: 'History pages' });
    expect(pager).toHaveTextContent('Page 1 of 3 · 41 entries');
    await user.click(within(pager).getByRole('button', { name: 'Next →' }));
    expect(new URLSearchParams(window.location.search).get('historyPage')).toBe('2');
    expect(new URLSearchParams(window.location.search).get('historyCursor')).toBe('c2');
    await waitFor(() =>
      expect(screen.getByRole('navigation', { name: 'History pages' })).toHaveTextContent('Page 2 of 3'),
    );
    unmount();

    // A reload (or a shared link) of that URL shows the same page.
    calls.length = 0;
    const again = await renderSignedIn(<PointsPage />, {
      ...ROUTES,
      'GET /v1/admin/groups/g1/points/history?limit=20&cursor=c2': { status: 200, body: page(2) },
    });
    expect(await screen.findByRole('navigation', { name: 'History pages' })).toHaveTextContent(
      'Page 2 of 3 · 41 entries',
    );
    expect(again.calls.map((c) => c.path)).toContain('/v1/admin/groups/g1/points/history?limit=20&cursor=c2');
  });

  it('finds a member and shows their group, keeping the search and the group in the URL', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/admin/points');
    const { calls } = await renderSignedIn(<PointsPage />, { ...ROUTES, ...MEMBER_SEARCH });
    expect(calls).toHaveLength(0); // no group, no search yet

    await user.type(screen.getByLabelText('Find a member'), 'ann');
    await user.click(screen.getByRole('button', { name: 'Find' }));
    expect(window.location.search).toBe('?member=ann');
    const matches = await screen.findByRole('table', { name: 'Matching members' });
    const [, annRow, annieRow] = within(matches).getAllByRole('row');
    expect(
      within(annRow)
        .getAllByRole('cell')
        .map((c) => c.dataset.label),
    ).toEqual([undefined, 'Username', 'Full name', 'Email', 'Group']);
    // The group by its members' names where the results hold them, and its id short and copyable.
    expect(within(annRow).getAllByRole('cell')[4]).toHaveTextContent("ann's group (with annie2) g1Copy");
    expect(within(annieRow).getAllByRole('cell')[4]).toHaveTextContent("annie's group g2-0000-…Copy");
    expect(
      within(annieRow).getByRole('button', { name: 'Copy group id of annie g2-0000-4000-8000-000000000002' }),
    ).toBeInTheDocument();
    await user.click(within(annRow).getByRole('button', { name: 'Show points of ann' }));

    expect(window.location.pathname + window.location.search).toBe('/admin/points?member=ann&groupId=g1');
    expect(await screen.findByTestId('balance')).toHaveTextContent('1,500');
    expect(screen.getByLabelText('Group id')).toHaveValue('g1');
    expect(screen.getByRole('heading', { name: 'Group of ann, bob' })).toBeInTheDocument();
    expect(within(matches).getAllByRole('row')[1]).toHaveTextContent('Shown below');
  });

  it('shows the search from the URL again after Back or a reload', async () => {
    window.history.replaceState(null, '', '/admin/points?member=ann');
    await renderSignedIn(<PointsPage />, { ...ROUTES, ...MEMBER_SEARCH });
    expect(screen.getByLabelText('Find a member')).toHaveValue('ann');
    expect(await screen.findByRole('button', { name: 'Show points of ann' })).toBeInTheDocument();
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

    expect(
      await screen.findByText('Added 500 points to payer STORE in the group of ann, bob. Balance: 2,000.'),
    ).toHaveFocus();
    expect(await screen.findByTestId('balance')).toHaveTextContent('2,000');
    expect(calls.filter((c) => c.path.startsWith('/v1/admin/groups/g1/points/history'))).toHaveLength(2);
  });
});
