import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { AdjustForm } from './AdjustForm';
import type { AdminGroup } from './group';

const PATH = '/v1/admin/groups/g1/transactions';
const GROUP: AdminGroup = {
  groupId: 'g1',
  maxMembers: 4,
  members: [
    { userId: 'u1', username: 'ann', fullName: 'Ann Lee', email: 'ann@x.io', status: 'ACTIVE' },
    { userId: 'u2', username: 'bob', fullName: null, email: 'bob@x.io', status: 'ACTIVE' },
  ],
};
const BY_PAYER = { STORE: 1000, DANNON: 200 };

function transaction(call: Call, balance: number) {
  return { status: 201, body: { ...(call.body as object), groupId: 'g1', balance } };
}

function form(onAdjusted: () => void = () => undefined) {
  return <AdjustForm group={GROUP} balance={1200} byPayer={BY_PAYER} onAdjusted={onAdjusted} />;
}

async function fill(user: ReturnType<typeof userEvent.setup>, payer: string, points: string, reason: string) {
  await user.clear(screen.getByLabelText('Payer'));
  await user.type(screen.getByLabelText('Payer'), payer);
  await user.clear(screen.getByLabelText('Points'));
  await user.type(screen.getByLabelText('Points'), points);
  await user.clear(screen.getByLabelText('Reason'));
  await user.type(screen.getByLabelText('Reason'), reason);
}

