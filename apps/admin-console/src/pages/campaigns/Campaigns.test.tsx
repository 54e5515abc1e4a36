import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Campaign } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { CampaignsPage } from '../Campaigns';

function campaign(name: string, status: Campaign['status'], over: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: `id-${name}`,
    name,
    description: null,
    trigger: 'FIRST_LOGIN',
    status,
    discountPercent: 30,
    voucherLimit: 200,
    voucherValidDays: 30,
    startsAt: '2026-01-01T00:00:00.000Z',
    endsAt: null,
    eligibility: { registeredBefore: null },
    issued: 50,
    remaining: 150,
    redeemed: 7,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const LIST = {
  status: 200,
  body: {
    items: [campaign('Welcome', 'ACTIVE'), campaign('Spring', 'PAUSED'), campaign('Old', 'ENDED')],
    nextCursor: null,
    total: 3,
  },
};

const CONFLICT = {
  status: 409,
  body: {
    code: 'CAMPAIGN_CONFLICT',
    detail: 'Campaign "Welcome" is active over those dates (FIRST_LOGIN): pause or end it first',
    conflictingCampaignId: 'id-Welcome',
    conflictingCampaign: { campaignId: 'id-Welcome', name: 'Welcome' },
  },
};

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');
const rowOf = (name: string) => screen.getByRole('progressbar', { name: `${name} issued` }).closest('tr')!;

beforeEach(() => window.history.replaceState(null, '', '/admin/campaigns'));

describe('CampaignsPage list', () => {
  it('shows names with short ids, the figures, an issued-of-limit bar and the total', async () => {
    await renderSignedIn(<CampaignsPage />, { 'GET /v1/admin/campaigns': LIST });
    const bar = await screen.findByRole('progressbar', { name: 'Welcome issued' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    const row = rowOf('Welcome');
    expect(within(row).getByText('150')).toBeInTheDocument();
    expect(within(row).getByText('Active')).toBeInTheDocument();
    expect(within(row).getByText('50 of 200 vouchers')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Copy campaign id id-Welcome' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Campaigns pages' })).toHaveTextContent(
      'Page 1 of 1 · 3 campaigns',
    );
    // Actions come first, so they stay in reach however wide the row gets.
    expect(
      within(screen.getByRole('table', { name: 'Campaigns' })).getAllByRole('columnheader')[0],
    ).toHaveTextContent('Actions');
    expect(within(row).getAllByRole('cell')[0]).toHaveAttribute('data-label', 'Actions');
  });

  it('says "Ended" for an ended campaign, never "open-ended", and the range otherwise', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': {
        status: 200,
        body: {
          items: [
            campaign('Old', 'ENDED'),
            campaign('Done', 'ENDED', { endsAt: '2026-02-01T00:00:00.000Z' }),
            campaign('Welcome', 'ACTIVE'),
          ],
          nextCursor: null,
        },
      },
    });
    await screen.findByRole('progressbar', { name: 'Old issued' });
    const runs = (name: string) => within(rowOf(name)).getAllByRole('cell').at(-1)!;
    expect(runs('Old')).toHaveTextContent(/^Ended/);
    expect(runs('Old')).not.toHaveTextContent(/open-ended/i);
    expect(runs('Done')).toHaveTextContent(/^Ended1 Jan 2026, \d\d:\d\d to 1 Feb 2026, \d\d:\d\d$/);
    expect(runs('Welcome')).toHaveTextContent(/^From 1 Jan 2026, \d\d:\d\d, open-ended$/);
  });

  it('offers Pause/End when active, Resume/End when paused, nothing when ended', async () => {
    await renderSignedIn(<CampaignsPage />, { 'GET /v1/admin/campaigns': LIST });
    await screen.findByRole('button', { name: 'Pause Welcome' });
    expect(screen.getByRole('button', { name: 'End Welcome' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume Welcome' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resume Spring' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'End Spring' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pause Spring' })).not.toBeInTheDocument();
    for (const action of ['Pause', 'Resume', 'End'])
      expect(screen.queryByRole('button', { name: `${action} Old` })).not.toBeInTheDocument();
    expect(within(rowOf('Old')).getByText('None (ended)')).toBeInTheDocument();
  });

  it('pauses at once, reloads the list, and puts the focus on the message', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'PATCH /v1/admin/campaigns/id-Welcome': { status: 200, body: campaign('Welcome', 'PAUSED') },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Pause Welcome' }));
    const done = await screen.findByText('Campaign “Welcome” paused.');
    await waitFor(() => expect(done).toHaveFocus());
    expect(patches(calls)).toEqual([
      { method: 'PATCH', path: '/v1/admin/campaigns/id-Welcome', body: { status: 'PAUSED' } },
    ]);
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2));
  });

  it('asks in a sentence before ending, sends nothing on Cancel, and ENDED on Confirm end', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'PATCH /v1/admin/campaigns/id-Spring': { status: 200, body: campaign('Spring', 'ENDED') },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'End Spring' }));
    expect(screen.getByRole('group', { name: 'Confirm ending the campaign' })).toHaveTextContent(
      'End “Spring”? It will give no more vouchers, and this cannot be undone; vouchers already given stay valid.',
    );
    expect(screen.getByRole('button', { name: 'Confirm end' })).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('button', { name: 'Confirm end' })).not.toBeInTheDocument();
    expect(patches(calls)).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'End Spring' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm end' }));
    expect(await screen.findByText('Campaign “Spring” ended.')).toBeInTheDocument();
    expect(patches(calls).map((c) => c.body)).toEqual([{ status: 'ENDED' }]);
  });

  it('names and links the campaign that blocks a resume (409), and the link highlights its row', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'PATCH /v1/admin/campaigns/id-Spring': CONFLICT,
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Resume Spring' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not resume “Spring”.');
    expect(alert).toHaveTextContent(
      'The campaign “Welcome” already gives first-login vouchers over those dates',
    );
    await waitFor(() => expect(alert).toHaveFocus());
    const link = within(alert).getByRole('link', { name: 'Show “Welcome” in the list' });
    expect(link).toHaveAttribute('href', '/admin/campaigns?campaign=id-Welcome');
    await userEvent.click(link);
    expect(window.location.search).toBe('?campaign=id-Welcome');
    await waitFor(() => expect(rowOf('Welcome')).toHaveAttribute('aria-current', 'true'));
    expect(rowOf('Spring')).not.toHaveAttribute('aria-current');
  });

  it('shows a linked campaign that is not on this page pinned above the others', async () => {
    window.history.replaceState(null, '', '/admin/campaigns?campaign=id-Far');
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'GET /v1/admin/campaigns/id-Far': { status: 200, body: campaign('Far', 'ACTIVE') },
    });
    await screen.findByRole('progressbar', { name: 'Far issued' });
    const rows = within(screen.getByRole('table', { name: 'Campaigns' })).getAllByRole('row');
    expect(rows[1]).toBe(rowOf('Far'));
    expect(rowOf('Far')).toHaveAttribute('aria-current', 'true');
    expect(calls.map((c) => c.path)).toContain('/v1/admin/campaigns/id-Far');
  });

  it('keeps the page in the URL: a reload on page 2 asks for that page again', async () => {
    window.history.replaceState(null, '', '/admin/campaigns?page=2&cursor=c2');
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': { status: 200, body: { ...LIST.body, nextCursor: 'c3', total: 45 } },
    });
    await screen.findByRole('progressbar', { name: 'Welcome issued' });
    expect(calls[0].path).toBe('/v1/admin/campaigns?limit=20&cursor=c2');
    expect(screen.getByRole('navigation', { name: 'Campaigns pages' })).toHaveTextContent(
      'Page 2 of 3 · 45 campaigns',
    );
  });

  it('shows an error with a retry when the list fails', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': { status: 503, body: { code: 'UNAVAILABLE', detail: 'Promotion is down.' } },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Promotion is down.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('writes one voucher in the singular', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': {
        status: 200,
        body: {
          items: [campaign('Tiny', 'ACTIVE', { voucherLimit: 1, issued: 1 })],
          nextCursor: null,
          total: 1,
        },
      },
    });
    expect(await screen.findByText('1 of 1 voucher')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Campaigns pages' })).toHaveTextContent('1 campaign');
  });
});

