import { Link } from '../../router';
import { ProgressBar } from '../../ui/ProgressBar';
import type { RunningJobStat } from './stats';
import { formatCount, shortId } from './stats';
import { Unavailable } from './Unavailable';

/** Code generation in progress, each job with its bar and a way to its coupon book. */
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
              <ProgressBar label={`Job ${shortId(job.jobId)}`} value={job.generated} max={job.requested} />
              <span>
                {formatCount(job.generated)} of {formatCount(job.requested)} codes
              </span>
              {' · '}
              <Link to={`/coupon-books?bookId=${encodeURIComponent(job.couponBookId)}`}>
                Coupon book {shortId(job.couponBookId)}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
