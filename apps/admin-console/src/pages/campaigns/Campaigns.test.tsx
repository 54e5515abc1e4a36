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
  },
};

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

describe('CampaignsPage list', () => {
  it('shows the figures and an issued-of-limit bar per campaign', async () => {
    await renderSignedIn(<CampaignsPage />, { 'GET /v1/admin/campaigns': LIST });
    const bar = await screen.findByRole('progressbar', { name: 'Welcome issued' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    const row = bar.closest('tr')!;
    expect(within(row).getByText('150')).toBeInTheDocument();
    expect(within(row).getByText('ACTIVE')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Campaigns pages' })).toBeInTheDocument();
  });

  it('offers Pause/End when active, Resume/End when paused, nothing when ended', async () => {
    await renderSignedIn(<CampaignsPage />, { 'GET /v1/admin/campaigns': LIST });
    await screen.findByRole('button', { name: 'Pause Welcome' });
    expect(screen.getByRole('button', { name: 'End Welcome' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume Welcome' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resume Spring' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'End Spring' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pause Spring' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Old$/ })).not.toBeInTheDocument();
  });

  it('pauses at once and reloads the list', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'PATCH /v1/admin/campaigns/id-Welcome': { status: 200, body: campaign('Welcome', 'PAUSED') },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Pause Welcome' }));
    expect(await screen.findByText('Campaign “Welcome” paused.')).toBeInTheDocument();
    expect(patches(calls)).toEqual([
      { method: 'PATCH', path: '/v1/admin/campaigns/id-Welcome', body: { status: 'PAUSED' } },
    ]);
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2));
  });

  it('asks before ending, sends nothing on Cancel, and ENDED on Confirm end', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'PATCH /v1/admin/campaigns/id-Spring': { status: 200, body: campaign('Spring', 'ENDED') },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'End Spring' }));
    expect(screen.getByText(/No more vouchers are issued; this cannot be undone\./)).toHaveTextContent(
      'End Spring? No more vouchers are issued; this cannot be undone.',
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

  it('says clearly when the API refuses a transition (409)', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': LIST,
      'PATCH /v1/admin/campaigns/id-Spring': {
        status: 409,
        body: { code: 'CAMPAIGN_CONFLICT', detail: 'Another active FIRST_LOGIN campaign overlaps it.' },
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Resume Spring' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not resume “Spring”.');
    expect(alert).toHaveTextContent('Another active FIRST_LOGIN campaign overlaps it.');
  });

  it('shows an error with a retry when the list fails', async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': { status: 503, body: { code: 'UNAVAILABLE', detail: 'Promotion is down.' } },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Promotion is down.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});

describe('CampaignsPage create form', () => {
  const empty = { status: 200, body: { items: [], nextCursor: null } };

  it('sends only the optionals that were filled in, the fixed trigger, and dates in UTC', async () => {
    const { calls } = await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': empty,
      'POST /v1/admin/campaigns': { status: 201, body: campaign('Welcome 30', 'ACTIVE') },
    });
    expect(screen.getByText("Given on a member's first login")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Name'), 'Welcome 30');
    await userEvent.type(screen.getByLabelText('Discount %'), '30');
    await userEvent.type(screen.getByLabelText('Voucher limit'), '100');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByText(/Campaign “Welcome 30” created/)).toBeInTheDocument();
    expect(posts(calls)[0].body).toEqual({
      name: 'Welcome 30',
      discountPercent: 30,
      voucherLimit: 100,
      trigger: 'FIRST_LOGIN',
    });
    expect(screen.getByLabelText('Name')).toHaveValue('');
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET').length).toBeGreaterThanOrEqual(2));
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

  it("shows the API's field errors beside their fields", async () => {
    await renderSignedIn(<CampaignsPage />, {
      'GET /v1/admin/campaigns': empty,
      'POST /v1/admin/campaigns': validationFailed([
        { field: 'discountPercent', message: 'discountPercent must not be greater than 100' },
        { field: 'name', message: 'name should not be empty' },
      ]),
    });
    await userEvent.type(screen.getByLabelText('Discount %'), '150');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Discount %')).toHaveAccessibleDescription(
        'discountPercent must not be greater than 100',
      ),
    );
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('name should not be empty');
    expect(screen.getByLabelText('Voucher limit')).not.toHaveAttribute('aria-invalid');
  });
});
