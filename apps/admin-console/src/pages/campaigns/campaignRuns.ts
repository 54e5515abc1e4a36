import type { Campaign } from '../../api/types';
import { formatDate, formatRange } from '../../ui/format';

/**
 * When a campaign runs, in words. An ended campaign says "Ended" whatever its planned end was
 * (never "open-ended"), with when it had run as the detail.
 */
export function campaignRuns(c: Pick<Campaign, 'status' | 'startsAt' | 'endsAt'>): {
  main: string;
  detail?: string;
} {
  if (c.status === 'ENDED')
    return {
      main: 'Ended',
      detail: c.endsAt ? formatRange(c.startsAt, c.endsAt) : `Started ${formatDate(c.startsAt)}`,
    };
  return { main: formatRange(c.startsAt, c.endsAt) };
}
