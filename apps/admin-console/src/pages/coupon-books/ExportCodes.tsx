import { useState } from 'react';
import { useSession } from '../../api/context';
import type { CouponBook } from '../../api/types';
import { useFocusOnResult } from '../../ui/focus';
import { formatCount, plural } from '../../ui/format';
import { ProgressBar } from '../../ui/ProgressBar';
import { ErrorNotice, Success } from '../../ui/Status';
import { downloadCodes, saveFile } from './downloadCodes';

type Export =
  | { phase: 'idle' }
  | { phase: 'preparing'; codes: number }
  | { phase: 'done'; codes: number; fileName: string }
  | { phase: 'failed'; error: unknown };

/** "Download the codes (CSV)": the book's codes streamed from the API, then saved as a file. */
export function ExportCodes({ book }: { book: CouponBook }) {
  const session = useSession();
  const [state, setState] = useState<Export>({ phase: 'idle' });
  const finished = state.phase === 'done' || state.phase === 'failed' ? state : undefined;
  const card = useFocusOnResult<HTMLElement>(finished);
  const expected = book.stats.total;

  async function download() {
    setState({ phase: 'preparing', codes: 0 });
    try {
      // Lines less the header row are codes.
      let codes = 0;
      const file = await downloadCodes(session, book.couponBookId, (lines) => {
        codes = Math.max(0, lines - 1);
        setState({ phase: 'preparing', codes });
      });
      saveFile(file);
      setState({ phase: 'done', codes, fileName: file.fileName });
    } catch (error) {
      setState({ phase: 'failed', error });
    }
  }

  return (
    <section className="card" aria-labelledby="export-codes" ref={card}>
      <h3 id="export-codes">Export codes</h3>
      <p className="muted">
        Every code of the book, with its status and who holds it, as a CSV file (one line per code).
      </p>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={state.phase === 'preparing'}
          onClick={() => void download()}
        >
          Download the codes (CSV)
        </button>
      </div>
      {state.phase === 'preparing' && (
        <div className="upload-progress">
          <p role="status">
            Preparing the download… {formatCount(state.codes)} of {plural(expected, 'code')} received.
          </p>
          <ProgressBar label="Download progress" value={state.codes} max={expected} />
        </div>
      )}
      {state.phase === 'done' && (
        <Success>
          Downloaded {plural(state.codes, 'code')} as “{state.fileName}”.
        </Success>
      )}
      {state.phase === 'failed' && (
        <ErrorNotice error={state.error} title="The codes could not be downloaded." />
      )}
    </section>
  );
}
