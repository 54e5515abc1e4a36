import type { AdminStats } from '../../api/types';
import { formatCount, unavailableMessage } from './stats';

const FIGURES: Array<{
  label: string;
  testId: string;
  part: keyof AdminStats;
  value: (stats: AdminStats) => number | null;
}> = [
  { label: 'Members', testId: 'stat-members', part: 'members', value: (s) => s.members },
  { label: 'Groups', testId: 'stat-groups', part: 'groups', value: (s) => s.groups },
  {
    label: 'Active campaigns',
    testId: 'stat-active-campaigns',
    part: 'activeCampaigns',
    value: (s) => s.activeCampaigns?.length ?? null,
  },
  {
    label: 'Running jobs',
    testId: 'stat-running-jobs',
    part: 'runningJobs',
    value: (s) => s.runningJobs?.length ?? null,
  },
];

/** The headline counts; one whose service did not answer says so in its place. */
export function Figures({ stats }: { stats: AdminStats }) {
  return (
    <section className="figures" aria-label="Figures">
      {FIGURES.map(({ label, testId, part, value }) => {
        const figure = value(stats);
        return (
          <div className="figure" key={testId}>
            {figure === null ? (
              <span className="unavailable" data-testid={testId}>
                {unavailableMessage(part)}
              </span>
            ) : (
              <span className="value" data-testid={testId}>
                {formatCount(figure)}
              </span>
            )}
            <span className="label">{label}</span>
          </div>
        );
      })}
    </section>
  );
}
