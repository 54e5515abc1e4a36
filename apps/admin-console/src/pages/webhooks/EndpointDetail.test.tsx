import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Webhook, WebhookUpdate } from '../../api/types';
import { renderSignedIn } from '../../test-utils';
import type { Call } from '../../test-utils';
import { formatDate } from '../../ui/format';
import { WebhooksPage } from '../Webhooks';
import { EndpointDetail } from './EndpointDetail';
import { CRM_ID, delivery, page, webhook } from './fixtures';

const AT = `/v1/admin/webhooks/${CRM_ID}`;
const CRM = webhook();
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

/** One endpoint on the server: a PATCH changes it as the dispatcher does, and answers it. */
function server(initial: Webhook) {
  let current = initial;
  return {
    [`GET ${AT}`]: () => ({ status: 200, body: current }),
    [`GET ${AT}/deliveries`]: page([]),
    [`PATCH ${AT}`]: ({ body }: Call) => {
      const { status, ...rest } = body as WebhookUpdate;
      current = { ...current, ...rest, updatedAt: '2026-12-06T10:00:00.000Z' };
      if (status === 'DISABLED') current = { ...current, status, disabledReason: 'ADMIN' };
      if (status === 'ENABLED') current = { ...current, status, disabledReason: null, failingSince: null };
      return { status: 200, body: current };
    },
  };
}

function renderDetail(routes: Parameters<typeof renderSignedIn>[1], onChanged = vi.fn()) {
  return renderSignedIn(
    <EndpointDetail webhookId={CRM_ID} onChanged={onChanged} onDeleted={vi.fn()} onClose={vi.fn()} />,
    routes,
  );
}

beforeEach(() => window.history.replaceState(null, '', '/admin/webhooks'));
afterEach(() => window.history.replaceState(null, '', '/'));

