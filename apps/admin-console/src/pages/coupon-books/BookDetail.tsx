import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, useResource } from '../../api/context';
import type { Resource } from '../../api/context';
import type { CouponBook, GenerationJob } from '../../api/types';
import { formatCount, formatRange, plural } from '../../ui/format';
import type { Page } from '../../ui/Pager';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading } from '../../ui/Status';
import { STATUS_BADGE, STATUS_WORD } from './bookStatus';
import { BookStatusControl } from './BookStatusControl';
import { ExportCodes } from './ExportCodes';
import { GenerateCodes } from './GenerateCodes';
import { isFinished } from './jobFigures';
import { RecentJobs } from './RecentJobs';
import { UploadCodes } from './UploadCodes';
import { LIVE_MS, useLiveBook } from './useLiveBook';

/** "1 code per user", "no limit of codes per user". */
function perUser(limit: number | null, one: string): string {
  return limit ? `${plural(limit, one)} per user` : `no limit of ${one}s per user`;
}

/**
 * One book: its live stats, status, export, uploading and generating codes, and its recent jobs.
 * `book` is the page's live answer for it (shared with the list's row; the page polls it while
 * `onLiveChange` says a job runs); without it, the detail loads the book itself.
 */
export function BookDetail({
  bookId,
  pollMs,
  book: shared,
  onLiveChange,
  onClose,
}: {
  bookId: string;
  pollMs?: number;
  book?: Resource<CouponBook | undefined>;
  onLiveChange?: (live: boolean) => void;
  onClose?: () => void;
}) {
  const api = useApi();
  const [generating, setGenerating] = useState(false);
  // The job this page started, as its progress bar last read it: its row in the jobs table shows
  // the same figures (one source), not the table's own, older answer.
  const [followed, setFollowed] = useState<GenerationJob>();
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
  const own = useLiveBook(shared ? undefined : bookId, live);
  const book = shared ?? own;
  useEffect(() => onLiveChange?.(live), [live, onLiveChange]);
  const { reload: reloadBook } = book;
  const onRunningChange = useCallback(
    (running: boolean) => {
      setGenerating(running);
      if (!running) reloadBook();
    },
    [reloadBook],
  );

  // Opening a book (from the list or after creating it) moves keyboard focus and the view to it.
  const heading = useRef<HTMLHeadingElement>(null);
  // The page's resource may still hold the book opened before this one, until its answer comes.
  const b = book.data?.couponBookId === bookId ? book.data : undefined;
  const loaded = !!b;
  useEffect(() => {
    if (!loaded) return;
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: 'start' });
  }, [loaded]);

  if (!b && (book.loading || !book.error)) return <Loading what="the coupon book" />;
  if (!b)
    return (
      <ErrorNotice error={book.error} onRetry={book.reload} title="The coupon book could not be loaded." />
    );
  const status = b.status;
  return (
    <section className="book-detail" aria-labelledby="book-name">
      <div className="toolbar">
        <h2 id="book-name" ref={heading} tabIndex={-1}>
          {b.name}
        </h2>
        <span className={STATUS_BADGE[status]}>{STATUS_WORD[status]}</span>
        <ShortId id={b.couponBookId} what="coupon book id" />
        {onClose && (
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        )}
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
        Pattern <code>{b.codePattern}</code> · charset <code>{b.charset}</code>
        {' · '}
        {perUser(b.maxCodesPerUser, 'code')}
        {' · '}
        {perUser(b.maxRedemptionsPerUser, 'redemption')}
        {' · '}
        {b.allowMultipleRedemptions ? 'a code may be redeemed more than once' : 'each code redeems once'}
        {' · '}
        {formatRange(b.startsAt, b.endsAt)}
        {live && ' · live'}
      </p>
      <BookStatusControl book={b} onChanged={() => book.reload()} />
      <div className="split">
        <UploadCodes bookId={bookId} onUploaded={reloadBook} />
        <GenerateCodes
          bookId={bookId}
          defaultPattern={b.codePattern}
          onRunningChange={onRunningChange}
          onJob={setFollowed}
          pollMs={pollMs}
        />
      </div>
      <ExportCodes book={b} />
      <RecentJobs jobs={jobs} followed={followed} bookName={b.name} />
    </section>
  );
}
