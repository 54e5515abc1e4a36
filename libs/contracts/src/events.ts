import { EVENTS } from './patterns';

/**
 * Versioned event payloads. Every event carries `eventId` (consumers dedupe by it) and
 * `occurredAt`. A breaking change adds a new version type instead of changing an old one; the
 * version travels in the message header `x-event-version`.
 */
export interface EventBase {
  eventId: string;
  occurredAt: string;
}

export interface UserLoggedInV1 extends EventBase {
  userId: string;
  groupId: string;
  firstLogin: boolean;
}

export interface AuditRecordedV1 extends EventBase {
  actorId: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface CouponGenerationRequestedV1 extends EventBase {
  jobId: string;
  couponBookId: string;
  count: number;
  pattern: string;
  charset: string;
}

export interface EventPayloads {
  [EVENTS.userLoggedIn]: UserLoggedInV1;
  [EVENTS.auditRecorded]: AuditRecordedV1;
  [EVENTS.couponGenerationRequested]: CouponGenerationRequestedV1;
}

export const EVENT_VERSIONS: Record<keyof EventPayloads, number> = {
  [EVENTS.userLoggedIn]: 1,
  [EVENTS.auditRecorded]: 1,
  [EVENTS.couponGenerationRequested]: 1,
};
