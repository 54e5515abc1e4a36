import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { startPolling } from '../../api/polling';
import { ApiError } from '../../api/problem';
import type { GenerationJob } from '../../api/types';
import { Field } from '../../ui/Field';
import { ProgressBar } from '../../ui/ProgressBar';
import { ErrorNotice } from '../../ui/Status';
import { formatCount, optionalNumber, optionalText, withoutEmpty } from '../campaigns/formValues';
import { formatRate, isFinished, jobSeconds } from './jobFigures';

/**
 * Starts a generation job (202) and follows it every `pollMs` (while the tab is visible) until it
 * completes or fails.
 * `onRunningChange` lets the book's stats go live meanwhile.
 */
export function GenerateCodes({
  bookId,
  defaultPattern,
  onRunningChange,
  pollMs = 500,
}: {
  bookId: string;
  defaultPattern: string;
  onRunningChange: (running: boolean) => void;
  pollMs?: number;
}) {
  const api = useApi();
  // useApi() is a new object each render: the polling effect reads it through a ref, so a
  // re-render (every poll sets state) does not restart the polling.
  const apiRef = useRef(api);
  apiRef.current = api;
  const [count, setCount] = useState('');
  const [pattern, setPattern] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [job, setJob] = useState<GenerationJob>();
  const [pollError, setPollError] = useState<unknown>();

  const start = useAction(
    useCallback(
      (body: { count?: number; pattern?: string }) =>
        api.post<{ jobId: string; status: 'QUEUED' }>(
          `/v1/admin/coupon-books/${encodeURIComponent(bookId)}/generation-jobs`,
          body,
        ),
      [api, bookId],
    ),
  );
  const errors = start.error instanceof ApiError ? start.error.byField() : {};

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    onRunningChange(true);
    // Every `pollMs` after the last answer, and not while the tab is hidden (startPolling).
    const stopPolling = startPolling(async () => {
      const finish = () => {
        stopPolling();
        onRunningChange(false);
      };
      try {
        const latest = await apiRef.current.get<GenerationJob>(
          `/v1/admin/generation-jobs/${encodeURIComponent(jobId)}`,
        );
        if (stopped) return;
        setJob(latest);
        setPollError(undefined);
        if (isFinished(latest)) finish();
      } catch (err) {
        if (stopped) return;
        setPollError(err);
        // A job that is gone or forbidden will not come back: stop. Anything else may be a blip.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) finish();
      }
    }, pollMs);
    return () => {
      stopped = true;
      stopPolling();
    };
  }, [jobId, pollMs, onRunningChange]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const accepted = await start.run(
      withoutEmpty({ count: optionalNumber(count), pattern: optionalText(pattern) }),
    );
    if (!accepted) return;
    setPollError(undefined);
    setJob(undefined);
    setJobId(accepted.jobId);
  }

  const running = !!jobId && (!job || !isFinished(job));
  const seconds = job && jobSeconds(job);

  return (
    <section className="card" aria-labelledby="generate-codes">
      <h3 id="generate-codes">Generate codes</h3>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field
            label="How many codes"
            type="number"
            min={1}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            error={errors.count}
            required
          />
          <Field
            label="Pattern"
            value={pattern}
            onChange={(e) => setPattern(e.target.value)}
            error={errors.pattern}
            placeholder={defaultPattern}
            hint={`Optional: the book's pattern (${defaultPattern}) when empty. # is one random character.`}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={start.pending || running}>
            {start.pending ? 'Starting…' : 'Start generation'}
          </button>
        </div>
      </form>
      <ErrorNotice error={start.error} title="The generation did not start." />
      {jobId && !job && !pollError && (
        <p className="muted">Job {jobId} queued; waiting for its first figures…</p>
      )}
      {job && (
        <div className="job-progress">
          <p>
            <span className={`badge badge-${job.status}`}>{job.status}</span>{' '}
            <span>
              {formatCount(job.generated)} of {formatCount(job.requested)} codes
            </span>{' '}
            · <span>{formatRate(job.codesPerSecond)}</span>
          </p>
          <ProgressBar label="Generation progress" value={job.generated} max={job.requested} />
          {job.status === 'COMPLETED' && (
            <p role="status" className="notice notice-ok">
              Done: {formatCount(job.generated)} codes in {seconds ?? '?'} s
            </p>
          )}
          {job.status === 'FAILED' && (
            <div role="alert" className="notice notice-error">
              <strong>The job failed.</strong> {job.error ?? 'The worker gave no reason.'}
            </div>
          )}
        </div>
      )}
      <ErrorNotice error={pollError} title="The job's progress could not be read." />
    </section>
  );
}
