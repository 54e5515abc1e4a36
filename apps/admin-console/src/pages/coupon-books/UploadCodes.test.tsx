import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn, validationFailed } from '../../test-utils';
import type { Call } from '../../test-utils';
import { UploadCodes } from './UploadCodes';

const PATH = 'POST /v1/admin/coupon-books/book-B/codes';
const uploads = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

function csv(count: number, header = 'code'): File {
  const lines = [header, ...Array.from({ length: count }, (_, i) => `CODE-${i}`)];
  return new File([lines.join('\r\n')], 'codes.csv', { type: 'text/csv' });
}

async function choose(file: File) {
  await userEvent.upload(screen.getByLabelText('CSV file of codes'), file);
}

describe('UploadCodes', () => {
  it('says what the file holds before sending anything', async () => {
    const { calls } = await renderSignedIn(<UploadCodes bookId="book-B" onUploaded={() => undefined} />, {});
    expect(screen.getByRole('button', { name: 'Upload codes' })).toBeDisabled();
    await choose(new File(['code\nA1\nA1\nbad code\nB2\n'], 'c.csv'));
    expect(await screen.findByText(/2 codes ready to upload/)).toHaveTextContent(
      '2 codes ready to upload; 1 code repeated in the file was dropped; the header line was skipped.',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('1 line could not be used and will not be sent:');
    expect(screen.getByRole('alert')).toHaveTextContent('Line 4');
    expect(calls).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Upload codes' })).toBeEnabled();
  });

  it('sends 25,000 codes as 10,000 + 10,000 + 5,000, one call after the other, and adds up', async () => {
    let inFlight = 0;
    const onUploaded = vi.fn();
    const { calls } = await renderSignedIn(<UploadCodes bookId="book-B" onUploaded={onUploaded} />, {
      [PATH]: async (call) => {
        expect(++inFlight).toBe(1); // sequential
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        const codes = (call.body as { codes: string[] }).codes;
        return { status: 200, body: { added: codes.length - 10, duplicates: 10 } };
      },
    });
    await choose(csv(25_000));
    await screen.findByText(/25,000 codes ready to upload/);
    await userEvent.click(screen.getByRole('button', { name: 'Upload codes' }));
    const finished = await screen.findByText(/Upload finished/);
    expect(finished).toHaveTextContent('Upload finished: 24,970 codes added, 30 duplicates');
    await waitFor(() => expect(finished).toHaveFocus());
    const sent = uploads(calls).map((c) => (c.body as { codes: string[] }).codes);
    expect(sent.map((c) => c.length)).toEqual([10_000, 10_000, 5_000]);
    expect(sent[1][0]).toBe('CODE-10000');
    expect(sent[2][4_999]).toBe('CODE-24999');
    expect(screen.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(screen.getByText(/Added 24,970, duplicates 30/)).toBeInTheDocument();
    expect(onUploaded).toHaveBeenCalled();
  });

  it('stops at a refused chunk and names the codes the API rejected', async () => {
    let n = 0;
    const { calls } = await renderSignedIn(<UploadCodes bookId="book-B" onUploaded={() => undefined} />, {
      [PATH]: () =>
        ++n === 2
          ? validationFailed([
              { field: 'codes[3]', message: 'each code must be 1-64 letters, digits, - or _' },
            ])
          : { status: 200, body: { added: 10_000, duplicates: 0 } },
    });
    await choose(csv(25_000));
    await screen.findByText(/25,000 codes ready/);
    await userEvent.click(screen.getByRole('button', { name: 'Upload codes' }));
    const alert = await screen.findByText(/The upload stopped/);
    const notice = alert.closest('[role="alert"]')!;
    expect(notice).toHaveTextContent('Chunk 2 of 3 (codes 10001–20000) was refused.');
    expect(notice).toHaveTextContent('CODE-10003: each code must be 1-64 letters');
    expect(uploads(calls)).toHaveLength(2);
    expect(screen.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute(
      'aria-valuenow',
      '40',
    );
    expect(screen.getByText(/Added 10,000, duplicates 0/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Upload codes' })).toBeEnabled());
  });
});
