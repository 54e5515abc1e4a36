import { useApi, useResource } from '../api/context';
import type { AdminStats } from '../api/types';
import { ErrorNotice, Loading } from '../ui/Status';
import { CampaignsChart } from './home/CampaignsChart';
import { Figures } from './home/Figures';
import { PointsChart } from './home/PointsChart';
import { RunningJobs } from './home/RunningJobs';
import './home/home.css';

const REFRESH_MS = 5000;

/** The live dashboard: headline figures, points per day, active campaigns and running jobs. */
export function HomePage() {
  const api = useApi();
  // Polled every 5 s while the tab is visible, one request at a time; useResource keeps the last
  // figures on screen while it reloads.
  const stats = useResource(() => api.get<AdminStats>('/v1/admin/stats?days=30'), 'stats', REFRESH_MS);
  const { data } = stats;
  return (
    <>
      {stats.loading && !data && <Loading what="the dashboard" />}
      <ErrorNotice
        error={stats.error}
        onRetry={stats.reload}
        title={
          data
            ? 'The figures could not be refreshed; these are the last ones.'
            : 'The dashboard could not be loaded.'
        }
      />
      {data && (
        <>
          <p className="muted">Updated every {REFRESH_MS / 1000} seconds.</p>
          <Figures stats={data} />
          <PointsChart days={data.pointsByDay} />
          <div className="grid">
            <CampaignsChart campaigns={data.activeCampaigns} />
            <RunningJobs jobs={data.runningJobs} />
          </div>
        </>
      )}
    </>
  );
}
