import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toApiError } from '../../api/problem';
import type { Session } from '../../api/session';
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

describe('BookDetail: one source for a running job', () => {
  it("shows the progress bar's reading of our job in the jobs table too, not the table's older one", async () => {
    const running = { ...job({ status: 'RUNNING', generated: 400, requested: 1000 }), couponBookName: 'B' };
    await renderSignedIn(<BookDetail bookId="book-B" pollMs={5} />, {
      'GET /v1/admin/coupon-books/book-B': { status: 200, body: book('B') },
      // The table's answer lags: it still says 100.
      'GET /v1/admin/generation-jobs': {
        status: 200,
        body: { items: [{ ...running, generated: 100 }], nextCursor: null },
      },
      'POST /v1/admin/coupon-books/book-B/generation-jobs': {
        status: 202,
        body: { jobId: 'job-1', status: 'QUEUED' },
      },
      'GET /v1/admin/generation-jobs/job-1': { status: 200, body: running },
    });
    await screen.findByRole('heading', { name: 'B' });
    await userEvent.type(screen.getByLabelText('How many codes'), '1000');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    await screen.findByText('400 of 1,000 codes');
    const table = screen.getByRole('table', { name: 'Recent generation jobs' });
    await waitFor(() => expect(within(table).getByText('400')).toBeInTheDocument());
    expect(within(table).queryByText('100')).not.toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(2);
  });
});

describe('BookDetail: deactivating', () => {
  it('asks in a full sentence, sends PATCH {status: INACTIVE}, and shows the new status', async () => {
    let status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE';
    const current = () => ({ ...book('B', { active: status === 'ACTIVE' }), status });
    const { calls } = await renderSignedIn(<BookDetail bookId="book-B" />, {
      'GET /v1/admin/coupon-books/book-B': () => ({ status: 200, body: current() }),
      'PATCH /v1/admin/coupon-books/book-B': (call) => {
        status = (call.body as { status: typeof status }).status;
        return { status: 200, body: current() };
      },
      'GET /v1/admin/generation-jobs': { status: 200, body: { items: [], nextCursor: null } },
    });
    await screen.findByRole('heading', { name: 'B' });
    expect(screen.getByText('Active')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Deactivate book' }));
    const confirm = screen.getByRole('group', { name: 'Confirm: deactivate the book' });
    expect(confirm).toHaveTextContent(
      'Deactivate “B”? While it is inactive, none of its codes is handed out, locked or redeemed;',
    );
    expect(within(confirm).getByRole('button', { name: 'Deactivate “B”' })).toHaveFocus();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Deactivate “B”' }));
    const done = await screen.findByText('“B” is now inactive: none of its codes is handed out or redeemed.');
    await waitFor(() => expect(done).toHaveFocus());
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ status: 'INACTIVE' }]);
    expect(await screen.findByText('Inactive')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reactivate book' })).toBeInTheDocument();
  });
});

describe('BookDetail: CSV export', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  /** The session's raw GET answers `reply()`; what it was asked is recorded. */
  function exportFetch(session: Session, reply: () => Response) {
    const seen: Array<{ path: string; accept: string }> = [];
    vi.spyOn(session, 'fetchRaw').mockImplementation(async (path, accept) => {
      seen.push({ path, accept });
      const res = reply();
      if (!res.ok) throw await toApiError(res);
      return res;
    });
    return seen;
  }

  const routes = {
    'GET /v1/admin/coupon-books/book-B': {
      status: 200,
      body: book('B', { stats: { total: 2, assigned: 0, redeemed: 0 } }),
    },
    'GET /v1/admin/generation-jobs': { status: 200, body: { items: [], nextCursor: null } },
  };

  it('downloads the codes with the Bearer token and saves them as a file', async () => {
    const saved: string[] = [];
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:codes', revokeObjectURL: () => undefined }),
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push(this.download);
    });
    const { session } = await renderSignedIn(<BookDetail bookId="book-B" />, routes);
    const seen = exportFetch(
      session,
      () =>
        new Response('code,status\r\nA1,AVAILABLE\r\nA2,AVAILABLE\r\n', {
          status: 200,
          headers: {
            'content-type': 'text/csv',
            'content-disposition': 'attachment; filename="b-codes.csv"',
          },
        }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Download the codes (CSV)' }));
    const done = await screen.findByText('Downloaded 2 codes as “b-codes.csv”.');
    await waitFor(() => expect(done).toHaveFocus());
    expect(seen[0].path).toBe('/v1/admin/coupon-books/book-B/codes/export');
    expect(seen[0].accept).toBe('text/csv');
    expect(saved).toEqual(['b-codes.csv']);
    click.mockRestore();
  });

  it('says in words why a download failed', async () => {
    const { session } = await renderSignedIn(<BookDetail bookId="book-B" />, routes);
    exportFetch(
      session,
      () =>
        new Response(JSON.stringify({ code: 'NOT_FOUND', detail: 'No coupon book book-B.' }), {
          status: 404,
          headers: { 'content-type': 'application/problem+json' },
        }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Download the codes (CSV)' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The codes could not be downloaded. No coupon book book-B.');
    await waitFor(() => expect(alert).toHaveFocus());
  });
});
