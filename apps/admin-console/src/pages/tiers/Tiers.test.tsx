import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TierTable } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { TiersPage } from '../Tiers';

const PATH = '/v1/admin/tiers';
const DEFAULT: TierTable = {
  qualifyingDays: 365,
  tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }],
};
const TWO: TierTable = {
  qualifyingDays: 365,
  tiers: [
    { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
    { name: 'Silver', minPoints: 1000, earnMultiplier: '1.5' },
  ],
};

const puts = (calls: Call[]) => calls.filter((c) => c.method === 'PUT');
/** The fieldset of the n-th tier (1-based), as a screen reader names it. */
const tier = (n: number) => screen.getByRole('group', { name: new RegExp(`^Tier ${n}( |$)`) });
const tierCount = () => screen.queryAllByRole('group', { name: /^Tier \d+( |$)/ }).length;

function server(initial: TierTable) {
  let table = initial;
  return {
    [`GET ${PATH}`]: () => ({ status: 200, body: table }),
    [`PUT ${PATH}`]: (call: Call) => {
      table = call.body as TierTable;
      return { status: 200, body: table };
    },
  };
}

async function fillTier(
  user: ReturnType<typeof userEvent.setup>,
  n: number,
  values: { name?: string; minPoints?: string; earnMultiplier?: string },
) {
  const fields = { name: 'Name', minPoints: 'Minimum points', earnMultiplier: 'Earn multiplier' } as const;
  for (const [key, label] of Object.entries(fields) as Array<[keyof typeof fields, string]>) {
    const text = values[key];
    if (text === undefined) continue;
    const input = within(tier(n)).getByLabelText(label);
    await user.clear(input);
    if (text) await user.type(input, text);
  }
}

describe('TiersPage', () => {
  it('shows the qualifying window and each tier in the form', async () => {
    await renderSignedIn(<TiersPage />, server(TWO));
    expect(await screen.findByLabelText('Qualifying days')).toHaveValue('365');
    expect(tierCount()).toBe(2);
    expect(within(tier(1)).getByLabelText('Name')).toHaveValue('Standard');
    expect(within(tier(1)).getByLabelText('Minimum points')).toHaveValue('0');
    expect(within(tier(2)).getByLabelText('Name')).toHaveValue('Silver');
    expect(within(tier(2)).getByLabelText('Earn multiplier')).toHaveValue('1.5');
  });

  it('adds a row (its name field takes the focus) and removes one, but never the last', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<TiersPage />, server(DEFAULT));
    await screen.findByLabelText('Qualifying days');
    expect(within(tier(1)).getByRole('button', { name: 'Remove tier 1' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Add a tier' }));
    await user.click(screen.getByRole('button', { name: 'Add a tier' }));
    expect(tierCount()).toBe(3);
    expect(within(tier(3)).getByLabelText('Name')).toHaveFocus();
    await fillTier(user, 2, { name: 'Silver' });
    await fillTier(user, 3, { name: 'Gold' });

    await user.click(within(tier(2)).getByRole('button', { name: 'Remove tier 2' }));
    expect(tierCount()).toBe(2);
    // The rows below move up, with what was typed in them.
    expect(within(tier(2)).getByLabelText('Name')).toHaveValue('Gold');
    expect(screen.getByRole('button', { name: 'Add a tier' })).toHaveFocus();
  });

  it('checks the first tier at 0, increasing minimums, unique names and multipliers, beside the fields, before sending', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<TiersPage />, server(DEFAULT));
    await screen.findByLabelText('Qualifying days');
    await fillTier(user, 1, { minPoints: '10' });
    await user.click(screen.getByRole('button', { name: 'Add a tier' }));
    await fillTier(user, 2, { name: 'standard', minPoints: '5', earnMultiplier: '1.555' });
    await user.clear(screen.getByLabelText('Qualifying days'));
    await user.type(screen.getByLabelText('Qualifying days'), '0');
    await user.click(screen.getByRole('button', { name: 'Review tiers' }));

    const described = (n: number, label: string) => within(tier(n)).getByLabelText(label);
    expect(described(1, 'Minimum points')).toHaveAccessibleDescription(
      expect.stringContaining('The first tier starts at 0 points: every group is in a tier.'),
    );
    expect(described(2, 'Minimum points')).toHaveAccessibleDescription(
      expect.stringContaining('Enter more than the tier above (10): list tiers from lowest to highest.'),
    );
    expect(described(2, 'Name')).toHaveAccessibleDescription(
      expect.stringContaining('Another tier is already named “Standard”: names must differ.'),
    );
    expect(described(2, 'Earn multiplier')).toHaveAccessibleDescription(
      expect.stringContaining('Enter a multiplier from 1 to 10 with at most 2 decimals, like 1.5.'),
    );
    expect(described(2, 'Earn multiplier')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Qualifying days')).toHaveAccessibleDescription(
      expect.stringContaining('Enter a whole number of days from 1 to 3650.'),
    );
    expect(described(1, 'Name')).not.toHaveAttribute('aria-invalid');
    // The keyboard lands on the first field to correct.
    await waitFor(() => expect(screen.getByLabelText('Qualifying days')).toHaveFocus());
    expect(screen.queryByRole('group', { name: 'Tiers to confirm' })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('lists the tiers to save in the confirmation, sends nothing on Cancel, then PUTs the whole table', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<TiersPage />, server(DEFAULT));
    await screen.findByLabelText('Qualifying days');
    await user.click(screen.getByRole('button', { name: 'Add a tier' }));
    await fillTier(user, 2, { name: ' Silver ', minPoints: '100', earnMultiplier: '2' });
    await user.click(screen.getByRole('button', { name: 'Add a tier' }));
    await fillTier(user, 3, { name: 'Gold', minPoints: '1500', earnMultiplier: '2.5' });
    await user.click(screen.getByRole('button', { name: 'Review tiers' }));

    const confirm = screen.getByRole('group', { name: 'Tiers to confirm' });
    expect(confirm).toHaveTextContent('Save 3 tiers, counting qualifying points over the last 365 days?');
    const rows = within(within(confirm).getByRole('table', { name: 'Tiers to save' }))
      .getAllByRole('row')
      .map((r) => r.textContent);
    expect(rows).toEqual([
      'TierFrom (qualifying points)Earn multiplier',
      'Standard0×1',
      'Silver100×2',
      'Gold1,500×2.5',
    ]);
    expect(within(confirm).getByRole('button', { name: 'Save tiers' })).toHaveFocus();
    expect(within(tier(2)).getByLabelText('Name')).toBeDisabled();

    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: 'Tiers to confirm' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Review tiers' })).toHaveFocus();
    expect(puts(calls)).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Review tiers' }));
    await user.click(screen.getByRole('button', { name: 'Save tiers' }));
    const saved = await screen.findByText('Saved 3 tiers.');
    await waitFor(() => expect(saved).toHaveFocus());
    expect(puts(calls)).toEqual([
      {
        method: 'PUT',
        path: PATH,
        body: {
          qualifyingDays: 365,
          tiers: [
            { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
            { name: 'Silver', minPoints: 100, earnMultiplier: '2' },
            { name: 'Gold', minPoints: 1500, earnMultiplier: '2.5' },
          ],
        },
      },
    ]);
    expect(within(tier(2)).getByLabelText('Name')).toHaveValue('Silver');
    // What was saved is now what is in force: the same again is nothing to save.
    await user.click(screen.getByRole('button', { name: 'Review tiers' }));
    expect(screen.getByText('Nothing changed: these are the tiers in force.')).toBeInTheDocument();
    expect(puts(calls)).toHaveLength(1);
  });

  it("shows the server's field errors (tiers.1.minPoints) beside the fields of that tier", async () => {
    const user = userEvent.setup();
    await renderSignedIn(<TiersPage />, {
      [`GET ${PATH}`]: { status: 200, body: TWO },
      [`PUT ${PATH}`]: validationFailed([
        {
          field: 'tiers.1.minPoints',
          message: 'minPoints must be greater than the tier before it (0): list tiers from lowest to highest',
        },
        { field: 'qualifyingDays', message: 'qualifyingDays must be a whole number of days from 1 to 3650' },
      ]),
    });
    await screen.findByLabelText('Qualifying days');
    await fillTier(user, 2, { minPoints: '2000' });
    await user.click(screen.getByRole('button', { name: 'Review tiers' }));
    await user.click(screen.getByRole('button', { name: 'Save tiers' }));

    await waitFor(() =>
      expect(within(tier(2)).getByLabelText('Minimum points')).toHaveAccessibleDescription(
        expect.stringContaining('must be greater than the tier before it (0)'),
      ),
    );
    expect(within(tier(1)).getByLabelText('Minimum points')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Qualifying days')).toHaveAccessibleDescription(
      expect.stringContaining('must be a whole number of days from 1 to 3650'),
    );
    // Each problem in words, the row counted as people count: "Tier 2", not "tiers.1".
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The tiers were not saved. 2 fields need attention:');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Tier 2 minimum points must be greater than the tier before it (0): list tiers from lowest to highest.',
      'Qualifying days must be a whole number of days from 1 to 3650.',
    ]);
    await waitFor(() => expect(screen.getByLabelText('Qualifying days')).toHaveFocus());
    expect(screen.queryByRole('group', { name: 'Tiers to confirm' })).not.toBeInTheDocument();
    expect(within(tier(2)).getByLabelText('Minimum points')).toBeEnabled();
  });

  it('lists a server error it cannot place (a row that is not there) in the notice', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<TiersPage />, {
      [`GET ${PATH}`]: { status: 200, body: TWO },
      [`PUT ${PATH}`]: validationFailed([{ field: 'tiers.5.name', message: 'name must not be empty' }]),
    });
    await screen.findByLabelText('Qualifying days');
    await fillTier(user, 2, { earnMultiplier: '3' });
    await user.click(screen.getByRole('button', { name: 'Review tiers' }));
    await user.click(screen.getByRole('button', { name: 'Save tiers' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^The tiers were not saved\. One field needs attention:/);
    expect(alert).toHaveTextContent('Tier 6 name must not be empty.');
    await waitFor(() => expect(alert).toHaveFocus());
  });

  it('shows a failed load with a retry', async () => {
    let fail = true;
    await renderSignedIn(<TiersPage />, {
      [`GET ${PATH}`]: () =>
        fail
          ? {
              status: 504,
              body: { code: 'UPSTREAM_TIMEOUT', detail: 'The loyalty service did not answer in time.' },
            }
          : { status: 200, body: DEFAULT },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The tiers could not be loaded. The loyalty service did not answer in time.',
    );
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByLabelText('Qualifying days')).toHaveValue('365');
  });
});
