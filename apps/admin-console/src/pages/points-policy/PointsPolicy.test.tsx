import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PointsPolicy } from '../../api/types';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { PointsPolicyPage } from '../PointsPolicy';

const PATH = '/v1/admin/points-policy';
const DEFAULTS: PointsPolicy = { pendingDays: 0, expiryDays: null, expiryWarningDays: 30 };

const puts = (calls: Call[]) => calls.filter((c) => c.method === 'PUT');

/** A server holding one policy: GET reads it, PUT replaces it with the body. */
function server(initial: PointsPolicy) {
  let policy = initial;
  return {
    [`GET ${PATH}`]: () => ({ status: 200, body: policy }),
    [`PUT ${PATH}`]: (call: Call) => {
      policy = call.body as PointsPolicy;
      return { status: 200, body: policy };
    },
  };
}

async function replace(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  await user.clear(screen.getByLabelText(label));
  if (text) await user.type(screen.getByLabelText(label), text);
}

describe('PointsPolicyPage', () => {
  it('shows the policy in force, in words and in the form', async () => {
    await renderSignedIn(<PointsPolicyPage />, server(DEFAULTS));
    expect(await screen.findByTestId('current-policy')).toHaveTextContent(
      'Points earned now are available at once and never expire. Points that expire within 30 days are shown as expiring soon.',
    );
    expect(screen.getByLabelText('Pending days')).toHaveValue('0');
    expect(screen.getByLabelText('Points never expire')).toBeChecked();
    expect(screen.getByLabelText('Expiry days')).toBeDisabled();
    expect(screen.getByLabelText('Expiry warning days')).toHaveValue('30');
  });

  it('checks the ranges and that points expire after they are spendable, beside the fields, before sending anything', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<PointsPolicyPage />, server(DEFAULTS));
    await screen.findByLabelText('Pending days');

    await replace(user, 'Pending days', '400');
    await user.click(screen.getByLabelText('Points never expire'));
    await replace(user, 'Expiry days', '0');
    await replace(user, 'Expiry warning days', '366');
    await user.click(screen.getByRole('button', { name: 'Review policy' }));

    expect(screen.getByLabelText('Pending days')).toHaveAccessibleDescription(
      expect.stringContaining('Enter a whole number of days from 0 to 365'),
    );
    expect(screen.getByLabelText('Expiry days')).toHaveAccessibleDescription(
      expect.stringContaining('Enter a whole number of days from 1 to 3650, or tick “Points never expire”.'),
    );
    expect(screen.getByLabelText('Expiry warning days')).toHaveAccessibleDescription(
      expect.stringContaining('Enter a whole number of days from 1 to 365.'),
    );
    expect(screen.getByLabelText('Pending days')).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText('Pending days')).toHaveFocus());

    await replace(user, 'Pending days', '30');
    await replace(user, 'Expiry days', '30');
    await replace(user, 'Expiry warning days', '30');
    await user.click(screen.getByRole('button', { name: 'Review policy' }));
    expect(screen.getByLabelText('Expiry days')).toHaveAccessibleDescription(
      expect.stringContaining(
        'Enter more days than the 30 days points wait: they must be spendable before they expire.',
      ),
    );
    expect(screen.getByLabelText('Pending days')).not.toHaveAttribute('aria-invalid');
    // The cross-field rule is checked here, before sending: the keyboard goes to the field.
    await waitFor(() => expect(screen.getByLabelText('Expiry days')).toHaveFocus());
    expect(screen.queryByRole('group', { name: 'Policy change to confirm' })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('says in a sentence what changes, sends nothing on Cancel, then PUTs the reviewed policy', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<PointsPolicyPage />, server(DEFAULTS));
    await screen.findByLabelText('Pending days');
    await replace(user, 'Pending days', '14');
    await user.click(screen.getByLabelText('Points never expire'));
    await replace(user, 'Expiry days', '365');
    await user.click(screen.getByRole('button', { name: 'Review policy' }));

    const confirm = screen.getByRole('group', { name: 'Policy change to confirm' });
    expect(confirm).toHaveTextContent(
      'Points earned from now on will wait 14 days and expire after 365 days. Points already earned keep their dates.',
    );
    expect(confirm).toHaveTextContent('Points that expire within 30 days are shown as expiring soon.');
    expect(within(confirm).getByRole('button', { name: 'Save policy' })).toHaveFocus();
    // The form can't change under the review.
    expect(screen.getByLabelText('Pending days')).toBeDisabled();

    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: 'Policy change to confirm' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Review policy' })).toHaveFocus();
    expect(puts(calls)).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Review policy' }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(
      await screen.findByText(
        'Saved. Points earned from now on will wait 14 days and expire after 365 days. Points already earned keep their dates.',
      ),
    ).toBeInTheDocument();
    expect(puts(calls)).toEqual([
      { method: 'PUT', path: PATH, body: { pendingDays: 14, expiryDays: 365, expiryWarningDays: 30 } },
    ]);
    expect(screen.getByTestId('current-policy')).toHaveTextContent(
      'Points earned now wait 14 days and expire after 365 days.',
    );
    expect(screen.queryByRole('group', { name: 'Policy change to confirm' })).not.toBeInTheDocument();
  });

  it('sends null expiry for "never expire"', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(
      <PointsPolicyPage />,
      server({ pendingDays: 14, expiryDays: 365, expiryWarningDays: 30 }),
    );
    expect(await screen.findByLabelText('Expiry days')).toHaveValue('365');
    await user.click(screen.getByLabelText('Points never expire'));
    await user.click(screen.getByRole('button', { name: 'Review policy' }));
    expect(screen.getByRole('group', { name: 'Policy change to confirm' })).toHaveTextContent(
      'Points earned from now on will wait 14 days and never expire.',
    );
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await screen.findByText(/^Saved\./);
    expect(puts(calls).map((c) => c.body)).toEqual([
      { pendingDays: 14, expiryDays: null, expiryWarningDays: 30 },
    ]);
  });

  it('says so when nothing changed, and sends nothing', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<PointsPolicyPage />, server(DEFAULTS));
    await user.click(await screen.findByRole('button', { name: 'Review policy' }));
    const said = screen.getByText('Nothing changed: this is the policy in force.');
    await waitFor(() => expect(said).toHaveFocus());
    expect(screen.queryByRole('group', { name: 'Policy change to confirm' })).not.toBeInTheDocument();
    expect(puts(calls)).toEqual([]);
  });

  it("shows the server's field errors beside the fields, back in the form", async () => {
    const user = userEvent.setup();
    await renderSignedIn(<PointsPolicyPage />, {
      [`GET ${PATH}`]: { status: 200, body: DEFAULTS },
      [`PUT ${PATH}`]: validationFailed([
        {
          field: 'expiryDays',
          message:
            'expiryDays must be greater than pendingDays (14): points must be spendable before they expire',
        },
      ]),
    });
    await screen.findByLabelText('Pending days');
    await replace(user, 'Pending days', '14');
    await user.click(screen.getByLabelText('Points never expire'));
    await replace(user, 'Expiry days', '20');
    await user.click(screen.getByRole('button', { name: 'Review policy' }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Expiry days')).toHaveAccessibleDescription(
        expect.stringContaining('must be greater than pendingDays (14)'),
      ),
    );
    await waitFor(() => expect(screen.getByLabelText('Expiry days')).toHaveFocus());
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The policy was not saved: see the fields marked above.',
    );
    expect(screen.queryByRole('group', { name: 'Policy change to confirm' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Expiry days')).toBeEnabled();
  });

  it('keeps the confirmation beside an error that is about no field, to retry', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { calls } = await renderSignedIn(<PointsPolicyPage />, {
      [`GET ${PATH}`]: { status: 200, body: DEFAULTS },
      [`PUT ${PATH}`]: (call) =>
        ++attempts === 1
          ? {
              status: 503,
              body: { code: 'UPSTREAM_UNAVAILABLE', detail: 'The loyalty service is unavailable.' },
            }
          : { status: 200, body: call.body },
    });
    await screen.findByLabelText('Pending days');
    await replace(user, 'Pending days', '7');
    await user.click(screen.getByRole('button', { name: 'Review policy' }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The policy was not saved. The loyalty service is unavailable.',
    );
    await waitFor(() => expect(screen.getByRole('alert')).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    const saved = await screen.findByText(/^Saved\. Points earned from now on will wait 7 days/);
    await waitFor(() => expect(saved).toHaveFocus());
    expect(puts(calls)).toHaveLength(2);
    expect(puts(calls)[1].body).toEqual(puts(calls)[0].body);
  });

  it('shows a failed load with a retry', async () => {
    let fail = true;
    await renderSignedIn(<PointsPolicyPage />, {
      [`GET ${PATH}`]: () =>
        fail
          ? {
              status: 503,
              body: { code: 'UPSTREAM_UNAVAILABLE', detail: 'The loyalty service is unavailable.' },
            }
          : { status: 200, body: DEFAULTS },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The points policy could not be loaded. The loyalty service is unavailable.',
    );
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByLabelText('Pending days')).toHaveValue('0');
  });
});
