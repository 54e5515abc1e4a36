import type { AdminStats } from '../../api/types';

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

// The API's days are UTC days (`2026-11-25`): read and print them in UTC so that a viewer west of
// Greenwich does not see every bar labelled with the day before.
function utcDay(day: string): Date | undefined {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `2026-11-25` → `Nov 25`, for the chart's axis. */
export function shortDate(day: string): string {
  const date = utcDay(day);
  return date ? date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }) : day;
}

/** `2026-11-25` → `Wed, Nov 25, 2026`, for the table read instead of the chart. */
export function longDate(day: string): string {
  const date = utcDay(day);
  return date
    ? date.toLocaleDateString('en-US', {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        timeZone: 'UTC',
      })
    : day;
}

export { formatCount } from '../../ui/format';

export type ChartDay = PointsDay & { label: string };
export type CampaignBar = ActiveCampaignStat & { limit: number };

/** The days oldest first, each with its short label for the axis. */
export function chartDays(days: PointsDay[]): ChartDay[] {
  return [...days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({ ...day, label: shortDate(day.date) }));
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

/** The first 8 characters of a uuid: enough to tell jobs apart on one screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