describe('AdjustForm', () => {
  it('checks the form before the review, beside the fields, sends nothing, and focuses the first problem', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(form(), {});
    await user.type(screen.getByLabelText('Points'), '0');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    expect(screen.getByLabelText('Points')).toHaveAccessibleDescription(
      expect.stringContaining('must not be 0'),
    );
    expect(screen.getByLabelText('Payer')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Payer')).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Confirm adjustment' })).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it("refuses to remove more than the payer's points before asking the API", async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(form(), {});
    await fill(user, 'dannon', '-250', 'Correction');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    expect(screen.getByLabelText('Points')).toHaveAccessibleDescription(
      expect.stringContaining('Payer DANNON has 200 points in this group: at most 200 can be removed.'),
    );
    expect(screen.getByLabelText('Points')).toHaveFocus();
    expect(calls).toHaveLength(0);
  });

  it('reviews with the balance before and after, sends the reviewed body, then says what happened and focuses it', async () => {
    const user = userEvent.setup();
    const onAdjusted = vi.fn();
    const { calls } = await renderSignedIn(form(onAdjusted), {
      [`POST ${PATH}`]: (call) => transaction(call, 1700),
    });
    await fill(user, 'store', '500', 'Goodwill');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    const review = screen.getByRole('group', { name: 'Adjustment to confirm' });
    expect(review).toHaveTextContent('Add 500 points to payer STORE in the group of ann, bob?');
    expect(screen.getByTestId('balance-change')).toHaveTextContent(/^1,200 →, after: 1,700$/);
    expect(screen.getByTestId('payer-change')).toHaveTextContent(/^1,000 →, after: 1,500$/);
    expect(screen.getByRole('button', { name: 'Confirm adjustment' })).toHaveFocus();
    expect(screen.getByLabelText('Payer')).toBeDisabled();
    expect(calls).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    const done = await screen.findByText(
      'Added 500 points to payer STORE in the group of ann, bob. Balance: 1,700.',
    );
    expect(done).toHaveFocus();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: PATH });
    expect(calls[0].body).toEqual({
      transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      payer: 'STORE',
      points: 500,
      reason: 'Goodwill',
    });
    expect(onAdjusted).toHaveBeenCalledWith(expect.objectContaining({ balance: 1700 }));
    expect(screen.getByLabelText('Payer')).toHaveValue('');
    expect(screen.getByLabelText('Points')).toHaveValue('');
    expect(screen.queryByRole('button', { name: 'Confirm adjustment' })).not.toBeInTheDocument();
  });

  it('says a removal in words, with one point in the singular', async () => {
    const user = userEvent.setup();
    await renderSignedIn(form(), { [`POST ${PATH}`]: (call) => transaction(call, 1199) });
    await fill(user, 'DANNON', '-1', 'Correction');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    expect(
      screen.getByText('Remove 1 point from payer DANNON in the group of ann, bob?'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('payer-change')).toHaveTextContent(/^200 →, after: 199$/);
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    expect(
      await screen.findByText('Removed 1 point from payer DANNON in the group of ann, bob. Balance: 1,199.'),
    ).toHaveFocus();
  });

  it('sends nothing on Cancel, and a new review gets a new id', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(form(), { [`POST ${PATH}`]: (call) => transaction(call, 1000) });
    await fill(user, 'STORE', '-200', 'Correction');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText(/Remove 200 points/)).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
    expect(screen.getByLabelText('Points')).toHaveValue('-200'); // kept, to edit
    expect(screen.getByRole('button', { name: 'Review adjustment' })).toHaveFocus();

    const ids: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
      await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
      await screen.findByText(/^Removed 200 points/);
      ids.push((calls.at(-1)?.body as { transactionId: string }).transactionId);
      await fill(user, 'STORE', '-200', 'Correction');
    }
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('unlocks the fields after a timeout, and retries the same adjustment with the same transactionId', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { calls } = await renderSignedIn(form(), {
      [`POST ${PATH}`]: (call) =>
        ++attempts === 1
          ? { status: 504, body: { code: 'UPSTREAM_TIMEOUT', detail: 'The loyalty service did not answer.' } }
          : transaction(call, 1400),
    });
    await fill(user, 'STORE', '200', 'Late credit');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The adjustment may not have been made. The loyalty service did not answer.',
    );
    expect(alert).toHaveFocus();
    expect(
      screen.getByText(/Review the same adjustment again to retry: it cannot be added twice/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Points')).toBeEnabled();

    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    await screen.findByText(/^Added 200 points/);
    expect(calls).toHaveLength(2);
    expect(calls[1].body).toEqual(calls[0].body);
  });

  it('gives a changed adjustment a new transactionId after a failure', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { calls } = await renderSignedIn(form(), {
      [`POST ${PATH}`]: (call) => (++attempts === 1 ? { status: 503, body: {} } : transaction(call, 1500)),
    });
    await fill(user, 'STORE', '200', 'Late credit');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    await screen.findByRole('alert');
    await fill(user, 'STORE', '300', 'Late credit');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    await screen.findByText(/^Added 300 points/);
    const [first, second] = calls.map((c) => (c.body as { transactionId: string }).transactionId);
    expect(second).not.toBe(first);
  });

  it('unlocks the fields after a 422 and focuses its message; a 400 focuses the field it names, said once', async () => {
    const user = userEvent.setup();
    let reply = 0;
    await renderSignedIn(form(), {
      [`POST ${PATH}`]: () =>
        ++reply === 1
          ? {
              status: 422,
              body: {
                code: 'INSUFFICIENT_PAYER_POINTS',
                detail: 'Payer STORE has 100 points in this group; 200 cannot be removed.',
              },
            }
          : validationFailed([
              { field: 'reason', message: 'reason must be shorter than or equal to 500 characters' },
            ]),
    });
    await fill(user, 'STORE', '-200', 'Correction');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The adjustment was not made. Payer STORE has 100 points in this group; 200 cannot be removed.',
    );
    expect(alert).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Confirm adjustment' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Points')).toBeEnabled();
    expect(screen.getByLabelText('Points')).toHaveValue('-200'); // kept, to correct

    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    const reason = await screen.findByLabelText('Reason');
    await vi.waitFor(() => expect(reason).toHaveFocus());
    expect(reason).toHaveAccessibleDescription(
      expect.stringContaining('must be at most 500 characters long'),
    );
    expect(screen.getAllByText(/must be at most 500 characters long/)).toHaveLength(1);
    expect(screen.getByRole('alert')).toHaveTextContent('One field needs attention.');
  });
});
