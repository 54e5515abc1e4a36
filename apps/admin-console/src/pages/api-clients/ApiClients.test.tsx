import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApiClient } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { formatDate } from '../../ui/format';
import { ApiClientsPage } from '../ApiClients';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const IN_A_DAY = '2026-12-07T10:00:00.000Z';

function apiClient(name: string, over: Partial<ApiClient> = {}): ApiClient {
  return {
    clientId: `id-${name}`,
    name,
    scopes: ['purchases:write'],
    status: 'ACTIVE',
    createdAt: '2026-12-01T09:00:00.000Z',
    secretCreatedAt: '2026-12-01T09:00:00.000Z',
    previousSecretExpiresAt: null,
    lastTokenAt: null,
    ...over,
  };
}

const TILL = apiClient('Store 042 till', {
  scopes: ['purchases:write', 'redemptions:write'],
  lastTokenAt: '2026-12-05T08:30:00.000Z',
});
const PARTNER = apiClient('Dannon', {
  scopes: ['payer-transactions:write'],
  previousSecretExpiresAt: IN_A_DAY,
});

const page = (items: ApiClient[], nextCursor: string | null = null, total?: number) => ({
  status: 200,
  body: { items, nextCursor, ...(total !== undefined && { total }) },
});
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');
const gets = (calls: Call[]) => calls.filter((c) => c.method === 'GET');

/** A list that answers what the server holds now: a create adds to it, a revoke takes out. */
function server(initial: ApiClient[]) {
  let clients = [...initial];
  return {
    'GET /v1/admin/api-clients': () => page(clients),
    add: (client: ApiClient) => (clients = [client, ...clients]),
    remove: (clientId: string) => (clients = clients.filter((c) => c.clientId !== clientId)),
  };
}

