import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { CouponBooksPage } from '../CouponBooks';
import { book, job } from './fixtures';

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

function routes(extra = {}) {
  return {
    'GET /v1/admin/coupon-books': {
      status: 200,
      body: {
        items: [book('Summer', { stats: { total: 200_005, assigned: 5, redeemed: 1 } })],
        nextCursor: null,
        total: 1,
      },
    },
    'GET /v1/admin/coupon-books/book-Summer': {
      status: 200,
      body: book('Summer', { stats: { total: 400_005, assigned: 5, redeemed: 1 }, maxCodesPerUser: 1 }),
    },
    'GET /v1/admin/coupon-books/book-New': { status: 200, body: book('New') },
    'GET /v1/admin/generation-jobs': {
      status: 200,
      body: {
        items: [
          {
            ...job({
              status: 'COMPLETED',
              generated: 1000,
              codesPerSecond: 25000.4,
              startedAt: '2026-01-01T00:00:00.000Z',
              finishedAt: '2026-01-01T00:00:01.000Z',
            }),
            couponBookName: 'Summer',
          },
        ],
        nextCursor: null,
      },
    },
    ...extra,
  };
}

const listRow = (name: string) =>
  within(screen.getByRole('table', { name: 'Coupon books' }))
    .getByRole('button', { name: `Open ${name}` })
    .closest('tr')!;

