import { act, screen, waitFor } from '@testing-library/react';
import { renderSignedIn } from '../../test-utils';
import { BookDetail } from './BookDetail';
import { book, job } from './fixtures';

describe('BookDetail', () => {
  afterEach(() => vi.useRealTimers());

  it('reloads the stats every 2 s while a job of the book runs, and not once none does', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let total = 100;
    let jobStatus: 'RUNNING' | 'COMPLETED' = 'RUNNING';
    const { calls } = await renderSignedIn(<BookDetail bookId="book-B" />, {
      'GET /v1/admin/coupon-books/book-B': () => ({
        status: 200,
        body: book('B', { stats: { total, assigned: 0, redeemed: 0 } }),
      }),
      'GET /v1/admin/generation-jobs': () => ({
        status: 200,
        body: { items: [job({ status: jobStatus })], nextCursor: null },
      }),
    });
    expect(await screen.findByText('100')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('RUNNING')).toBeInTheDocument());
    total = 500;
    jobStatus = 'COMPLETED';
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(await screen.findByText('500')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('COMPLETED')).toBeInTheDocument());

    const bookLoads = () => calls.filter((c) => c.path === '/v1/admin/coupon-books/book-B').length;
    const before = bookLoads();
    await act(() => vi.advanceTimersByTimeAsync(6000));
    expect(bookLoads()).toBe(before);
  });
});