beforeEach(() => {
  window.history.replaceState(null, '', '/admin/api-clients');
  // Only Date: timers stay real, so user events and fetches run as usual.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe('ApiClientsPage list', () => {
  it('shows each client: name, id, scopes, created, last token, and whether a previous secret still works', async () => {
    await renderSignedIn(<ApiClientsPage />, { 'GET /v1/admin/api-clients': page([TILL, PARTNER]) });
    const till = (await screen.findByRole('cell', { name: 'Store 042 till' })).closest('tr')!;
    const cells = within(till).getAllByRole('cell');
    expect(cells[0]).toHaveClass('actions-cell');
    expect(within(cells[0]).getByRole('button', { name: 'Revoke Store 042 till' })).toBeInTheDocument();
    for (const cell of cells) expect(cell).toHaveAttribute('data-label');
    expect(within(till).getByText('id-Store…')).toHaveAttribute('title', 'id-Store 042 till');
    expect(
      within(till).getByRole('button', { name: 'Copy client id id-Store 042 till' }),
    ).toBeInTheDocument();
    expect(
      within(till)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['purchases:write', 'redemptions:write']);
    expect(within(till).getByText(formatDate(TILL.createdAt))).toBeInTheDocument();
    expect(within(till).getByText(formatDate(TILL.lastTokenAt))).toBeInTheDocument();
    expect(within(till).getByRole('cell', { name: 'No' })).toBeInTheDocument();

    const partner = screen.getByRole('cell', { name: 'Dannon' }).closest('tr')!;
    expect(within(partner).getByRole('cell', { name: 'Never' })).toBeInTheDocument();
    expect(
      within(partner).getByRole('cell', { name: `Yes, until ${formatDate(IN_A_DAY)}` }),
    ).toBeInTheDocument();
  });

  it('says No once the previous secret has expired', async () => {
    const expired = apiClient('Old till', { previousSecretExpiresAt: '2026-12-06T09:59:00.000Z' });
    await renderSignedIn(<ApiClientsPage />, { 'GET /v1/admin/api-clients': page([expired]) });
    const row = (await screen.findByRole('cell', { name: 'Old till' })).closest('tr')!;
    expect(within(row).getByRole('cell', { name: 'No' })).toBeInTheDocument();
  });

  it('pages on with the cursor and back, with the page and the total shown', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients?limit=20': page([TILL], 'c2', 21),
      'GET /v1/admin/api-clients?limit=20&cursor=c2': page([PARTNER], null, 21),
    });
    await screen.findByRole('cell', { name: 'Store 042 till' });
    const pager = screen.getByRole('navigation', { name: 'API clients pages' });
    expect(pager).toHaveTextContent('Page 1 of 2 · 21 active clients');
    await user.click(within(pager).getByRole('button', { name: 'Next →' }));
    expect(await screen.findByRole('cell', { name: 'Dannon' })).toBeInTheDocument();
    expect(gets(calls).at(-1)?.path).toBe('/v1/admin/api-clients?limit=20&cursor=c2');
    expect(window.location.search).toBe('?page=2&cursor=c2');
    expect(within(pager).getByRole('button', { name: 'Next →' })).toBeDisabled();
    await user.click(within(pager).getByRole('button', { name: '← Previous' }));
    expect(await screen.findByRole('cell', { name: 'Store 042 till' })).toBeInTheDocument();
  });

  it('shows the page a URL names (a reload stays on page 2)', async () => {
    window.history.replaceState(null, '', '/admin/api-clients?page=2&cursor=c2');
    const { calls } = await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients?limit=20&cursor=c2': page([PARTNER], null, 21),
    });
    expect(await screen.findByRole('cell', { name: 'Dannon' })).toBeInTheDocument();
    expect(gets(calls).map((c) => c.path)).toEqual(['/v1/admin/api-clients?limit=20&cursor=c2']);
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
    expect(window.location.search).toBe('?page=2&cursor=c2');
  });

  it('says when there are none, and shows a failed load with a retry', async () => {
    let fail = true;
    await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': () =>
        fail
          ? {
              status: 503,
              body: { code: 'UPSTREAM_UNAVAILABLE', detail: 'The auth service is unavailable.' },
            }
          : page([]),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The API clients could not be loaded. The auth service is unavailable.',
    );
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No active API clients.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('ApiClientsPage create', () => {
  const CREATED = {
    ...apiClient('Store 7 till', { scopes: ['purchases:write', 'members:read'] }),
    clientSecret: 'cs_the-one-time-secret',
  };

  it('explains each scope, sends the name and the chosen scopes, then shows the secret once, with a copy button and a curl example', async () => {
    const user = userEvent.setup();
    const list = server([TILL]);
    const { calls } = await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': list['GET /v1/admin/api-clients'],
      'POST /v1/admin/api-clients': () => {
        list.add(CREATED);
        return { status: 201, body: CREATED };
      },
    });
    await screen.findByRole('cell', { name: 'Store 042 till' });
    const scopes = screen.getByRole('group', { name: 'Scopes' });
    expect(within(scopes).getAllByRole('checkbox')).toHaveLength(5);
    expect(within(scopes).getByRole('checkbox', { name: 'purchases:write' })).toHaveAccessibleDescription(
      "Record a member's purchases so they earn points, and refund them (a till).",
    );

    await user.type(screen.getByLabelText('Name'), '  Store 7 till ');
    await user.click(within(scopes).getByRole('checkbox', { name: 'purchases:write' }));
    await user.click(within(scopes).getByRole('checkbox', { name: 'members:read' }));
    await user.click(screen.getByRole('button', { name: 'Create client' }));

    const panel = await screen.findByRole('region', { name: 'Secret of Store 7 till' });
    expect(writes(calls)).toEqual([
      {
        method: 'POST',
        path: '/v1/admin/api-clients',
        body: { name: 'Store 7 till', scopes: ['purchases:write', 'members:read'] },
      },
    ]);
    expect(within(panel).getByRole('heading', { name: 'Secret of Store 7 till' })).toHaveFocus();
    expect(panel).toHaveTextContent('it is shown only this once');
    expect(within(panel).getByTestId('client-id')).toHaveTextContent('id-Store 7 till');
    expect(within(panel).getByTestId('client-secret')).toHaveTextContent('cs_the-one-time-secret');
    expect(within(panel).getByText(/curl/).textContent).toBe(
      [
        `curl -X POST ${window.location.origin}/v1/oauth/token \\`,
        '  -u "id-Store 7 till:$CLIENT_SECRET" \\',
        '  -d grant_type=client_credentials',
      ].join('\n'),
    );
    // The form is empty again and the new client is in the list.
    expect(screen.getByLabelText('Name')).toHaveValue('');
    expect(within(scopes).getByRole('checkbox', { name: 'purchases:write' })).not.toBeChecked();
    expect(await screen.findByRole('cell', { name: 'Store 7 till' })).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Copy secret' }));
    expect(await within(panel).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe('cs_the-one-time-secret');

    expect(
      screen.getByText('Created Store 7 till. Store its secret, shown above; the client is listed below.'),
    ).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'I have stored it: hide the secret' }));
    expect(screen.queryByRole('region', { name: /Secret of/ })).not.toBeInTheDocument();
    expect(screen.queryByText('cs_the-one-time-secret')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Active API clients' })).toHaveFocus();
    // Then the new client's row is shown, marked.
    expect(screen.getByRole('cell', { name: 'Store 7 till' }).closest('tr')).toHaveClass('row-new');
    // Nothing can show it again: no call reads a secret back.
    expect(writes(calls)).toHaveLength(1);
  });

  it('says how to copy by hand when the browser refuses the clipboard', async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(
      new DOMException('denied', 'NotAllowedError'),
    );
    await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': page([]),
      'POST /v1/admin/api-clients': { status: 201, body: CREATED },
    });
    await user.type(screen.getByLabelText('Name'), 'Store 7 till');
    await user.click(screen.getByRole('checkbox', { name: 'purchases:write' }));
    await user.click(screen.getByRole('button', { name: 'Create client' }));
    await user.click(await screen.findByRole('button', { name: 'Copy secret' }));
    expect(
      await screen.findByText('This browser did not allow copying: select the secret above and copy it.'),
    ).toBeInTheDocument();
  });

  it('says how to copy by hand where there is no clipboard API (plain http)', async () => {
    const user = userEvent.setup();
    const own = Object.getOwnPropertyDescriptor(navigator, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    try {
      await renderSignedIn(<ApiClientsPage />, {
        'GET /v1/admin/api-clients': page([]),
        'POST /v1/admin/api-clients': { status: 201, body: CREATED },
      });
      await user.type(screen.getByLabelText('Name'), 'Store 7 till');
      await user.click(screen.getByRole('checkbox', { name: 'purchases:write' }));
      await user.click(screen.getByRole('button', { name: 'Create client' }));
      await user.click(await screen.findByRole('button', { name: 'Copy secret' }));
      expect(
        await screen.findByText('This browser did not allow copying: select the secret above and copy it.'),
      ).toBeInTheDocument();
    } finally {
      if (own) Object.defineProperty(navigator, 'clipboard', own);
      else delete (navigator as { clipboard?: unknown }).clipboard;
    }
  });

  it("shows the API's field errors beside the name and the scopes", async () => {
    const user = userEvent.setup();
    await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': page([]),
      'POST /v1/admin/api-clients': validationFailed([
        { field: 'name', message: 'name must be 1-100 characters' },
        { field: 'scopes', message: 'scopes must name at least one scope' },
      ]),
    });
    await user.click(screen.getByRole('button', { name: 'Create client' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
        'Who uses it, e.g. Store 042 till (1–100 characters) must be 1-100 characters',
      ),
    );
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('group', { name: 'Scopes' })).toHaveAccessibleDescription(
      'must name at least one scope',
    );
    // The keyboard lands on the first field to fix.
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The client was not created: see the fields marked above.',
    );
    expect(screen.queryByRole('region', { name: /Secret of/ })).not.toBeInTheDocument();
  });

  it('shows the problem detail of an error that is about no field', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': page([]),
      'POST /v1/admin/api-clients': {
        status: 403,
        body: { code: 'FORBIDDEN', detail: 'Forbidden' },
      },
    });
    await user.type(screen.getByLabelText('Name'), 'x');
    await user.click(screen.getByRole('checkbox', { name: 'members:read' }));
    await user.click(screen.getByRole('button', { name: 'Create client' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The client was not created. Your account may not do this: it needs the admin role.',
    );
  });
});

