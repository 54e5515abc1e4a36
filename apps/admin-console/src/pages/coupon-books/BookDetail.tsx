import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, useResource } from '../../api/context';
import type { CouponBook, GenerationJob, Page } from '../../api/types';
import { Link } from '../../router';
import { ErrorNotice, Loading } from '../../ui/Status';
import { formatCount, formatDate } from '../campaigns/formValues';
import { GenerateCodes } from './GenerateCodes';
import { RecentJobs } from './RecentJobs';
import { isFinished } from './jobFigures';
import { UploadCodes } from './UploadCodes';

/** Live figures every 2 s while a job of this book runs; still otherwise. */
const LIVE_MS = 2000;

/** One book: its live stats, uploading and generating codes, and its recent jobs. */
export function BookDetail({ bookId, pollMs }: { bookId: string; pollMs?: number }) {
  const api = useApi();
  const [generating, setGenerating] = useState(false);
  const jobsPath = `/v1/admin/generation-jobs?couponBookId=${encodeURIComponent(bookId)}&limit=10`;
  // `live` comes from the jobs' last answer (a job started elsewhere counts too) and our own job.
  const [jobsLive, setJobsLive] = useState(false);
  const live = generating || jobsLive;
  // Reloaded when our job starts and ends (the key), polled while anything runs.
  const jobs = useResource(
    () => api.get<Page<GenerationJob>>(jobsPath),
    `${bookId}:${generating}`,
    live ? LIVE_MS : undefined,
  );
  const anyRunning = !!jobs.data?.items.some((j) => !isFinished(j));
  if (anyRunning !== jobsLive) setJobsLive(anyRunning);
  const book = useResource(
    () => api.get<CouponBook>(`/v1/admin/coupon-books/${encodeURIComponent(bookId)}`),
    bookId,
    live ? LIVE_MS : undefined,
  );
  const { reload: reloadBook } = book;
  const onRunningChange = useCallback(
    (running: boolean) => {
      setGenerating(running);
      if (!running) reloadBook();
    },
    [reloadBook],
  );

  // Opening a book (from the list or after creating it) moves keyboard focus to it.
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = !!book.data;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  if (book.loading && !book.data) return <Loading what="the coupon book" />;
  if (!book.data)
    return (
      <ErrorNotice error={book.error} onRetry={book.reload} title="The coupon book could not be loaded." />
    );
  const b = book.data;
  return (
    <section className="book-detail" aria-labelledby="book-name">
      <div className="toolbar">
        <h2 id="book-name" ref={heading} tabIndex={-1}>
          {b.name}
        </h2>
        <Link to="/coupon-books">Close</Link>
      </div>
      {b.description && <p>{b.description}</p>}
      <ErrorNotice error={book.error} onRetry={book.reload} title="The stats could not be refreshed." />
      <div className="figures" aria-live="polite">
        <div className="figure">
          <span className="value">{formatCount(b.stats.total)}</span>
          <span className="label">codes in the book</span>
        </div>
        <div className="figure">
          <span className="value">{formatCount(b.stats.assigned)}</span>
          <span className="label">assigned</span>
        </div>
        <div className="figure">
          <span className="value">{formatCount(b.stats.redeemed)}</span>
          <span className="label">redeemed</span>
        </div>
      </div>
      <p className="muted">
        {b.active ? 'Active' : 'Inactive'} · pattern <code>{b.codePattern}</code> · charset{' '}
        <code>{b.charset}</code>
        {' · '}
        {b.maxCodesPerUser ? `${b.maxCodesPerUser} codes per user` : 'no limit of codes per user'}
        {' · '}
        {b.maxRedemptionsPerUser
          ? `${b.maxRedemptionsPerUser} redemptions per user`
          : 'no limit of redemptions per user'}
        {' · '}
        {b.allowMultipleRedemptions ? 'a code may be redeemed more than once' : 'each code redeems once'}
        {' · '}
        from {formatDate(b.startsAt)} to {formatDate(b.endsAt)}
        {live && ' · live'}
      </p>
      <div className="split">
        <UploadCodes bookId={bookId} onUploaded={reloadBook} />
        <GenerateCodes
          bookId={bookId}
          defaultPattern={b.codePattern}
          onRunningChange={onRunningChange}
          pollMs={pollMs}
        />
      </div>
      <RecentJobs jobs={jobs} />
    </section>
  );
}
