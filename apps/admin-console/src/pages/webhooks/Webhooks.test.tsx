import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Webhook } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { formatDate } from '../../ui/format';
import { WebhooksPage } from '../Webhooks';
import { CRM_ID, delivery, page, webhook } from './fixtures';
import { VERIFY_EXAMPLE } from './WebhookSecretPanel';

const CRM = webhook();
const WAREHOUSE = webhook({
  webhookId: 'wh-2',
  url: 'https://dw.example.com/in',
  events: ['*'],
  description: null,
  status: 'DISABLED',
  disabledReason: 'FAILING',
  failingSince: '2026-11-28T07:15:00.000Z',
});
const PAUSED = webhook({
  webhookId: 'wh-3',
  url: 'https://paused.example.com/h',
  status: 'DISABLED',
  disabledReason: 'ADMIN',
});

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

/** The endpoints the server holds now: a create adds to them. */
function server(initial: Webhook[]) {
  let endpoints = [...initial];
  return {
    list: () => page(endpoints),
    add: (w: Webhook) => (endpoints = [w, ...endpoints]),
  };
}

const rowOf = async (url: string) => (await screen.findByText(url, { selector: 'td code' })).closest('tr')!;

/** The create form opens on demand, above the list; its URL field takes the keyboard. */
async function openCreateForm(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'New endpoint' }));
  expect(screen.getByLabelText('URL')).toHaveFocus();
}

beforeEach(() => window.history.replaceState(null, '', '/admin/webhooks'));
afterEach(() => window.history.replaceState(null, '', '/'));

describe('WebhooksPage list', () => {
  it('shows each endpoint: URL and description, events, status with why it is disabled, failing since, created', async () => {
    await renderSignedIn(<WebhooksPage />, { 'GET /v1/admin/webhooks': page([CRM, WAREHOUSE, PAUSED]) });
    const crm = await rowOf(CRM.url);
    expect(within(crm).getByText('CRM sync')).toBeInTheDocument();
    expect(
      within(crm)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['purchase.recorded', 'points.redeemed']);
    expect(within(crm).getByText('Enabled')).toBeInTheDocument();
    expect(within(crm).getByText(formatDate(CRM.createdAt))).toBeInTheDocument();

    const warehouse = await rowOf(WAREHOUSE.url);
    expect(within(warehouse).getByRole('cell', { name: 'All events' })).toBeInTheDocument();
    expect(within(warehouse).getByText('Disabled after failing')).toBeInTheDocument();
    expect(
      within(warehouse).getByRole('cell', { name: formatDate(WAREHOUSE.failingSince) }),
    ).toBeInTheDocument();

    const paused = await rowOf(PAUSED.url);
    expect(within(paused).getByText('Disabled by an admin')).toBeInTheDocument();
  });

  it('pages on with the cursor and back', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks?limit=20': page([CRM], 'c2'),
      'GET /v1/admin/webhooks?limit=20&cursor=c2': page([WAREHOUSE]),
    });
    await rowOf(CRM.url);
    const pager = screen.getByRole('navigation', { name: 'Endpoints pages' });
    await user.click(within(pager).getByRole('button', { name: 'Next →' }));
    await rowOf(WAREHOUSE.url);
    expect(calls.at(-1)?.path).toBe('/v1/admin/webhooks?limit=20&cursor=c2');
    expect(within(pager).getByRole('button', { name: 'Next →' })).toBeDisabled();
    await user.click(within(pager).getByRole('button', { name: '← Previous' }));
    await rowOf(CRM.url);
  });

  it('says the total in the pager, and puts the actions first, by the column heads', async () => {
    await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': { status: 200, body: { items: [CRM], nextCursor: 'c2', total: 21 } },
    });
    await rowOf(CRM.url);
    expect(screen.getByRole('navigation', { name: 'Endpoints pages' })).toHaveTextContent(
      'Page 1 of 2 · 21 endpoints',
    );
    const heads = within(screen.getByRole('table', { name: 'Webhook endpoints' })).getAllByRole(
      'columnheader',
    );
    expect(heads[0]).toHaveTextContent('Actions');
    const cells = within(await rowOf(CRM.url)).getAllByRole('cell');
    expect(cells[0]).toHaveClass('actions-cell');
    expect(cells.slice(1).map((c) => c.getAttribute('data-label'))).toEqual([
      'URL',
      'Events',
      'Status',
      'Failing since',
      'Created',
    ]);
  });

  it('shows the page the URL names, after a reload, with the endpoint it selects', async () => {
    window.history.replaceState(null, '', `/admin/webhooks?page=2&cursor=c2&webhookId=${CRM_ID}`);
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks?limit=20&cursor=c2': {
        status: 200,
        body: { items: [WAREHOUSE], nextCursor: null, total: 21 },
      },
      [`GET /v1/admin/webhooks/${CRM_ID}`]: { status: 200, body: CRM },
      [`GET /v1/admin/webhooks/${CRM_ID}/deliveries`]: page([]),
    });
    await rowOf(WAREHOUSE.url);
    expect(screen.getByRole('navigation', { name: 'Endpoints pages' })).toHaveTextContent(
      'Page 2 of 2 · 21 endpoints',
    );
    expect(await screen.findByRole('heading', { level: 2, name: CRM.url })).toBeInTheDocument();
    expect(calls.map((c) => c.path)).not.toContain('/v1/admin/webhooks?limit=20');
    expect(window.location.search).toBe(`?page=2&cursor=c2&webhookId=${CRM_ID}`);
  });

  it('says when there are none, and shows a failed load with a retry', async () => {
    let fail = true;
    await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': () =>
        fail
          ? {
              status: 503,
              body: { code: 'UPSTREAM_UNAVAILABLE', detail: 'The webhooks service is unavailable.' },
            }
          : page([]),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The endpoints could not be loaded. The webhooks service is unavailable.',
    );
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/No endpoints yet/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('opens an endpoint: the URL names it, the keyboard lands on it, and its delivery log loads', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': page([CRM]),
      [`GET /v1/admin/webhooks/${CRM_ID}`]: { status: 200, body: CRM },
      [`GET /v1/admin/webhooks/${CRM_ID}/deliveries`]: page([delivery()]),
    });
    await user.click(await screen.findByRole('button', { name: `Open ${CRM.url}` }));
    expect(window.location.search).toBe(`?webhookId=${CRM_ID}`);
    expect(await screen.findByRole('heading', { level: 2, name: CRM.url })).toHaveFocus();
    expect(await screen.findByRole('table', { name: 'Deliveries' })).toBeInTheDocument();
    expect(calls.map((c) => c.path)).toContain(`/v1/admin/webhooks/${CRM_ID}/deliveries?limit=20`);
    expect((await rowOf(CRM.url)).getAttribute('aria-current')).toBe('true');
  });
});

