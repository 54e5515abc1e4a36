import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AuditEntry } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { AuditLogPage } from '../AuditLog';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    auditId: `audit-${seq}`,
    actorId: 'admin-1',
    action: 'user.update',
    target: `user:u${seq}`,
    details: { status: 'DISABLED' },
    createdAt: '2026-03-01T08:30:00.000Z',
    seq,
    hash: 'h',
    ...over,
  };
}

const LIST = 'GET /v1/admin/audit-logs';
const page = (items: AuditEntry[], nextCursor: string | null = null) => ({
  status: 200,
  body: { items, nextCursor },
});

/** The query of each list call, as an object. */
const listQueries = (calls: Call[]) =>
  calls
    .filter(
      (c) => c.method === 'GET' && c.path.startsWith('/v1/admin/audit-logs') && !c.path.includes('verify'),
    )
    .map((c) => Object.fromEntries(new URLSearchParams(c.path.split('?')[1] ?? '')));

describe('AuditLogPage list', () => {
  it('shows the entries with local times, codes, details and seq', async () => {
    const long = { reason: 'x'.repeat(80), points: 5 };
    await renderSignedIn(<AuditLogPage />, { [LIST]: page([entry(2), entry(1, { details: long })]) });
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    const [, first, second] = within(table).getAllByRole('row');
    const time = within(first).getByText(
      new Date('2026-03-01T08:30:00.000Z').toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'medium',
      }),
    );
    expect(time).toHaveAttribute('title', '2026-03-01T08:30:00.000Z');
    expect(first).toHaveTextContent('{"status":"DISABLED"}');
    expect(within(first).getAllByRole('cell').at(-1)).toHaveTextContent('2');
    expect(second.querySelector('details')).not.toBeNull();
    expect(second.querySelector('pre')).toHaveTextContent('"points": 5');
    expect(screen.getByRole('navigation', { name: 'Audit log pages' })).toBeInTheDocument();
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
    expect(values).toHaveLength(18);
  });

  it('filters on an actor or a target clicked in the table', async () => {
    const { calls } = await renderSignedIn(<AuditLogPage />, { [LIST]: page([entry(1)]) });
    await userEvent.click(await screen.findByRole('button', { name: 'Filter by actor admin-1' }));
    await waitFor(() => expect(listQueries(calls)).toHaveLength(2));
    expect(listQueries(calls)[1]).toEqual({ actorId: 'admin-1', limit: '25' });
    expect(screen.getByLabelText('Actor id')).toHaveValue('admin-1');

    // by keyboard: Tab to the target button, Enter
    screen.getByRole('button', { name: 'Filter by actor admin-1' }).focus();
    await userEvent.tab();
    expect(await screen.findByRole('button', { name: 'Filter by target user:u1' })).toHaveFocus();
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
        'Your local time, not included to must be an ISO-8601 date-time',
      ),
    );
    expect(screen.getByLabelText('To')).toHaveAttribute('aria-invalid', 'true');
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
