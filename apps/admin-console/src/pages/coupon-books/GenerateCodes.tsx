import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { startPolling } from '../../api/polling';
import { ApiError } from '../../api/problem';
import type { GenerationJob } from '../../api/types';
import { Field } from '../../ui/Field';
import { ProgressBar } from '../../ui/ProgressBar';
import { plural } from '../../ui/format';
import { useFocusOnResult } from '../../ui/focus';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice } from '../../ui/Status';
import { formatCount, optionalNumber, optionalText, withoutEmpty } from '../campaigns/formValues';
import { formatRate, isFinished, jobSeconds } from './jobFigures';

const COUNT_PROBLEM = 'Enter how many codes to generate: a whole number, at least 1.';

/**
 * Starts a generation job (202) and follows it every `pollMs` (while the tab is visible) until it
 * completes or fails.
 * `onRunningChange` lets the book's stats go live meanwhile.
 */
export function GenerateCodes({
  bookId,
  defaultPattern,
  onRunningChange,
  onJob,
  pollMs = 500,
}: {
  bookId: string;
  defaultPattern: string;
  onRunningChange: (running: boolean) => void;
  /** Each reading of the job, for the jobs table to show the same figures as the progress bar. */
  onJob?: (job: GenerationJob) => void;
  pollMs?: number;
}) {
  const api = useApi();
  // useApi() is a new object each render: the polling effect reads it through a ref, so a
  // re-render (every poll sets state) does not restart the polling.
  const apiRef = useRef(api);
  apiRef.current = api;
  const onJobRef = useRef(onJob);
  onJobRef.current = onJob;
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
  const [countProblem, setCountProblem] = useState<string>();
  const [refusedAt, setRefusedAt] = useState<object>();
  const errors: Record<string, string> = {
    ...(start.error instanceof ApiError ? start.error.byField() : {}),
    ...(countProblem ? { count: countProblem } : {}),
  };

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
        onJobRef.current?.(latest);
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
    start.setError(undefined);
    const problem = /^\d+$/.test(count.trim()) && Number(count) >= 1 ? undefined : COUNT_PROBLEM;
    setCountProblem(problem);
    setRefusedAt(undefined);
    if (problem) {
      setRefusedAt({}); // focus goes to the field even when the same problem repeats
      return;
    }
    const accepted = await start.run(
      withoutEmpty({ count: optionalNumber(count), pattern: optionalText(pattern) }),
    );
    if (!accepted) return;
    setPollError(undefined);
    setJob(undefined);
    setJobId(accepted.jobId);
  }

  const running = !!jobId && (!job || !isFinished(job));
  // After a refusal the keyboard goes to the field or the message; after a start, to the job's
  // status (the button it was on is disabled while the job runs). Not when the job ends: the
  // admin may be typing elsewhere by then.
  const card = useFocusOnResult<HTMLElement>(start.error ?? refusedAt ?? jobId);
  const seconds = job && jobSeconds(job);

  return (
    <section className="card" aria-labelledby="generate-codes" ref={card}>
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
            hint="A whole number, at least 1"
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
      <ErrorNotice
        error={start.error}
        title="The generation did not start."
        besideFields={['count', 'pattern']}
      />
      {jobId && (
        <div className="job-progress">
          {/* One status line from queued to done: focus lands on it after a start and stays. */}
          <p role="status" className={job ? undefined : 'muted'}>
            {job ? (
              <>
                <span className={`badge badge-${job.status}`}>{job.status}</span>{' '}
                <span>
                  {formatCount(job.generated)} of {plural(job.requested, 'code')}
                </span>{' '}
                · <span>{formatRate(job.codesPerSecond)}</span>
              </>
            ) : (
              <>
                Job <ShortId id={jobId} what="job id" /> queued; waiting for its first figures…
              </>
            )}
          </p>
          {job && <ProgressBar label="Generation progress" value={job.generated} max={job.requested} />}
          {job?.status === 'COMPLETED' && (
            <p role="status" className="notice notice-ok">
              Done: {plural(job.generated, 'code')} in {seconds ?? '?'} s
            </p>
          )}
          {job?.status === 'FAILED' && (
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