describe('ApiClientsPage rotate', () => {
  it('says the old secret keeps working for 24 hours, until when, then shows the new secret once', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': page([TILL]),
      'POST /v1/admin/api-clients/id-Store%20042%20till/secrets': {
        status: 201,
        body: { clientSecret: 'cs_rotated', previousSecretExpiresAt: IN_A_DAY },
      },
    });
    const rotate = await screen.findByRole('button', { name: 'Rotate secret of Store 042 till' });
    await user.click(rotate);
    const confirm = screen.getByRole('group', { name: 'Confirm rotating the secret' });
    expect(confirm).toHaveTextContent(
      `Rotate the secret of Store 042 till? A new secret is shown once; the old one keeps working for 24 hours (until ${formatDate(IN_A_DAY)}), then stops.`,
    );
    expect(within(confirm).getByRole('button', { name: 'Confirm rotation' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: 'Confirm rotating the secret' })).not.toBeInTheDocument();
    expect(rotate).toHaveFocus();
    expect(writes(calls)).toEqual([]);

    await user.click(rotate);
    await user.click(screen.getByRole('button', { name: 'Confirm rotation' }));
    const panel = await screen.findByRole('region', { name: 'New secret of Store 042 till' });
    expect(writes(calls)).toEqual([
      { method: 'POST', path: '/v1/admin/api-clients/id-Store%20042%20till/secrets', body: {} },
    ]);
    expect(within(panel).getByTestId('client-secret')).toHaveTextContent('cs_rotated');
    expect(within(panel).getByTestId('client-id')).toHaveTextContent('id-Store 042 till');
    expect(panel).toHaveTextContent(
      `The old secret keeps working until ${formatDate(IN_A_DAY)}, then stops.`,
    );
    expect(within(panel).getByRole('heading', { name: 'New secret of Store 042 till' })).toHaveFocus();
    expect(screen.queryByRole('group', { name: 'Confirm rotating the secret' })).not.toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'I have stored it: hide the secret' }));
    expect(screen.queryByText('cs_rotated')).not.toBeInTheDocument();
  });

  it('keeps the confirmation beside the error when the rotation fails', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': page([TILL]),
      'POST /v1/admin/api-clients/id-Store%20042%20till/secrets': {
        status: 504,
        body: { code: 'UPSTREAM_TIMEOUT', detail: 'The auth service did not answer in time.' },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Rotate secret of Store 042 till' }));
    await user.click(screen.getByRole('button', { name: 'Confirm rotation' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The secret of Store 042 till was not rotated. The auth service did not answer in time.',
    );
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByRole('button', { name: 'Confirm rotation' })).toBeEnabled();
    expect(screen.queryByRole('region', { name: /secret of/i })).not.toBeInTheDocument();
  });
});