describe('EndpointDetail', () => {
  it('says what the endpoint is: status, events, description, since when it fails, created', async () => {
    await renderDetail({
      ...server(
        webhook({ status: 'DISABLED', disabledReason: 'FAILING', failingSince: '2026-11-28T07:15:00.000Z' }),
      ),
    });
    const heading = await screen.findByRole('heading', { level: 2, name: CRM.url });
    // Focused by an effect once the endpoint is drawn: on a loaded machine, a moment later.
    await waitFor(() => expect(heading).toHaveFocus());
    const facts = screen.getByText('Status', { selector: 'dt' }).closest('dl')!;
    expect(facts).toHaveTextContent('StatusDisabled after failing');
    expect(facts).toHaveTextContent('Eventspurchase.recordedpoints.redeemed');
    expect(facts).toHaveTextContent('DescriptionCRM sync');
    expect(facts).toHaveTextContent(
      `Failing since${formatDate('2026-11-28T07:15:00.000Z')}: every delivery since then has failed`,
    );
    expect(facts).toHaveTextContent(`Created${formatDate(CRM.createdAt)}`);
    // Its id, short (the first 8 characters) and copyable whole.
    expect(facts).toHaveTextContent(`Id${CRM_ID.slice(0, 8)}…`);
    expect(within(facts).getByRole('button', { name: `Copy webhook id ${CRM_ID}` })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enable' })).toBeInTheDocument();
  });

  it('reads the endpoint again once a retried delivery has settled: it is no longer failing', async () => {
    const user = userEvent.setup();
    // Until the retry the delivery has failed; the receiver takes the retried attempt.
    let recovered = false;
    const failing = webhook({ failingSince: '2026-11-28T07:15:00.000Z' });
    const failed = delivery({ deliveryId: 'd-1', status: 'FAILED', lastStatusCode: 500 });
    await renderSignedIn(
      <EndpointDetail
        webhookId={CRM_ID}
        pollMs={20}
        onChanged={vi.fn()}
        onDeleted={vi.fn()}
        onClose={vi.fn()}
      />,
      {
        [`GET ${AT}`]: () => ({
          status: 200,
          body: recovered ? { ...failing, failingSince: null } : failing,
        }),
        [`GET ${AT}/deliveries`]: () =>
          page([recovered ? { ...failed, status: 'SUCCEEDED', lastStatusCode: 200 } : failed]),
        [`POST ${AT}/deliveries/d-1/retry`]: () => {
          recovered = true;
          return { status: 202, body: { ...failed, status: 'PENDING' } };
        },
      },
    );
    const facts = (await screen.findByText('Failing since', { selector: 'dt' })).closest('dl')!;
    expect(facts).toHaveTextContent('every delivery since then has failed');
    await user.click(await screen.findByRole('button', { name: /^Retry the purchase.recorded delivery/ }));
    await waitFor(() => expect(facts).toHaveTextContent('Failing since— (its last delivery succeeded'));
  });

  it('edits the URL, events and description, sending only what changed', async () => {
    const user = userEvent.setup();
    const onChanged = vi.fn();
    const { calls } = await renderDetail(server(CRM), onChanged);
    const edit = await screen.findByRole('button', { name: 'Edit' });
    await user.click(edit);
    expect(screen.getByRole('heading', { name: 'Edit the endpoint' })).toHaveFocus();
    const form = screen.getByRole('form', { name: 'Edit the endpoint' });
    expect(within(form).getByLabelText('URL')).toHaveValue(CRM.url);
    expect(within(form).getByRole('checkbox', { name: 'points.redeemed' })).toBeChecked();

    // Saving with nothing changed sends nothing.
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(within(form).getByRole('status')).toHaveTextContent('Nothing changed.');
    await waitFor(() => expect(within(form).getByRole('status')).toHaveFocus());
    expect(writes(calls)).toEqual([]);

    await user.clear(within(form).getByLabelText('URL'));
    await user.type(within(form).getByLabelText('URL'), 'https://crm.example.com/hooks/v2');
    await user.click(within(form).getByRole('checkbox', { name: 'points.redeemed' }));
    await user.click(within(form).getByRole('checkbox', { name: 'tier.changed' }));
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved the changes to https://crm.example.com/hooks/v2.')).toHaveFocus();
    expect(writes(calls)).toEqual([
      {
        method: 'PATCH',
        path: AT,
        body: { url: 'https://crm.example.com/hooks/v2', events: ['purchase.recorded', 'tier.changed'] },
      },
    ]);
    expect(screen.queryByRole('form', { name: 'Edit the endpoint' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('https://crm.example.com/hooks/v2');
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('shows WEBHOOK_URL_FORBIDDEN beside the URL of an edit, and keeps the form open', async () => {
    const user = userEvent.setup();
    const because = 'http://172.16.0.9/ points at 172.16.0.9, a private address; use a public https URL';
    await renderDetail({
      ...server(CRM),
      [`PATCH ${AT}`]: {
        status: 422,
        body: {
          code: 'WEBHOOK_URL_FORBIDDEN',
          detail: because,
          errors: [{ field: 'url', message: because }],
        },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit the endpoint' });
    await user.clear(within(form).getByLabelText('URL'));
    await user.type(within(form).getByLabelText('URL'), 'http://172.16.0.9/');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(within(form).getByLabelText('URL')).toHaveAccessibleDescription(
        expect.stringContaining(because),
      ),
    );
    expect(within(form).getByLabelText('URL')).toHaveFocus(); // the field to correct
    expect(within(form).getByRole('alert')).toHaveTextContent(
      'The changes were not saved: see the fields marked above.',
    );
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(CRM.url);
  });

  it('disables after a confirmation in a sentence (Cancel sends nothing), then enables again at once', async () => {
    const user = userEvent.setup();
    const { calls } = await renderDetail(server(CRM));
    const disable = await screen.findByRole('button', { name: 'Disable' });
    await user.click(disable);
    const confirm = screen.getByRole('group', { name: 'Confirm disabling' });
    expect(confirm).toHaveTextContent(
      `Disable ${CRM.url}? Events that happen while it is disabled are never sent to it, not even later; deliveries already waiting are held until it is enabled again.`,
    );
    expect(within(confirm).getByRole('button', { name: 'Confirm disable' })).toHaveFocus();
    await user.keyboard('{Tab}{Enter}'); // Cancel, by keyboard
    expect(screen.queryByRole('group', { name: 'Confirm disabling' })).not.toBeInTheDocument();
    expect(disable).toHaveFocus();
    expect(writes(calls)).toEqual([]);

    await user.keyboard('{Enter}');
    await user.keyboard('{Enter}'); // Confirm disable has the focus
    // The keyboard goes to what happened.
    expect(
      await screen.findByText(`Disabled ${CRM.url}: it gets no events until it is enabled again.`),
    ).toHaveFocus();
    expect(screen.getByText('Disabled by an admin')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Enable' }));
    expect(
      await screen.findByText(
        `Enabled ${CRM.url}: new events reach it again, and deliveries waiting for it resume.`,
      ),
    ).toHaveFocus();
    expect(screen.getByText('Enabled', { selector: '.badge' })).toBeInTheDocument();
    expect(writes(calls)).toEqual([
      { method: 'PATCH', path: AT, body: { status: 'DISABLED' } },
      { method: 'PATCH', path: AT, body: { status: 'ENABLED' } },
    ]);
  });

  it('shows why a status change failed, with the confirmation still there to retry or cancel', async () => {
    const user = userEvent.setup();
    await renderDetail({
      ...server(CRM),
      [`PATCH ${AT}`]: {
        status: 503,
        body: { code: 'UPSTREAM_UNAVAILABLE', detail: 'The webhooks service is unavailable.' },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Disable' }));
    await user.click(screen.getByRole('button', { name: 'Confirm disable' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The status did not change. The webhooks service is unavailable.',
    );
    expect(screen.getByRole('alert')).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Confirm disable' })).toBeEnabled();
    expect(screen.getByText('Enabled', { selector: '.badge' })).toBeInTheDocument();
  });
});

describe('WebhooksPage delete', () => {
  it('asks in a sentence, then deletes: the endpoint leaves the list and the keyboard goes to the message', async () => {
    const user = userEvent.setup();
    let endpoints = [CRM];
    window.history.replaceState(null, '', `/admin/webhooks?webhookId=${CRM_ID}`);
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': () => page(endpoints),
      ...server(CRM),
      [`DELETE ${AT}`]: () => {
        endpoints = [];
        return { status: 204 };
      },
    });
    const del = await screen.findByRole('button', { name: 'Delete' });
    await user.click(del);
    const confirm = screen.getByRole('group', { name: 'Confirm deleting' });
    expect(confirm).toHaveTextContent(
      `Delete ${CRM.url}? It gets no more events, and its delivery log is deleted with it. This can't be undone.`,
    );
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(del).toHaveFocus();
    expect(writes(calls)).toEqual([]);

    await user.click(del);
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }));
    expect(await screen.findByText(`Deleted ${CRM.url}, with its delivery log.`)).toHaveFocus();
    expect(writes(calls)).toEqual([{ method: 'DELETE', path: AT, body: undefined }]);
    expect(window.location.search).toBe('');
    expect(screen.queryByRole('heading', { level: 2, name: CRM.url })).not.toBeInTheDocument();
    expect(await screen.findByText(/No endpoints yet/)).toBeInTheDocument();
  });

  it('shows why a delete failed, and keeps the endpoint and the confirmation', async () => {
    const user = userEvent.setup();
    await renderDetail({
      ...server(CRM),
      [`DELETE ${AT}`]: { status: 404, body: { code: 'NOT_FOUND', detail: 'No such webhook.' } },
    });
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The endpoint was not deleted. No such webhook.',
    );
    expect(screen.getByRole('alert')).toHaveFocus();
    expect(screen.getByRole('group', { name: 'Confirm deleting' })).toBeInTheDocument();
  });
});
