import { query } from '../../ui/Pager';

/**
 * The Points page of a group. The Points page reads the group from `?groupId=` (pages/Points.tsx);
 * one place here, so a rename there is one change here.
 */
export function pointsPath(groupId: string): string {
  return `/points${query({ groupId })}`;
}
