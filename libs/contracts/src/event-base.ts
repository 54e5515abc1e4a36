import { IsISO8601, IsString, Length } from 'class-validator';

/**
 * Versioned event payloads, as classes so that every consumer checks what it receives against
 * the same rules (libs/messaging validates each delivery by its event name before a handler
 * runs; a payload that fails is dead-lettered at once). Every event carries `eventId` (consumers
 * dedupe by it) and `occurredAt`. A breaking change adds a new version type instead of changing
 * an old one; the version travels in the message header `x-event-version`.
 */
export class EventBase {
  @IsString()
  @Length(1, 200)
  eventId!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;
}
