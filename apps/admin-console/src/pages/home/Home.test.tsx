import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AdminStats } from '../../api/types';
import { renderSignedIn } from '../../test-utils';
import { HomePage } from '../Home';

/** 30 UTC days from 2025-11-01, earning 10·(i+1) and redeeming i points on day i. */
function thirtyDays(): NonNullable<AdminStats['pointsByDay']> {
  return Array.from({ length: 30 }, (_, i) => ({
    date: `2025-11-${String(i + 1).padStart(2, '0')}`,
    earned: 10 * (i + 1),
    redeemed: i,
  }));
}

function stats(over: Partial<AdminStats> = {}): AdminStats {
  return {
    members: 1234,
    groups: 56,
    pointsByDay: thirtyDays(),
    activeCampaigns: [
      { campaignId: 'c1', name: 'Welcome', issued: 30, remaining: 70 },
      { campaignId: 'c2', name: 'Spring', issued: 5, remaining: 0 },
    ],
    runningJobs: [
      {
        jobId: 'abcdef0123456789',
        couponBookId: 'book-0123456789',
        couponBookName: 'Summer codes',
        status: 'RUNNING',
        requested: 1000,
        generated: 250,
      },
    ],
    ...over,
  };
}

const STATS = 'GET /v1/admin/stats?days=30';

