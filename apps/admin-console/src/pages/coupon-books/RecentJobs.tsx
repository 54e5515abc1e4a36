import type { GenerationJob, Page } from '../../api/types';
import type { Resource } from '../../api/context';
import { ErrorNotice, Loading } from '../../ui/Status';
import { formatCount, formatDate } from '../campaigns/formValues';
import { formatRate } from './jobFigures';

/** The book's latest generation jobs, newest first (loaded by the book's detail, which polls it). */
export function RecentJobs({ jobs }: { jobs: Resource<Page<GenerationJob>> }) {
  return (
    <section className="card" aria-labelledby="recent-jobs">
      <h3 id="recent-jobs">Recent generation jobs</h3>
      {jobs.loading && !jobs.data && <Loading what="generation jobs" />}
      <ErrorNotice error={jobs.error} onRetry={jobs.reload} title="The jobs could not be loaded." />
      {jobs.data && jobs.data.items.length === 0 && (
        <p className="muted">No generation jobs for this book yet.</p>
      )}
      {jobs.data && jobs.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Recent generation jobs">
            <thead>
              <tr>
                <th>Status</th>
                <th className="num">Requested</th>
                <th className="num">Generated</th>
                <th className="num">Rate</th>
                <th>Started</th>
                <th>Finished</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((job) => (
                <tr key={job.jobId}>
                  <td>
                    <span className={`badge badge-${job.status}`}>{job.status}</span>
                    {job.error && <div className="negative">{job.error}</div>}
                  </td>
                  <td className="num">{formatCount(job.requested)}</td>
                  <td className="num">{formatCount(job.generated)}</td>
                  <td className="num">{formatRate(job.codesPerSecond)}</td>
                  <td>{formatDate(job.startedAt)}</td>
                  <td>{formatDate(job.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
