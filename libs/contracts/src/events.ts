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

/** An admin enrolled a user (POST /v1/admin/users): the welcome mail is sent from this. */
export interface UserEnrolledV1 extends EventBase {
  userId: string;
  groupId: string;
}

/** An admin payer transaction (adjustment) changed a group's points: its members are mailed. */
export interface PointsAdjustedV1 extends EventBase {
  groupId: string;
  transactionId: string;
  payer: string;
  /** Signed: negative when points were taken away. */
  points: number;
  balance: number;
  reason: string;
}

/** One admin write, for the audit log. `eventId` becomes the entry's `auditId`. */
export interface AuditRecordedV1 extends EventBase {
  /** The admin's userId, taken from the verified token. */
  actorId: string;
  /** One of AUDIT_ACTIONS. */
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
  [EVENTS.userEnrolled]: UserEnrolledV1;
  [EVENTS.pointsAdjusted]: PointsAdjustedV1;
  [EVENTS.auditRecorded]: AuditRecordedV1;
  [EVENTS.couponGenerationRequested]: CouponGenerationRequestedV1;
}

export const EVENT_VERSIONS: Record<keyof EventPayloads, number> = {
  [EVENTS.userLoggedIn]: 1,
  [EVENTS.userEnrolled]: 1,
  [EVENTS.pointsAdjusted]: 1,
  [EVENTS.auditRecorded]: 1,
  [EVENTS.couponGenerationRequested]: 1,
};