describe('WebhooksPage create', () => {
  const CREATED = {
    ...webhook({
      webhookId: 'wh-new',
      url: 'https://new.example.com/h',
      events: ['purchase.recorded'],
      description: null,
    }),
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  };

  it('offers the 14 event types with what each means, sends the chosen ones, then shows the secret once with copy and how to verify', async () => {
    const user = userEvent.setup();
    const endpoints = server([CRM]);
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': endpoints.list,
      'POST /v1/admin/webhooks': () => {
        endpoints.add(CREATED);
        return { status: 201, body: CREATED };
      },
    });
    await rowOf(CRM.url);
    await openCreateForm(user);
    const events = screen.getByRole('group', { name: 'Events' });
    expect(within(events).getAllByRole('checkbox')).toHaveLength(15);
    expect(within(events).getByRole('checkbox', { name: 'points.adjusted' })).toHaveAccessibleDescription(
      'A payer added or removed points in a group (a payer transaction).',
    );

    await user.type(screen.getByLabelText('URL'), ' https://new.example.com/h ');
    await user.click(within(events).getByRole('checkbox', { name: 'purchase.recorded' }));
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));

    const panel = await screen.findByRole('region', { name: 'Signing secret of https://new.example.com/h' });
    expect(writes(calls)).toEqual([
      {
        method: 'POST',
        path: '/v1/admin/webhooks',
        body: { url: 'https://new.example.com/h', events: ['purchase.recorded'] },
      },
    ]);
    expect(within(panel).getByRole('heading', { level: 2 })).toHaveFocus();
    expect(
      within(panel).getByText(/^Added https:\/\/new.example.com\/h: it is first in the list of endpoints/),
    ).toHaveAttribute('role', 'status');
    expect(panel).toHaveTextContent('it is shown only this once');
    expect(within(panel).getByTestId('webhook-secret')).toHaveTextContent(CREATED.secret);
    expect(panel).toHaveTextContent('Standard Webhooks');
    expect(within(panel).getByText(/standardwebhooks/, { selector: 'code' }).textContent).toBe(
      VERIFY_EXAMPLE,
    );
    // The form is closed (empty when opened again) and the new endpoint is in the list.
    expect(screen.queryByLabelText('URL')).not.toBeInTheDocument();
    await rowOf(CREATED.url);

    await user.click(within(panel).getByRole('button', { name: 'Copy secret' }));
    expect(await within(panel).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(CREATED.secret);

    await user.click(within(panel).getByRole('button', { name: 'I have stored it: hide the secret' }));
    expect(screen.queryByRole('region', { name: /Signing secret of/ })).not.toBeInTheDocument();
    expect(screen.queryByText(CREATED.secret)).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Endpoints' })).toHaveFocus();
    // The new row is marked, where the list shows it.
    expect(await rowOf(CREATED.url)).toHaveClass('row-new');
    expect(writes(calls)).toHaveLength(1); // nothing reads the secret back
    await openCreateForm(user);
    expect(screen.getByLabelText('URL')).toHaveValue('');
  });

  it('sends ["*"] for all events: the types then show ticked and can not be changed, and come back when it is unticked', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': page([]),
      'POST /v1/admin/webhooks': { status: 201, body: { ...CREATED, events: ['*'] } },
    });
    await openCreateForm(user);
    const events = await screen.findByRole('group', { name: 'Events' });
    const tier = within(events).getByRole('checkbox', { name: 'tier.changed' });
    await user.click(tier);
    await user.click(within(events).getByRole('checkbox', { name: 'All events' }));
    expect(tier).toBeChecked();
    expect(tier).toBeDisabled();
    expect(within(events).getByRole('checkbox', { name: 'user.enrolled' })).toBeChecked();
    await user.click(within(events).getByRole('checkbox', { name: 'All events' }));
    expect(tier).toBeChecked();
    expect(within(events).getByRole('checkbox', { name: 'user.enrolled' })).not.toBeChecked();
    await user.click(within(events).getByRole('checkbox', { name: 'All events' }));

    await user.type(screen.getByLabelText('URL'), 'https://new.example.com/h');
    await user.type(screen.getByLabelText('Description'), 'Everything, for the warehouse');
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await screen.findByRole('region', { name: /Signing secret of/ });
    expect(writes(calls)[0].body).toEqual({
      url: 'https://new.example.com/h',
      events: ['*'],
      description: 'Everything, for the warehouse',
    });
  });

  it('shows WEBHOOK_URL_FORBIDDEN beside the URL, saying what to do', async () => {
    const user = userEvent.setup();
    const because =
      'http://10.1.2.3/h points at 10.1.2.3, a private address; use a public https URL, or ask the operator to allow this range';
    await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': page([]),
      'POST /v1/admin/webhooks': {
        status: 422,
        body: {
          code: 'WEBHOOK_URL_FORBIDDEN',
          detail: because,
          errors: [{ field: 'url', message: because }],
        },
      },
    });
    await openCreateForm(user);
    await user.type(screen.getByLabelText('URL'), 'http://10.1.2.3/h');
    await user.click(screen.getByRole('checkbox', { name: 'All events' }));
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() => expect(screen.getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('URL')).toHaveFocus(); // the first field marked
    expect(screen.getByLabelText('URL')).toHaveAccessibleDescription(expect.stringContaining(because));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The endpoint was not added: see the fields marked above.',
    );
    expect(screen.getByLabelText('URL')).toHaveValue('http://10.1.2.3/h'); // kept, to correct
    expect(screen.queryByRole('region', { name: /Signing secret of/ })).not.toBeInTheDocument();
  });

  it("shows the API's 400 beside the URL and the events when nothing was filled in", async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': page([]),
      'POST /v1/admin/webhooks': validationFailed([
        { field: 'url', message: 'url must be an absolute http(s) URL without credentials' },
        { field: 'events', message: 'events must name at least one event type, or *' },
      ]),
    });
    await openCreateForm(user);
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() =>
      expect(screen.getByRole('group', { name: 'Events' })).toHaveAccessibleDescription(
        'must name at least one event type, or *',
      ),
    );
    expect(screen.getByLabelText('URL')).toHaveAccessibleDescription(
      expect.stringContaining('must be an absolute http(s) URL without credentials'),
    );
    expect(screen.getByLabelText('URL')).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('see the fields marked above');
    expect(writes(calls)[0].body).toEqual({ url: '', events: [] });
  });

  it('puts the keyboard on the events when they are all that was refused', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': page([]),
      'POST /v1/admin/webhooks': validationFailed([
        { field: 'events', message: 'events must contain at least 1 elements' },
      ]),
    });
    await openCreateForm(user);
    await user.type(screen.getByLabelText('URL'), 'https://new.example.com/h');
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'All events' })).toHaveFocus());
    expect(screen.getByRole('group', { name: 'Events' })).toHaveAccessibleDescription(
      'needs at least one choice',
    );
    expect(screen.getByLabelText('URL')).not.toHaveAttribute('aria-invalid');
  });

  it('shows the problem detail of an error that is about no field', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<WebhooksPage />, {
      'GET /v1/admin/webhooks': page([]),
      'POST /v1/admin/webhooks': {
        status: 504,
        body: { code: 'UPSTREAM_TIMEOUT', detail: 'The webhooks service did not answer in time.' },
      },
    });
    await openCreateForm(user);
    await user.type(screen.getByLabelText('URL'), 'https://new.example.com/h');
    await user.click(screen.getByRole('checkbox', { name: 'All events' }));
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The endpoint was not added. The webhooks service did not answer in time.',
    );
    expect(screen.getByRole('alert')).toHaveFocus();
  });
});
