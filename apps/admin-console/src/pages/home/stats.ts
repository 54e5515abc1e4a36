import type { AdminStats } from '../../api/types';
import { formatCount, formatDay, plural } from '../../ui/format';

export type PointsDay = NonNullable<AdminStats['pointsByDay']>[number];
export type ActiveCampaignStat = NonNullable<AdminStats['activeCampaigns']>[number];
export type RunningJobStat = NonNullable<AdminStats['runningJobs']>[number];

/** Which service answers each part of the stats (the gateway leaves a part null when it did not). */
export const SERVICE_OF: Record<keyof AdminStats, string> = {
  members: 'auth',
  groups: 'auth',
  pointsByDay: 'loyalty',
  activeCampaigns: 'promotion',
  runningJobs: 'promotion',
};

export function unavailableMessage(part: keyof AdminStats): string {
  return `Not available right now (the ${SERVICE_OF[part]} service did not answer)`;
}

// The API's days are UTC days (`2026-11-25`): formatDay prints a bare day as that day wherever
// the viewer is, so a viewer west of Greenwich does not see every bar labelled with the day before.

/** `2026-11-25` → `25 Nov`, for the chart's axis: formatDay's style without the year. */
export function axisDay(day: string): string {
  return formatDay(day).replace(/ \d{4}$/, '');
}

/** "6 Dec 2026: 1,200 earned, 300 redeemed": a day's bar as a screen reader and the focus line say it. */
export function describeDay(day: PointsDay): string {
  return `${formatDay(day.date)}: ${formatCount(day.earned)} earned, ${formatCount(day.redeemed)} redeemed`;
}

export { formatCount, formatDay, plural };

export type ChartDay = PointsDay & { label: string };
export type CampaignBar = ActiveCampaignStat & { limit: number };

/** The days oldest first, each with its short label for the axis. */
export function chartDays(days: PointsDay[]): ChartDay[] {
  return [...days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({ ...day, label: axisDay(day.date) }));
}

export function pointsTotals(days: PointsDay[]): { earned: number; redeemed: number } {
  return days.reduce(
    (sum, day) => ({ earned: sum.earned + day.earned, redeemed: sum.redeemed + day.redeemed }),
    { earned: 0, redeemed: 0 },
  );
}

/** Each campaign with its voucher limit (issued + remaining), the length of its stacked bar. */
export function campaignBars(campaigns: ActiveCampaignStat[]): CampaignBar[] {
  return campaigns.map((c) => ({ ...c, limit: c.issued + c.remaining }));
}