describe('HomePage', () => {
  it('shows the figures, the totals, the campaigns and the running jobs', async () => {
    const { calls } = await renderSignedIn(<HomePage />, { [STATS]: { status: 200, body: stats() } });
    expect(screen.getByRole('status')).toHaveTextContent('Loading the dashboard');
    expect(await screen.findByTestId('stat-members')).toHaveTextContent('1,234');
    expect(screen.getByTestId('stat-groups')).toHaveTextContent('56');
    expect(screen.getByTestId('stat-active-campaigns')).toHaveTextContent('2');
    expect(screen.getByTestId('stat-running-jobs')).toHaveTextContent('1');
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/v1/admin/stats?days=30' });

    // earned 10+20+…+300 = 4650, redeemed 0+1+…+29 = 435
    expect(screen.getByTestId('points-totals')).toHaveTextContent('Earned 4,650 · Redeemed 435');

    const campaigns = screen.getByRole('table', { name: 'Vouchers per active campaign' });
    const welcome = within(campaigns).getByRole('row', { name: /Welcome/ });
    expect(
      within(welcome)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['30', '70', '100']);

    expect(screen.getByTestId('campaign-totals')).toHaveTextContent(
      '2 active campaigns: 35 vouchers issued, 70 remaining.',
    );

    // The job is named by its book; its id stays, short and copyable.
    const jobs = screen.getByRole('region', { name: 'Running generation jobs' });
    const bar = within(jobs).getByRole('progressbar', { name: 'Codes for Summer codes' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(within(jobs).getByText('250 of 1,000 codes')).toBeInTheDocument();
    expect(within(jobs).getByRole('link', { name: 'Summer codes' })).toHaveAttribute(
      'href',
      '/admin/coupon-books?bookId=book-0123456789',
    );
    expect(jobs).toHaveTextContent('Summer codes (generating)');
    expect(within(jobs).getByRole('button', { name: 'Copy job id abcdef0123456789' })).toBeInTheDocument();
    expect(jobs).not.toHaveTextContent('Coupon book');
  });

  it('lists the 30 days in a table behind "Show as a table"', async () => {
    await renderSignedIn(<HomePage />, { [STATS]: { status: 200, body: stats() } });
    await userEvent.click(await screen.findByText('Show as a table'));
    const table = screen.getByRole('table', { name: 'Points per day' });
    const rows = within(table).getAllByRole('row').slice(1); // without the header
    expect(rows).toHaveLength(30);
    expect(rows[0]).toHaveTextContent('1 Nov 2025');
    expect(
      within(rows[29])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['300', '29']);
    expect(screen.getByRole('figure')).toHaveTextContent(/from 1 Nov 2025 to 30 Nov 2025/);
  });

  it('says which service did not answer in place of its parts, and shows the rest', async () => {
    await renderSignedIn(<HomePage />, {
      [STATS]: {
        status: 200,
        body: stats({ members: null, groups: null, pointsByDay: null, runningJobs: null }),
      },
    });
    const auth = 'Not available right now (the auth service did not answer)';
    expect(await screen.findByTestId('stat-members')).toHaveTextContent(auth);
    expect(screen.getByTestId('stat-groups')).toHaveTextContent(auth);
    expect(screen.getByTestId('stat-active-campaigns')).toHaveTextContent('2');
    expect(screen.getByTestId('stat-running-jobs')).toHaveTextContent(
      'Not available right now (the promotion service did not answer)',
    );
    const points = screen.getByRole('region', { name: 'Points per day, last 30 days' });
    expect(points).toHaveTextContent('Not available right now (the loyalty service did not answer)');
    expect(within(points).queryByText('Show as a table')).not.toBeInTheDocument();
    const jobs = screen.getByRole('region', { name: 'Running generation jobs' });
    expect(jobs).toHaveTextContent('Not available right now (the promotion service did not answer)');
    expect(screen.getByRole('table', { name: 'Vouchers per active campaign' })).toBeInTheDocument();
  });

  it('says one of each in the singular, and a queued job as waiting', async () => {
    await renderSignedIn(<HomePage />, {
      [STATS]: {
        status: 200,
        body: stats({
          members: 1,
          activeCampaigns: [{ campaignId: 'c1', name: 'Welcome', issued: 1, remaining: 0 }],
          runningJobs: [
            {
              jobId: 'j1',
              couponBookId: 'book-0123456789',
              couponBookName: 'Gift cards',
              status: 'QUEUED',
              requested: 1,
              generated: 0,
            },
          ],
        }),
      },
    });
    const members = await screen.findByTestId('stat-members');
    expect(members.closest('.figure')).toHaveTextContent(/^1Member$/);
    expect(screen.getByTestId('stat-groups').closest('.figure')).toHaveTextContent(/^56Groups$/);
    expect(screen.getByTestId('campaign-totals')).toHaveTextContent(
      '1 active campaign: 1 voucher issued, 0 remaining.',
    );
    const jobs = screen.getByRole('region', { name: 'Running generation jobs' });
    expect(jobs).toHaveTextContent('0 of 1 code');
    expect(jobs).toHaveTextContent('Gift cards (waiting for a worker)');
  });

  it('has empty states for no campaign and no job', async () => {
    await renderSignedIn(<HomePage />, {
      [STATS]: { status: 200, body: stats({ activeCampaigns: [], runningJobs: [] }) },
    });
    expect(await screen.findByText('No generation job is running.')).toBeInTheDocument();
    expect(screen.getByText(/No active campaigns\./)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Campaigns' })).toHaveAttribute('href', '/admin/campaigns');
  });

  it('shows an error with Retry, and loads again on Retry', async () => {
    let fail = true;
    const { calls } = await renderSignedIn(<HomePage />, {
      [STATS]: () =>
        fail
          ? { status: 503, body: { code: 'UNAVAILABLE', detail: 'The gateway is restarting.' } }
          : { status: 200, body: stats() },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('The gateway is restarting.');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('stat-members')).toHaveTextContent('1,234');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(calls).toHaveLength(2);
  });

  describe('live', () => {
    beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
    afterEach(() => vi.useRealTimers());

    it('reloads every 5 s and keeps the figures on screen meanwhile', async () => {
      let members = 10;
      const { calls } = await renderSignedIn(<HomePage />, {
        [STATS]: () => ({ status: 200, body: stats({ members: members++ }) }),
      });
      expect(await screen.findByTestId('stat-members')).toHaveTextContent('10');
      await act(() => vi.advanceTimersByTimeAsync(5000));
      await waitFor(() => expect(screen.getByTestId('stat-members')).toHaveTextContent('11'));
      expect(screen.queryByRole('status')).not.toBeInTheDocument();
      expect(calls.filter((c) => c.path === '/v1/admin/stats?days=30')).toHaveLength(2);
    });
  });
});