describe('CampaignsPage create form', () => {
  const empty = { status: 200, body: { items: [], nextCursor: null, total: 0 } };

  it('comes before the list', async () => {
    await renderSignedIn(<CampaignsPage />, { 'GET /v1/admin/campaigns': empty });
    const [first, second] = screen.getAllByRole('heading', { level: 2 });
    expect(first).toHaveTextContent('Create a campaign');
    expect(second).toHaveTextContent('All campaigns');
  });

  it('sends only the filled-in optionals, says it worked, focuses the message and highlights the row', async () => {
    let created = false;
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': () => ({
        status: 200,
        body: created
          ? { items: [campaign('Spring welcome', 'ACTIVE')], nextCursor: null, total: 1 }
          : empty.body,
      }),
      'POST /v1/admin/campaigns': () => {
        created = true;
        return { status: 201, body: campaign('Spring welcome', 'ACTIVE') };
      },
    });
    expect(screen.getByText("Given on a member's first login")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Name'), 'Spring welcome');
    await userEvent.type(screen.getByLabelText('Discount %'), '30');
    await userEvent.type(screen.getByLabelText('Voucher limit'), '100');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    const message = await screen.findByText(/Campaign “Spring welcome” created\./);
    expect(message).toHaveAttribute('role', 'status');
    await waitFor(() => expect(message).toHaveFocus());
    expect(posts(calls)[0].body).toEqual({
      name: 'Spring welcome',
      discountPercent: 30,
      voucherLimit: 100,
      trigger: 'FIRST_LOGIN',
    });
    expect(screen.getByLabelText('Name')).toHaveValue('');
    expect(window.location.search).toBe('?campaign=id-Spring+welcome');
    await waitFor(() => expect(rowOf('Spring welcome')).toHaveAttribute('aria-current', 'true'));
  });

  it('sends the optional fields too when filled, with local times as ISO UTC', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': empty,
      'POST /v1/admin/campaigns': { status: 201, body: campaign('X', 'ACTIVE') },
    });
    await userEvent.type(screen.getByLabelText('Name'), 'X');
    await userEvent.type(screen.getByLabelText('Description'), '30% off');
    await userEvent.type(screen.getByLabelText('Discount %'), '30');
    await userEvent.type(screen.getByLabelText('Voucher limit'), '100');
    await userEvent.type(screen.getByLabelText('Valid for (days)'), '14');
    await userEvent.type(screen.getByLabelText('Starts at'), '2026-03-01T09:30');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    await screen.findByText(/Campaign “X” created/);
    expect(posts(calls)[0].body).toEqual({
      name: 'X',
      description: '30% off',
      discountPercent: 30,
      voucherLimit: 100,
      voucherValidDays: 14,
      startsAt: new Date('2026-03-01T09:30').toISOString(),
      trigger: 'FIRST_LOGIN',
    });
  });

  it('checks in the browser first: an end before the start and a discount over 100, in plain words', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, { 'GET /v1/admin/campaigns': empty });
    await userEvent.type(screen.getByLabelText('Name'), 'Backwards');
    await userEvent.type(screen.getByLabelText('Discount %'), '150');
    await userEvent.type(screen.getByLabelText('Voucher limit'), '10');
    await userEvent.type(screen.getByLabelText('Starts at'), '2099-03-10T09:00');
    await userEvent.type(screen.getByLabelText('Ends at'), '2099-03-01T09:00');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    await waitFor(() => expect(screen.getByLabelText('Discount %')).toHaveFocus());
    expect(screen.getByLabelText('Discount %')).toHaveAccessibleDescription(
      '1 to 100 Enter the discount in percent: a whole number from 1 to 100.',
    );
    expect(screen.getByLabelText('Ends at')).toHaveAccessibleDescription(
      'Optional: open-ended when empty; after the start The end must be after the start.',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Nothing was sent: 2 fields need attention');
    expect(posts(calls)).toHaveLength(0);
  });

  it("shows the API's field errors beside their fields in plain words, once, and focuses the first", async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': empty,
      'POST /v1/admin/campaigns': validationFailed([
        { field: 'voucherLimit', message: 'voucherLimit must not be greater than 1000000' },
        { field: 'discountPercent', message: 'discountPercent must not be less than 5' },
      ]),
    });
    await userEvent.type(screen.getByLabelText('Name'), 'Big');
    await userEvent.type(screen.getByLabelText('Discount %'), '3');
    await userEvent.type(screen.getByLabelText('Voucher limit'), '9000000');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    await waitFor(() => expect(screen.getByLabelText('Discount %')).toHaveFocus());
    expect(screen.getByLabelText('Discount %')).toHaveAccessibleDescription('1 to 100 must be at least 5');
    expect(screen.getByLabelText('Voucher limit')).toHaveAccessibleDescription(
      'The most vouchers it will ever issue must be at most 1000000',
    );
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('2 fields need attention.');
    expect(alert).not.toHaveTextContent('must be at least 5');
  });

  it('names and links the campaign that blocks a new one (409)', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'POST /v1/admin/campaigns': CONFLICT,
    });
    await userEvent.type(screen.getByLabelText('Name'), 'Second');
    await userEvent.type(screen.getByLabelText('Discount %'), '10');
    await userEvent.type(screen.getByLabelText('Voucher limit'), '10');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The campaign was not created.');
    expect(alert).toHaveTextContent('“Welcome” already gives first-login vouchers');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(within(alert).getByRole('link', { name: 'Show “Welcome” in the list' })).toHaveAttribute(
      'href',
      '/admin/campaigns?campaign=id-Welcome',
    );
    expect(screen.getByLabelText('Name')).toHaveValue('Second');
  });
});
