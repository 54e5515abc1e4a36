import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { CouponBooksPage } from '../CouponBooks';
import { book, job } from './fixtures';

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

function routes(extra = {}) {
  return {
    'GET /v1/admin/coupon-books': { status: 200, body: { items: [book('Summer')], nextCursor: null } },
    'GET /v1/admin/coupon-books/book-Summer': {
      status: 200,
      body: book('Summer', { stats: { total: 1234, assigned: 5, redeemed: 1 } }),
    },
    'GET /v1/admin/coupon-books/book-New': { status: 200, body: book('New') },
    'GET /v1/admin/generation-jobs': {
      status: 200,
      body: {
        items: [
          job({
            status: 'COMPLETED',
            generated: 1000,
            codesPerSecond: 25000.4,
            startedAt: '2026-01-01T00:00:00.000Z',
            finishedAt: '2026-01-01T00:00:01.000Z',
          }),
        ],
        nextCursor: null,
      },
    },
    ...extra,
  };
}

describe('CouponBooksPage', () => {
  beforeEach(() => window.history.pushState(null, '', '/admin/coupon-books'));

  it('opens a book from the list, keeps it in the URL, and shows its stats and jobs', async () => {
    const { calls } = await renderSignedIn(<CouponBooksPage />, routes());
    await userEvent.click(await screen.findByRole('button', { name: 'Open Summer' }));
    expect(window.location.search).toBe('?bookId=book-Summer');
    expect(await screen.findByRole('heading', { name: 'Summer' })).toBeInTheDocument();
    expect(screen.getByText('1,234')).toBeInTheDocument();
    expect(await screen.findByText('25,000 codes/s')).toBeInTheDocument();
    expect(calls.map((c) => c.path)).toContain('/v1/admin/generation-jobs?couponBookId=book-Summer&limit=10');
    expect(screen.getByRole('navigation', { name: 'Coupon books pages' })).toBeInTheDocument();
  });

  it('reads the selected book from the URL on load', async () => {
    window.history.pushState(null, '', '/admin/coupon-books?bookId=book-Summer');
    await renderSignedIn(<CouponBooksPage />, routes());
    expect(await screen.findByRole('heading', { name: 'Summer' })).toBeInTheDocument();
  });

  it('creates a book with only the filled-in optionals, then opens it', async () => {
    const { calls } = await renderSignedIn(
      <CouponBooksPage />,
      routes({ 'POST /v1/admin/coupon-books': { status: 201, body: book('New') } }),
    );
    await userEvent.type(screen.getByLabelText('Name'), 'New');
    await userEvent.type(screen.getByLabelText('Code pattern'), 'SAVE-####');
    await userEvent.type(screen.getByLabelText('Max codes per user'), '2');
    await userEvent.click(screen.getByLabelText('Allow multiple redemptions'));
    await userEvent.click(screen.getByRole('button', { name: 'Create book' }));
    expect(await screen.findByRole('heading', { name: 'New' })).toBeInTheDocument();
    expect(window.location.search).toBe('?bookId=book-New');
    expect(posts(calls)[0].body).toEqual({
      name: 'New',
      codePattern: 'SAVE-####',
      maxCodesPerUser: 2,
      allowMultipleRedemptions: true,
    });
  });

  it("shows the API's field errors beside their fields", async () => {
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
    await waitFor(() =>
      expect(screen.getByLabelText('Code pattern')).toHaveAccessibleDescription(
        expect.stringContaining('codePattern must contain at least one #'),
      ),
    );
    expect(screen.getByLabelText('Charset')).toHaveAccessibleDescription(
      expect.stringContaining('charset must be 2-64 letters'),
    );
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    expect(window.location.search).toBe('');
  });
});
