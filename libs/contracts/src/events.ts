import { IsBoolean, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Min } from 'class-validator';
import { EVENTS } from './patterns';

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

export class UserLoggedInV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  userId!: string;

  @IsString()
  @Length(1, 200)
  groupId!: string;

  @IsBoolean()
  firstLogin!: boolean;

  /**
   * When the account was created (campaign eligibility). Added later: events from before it lack
   * it, and count as not eligible for a campaign that asks for accounts registered before a time.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  registeredAt?: string;
}

/** An admin enrolled a user (POST /v1/admin/users): the welcome mail is sent from this. */
export class UserEnrolledV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  userId!: string;

  @IsString()
  @Length(1, 200)
  groupId!: string;
}

/**
 * Every access token issued to `principalId` (a userId or a clientId) before `validAfter` is
 * refused from now on. Every verifier (the gateway and each service) hears it at once through its
 * own broadcast queue, and also re-reads the full list from auth now and then (TokenRevocations).
 */
export class PrincipalRevokedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  principalId!: string;

  /** ISO-8601 with milliseconds: tokens whose `iat` (in ms) is before it are refused. */
  @IsISO8601({ strict: true })
  validAfter!: string;
}

/** An admin payer transaction (adjustment) changed a group's points: its members are mailed. */
export class PointsAdjustedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  groupId!: string;

  @IsString()
  @Length(1, 200)
  transactionId!: string;

  @IsString()
  @Length(1, 200)
  payer!: string;

  /** Signed: negative when points were taken away. */
  @IsInt()
  points!: number;

  @IsInt()
  @Min(0)
  balance!: number;

  @IsString()
  reason!: string;
}

/** One admin write, for the audit log. `eventId` becomes the entry's `auditId`. */
export class AuditRecordedV1 extends EventBase {
  /** The admin's userId, taken from the verified token. */
  @IsString()
  @Length(1, 200)
  actorId!: string;

  /** One of AUDIT_ACTIONS. */
  @IsString()
  @Length(1, 200)
  action!: string;

  @IsString()
  @Length(1, 500)
  target!: string;

  @IsOptional()
  @IsObject()
  details!: Record<string, unknown>;
}

export class CouponGenerationRequestedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  jobId!: string;

  @IsString()
  @Length(1, 200)
  couponBookId!: string;

  @IsInt()
  @Min(1)
  count!: number;

  @IsString()
  pattern!: string;

  @IsString()
  charset!: string;
}

export interface EventPayloads {
  [EVENTS.userLoggedIn]: UserLoggedInV1;
  [EVENTS.userEnrolled]: UserEnrolledV1;
  [EVENTS.principalRevoked]: PrincipalRevokedV1;
  [EVENTS.pointsAdjusted]: PointsAdjustedV1;
  [EVENTS.auditRecorded]: AuditRecordedV1;
  [EVENTS.couponGenerationRequested]: CouponGenerationRequestedV1;
}

/** The class each event's payload is validated against, by event name. */
export const EVENT_PAYLOADS: { [N in keyof EventPayloads]: new () => EventPayloads[N] } = {
  [EVENTS.userLoggedIn]: UserLoggedInV1,
  [EVENTS.userEnrolled]: UserEnrolledV1,
  [EVENTS.principalRevoked]: PrincipalRevokedV1,
  [EVENTS.pointsAdjusted]: PointsAdjustedV1,
  [EVENTS.auditRecorded]: AuditRecordedV1,
  [EVENTS.couponGenerationRequested]: CouponGenerationRequestedV1,
};

export const EVENT_VERSIONS: Record<keyof EventPayloads, number> = {
  [EVENTS.userLoggedIn]: 1,
  [EVENTS.userEnrolled]: 1,
  [EVENTS.principalRevoked]: 1,
  [EVENTS.pointsAdjusted]: 1,
  [EVENTS.auditRecorded]: 1,
  [EVENTS.couponGenerationRequested]: 1,
};
