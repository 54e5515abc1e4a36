import type { WebhookEventChoice } from '../../api/types';
import { ALL_EVENTS } from './events';

/** The events an endpoint subscribes to: "All events", or each type. */
export function EventList({ events }: { events: readonly WebhookEventChoice[] }) {
  if (events.includes(ALL_EVENTS)) return <>All events</>;
  return (
    <ul className="scope-list">
      {events.map((type) => (
        <li key={type}>
          <code>{type}</code>
        </li>
      ))}
    </ul>
  );
}
