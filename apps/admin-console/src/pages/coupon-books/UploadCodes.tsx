import { useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import { useApi } from '../../api/context';
import { ApiError, describeError } from '../../api/problem';
import { Field } from '../../ui/Field';
import { useFocusOnResult } from '../../ui/focus';
import { ProgressBar } from '../../ui/ProgressBar';
import { ErrorNotice, Success } from '../../ui/Status';
import { formatCount, plural } from '../../ui/format';
import { parseCodes } from './parseCodes';
import type { ParsedCodes } from './parseCodes';
import { ChunkRefused, uploadInChunks } from './uploadCodes';
import type { UploadTotals } from './uploadCodes';

/** How many unusable lines to list; the rest are counted. */
const SHOWN_REJECTS = 20;

/** Codes from a CSV file, read in the browser, sent 10,000 at a time. */
export function UploadCodes({ bookId, onUploaded }: { bookId: string; onUploaded: () => void }) {
  const api = useApi();
  const [parsed, setParsed] = useState<ParsedCodes>();
  const [readError, setReadError] = useState<unknown>();
  const [totals, setTotals] = useState<UploadTotals>();
  const [uploading, setUploading] = useState(false);
  const [refused, setRefused] = useState<ChunkRefused>();
  const [finished, setFinished] = useState(false);
  // Set once per upload's end (done or stopped): the keyboard then goes to its message.
  const [ended, setEnded] = useState<object>();
  const card = useFocusOnResult<HTMLElement>(ended);

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    setParsed(undefined);
    setReadError(undefined);
    setTotals(undefined);
    setRefused(undefined);
    setFinished(false);
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      setParsed(parseCodes(await file.text()));
    } catch (err) {
      setReadError(err);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!parsed || parsed.codes.length === 0) return;
    setUploading(true);
    setRefused(undefined);
    setFinished(false);
    setTotals({ sent: 0, added: 0, duplicates: 0 });
    try {
      await uploadInChunks(
        parsed.codes,
        (codes) =>
          api.post<{ added: number; duplicates: number }>(
            `/v1/admin/coupon-books/${encodeURIComponent(bookId)}/codes`,
            { codes },
          ),
        setTotals,
      );
      setFinished(true);
    } catch (err) {
      if (err instanceof ChunkRefused) setRefused(err);
      else setReadError(err);
    } finally {
      setUploading(false);
      setEnded({});
      onUploaded();
    }
  }

  return (
    <section className="card" aria-labelledby="upload-codes" ref={card}>
      <h3 id="upload-codes">Upload codes from CSV</h3>
      <form onSubmit={(e) => void upload(e)}>
        <Field
          label="CSV file of codes"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={(e) => void choose(e)}
          disabled={uploading}
          hint='One code per line, or codes in the first column (a "code" header is skipped). Codes are 1-64 letters, digits, - or _.'
        />
        {parsed && (
          <div className="upload-summary">
            <p>
              {plural(parsed.codes.length, 'code')} ready to upload
              {parsed.duplicates > 0 &&
                `; ${plural(parsed.duplicates, 'code')} repeated in the file ${parsed.duplicates === 1 ? 'was' : 'were'} dropped`}
              {parsed.headerSkipped && '; the header line was skipped'}.
            </p>
            {parsed.rejected.length > 0 && (
              <div role="alert" className="notice notice-error">
                <strong>
                  {plural(parsed.rejected.length, 'line')} could not be used and will not be sent:
                </strong>
                <ul>
                  {parsed.rejected.slice(0, SHOWN_REJECTS).map((r) => (
                    <li key={r.line}>
                      Line {r.line} (<code>{r.text.slice(0, 80)}</code>): {r.reason}
                    </li>
                  ))}
                </ul>
                {parsed.rejected.length > SHOWN_REJECTS &&
                  `…and ${formatCount(parsed.rejected.length - SHOWN_REJECTS)} more.`}
              </div>
            )}
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={uploading || !parsed || parsed.codes.length === 0}>
            {uploading ? 'Uploading…' : 'Upload codes'}
          </button>
        </div>
      </form>
      {totals && parsed && (
        <div className="upload-progress">
          <ProgressBar label="Upload progress" value={totals.sent} max={parsed.codes.length} />
          <p role={uploading ? 'status' : undefined}>
            Added {formatCount(totals.added)}, duplicates {formatCount(totals.duplicates)}
            <span className="muted">
              {' '}
              ({formatCount(totals.sent)} of {formatCount(parsed.codes.length)} sent)
            </span>
          </p>
        </div>
      )}
      {finished && totals && (
        <Success>
          Upload finished: {plural(totals.added, 'code')} added, {plural(totals.duplicates, 'duplicate')}{' '}
          (codes already in this or another book).
        </Success>
      )}
      {refused && (
        <div role="alert" className="notice notice-error">
          <strong>The upload stopped.</strong> {refused.message} {describeError(refused.reason)} Chunks before
          it were added; fix the file and upload again (codes already added count as duplicates).
          {refused.badCodes.length > 0 ? (
            <ul>
              {refused.badCodes.map((b) => (
                <li key={b.code}>
                  <code>{b.code}</code>: {b.message}
                </li>
              ))}
            </ul>
          ) : (
            <ErrorDetails reason={refused.reason} />
          )}
        </div>
      )}
      <ErrorNotice error={readError} title="The file could not be read." />
    </section>
  );
}

/** The API's field errors when they name no single code. */
function ErrorDetails({ reason }: { reason: unknown }) {
  const errors = reason instanceof ApiError ? reason.errors : [];
  if (errors.length === 0) return null;
  return (
    <ul>
      {errors.map((f) => (
        <li key={f.field + f.message}>
          <code>{f.field}</code>: {f.message}
        </li>
      ))}
    </ul>
  );
}
