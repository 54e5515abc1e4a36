import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Delivery } from '../../api/types';
import { renderSignedIn } from '../../test-utils';
import type { Call } from '../../test-utils';
import { formatDate } from '../../ui/format';
import { DeliveryLog } from './DeliveryLog';
import { CRM_ID, delivery, page } from './fixtures';

const AT = `/v1/admin/webhooks/${CRM_ID}/deliveries`;

const SENT = delivery({
  deliveryId: 'd-sent',
  eventType: 'points.redeemed',
  createdAt: '2026-12-06T09:30:00.000Z',
});
const FAILED = delivery({
  deliveryId: 'd-failed',
  eventType: 'purchase.recorded',
  status: 'FAILED',
  attempts: 8,
  lastStatusCode: 500,
  lastError: 'the receiver answered 500',
  createdAt: '2026-12-05T08:00:00.000Z',
});
const WAITING = delivery({
  deliveryId: 'd-waiting',
  eventType: 'tier.changed',
  status: 'PENDING',
  attempts: 2,
  lastStatusCode: null,
  lastError: 'connect ECONNREFUSED',
  nextAttemptAt: '2026-12-06T10:30:00.000Z',
  createdAt: '2026-12-06T09:45:00.000Z',
});

const rowOf = (eventType: string) => screen.getByText(eventType, { selector: 'td code' }).closest('tr')!;
/** A row's cells after its actions, the event cell as its type (its webhook-id is beneath). */
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .slice(1)
    .map((c, i) => (i === 0 ? c.querySelector('code')!.textContent : c.textContent));
const paths = (calls: Call[]) => calls.map((c) => `${c.method} ${c.path}`);

/**
 * The dispatcher's log as the API pages it, filtered by status. A retry makes the failed delivery
 * PENDING (the 202's answer); once `recover()` is called, reads find it SUCCEEDED (they wait till then).
 */
function dispatcher(initial: Delivery[]) {
  let deliveries = [...initial];
  let recovered: Promise<void> = Promise.resolve();
  let recover = () => {};
  const routes = {
    [`GET ${AT}`]: async ({ path }: Call) => {
      await recovered;
      const status = new URLSearchParams(path.split('?')[1]).get('status');
      return page(deliveries.filter((d) => !status || d.status === status));
    },
    [`POST ${AT}/d-failed/retry`]: () => {
      recovered = new Promise((resolve) => (recover = resolve));
      const succeeded = {
        ...FAILED,
        status: 'SUCCEEDED' as const,
        attempts: 9,
        lastStatusCode: 200,
        lastError: null,
      };
      deliveries = deliveries.map((d) => (d.deliveryId === FAILED.deliveryId ? succeeded : d));
      return {
        status: 202,
        body: { ...FAILED, status: 'PENDING', nextAttemptAt: '2026-12-06T10:00:00.000Z' },
      };
    },
  };
  return { routes, recover: () => recover() };
}

beforeEach(() => window.history.replaceState(null, '', '/admin/webhooks'));
afterEach(() => window.history.replaceState(null, '', '/'));

