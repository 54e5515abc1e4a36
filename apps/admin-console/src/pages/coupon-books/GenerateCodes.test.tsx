import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import { GenerateCodes } from './GenerateCodes';
import { job } from './fixtures';

const START = 'POST /v1/admin/coupon-books/book-B/generation-jobs';
const POLL = 'GET /v1/admin/generation-jobs/job-1';

/** Each poll answers the next state; the last one repeats. */
function states(...answers: ReturnType<typeof job>[]) {
  let i = 0;
  return () => ({ status: 200, body: answers[Math.min(i++, answers.length - 1)] });
}

describe('GenerateCodes', () => {
  it('starts a job and follows it to completion', async () => {
    const onRunningChange = vi.fn();
    let finish = false;
    const running = job({
      status: 'RUNNING',
      generated: 400,
      codesPerSecond: 12345.6,
      startedAt: '2026-01-01T00:00:00Z',
    });
    const completed = job({
      status: 'COMPLETED',
      generated: 1000,
      codesPerSecond: 20000,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:02.500Z',
    });
    const { calls } = await renderSignedIn(
      <GenerateCodes
        bookId="book-B"
        defaultPattern="########"
        onRunningChange={onRunningChange}
        pollMs={5}
      />,
      {
        [START]: { status: 202, body: { jobId: 'job-1', status: 'QUEUED' } },
        // Running until the test has looked at the running figures, then completed.
        [POLL]: () => ({ status: 200, body: finish ? completed : running }),
      },
    );
    await userEvent.type(screen.getByLabelText('How many codes'), '1000');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    expect(await screen.findByText('12,346 codes/s')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Generation progress' })).toHaveAttribute(
      'aria-valuenow',
      '40',
    );
    expect(screen.getByText('400 of 1,000 codes')).toBeInTheDocument();
    expect(screen.getByText('RUNNING')).toBeInTheDocument();
    finish = true;

    expect(await screen.findByText('Done: 1,000 codes in 2.5 s')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Generation progress' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(screen.getByText('20,000 codes/s')).toBeInTheDocument();
    expect(screen.getByText('COMPLETED')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ count: 1000 });
    expect(onRunningChange.mock.calls).toEqual([[true], [false]]);

    // Polling has stopped: no more calls come.
    const polled = calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.length).toBe(polled);
  });

  it("shows a failed job's error", async () => {
    await renderSignedIn(
      <GenerateCodes
        bookId="book-B"
        defaultPattern="########"
        onRunningChange={() => undefined}
        pollMs={5}
      />,
      {
        [START]: { status: 202, body: { jobId: 'job-1', status: 'QUEUED' } },
        [POLL]: states(job({ status: 'FAILED', generated: 10, error: 'Mongo went away' })),
      },
    );
    await userEvent.type(screen.getByLabelText('How many codes'), '1000');
    await userEvent.type(screen.getByLabelText('Pattern'), 'X-####');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    expect(await screen.findByText('Mongo went away')).toBeInTheDocument();
    expect(screen.getByText('FAILED')).toBeInTheDocument();
  });

  it("shows the API's refusal beside the field (422 PATTERN_CAPACITY, 400)", async () => {
    await renderSignedIn(
      <GenerateCodes bookId="book-B" defaultPattern="########" onRunningChange={() => undefined} />,
      {
        [START]: {
          status: 422,
          body: { code: 'PATTERN_CAPACITY', detail: 'The pattern X-# gives 32 codes; ask for at most 16.' },
        },
      },
    );
    await userEvent.type(screen.getByLabelText('How many codes'), '1000');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('ask for at most 16');
  });

  it('checks the count in the browser, says it once in plain words, and focuses the field', async () => {
    const { calls } = await renderSignedIn(
      <GenerateCodes bookId="book-B" defaultPattern="########" onRunningChange={() => undefined} />,
      {},
    );
    await userEvent.type(screen.getByLabelText('How many codes'), '0');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    await waitFor(() => expect(screen.getByLabelText('How many codes')).toHaveFocus());
    expect(screen.getByLabelText('How many codes')).toHaveAccessibleDescription(
      'A whole number, at least 1 Enter how many codes to generate: a whole number, at least 1.',
    );
    expect(calls).toHaveLength(0);
  });

  it("shows the API's count error beside the field only, not twice", async () => {
    await renderSignedIn(
      <GenerateCodes bookId="book-B" defaultPattern="########" onRunningChange={() => undefined} />,
      {
        [START]: validationFailed([{ field: 'count', message: 'count must not be greater than 1000000' }]),
      },
    );
    await userEvent.type(screen.getByLabelText('How many codes'), '5000000');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    await waitFor(() => expect(screen.getByLabelText('How many codes')).toHaveFocus());
    expect(screen.getByLabelText('How many codes')).toHaveAccessibleDescription(
      'A whole number, at least 1 must be at most 1000000',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The generation did not start. One field needs attention.',
    );
    expect(screen.getByRole('alert')).not.toHaveTextContent('must be at most');
  });

  it('stops polling when it goes away', async () => {
    const { calls, unmount } = await renderSignedIn(
      <GenerateCodes
        bookId="book-B"
        defaultPattern="########"
        onRunningChange={() => undefined}
        pollMs={5}
      />,
      {
        [START]: { status: 202, body: { jobId: 'job-1', status: 'QUEUED' } },
        [POLL]: states(job({ status: 'RUNNING', generated: 1 })),
      },
    );
    await userEvent.type(screen.getByLabelText('How many codes'), '1000');
    await userEvent.click(screen.getByRole('button', { name: 'Start generation' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET').length).toBeGreaterThan(1));
    unmount();
    const polled = calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.length).toBe(polled);
  });
});