describe('CouponBooksPage', () => {
  beforeEach(() => window.history.replaceState(null, '', '/admin/coupon-books'));

  it('opens a book from the list, keeps it in the URL, focuses its heading and shows its stats and jobs', async () => {
    const { calls } = await renderSignedIn(<CouponBooksPage />, routes());
    await userEvent.click(await screen.findByRole('button', { name: 'Open Summer' }));
    expect(window.location.search).toBe('?book=book-Summer');
    const heading = await screen.findByRole('heading', { name: 'Summer' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(await screen.findByText('25,000 codes/s')).toBeInTheDocument();
    expect(calls.map((c) => c.path)).toContain('/v1/admin/generation-jobs?couponBookId=book-Summer&limit=10');
    expect(screen.getByRole('navigation', { name: 'Coupon books pages' })).toHaveTextContent(
      'Page 1 of 1 · 1 coupon book',
    );
  });

  it('shows the same live figures in the list row as in the open book', async () => {
    window.history.replaceState(null, '', '/admin/coupon-books?book=book-Summer');
    await renderSignedIn(<CouponBooksPage />, routes());
    await screen.findByRole('heading', { name: 'Summer' });
    await waitFor(() => expect(within(listRow('Summer')).getByText('400,005')).toBeInTheDocument());
    expect(screen.queryByText('200,005')).not.toBeInTheDocument();
    expect(listRow('Summer')).toHaveAttribute('aria-current', 'true');
  });

  it('reads the selected book from the URL on load, the older ?bookId= too', async () => {
    window.history.replaceState(null, '', '/admin/coupon-books?bookId=book-Summer');
    await renderSignedIn(<CouponBooksPage />, routes());
    expect(await screen.findByRole('heading', { name: 'Summer' })).toBeInTheDocument();
  });

  it('shows the status, names, short ids, plurals and the range in the detail', async () => {
    window.history.replaceState(null, '', '/admin/coupon-books?book=book-Summer');
    await renderSignedIn(<CouponBooksPage />, routes());
    const detail = (await screen.findByRole('heading', { name: 'Summer' })).closest('section')!;
    expect(within(detail).getByText('Active')).toBeInTheDocument();
    expect(
      within(detail).getByRole('button', { name: 'Copy coupon book id book-Summer' }),
    ).toBeInTheDocument();
    expect(detail).toHaveTextContent('1 code per user');
    expect(detail).toHaveTextContent('no limit of redemptions per user');
    expect(detail).toHaveTextContent('Always (no start or end)');
    const jobs = await within(detail).findByRole('table', { name: 'Recent generation jobs' });
    const cells = within(jobs).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent(/^Summer/);
    expect(cells[0]).toHaveAttribute('data-label', 'Job');
    expect(within(listRow('Summer')).getAllByRole('cell')[0]).toHaveClass('actions-cell');
    expect(within(listRow('Summer')).getByText('Active')).toBeInTheDocument();
  });

  it('creates a book with only the filled-in optionals, then opens it right below the form', async () => {
    const { calls } = await renderSignedIn(
      <CouponBooksPage />,
      routes({ 'POST /v1/admin/coupon-books': { status: 201, body: book('New') } }),
    );
    await userEvent.type(screen.getByLabelText('Name'), 'New');
    await userEvent.type(screen.getByLabelText('Code pattern'), 'SAVE-####');
    await userEvent.type(screen.getByLabelText('Max codes per user'), '2');
    await userEvent.click(screen.getByLabelText('Allow multiple redemptions'));
    await userEvent.click(screen.getByRole('button', { name: 'Create book' }));
    const heading = await screen.findByRole('heading', { name: 'New' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByText('Coupon book “New” created and opened below.')).toBeInTheDocument();
    // Form, then the new book, then the list: the book is where the message says.
    const order = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(order).toEqual(['Create a coupon book', 'New', 'All coupon books']);
    expect(window.location.search).toBe('?book=book-New');
    expect(posts(calls)[0].body).toEqual({
      name: 'New',
      codePattern: 'SAVE-####',
      maxCodesPerUser: 2,
      allowMultipleRedemptions: true,
    });
  });

  it('checks the dates and limits in the browser before sending, and focuses the first problem', async () => {
    const { calls } = await renderSignedIn(<CouponBooksPage />, routes());
    await userEvent.type(screen.getByLabelText('Name'), 'Backwards');
    await userEvent.type(screen.getByLabelText('Max codes per user'), '0');
    await userEvent.type(screen.getByLabelText('Starts at'), '2099-03-10T09:00');
    await userEvent.type(screen.getByLabelText('Ends at'), '2099-03-01T09:00');
    await userEvent.click(screen.getByRole('button', { name: 'Create book' }));
    await waitFor(() => expect(screen.getByLabelText('Max codes per user')).toHaveFocus());
    expect(screen.getByLabelText('Ends at')).toHaveAccessibleDescription(
      expect.stringContaining('The end must be after the start.'),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Nothing was sent: 2 fields need attention');
    expect(posts(calls)).toHaveLength(0);
  });

  it("shows the API's field errors beside their fields once, and focuses the first", async () => {
    await renderSignedIn(
      <CouponBooksPage />,
      routes({
        'POST /v1/admin/coupon-books': validationFailed([
          { field: 'codePattern', message: 'codePattern must contain at least one #' },
          { field: 'charset', message: 'charset must be 2-64 letters, digits, - or _' },
        ]),
      }),
    );
    await userEvent.type(screen.getByLabelText('Name'), 'Bad');
    await userEvent.type(screen.getByLabelText('Code pattern'), 'SAVE');
    await userEvent.click(screen.getByRole('button', { name: 'Create book' }));
    await waitFor(() => expect(screen.getByLabelText('Code pattern')).toHaveFocus());
    expect(screen.getByLabelText('Code pattern')).toHaveAccessibleDescription(
      expect.stringContaining('must contain at least one #'),
    );
    expect(screen.getByLabelText('Charset')).toHaveAccessibleDescription(
      expect.stringContaining('must be 2-64 letters'),
    );
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).not.toHaveTextContent('must contain at least one #');
    expect(window.location.search).toBe('');
  });

  it('keeps the page in the URL', async () => {
    window.history.replaceState(null, '', '/admin/coupon-books?page=3&cursor=c3');
    const { calls } = await renderSignedIn(
      <CouponBooksPage />,
      routes({
        'GET /v1/admin/coupon-books': {
          status: 200,
          body: { items: [book('Summer')], nextCursor: null, total: 41 },
        },
      }),
    );
    await screen.findByRole('button', { name: 'Open Summer' });
    expect(calls[0].path).toBe('/v1/admin/coupon-books?limit=20&cursor=c3');
    expect(screen.getByRole('navigation', { name: 'Coupon books pages' })).toHaveTextContent(
      'Page 3 of 3 · 41 coupon books',
    );
  });
});
