import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AuditEntry } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { formatDate } from '../../ui/format';
import { AuditLogPage } from '../AuditLog';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    auditId: `audit-${seq}`,
    actorId: 'admin-1',
    actorName: 'chief (Chief Admin)',
    action: 'user.update',
    target: `user:u${seq}`,
    targetName: `user${seq}`,
    details: { changes: { status: { from: 'ACTIVE', to: 'DISABLED' } } },
    createdAt: '2026-03-01T08:30:00.000Z',
    seq,
    hash: 'h',
    ...over,
  };
}

const LIST = 'GET /v1/admin/audit-logs';
const page = (items: AuditEntry[], nextCursor: string | null = null, total?: number) => ({
  status: 200,
  body: { items, nextCursor, ...(total !== undefined && { total }) },
});

beforeEach(() => window.history.replaceState(null, '', '/admin/audit-logs'));

/** The query of each list call, as an object. */
const listQueries = (calls: Call[]) =>
  calls
    .filter(
      (c) => c.method === 'GET' && c.path.startsWith('/v1/admin/audit-logs') && !c.path.includes('verify'),
    )
    .map((c) => Object.fromEntries(new URLSearchParams(c.path.split('?')[1] ?? '')));

describe('AuditLogPage list', () => {
  it('shows who did what to what by name, details as lines, the raw entry on request, and totals', async () => {
    const long = {
      transactionId: 't1',
      payer: 'STORE',
      points: 1500,
      reason: 'Welcome gift',
      a: 1,
      b: 2,
      c: 3,
    };
    await renderSignedIn(<AuditLogPage />, {
      [LIST]: page(
        [
          entry(2),
          entry(1, { action: 'points.adjust', target: 'group:g1', targetName: 'ana, bruno', details: long }),
        ],
        'next',
        30,
      ),
    });
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    const [, first, second] = within(table).getAllByRole('row');
    const time = within(first).getByText(formatDate('2026-03-01T08:30:00.000Z'));
    expect(time).toHaveAttribute('title', '2026-03-01T08:30:00.000Z');
    expect(within(first).getByText('chief (Chief Admin)')).toBeInTheDocument();
    expect(within(first).getByRole('button', { name: 'Copy actor id admin-1' })).toBeInTheDocument();
    expect(within(first).getByText('user2')).toBeInTheDocument();
    expect(within(first).getByRole('button', { name: 'Copy user id u2' })).toBeInTheDocument();
    expect(within(first).getByRole('listitem')).toHaveTextContent('status: ACTIVE → DISABLED');
    expect(first).not.toHaveTextContent('{"changes"');
    expect(within(first).getByText('Show the raw entry')).toBeInTheDocument();
    expect(first.querySelector('pre')).toHaveTextContent('"auditId": "audit-2"');
    expect(within(first).getAllByRole('cell').at(-1)).toHaveTextContent('2');
    for (const cell of within(first).getAllByRole('cell')) expect(cell).toHaveAttribute('data-label');

    expect(within(second).getByText('ana, bruno')).toBeInTheDocument();
    expect(within(second).getByRole('button', { name: 'Copy group id g1' })).toBeInTheDocument();
    expect(
      within(second)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'transaction id: t1',
      'payer: STORE',
      'points: 1,500',
      'reason: Welcome gift',
      'a: 1',
      'b: 2',
      'c: 3',
    ]);
    expect(within(second).getByText('1 more line')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Audit log pages' })).toHaveTextContent(
      'Page 1 of 2 · 30 entries',
    );
  });

  it('names the platform itself as the actor of what it did on its own', async () => {
    await renderSignedIn(<AuditLogPage />, {
      [LIST]: page([
        entry(1, {
          actorId: 'system:webhook-dispatcher',
          actorName: null,
          action: 'webhook.disable-failing',
          target: 'w1',
          targetName: 'https://shop.test/hook',
          details: { url: 'https://shop.test/hook' },
        }),
      ]),
    });
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    expect(within(table).getByText('System (webhook-dispatcher)')).toBeInTheDocument();
    expect(within(table).queryByRole('button', { name: /Copy actor id/ })).not.toBeInTheDocument();
    expect(within(table).getByRole('button', { name: 'Copy webhook id w1' })).toBeInTheDocument();
  });

  it('has an empty state, and an error with Retry', async () => {
    let fail = true;
    await renderSignedIn(<AuditLogPage />, {
      [LIST]: () =>
        fail ? { status: 503, body: { code: 'UNAVAILABLE', detail: 'Auth is down.' } } : page([]),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Auth is down.');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No entries match these filters.')).toBeInTheDocument();
  });
});

