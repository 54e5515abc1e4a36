import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn } from '../test-utils';
import { formatDay } from '../ui/format';
import { UsersPage } from './Users';

const ANA = {
  userId: 'u1-0000-0000-0000-000000000001',
  username: 'ana',
  email: 'ana@example.com',
  phone: null,
  fullName: 'Ana Silva',
  birthday: '1990-02-03',
  groupId: 'g1-0000-0000-0000-000000000001',
  roles: ['member'],
  status: 'ACTIVE',
  createdAt: '2024-01-01T09:30:00Z',
};
const page = (items: unknown[], nextCursor: string | null = null, total?: number) => ({
  status: 200,
  body: { items, nextCursor, ...(total !== undefined && { total }) },
});
const userRow = async (username: string) =>
  (await screen.findByText(username, { selector: '.user-name' })).closest('tr')!;

beforeEach(() => window.history.replaceState(null, '', '/admin/users'));
// jsdom has no scrollIntoView; one test stands one in to see revealRow() scroll.
afterEach(() => delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView);

describe('UsersPage', () => {
  it('searches, keeps the search and the page in the URL, and opens the edit panel of a row', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<UsersPage />, {
      'GET /v1/admin/users?limit=20': page([], null, 0),
      'GET /v1/admin/users?query=ana&limit=20': page([ANA], 'c2', 21),
      'GET /v1/admin/users?query=ana&limit=20&cursor=c2': page(
        [{ ...ANA, userId: 'u2', username: 'ana2' }],
        null,
        21,
      ),
    });
    expect(await screen.findByText('No users match.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Search users'), 'ana');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    const row = await userRow('ana');
    expect(window.location.search).toBe('?q=ana');
    expect(within(row).getByRole('link', { name: "Points of ana's group" })).toHaveAttribute(
      'href',
      `/admin/points?groupId=${ANA.groupId}`,
    );
    expect(screen.getByRole('navigation', { name: 'Users pages' })).toHaveTextContent(
      'Page 1 of 2 · 21 users',
    );

    await user.click(screen.getByRole('button', { name: 'Next →' }));
    await userRow('ana2');
    expect(calls.at(-1)?.path).toBe('/v1/admin/users?query=ana&limit=20&cursor=c2');
    expect(new URLSearchParams(window.location.search).get('page')).toBe('2');
    expect(screen.getByRole('navigation', { name: 'Users pages' })).toHaveTextContent('Page 2 of 2');

    await user.click(screen.getByRole('button', { name: 'Edit ana2' }));
    expect(screen.getByRole('heading', { name: 'Edit ana2' })).toHaveFocus();
  });

  it('shows the search and page a URL names (a reload, Back, a shared link)', async () => {
    window.history.replaceState(null, '', '/admin/users?q=ana&page=2&cursor=c2');
    const { calls } = await renderSignedIn(<UsersPage />, {
      'GET /v1/admin/users?query=ana&limit=20&cursor=c2': page([ANA], null, 21),
    });
    await userRow('ana');
    expect(calls.map((c) => c.path)).toEqual(['/v1/admin/users?query=ana&limit=20&cursor=c2']);
    expect(screen.getByLabelText('Search users')).toHaveValue('ana');
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
  });

  it('puts the actions first, shows ids short and copyable, and the birthday as a day', async () => {
    await renderSignedIn(<UsersPage />, { 'GET /v1/admin/users': page([ANA]) });
    const row = await userRow('ana');
    const cells = within(row).getAllByRole('cell');
    expect(cells[0]).toHaveClass('actions-cell');
    expect(within(cells[0]).getByRole('button', { name: 'Edit ana' })).toBeInTheDocument();
    for (const cell of cells) expect(cell).toHaveAttribute('data-label');
    expect(within(row).getByText('g1-0000-…')).toHaveAttribute('title', ANA.groupId);
    expect(within(row).getByRole('button', { name: `Copy group id ${ANA.groupId}` })).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: `Copy user id ${ANA.userId}` })).toBeInTheDocument();
    expect(within(row).getByRole('cell', { name: 'ana' })).toBeInTheDocument();
    expect(within(row).getByText(formatDay('1990-02-03'))).toBeInTheDocument();
    // The enroll form comes before the long list.
    const [enroll, find] = screen.getAllByRole('heading', { level: 2 });
    expect(enroll).toHaveTextContent('Enroll a user');
    expect(find).toHaveTextContent('Find users');
  });

  it('after an enrol, says so and shows the new user in the list, wherever they would be', async () => {
    const user = userEvent.setup();
    const bruno = { ...ANA, userId: 'u9', username: 'bruno', email: 'bruno@example.com' };
    const scrolled: string[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.id);
    };
    const { calls } = await renderSignedIn(<UsersPage />, {
      'GET /v1/admin/users?limit=20': page([ANA], 'c2', 40),
      'GET /v1/admin/users?query=bruno&limit=20': page([bruno], null, 1),
      'POST /v1/admin/users': { status: 201, body: bruno },
    });
    await userRow('ana');
    await user.type(screen.getByLabelText('Username'), 'bruno');
    await user.type(screen.getByLabelText('Password'), 'long enough password');
    await user.type(screen.getByLabelText('Email'), 'bruno@example.com');
    await user.click(screen.getByRole('button', { name: 'Enroll' }));

    const done = await screen.findByText('Enrolled bruno. They are shown in the list below.');
    await waitFor(() => expect(done).toHaveFocus());
    const row = await userRow('bruno');
    await waitFor(() => expect(row).toHaveClass('row-new'));
    expect(scrolled).toContain('user-row-u9');
    expect(screen.getByLabelText('Search users')).toHaveValue('bruno');
    expect(window.location.search).toBe('?q=bruno');
    expect(calls.at(-1)?.path).toBe('/v1/admin/users?query=bruno&limit=20');
  });

  it('shows a failed load with a retry', async () => {
    await renderSignedIn(<UsersPage />, {
      'GET /v1/admin/users': { status: 503, body: { code: 'SERVICE_UNAVAILABLE', detail: 'auth is down' } },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('The users could not be loaded. auth is down');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
