import { Link } from '../../router';
import { ProgressBar } from '../../ui/ProgressBar';
import { ShortId } from '../../ui/ShortId';
import type { RunningJobStat } from './stats';
import { formatCount, plural } from './stats';
import { Unavailable } from './Unavailable';

const STATUS_WORDS: Record<RunningJobStat['status'], string> = {
  QUEUED: 'waiting for a worker',
  RUNNING: 'generating',
};

/** Code generation in progress, each job named by its book, with its bar and a way to the book. */
export function RunningJobs({ jobs }: { jobs: RunningJobStat[] | null }) {
  return (
    <section className="card" aria-labelledby="running-jobs">
      <h2 id="running-jobs">Running generation jobs</h2>
      {jobs === null ? (
        <Unavailable part="runningJobs" />
      ) : jobs.length === 0 ? (
        <p className="muted">No generation job is running.</p>
      ) : (
        <ul className="job-list">
          {jobs.map((job) => (
            <li key={job.jobId}>
              <p className="job-book">
                <Link to={`/coupon-books?bookId=${encodeURIComponent(job.couponBookId)}`}>
                  {job.couponBookName}
                </Link>{' '}
                <span className="muted">({STATUS_WORDS[job.status] ?? job.status.toLowerCase()})</span>
              </p>
              <ProgressBar
                label={`Codes for ${job.couponBookName}`}
                value={job.generated}
                max={job.requested}
              />
              <span>
                {formatCount(job.generated)} of {plural(job.requested, 'code')}
              </span>
              <span className="muted">
                {' · Job '}
                <ShortId id={job.jobId} what="job id" />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