describe('AuditLogPage filters', () => {
  it('sends the filled filters, times in ISO UTC, and goes back to the first page', async () => {
    const { calls } = await renderSignedIn(<AuditLogPage />, {
      [LIST]: (call) => (call.path.includes('cursor=') ? page([entry(1)]) : page([entry(2)], 'next-1')),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Next →' }));
    await waitFor(() => expect(listQueries(calls)).toHaveLength(2));
    expect(listQueries(calls)[1]).toEqual({ limit: '25', cursor: 'next-1' });

    await userEvent.type(screen.getByLabelText('Action'), 'points.adjust');
    await userEvent.type(screen.getByLabelText('Target'), 'group:g1');
    await userEvent.type(screen.getByLabelText('From'), '2026-03-01T09:30');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(listQueries(calls)).toHaveLength(3));
    expect(listQueries(calls)[2]).toEqual({
      action: 'points.adjust',
      target: 'group:g1',
      from: new Date(2026, 2, 1, 9, 30).toISOString(),
      limit: '25',
    });
    expect(await screen.findByText('Page 1')).toBeInTheDocument();
    expect(Object.fromEntries(new URLSearchParams(window.location.search))).toEqual({
      action: 'points.adjust',
      target: 'group:g1',
      from: '2026-03-01T09:30',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(listQueries(calls)).toHaveLength(4));
    expect(listQueries(calls)[3]).toEqual({ limit: '25' });
    expect(screen.getByLabelText('Action')).toHaveValue('');
  });

  it('offers the known actions as suggestions', async () => {
    await renderSignedIn(<AuditLogPage />, { [LIST]: page([]) });
    await screen.findByText('No entries match these filters.');
    const input = screen.getByLabelText('Action');
    const list = document.getElementById(input.getAttribute('list')!)!;
    const values = [...list.querySelectorAll('option')].map((o) => o.value);
    expect(values).toContain('coupon-book.generation-job.create');
    expect(values).toContain('api-client.revoke');
    expect(values).toContain('points-policy.update');
    expect(values).toContain('tiers.update');
    expect(values).toContain('redemption.reverse');
    expect(values).toContain('webhook.disable-failing');
    expect(values).toContain('coupon-book.update');
    expect(values).toContain('webhook.*');
    expect(values).toContain('coupon-book.*');
    expect(values).not.toContain('tiers.*'); // a family of one
    expect(values).toHaveLength(24);
    expect(input).toHaveAccessibleDescription(
      'An exact name, like user.update; end with * to match a prefix: webhook.* matches every webhook action.',
    );
  });

  it('shows the filters and page a URL names (a reload, Back, a link)', async () => {
    window.history.replaceState(
      null,
      '',
      '/admin/audit-logs?action=webhook.*&from=2026-03-01T09:30&page=2&cursor=c2',
    );
    const { calls } = await renderSignedIn(<AuditLogPage />, { [LIST]: page([entry(1)], null, 26) });
    await screen.findByRole('table', { name: 'Audit log entries' });
    expect(listQueries(calls)).toEqual([
      { action: 'webhook.*', from: new Date(2026, 2, 1, 9, 30).toISOString(), limit: '25', cursor: 'c2' },
    ]);
    expect(screen.getByLabelText('Action')).toHaveValue('webhook.*');
    expect(screen.getByLabelText('From')).toHaveValue('2026-03-01T09:30');
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
  });

  it('refuses an end before the start in the browser, with focus on it', async () => {
    const { calls } = await renderSignedIn(<AuditLogPage />, { [LIST]: page([entry(1)]) });
    await screen.findByRole('table', { name: 'Audit log entries' });
    await userEvent.type(screen.getByLabelText('From'), '2026-03-02T10:00');
    await userEvent.type(screen.getByLabelText('To'), '2026-03-01T10:00');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    const to = screen.getByLabelText('To');
    expect(to).toHaveAttribute('aria-invalid', 'true');
    expect(to).toHaveAccessibleDescription('Your local time, not included The end must be after the start.');
    await waitFor(() => expect(to).toHaveFocus());
    expect(listQueries(calls)).toHaveLength(1);
  });

  it('filters on an actor or a target clicked in the table', async () => {
    const { calls } = await renderSignedIn(<AuditLogPage />, { [LIST]: page([entry(1)]) });
    await userEvent.click(await screen.findByRole('button', { name: 'Filter by actor chief (Chief Admin)' }));
    await waitFor(() => expect(listQueries(calls)).toHaveLength(2));
    expect(listQueries(calls)[1]).toEqual({ actorId: 'admin-1', limit: '25' });
    expect(screen.getByLabelText('Actor id')).toHaveValue('admin-1');

    // by keyboard: Tab to the target button, Enter
    await userEvent.click(screen.getByRole('button', { name: 'Copy user id u1' }));
    await userEvent.tab();
    expect(await screen.findByRole('button', { name: 'Filter by target user user1' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(listQueries(calls)).toHaveLength(3));
    expect(listQueries(calls)[2]).toEqual({ actorId: 'admin-1', target: 'user:u1', limit: '25' });
  });

  it("shows a 400's field errors beside the fields", async () => {
    await renderSignedIn(<AuditLogPage />, {
      [LIST]: (call) =>
        call.path.includes('to=')
          ? validationFailed([{ field: 'to', message: 'to must be an ISO-8601 date-time' }])
          : page([entry(1)]),
    });
    await screen.findByRole('table', { name: 'Audit log entries' });
    await userEvent.type(screen.getByLabelText('To'), '2026-03-02T10:00');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(screen.getByLabelText('To')).toHaveAccessibleDescription(
        'Your local time, not included must be an ISO-8601 date-time',
      ),
    );
    expect(screen.getByLabelText('To')).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText('To')).toHaveFocus());
    expect(screen.getByLabelText('From')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('see the message beside each one');
    expect(screen.queryByRole('table', { name: 'Audit log entries' })).not.toBeInTheDocument();
  });
});

describe('Chain verification', () => {
  const VERIFY = 'GET /v1/admin/audit-logs/verify';

  it('says the chain is intact', async () => {
    const { calls } = await renderSignedIn(<AuditLogPage />, {
      [LIST]: page([]),
      [VERIFY]: { status: 200, body: { ok: true, checked: 42, firstBrokenAuditId: null } },
    });
    const card = screen.getByRole('region', { name: 'Chain verification' });
    expect(calls.some((c) => c.path.endsWith('/verify'))).toBe(false);
    await userEvent.click(within(card).getByRole('button', { name: 'Verify the chain' }));
    expect(await within(card).findByText('Chain intact: 42 entries checked.')).toBeInTheDocument();
    expect(within(card).getByText('OK')).toHaveClass('badge', 'badge-ok');
    expect(card).toHaveTextContent(/Checked at /);
  });

  it('says where the chain is broken', async () => {
    await renderSignedIn(<AuditLogPage />, {
      [LIST]: page([]),
      [VERIFY]: { status: 200, body: { ok: false, checked: 7, firstBrokenAuditId: 'audit-5' } },
    });
    const card = screen.getByRole('region', { name: 'Chain verification' });
    await userEvent.click(within(card).getByRole('button', { name: 'Verify the chain' }));
    expect(
      await within(card).findByText('Chain broken at entry audit-5 (7 entries checked).'),
    ).toBeInTheDocument();
    expect(within(card).getByText('Broken')).toHaveClass('badge', 'badge-broken');
  });

  it('shows an error with Retry when the check fails', async () => {
    await renderSignedIn(<AuditLogPage />, {
      [LIST]: page([]),
      [VERIFY]: { status: 503, body: { code: 'UNAVAILABLE', detail: 'Auth is down.' } },
    });
    const card = screen.getByRole('region', { name: 'Chain verification' });
    await userEvent.click(within(card).getByRole('button', { name: 'Verify the chain' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('The chain could not be verified.');
    expect(within(card).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
