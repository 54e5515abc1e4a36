import type { GenerationJob } from '../../api/types';
import type { Resource } from '../../api/context';
import { formatCount, formatDate } from '../../ui/format';
import type { Page } from '../../ui/Pager';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading } from '../../ui/Status';
import { formatRate } from './jobFigures';

/**
 * The jobs to show: the table's answer, with the job this page follows replaced by the progress
 * bar's reading of it (or added on top, before the table's next answer has it), so the two never
 * disagree.
 */
export function withFollowed(items: GenerationJob[], followed: GenerationJob | undefined): GenerationJob[] {
  if (!followed) return items;
  if (!items.some((j) => j.jobId === followed.jobId)) return [followed, ...items];
  return items.map((j) => (j.jobId === followed.jobId ? followed : j));
}

/** The book's latest generation jobs, newest first (loaded by the book's detail, which polls it). */
export function RecentJobs({
  jobs,
  followed,
  bookName,
}: {
  jobs: Resource<Page<GenerationJob>>;
  followed?: GenerationJob;
  bookName: string;
}) {
  const items = jobs.data ? withFollowed(jobs.data.items, followed) : [];
  return (
    <section className="card" aria-labelledby="recent-jobs">
      <h3 id="recent-jobs">Recent generation jobs</h3>
      {jobs.loading && !jobs.data && <Loading what="generation jobs" />}
      <ErrorNotice error={jobs.error} onRetry={jobs.reload} title="The jobs could not be loaded." />
      {jobs.data && items.length === 0 && <p className="muted">No generation jobs for this book yet.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Recent generation jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Status</th>
                <th className="num">Requested</th>
                <th className="num">Generated</th>
                <th className="num">Rate</th>
                <th>Started</th>
                <th>Finished</th>
              </tr>
            </thead>
            <tbody>
              {items.map((job) => (
                <tr key={job.jobId}>
                  <td data-label="Job">
                    {job.couponBookName || bookName}
                    <div>
                      <ShortId id={job.jobId} what="job id" />
                    </div>
                  </td>
                  <td data-label="Status">
                    <span className={`badge badge-${job.status}`}>{job.status}</span>
                    {job.error && <div className="negative">{job.error}</div>}
                  </td>
                  <td className="num" data-label="Requested">
                    {formatCount(job.requested)}
                  </td>
                  <td className="num" data-label="Generated">
                    {formatCount(job.generated)}
                  </td>
                  <td className="num" data-label="Rate">
                    {formatRate(job.codesPerSecond)}
                  </td>
                  <td data-label="Started">{formatDate(job.startedAt)}</td>
                  <td data-label="Finished">{formatDate(job.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