describe('ApiClientsPage revoke', () => {
  it('asks in a sentence, sends nothing on Cancel, and on confirm revokes and the client leaves the list', async () => {
    const user = userEvent.setup();
    const list = server([TILL, PARTNER]);
    const { calls } = await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': list['GET /v1/admin/api-clients'],
      'DELETE /v1/admin/api-clients/id-Dannon': () => {
        list.remove('id-Dannon');
        return { status: 204 };
      },
    });
    const revoke = await screen.findByRole('button', { name: 'Revoke Dannon' });
    await user.click(revoke);
    const confirm = screen.getByRole('group', { name: 'Confirm revoking' });
    expect(confirm).toHaveTextContent(
      "Revoke Dannon? Its tokens stop working within 5 seconds and it can't get new ones.",
    );
    expect(within(confirm).getByRole('button', { name: 'Confirm revoke' })).toHaveFocus();
    await user.keyboard('{Tab}{Enter}'); // Cancel, by keyboard
    expect(screen.queryByRole('group', { name: 'Confirm revoking' })).not.toBeInTheDocument();
    expect(revoke).toHaveFocus();
    expect(writes(calls)).toEqual([]);

    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Confirm revoke' }));
    expect(
      await screen.findByText('Revoked Dannon: its tokens stop working within 5 seconds.'),
    ).toBeInTheDocument();
    expect(writes(calls)).toEqual([
      { method: 'DELETE', path: '/v1/admin/api-clients/id-Dannon', body: undefined },
    ]);
    await waitFor(() => expect(screen.queryByRole('cell', { name: 'Dannon' })).not.toBeInTheDocument());
    expect(screen.getByRole('cell', { name: 'Store 042 till' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Active API clients' })).toHaveFocus();
  });

  it('shows why a revoke failed, with the confirmation still there to retry or cancel', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<ApiClientsPage />, {
      'GET /v1/admin/api-clients': page([TILL]),
      'DELETE /v1/admin/api-clients/id-Store%20042%20till': {
        status: 404,
        body: { code: 'NOT_FOUND', detail: 'No such API client.' },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Revoke Store 042 till' }));
    await user.click(screen.getByRole('button', { name: 'Confirm revoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Store 042 till was not revoked. No such API client.',
    );
    expect(screen.getByRole('group', { name: 'Confirm revoking' })).toBeInTheDocument();
    expect(screen.queryByText(/^Revoked/)).not.toBeInTheDocument();
  });
});
