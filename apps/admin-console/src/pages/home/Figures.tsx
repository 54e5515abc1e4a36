import type { AdminStats } from '../../api/types';
import { formatCount, unavailableMessage } from './stats';

const FIGURES: Array<{
  /** The label after the figure, singular then plural: "1 Member", "2 Members". */
  label: [string, string];
  testId: string;
  part: keyof AdminStats;
  value: (stats: AdminStats) => number | null;
}> = [
  { label: ['Member', 'Members'], testId: 'stat-members', part: 'members', value: (s) => s.members },
  { label: ['Group', 'Groups'], testId: 'stat-groups', part: 'groups', value: (s) => s.groups },
  {
    label: ['Active campaign', 'Active campaigns'],
    testId: 'stat-active-campaigns',
    part: 'activeCampaigns',
    value: (s) => s.activeCampaigns?.length ?? null,
  },
  {
    label: ['Running job', 'Running jobs'],
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
            <span className="label">{figure === 1 ? label[0] : label[1]}</span>
          </div>
        );
      })}
    </section>
  );
}