describe('DeliveryLog', () => {
  it('reads its filters from the URL (a reload, Back, a link), and ignores values it does not know', async () => {
    window.history.replaceState(
      null,
      '',
      '/admin/webhooks?deliveryStatus=FAILED&eventType=purchase.recorded',
    );
    const { calls } = await renderSignedIn(<DeliveryLog webhookId={CRM_ID} />, {
      [`GET ${AT}`]: page([FAILED]),
    });
    await screen.findByText('purchase.recorded', { selector: 'td code' });
    expect(screen.getByLabelText('Status')).toHaveValue('FAILED');
    expect(screen.getByLabelText('Event type')).toHaveValue('purchase.recorded');
    expect(paths(calls)).toEqual([`GET ${AT}?status=FAILED&eventType=purchase.recorded&limit=20`]);
  });

  it('shows every delivery when the URL names a status it does not know', async () => {
    window.history.replaceState(null, '', '/admin/webhooks?deliveryStatus=LOST');
    const { calls } = await renderSignedIn(<DeliveryLog webhookId={CRM_ID} />, {
      [`GET ${AT}`]: page([SENT]),
    });
    await screen.findByText('points.redeemed', { selector: 'td code' });
    expect(screen.getByLabelText('Status')).toHaveValue('');
    expect(paths(calls)).toEqual([`GET ${AT}?limit=20`]);
  });

  it('shows each delivery: event type, status, attempts, last status code, last error, next attempt, created', async () => {
    await renderSignedIn(<DeliveryLog webhookId={CRM_ID} pollMs={60_000} />, {
      [`GET ${AT}`]: page([WAITING, SENT, FAILED]),
    });
    await screen.findByRole('table', { name: 'Deliveries' });
    expect(cells(rowOf('tier.changed'))).toEqual([
      'tier.changed',
      'PENDING',
      '2',
      '—',
      'connect ECONNREFUSED',
      formatDate(WAITING.nextAttemptAt),
      formatDate(WAITING.createdAt),
    ]);
    expect(cells(rowOf('purchase.recorded'))).toEqual([
      'purchase.recorded',
      'FAILED',
      '8',
      '500',
      'the receiver answered 500',
      '—',
      formatDate(FAILED.createdAt),
    ]);
    // Actions first (on a phone, on top of the card), and each cell named for the phone's card.
    const row = rowOf('purchase.recorded');
    const all = within(row).getAllByRole('cell');
    expect(all[0]).toHaveClass('actions-cell');
    expect(within(all[0]).getByRole('button', { name: /^Retry the purchase.recorded/ })).toBeInTheDocument();
    expect(all.slice(1).map((c) => c.getAttribute('data-label'))).toEqual([
      'Event',
      'Status',
      'Attempts',
      'Last status code',
      'Last error',
      'Next attempt',
      'Created',
    ]);
    // The webhook-id, short and copyable.
    expect(
      within(all[1]).getByRole('button', { name: `Copy event id ${FAILED.eventId}` }),
    ).toBeInTheDocument();
    expect(cells(rowOf('points.redeemed')).slice(1, 6)).toEqual(['SUCCEEDED', '1', '200', '—', '—']);
  });

  it('filters by status and by event type, from the first page, and says when nothing matches', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<DeliveryLog webhookId={CRM_ID} />, {
      [`GET ${AT}?limit=20`]: { status: 200, body: { items: [SENT], nextCursor: 'c2', total: 21 } },
      [`GET ${AT}?limit=20&cursor=c2`]: {
        status: 200,
        body: { items: [FAILED], nextCursor: null, total: 21 },
      },
      [`GET ${AT}?status=FAILED&limit=20`]: {
        status: 200,
        body: { items: [FAILED], nextCursor: null, total: 1 },
      },
      [`GET ${AT}?status=FAILED&eventType=points.expired&limit=20`]: page([]),
    });
    await screen.findByText('points.redeemed', { selector: 'td code' });
    expect(screen.getByRole('navigation', { name: 'Deliveries pages' })).toHaveTextContent(
      'Page 1 of 2 · 21 deliveries',
    );
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByText('purchase.recorded', { selector: 'td code' });
    expect(window.location.search).toBe('?deliveriesPage=2&deliveriesCursor=c2');

    await user.selectOptions(screen.getByLabelText('Status'), 'FAILED');
    await waitFor(() =>
      expect(screen.getByRole('navigation', { name: 'Deliveries pages' })).toHaveTextContent(
        'Page 1 of 1 · 1 delivery',
      ),
    );
    expect(window.location.search).toBe('?deliveryStatus=FAILED');
    expect(screen.getByText('purchase.recorded', { selector: 'td code' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Failed (out of retries)' })).toHaveProperty('selected', true);
    const types = within(screen.getByLabelText('Event type')).getAllByRole('option');
    expect(types.map((o) => o.textContent)).toHaveLength(15); // all, then the 14 types

    await user.selectOptions(screen.getByLabelText('Event type'), 'points.expired');
    expect(await screen.findByText('No deliveries match these filters.')).toBeInTheDocument();
    expect(window.location.search).toBe('?deliveryStatus=FAILED&eventType=points.expired');
    expect(paths(calls)).toEqual([
      `GET ${AT}?limit=20`,
      `GET ${AT}?limit=20&cursor=c2`,
      `GET ${AT}?status=FAILED&limit=20`,
      `GET ${AT}?status=FAILED&eventType=points.expired&limit=20`,
    ]);
  });

  it('retries a delivery: the row shows the 202 at once, and the log follows it until it has SUCCEEDED, then says so', async () => {
    const user = userEvent.setup();
    const server = dispatcher([SENT, FAILED]);
    const onSettled = vi.fn();
    const { calls } = await renderSignedIn(
      <DeliveryLog webhookId={CRM_ID} pollMs={20} onSettled={onSettled} />,
      server.routes,
    );
    await screen.findByText('purchase.recorded', { selector: 'td code' });
    await user.click(
      screen.getByRole('button', {
        name: `Retry the purchase.recorded delivery of ${formatDate(FAILED.createdAt)}`,
      }),
    );
    expect(
      await screen.findByText(
        `The purchase.recorded delivery of ${formatDate(FAILED.createdAt)} is being tried again now, after 8 attempts.`,
      ),
    ).toHaveFocus();
    expect(cells(rowOf('purchase.recorded')).slice(1, 6)).toEqual([
      'PENDING',
      '8',
      '500',
      'the receiver answered 500',
      formatDate('2026-12-06T10:00:00.000Z'),
    ]);
    server.recover();
    await waitFor(() => expect(cells(rowOf('purchase.recorded'))[1]).toBe('SUCCEEDED'));
    expect(cells(rowOf('purchase.recorded')).slice(2, 4)).toEqual(['9', '200']);
    expect(paths(calls).filter((p) => p.startsWith('POST'))).toEqual([`POST ${AT}/d-failed/retry`]);
    // Nothing is PENDING any more: the endpoint is told (its "failing since" may have changed), and
    // the log is no longer read again and again.
    await waitFor(() => expect(onSettled).toHaveBeenCalledTimes(1));
    const reads = calls.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.length).toBe(reads);
  });

  it('under the FAILED filter, a retried delivery shows PENDING, then leaves the list; All statuses shows it SUCCEEDED', async () => {
    const user = userEvent.setup();
    const server = dispatcher([SENT, FAILED]);
    await renderSignedIn(<DeliveryLog webhookId={CRM_ID} pollMs={20} />, server.routes);
    await screen.findByText('purchase.recorded', { selector: 'td code' });
    await user.selectOptions(screen.getByLabelText('Status'), 'FAILED');
    await waitFor(() =>
      expect(screen.queryByText('points.redeemed', { selector: 'td code' })).not.toBeInTheDocument(),
    );

    await user.click(screen.getByRole('button', { name: /^Retry the purchase.recorded delivery/ }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'is being tried again now, after 8 attempts. It is no longer FAILED: choose All statuses to follow it.',
    );
    expect(cells(rowOf('purchase.recorded'))[1]).toBe('PENDING');
    server.recover();
    expect(await screen.findByText('No deliveries match these filters.')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Status'), '');
    await waitFor(() => expect(cells(rowOf('purchase.recorded'))[1]).toBe('SUCCEEDED'));
  });

  it('shows why a retry failed, and leaves the row as it was', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<DeliveryLog webhookId={CRM_ID} />, {
      [`GET ${AT}`]: page([FAILED]),
      [`POST ${AT}/d-failed/retry`]: {
        status: 404,
        body: { code: 'NOT_FOUND', detail: 'No such delivery.' },
      },
    });
    await user.click(await screen.findByRole('button', { name: /^Retry the purchase.recorded delivery/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The delivery was not retried. No such delivery.',
    );
    expect(screen.getByRole('alert')).toHaveFocus();
    expect(cells(rowOf('purchase.recorded'))[1]).toBe('FAILED');
  });

  it('says when there are no deliveries yet, and Refresh reads the log again', async () => {
    const user = userEvent.setup();
    let items: Delivery[] = [];
    await renderSignedIn(<DeliveryLog webhookId={CRM_ID} />, { [`GET ${AT}`]: () => page(items) });
    expect(await screen.findByText(/No deliveries yet/)).toBeInTheDocument();
    items = [SENT];
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('points.redeemed', { selector: 'td code' })).toBeInTheDocument();
  });
});
