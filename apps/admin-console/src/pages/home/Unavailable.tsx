import type { AdminStats } from '../../api/types';
import { unavailableMessage } from './stats';

/** Stands in for a part of the dashboard whose service did not answer; the other parts still show. */
export function Unavailable({ part }: { part: keyof AdminStats }) {
  return <p className="muted unavailable">{unavailableMessage(part)}</p>;
}
