import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { AdjustForm } from './AdjustForm';

const PATH = '/v1/admin/groups/g1/transactions';

function transaction(call: Call, balance: number) {
  return { status: 201, body: { ...(call.body as object), groupId: 'g1', balance } };
}

async function fill(user: ReturnType<typeof userEvent.setup>, payer: string, points: string, reason: string) {
  await user.type(screen.getByLabelText('Payer'), payer);
  await user.type(screen.getByLabelText('Points'), points);
  await user.type(screen.getByLabelText('Reason'), reason);
}

describe('AdjustForm', () => {
  it('checks the form before the review, beside the fields, and sends nothing', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<AdjustForm groupId="g1" onAdjusted={() => undefined} />, {});
    await user.type(screen.getByLabelText('Points'), '0');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));

    expect(screen.getByLabelText('Points')).toHaveAccessibleDescription(
      expect.stringContaining('must not be 0'),
    );
    expect(screen.getByLabelText('Payer')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('button', { name: 'Confirm adjustment' })).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('confirms, then sends the reviewed body with a transactionId, and resets', async () => {
    const user = userEvent.setup();
    const onAdjusted = vi.fn();
    const { calls } = await renderSignedIn(<AdjustForm groupId="g1" onAdjusted={onAdjusted} />, {
      [`POST ${PATH}`]: (call) => transaction(call, 1500),
    });
    await fill(user, 'store', '500', 'Goodwill');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));

    expect(screen.getByText('Add 500 points to payer STORE of group g1?').closest('.confirm')).not.toBeNull();
    expect(calls).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));

    expect(await screen.findByText('Adjusted: balance is now 1,500.')).toBeInTheDocument();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: PATH });
    expect(calls[0].body).toEqual({
      transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      payer: 'STORE',
      points: 500,
      reason: 'Goodwill',
    });
    expect(onAdjusted).toHaveBeenCalledWith(expect.objectContaining({ balance: 1500 }));
    expect(screen.getByLabelText('Payer')).toHaveValue('');
    expect(screen.getByLabelText('Points')).toHaveValue('');
    expect(screen.queryByRole('button', { name: 'Confirm adjustment' })).not.toBeInTheDocument();
  });

  it('sends nothing on Cancel, and a new review gets a new id', async () => {
    const user = userEvent.setup();
    const { calls } = await renderSignedIn(<AdjustForm groupId="g1" onAdjusted={() => undefined} />, {
      [`POST ${PATH}`]: (call) => transaction(call, 100),
    });
    await fill(user, 'STORE', '-200', 'Correction');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    expect(screen.getByText('Remove 200 points from payer STORE of group g1?')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText(/Remove 200 points/)).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
    expect(screen.getByLabelText('Points')).toHaveValue('-200'); // kept, to edit

    const ids: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
      await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
      await screen.findByText('Adjusted: balance is now 100.');
      ids.push((calls.at(-1)?.body as { transactionId: string }).transactionId);
      await fill(user, 'STORE', '-200', 'Correction');
    }
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('retries a failed confirm with the same transactionId', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { calls } = await renderSignedIn(<AdjustForm groupId="g1" onAdjusted={() => undefined} />, {
      [`POST ${PATH}`]: (call) =>
        ++attempts === 1
          ? { status: 504, body: { code: 'UPSTREAM_TIMEOUT', detail: 'The loyalty service did not answer.' } }
          : transaction(call, 700),
    });
    await fill(user, 'STORE', '200', 'Late credit');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The loyalty service did not answer.');

    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    expect(await screen.findByText('Adjusted: balance is now 700.')).toBeInTheDocument();
    expect(calls).toHaveLength(2);
    expect(calls[1].body).toEqual(calls[0].body);
  });

  it("shows the API's detail for a 422 and its field errors for a 400", async () => {
    const user = userEvent.setup();
    let reply = 0;
    await renderSignedIn(<AdjustForm groupId="g1" onAdjusted={() => undefined} />, {
      [`POST ${PATH}`]: () =>
        ++reply === 1
          ? {
              status: 422,
              body: {
                code: 'INSUFFICIENT_PAYER_POINTS',
                detail: 'Payer STORE has 100 points in this group; 200 cannot be removed.',
              },
            }
          : validationFailed([{ field: 'payer', message: 'payer must be upper case' }]),
    });
    await fill(user, 'STORE', '-200', 'Correction');
    await user.click(screen.getByRole('button', { name: 'Review adjustment' }));
    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Payer STORE has 100 points in this group; 200 cannot be removed.',
    );

    await user.click(screen.getByRole('button', { name: 'Confirm adjustment' }));
    expect(await screen.findByLabelText('Payer')).toHaveAccessibleDescription(
      expect.stringContaining('payer must be upper case'),
    );
    // Back to the form to fix it: the review is closed and the fields can be edited.
    expect(screen.queryByRole('button', { name: 'Confirm adjustment' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Payer')).toBeEnabled();
  });
});
