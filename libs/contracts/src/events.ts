import { IsBoolean, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Min } from 'class-validator';
import { EventBase } from './event-base';
import { EVENTS } from './patterns';
import {
  LoyaltySettingsChangedV1,
  PointsExpiredV1,
  PointsRedeemedV1,
  PointsReversedV1,
  PurchaseRecordedV1,
  PurchaseRefundedV1,
  TierChangedV1,
} from './points/points.events';
import {
  CouponAssignedV1,
  CouponRedeemedV1,
  GenerationJobFinishedV1,
  UserRegisteredV1,
  VouchersIssuedV1,
  VoucherRedeemedV1,
} from './webhooks/source-events';

export { EventBase } from './event-base';

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
  [EVENTS.loyaltySettingsChanged]: LoyaltySettingsChangedV1;
  [EVENTS.tierChanged]: TierChangedV1;
  [EVENTS.pointsExpired]: PointsExpiredV1;
  [EVENTS.pointsReversed]: PointsReversedV1;
  [EVENTS.pointsRedeemed]: PointsRedeemedV1;
  [EVENTS.purchaseRefunded]: PurchaseRefundedV1;
  [EVENTS.purchaseRecorded]: PurchaseRecordedV1;
  [EVENTS.auditRecorded]: AuditRecordedV1;
  [EVENTS.couponGenerationRequested]: CouponGenerationRequestedV1;
  [EVENTS.userRegistered]: UserRegisteredV1;
  [EVENTS.vouchersIssued]: VouchersIssuedV1;
  [EVENTS.voucherRedeemed]: VoucherRedeemedV1;
  [EVENTS.couponAssigned]: CouponAssignedV1;
  [EVENTS.couponRedeemed]: CouponRedeemedV1;
  [EVENTS.generationJobCompleted]: GenerationJobFinishedV1;
  [EVENTS.generationJobFailed]: GenerationJobFinishedV1;
}

/** The class each event's payload is validated against, by event name. */
export const EVENT_PAYLOADS: { [N in keyof EventPayloads]: new () => EventPayloads[N] } = {
  [EVENTS.userLoggedIn]: UserLoggedInV1,
  [EVENTS.userEnrolled]: UserEnrolledV1,
  [EVENTS.principalRevoked]: PrincipalRevokedV1,
  [EVENTS.pointsAdjusted]: PointsAdjustedV1,
  [EVENTS.loyaltySettingsChanged]: LoyaltySettingsChangedV1,
  [EVENTS.tierChanged]: TierChangedV1,
  [EVENTS.pointsExpired]: PointsExpiredV1,
  [EVENTS.pointsReversed]: PointsReversedV1,
  [EVENTS.pointsRedeemed]: PointsRedeemedV1,
  [EVENTS.purchaseRefunded]: PurchaseRefundedV1,
  [EVENTS.purchaseRecorded]: PurchaseRecordedV1,
  [EVENTS.auditRecorded]: AuditRecordedV1,
  [EVENTS.couponGenerationRequested]: CouponGenerationRequestedV1,
  [EVENTS.userRegistered]: UserRegisteredV1,
  [EVENTS.vouchersIssued]: VouchersIssuedV1,
  [EVENTS.voucherRedeemed]: VoucherRedeemedV1,
  [EVENTS.couponAssigned]: CouponAssignedV1,
  [EVENTS.couponRedeemed]: CouponRedeemedV1,
  [EVENTS.generationJobCompleted]: GenerationJobFinishedV1,
  [EVENTS.generationJobFailed]: GenerationJobFinishedV1,
};

export const EVENT_VERSIONS: Record<keyof EventPayloads, number> = {
  [EVENTS.userLoggedIn]: 1,
  [EVENTS.userEnrolled]: 1,
  [EVENTS.principalRevoked]: 1,
  [EVENTS.pointsAdjusted]: 1,
  [EVENTS.loyaltySettingsChanged]: 1,
  [EVENTS.tierChanged]: 1,
  [EVENTS.pointsExpired]: 1,
  [EVENTS.pointsReversed]: 1,
  [EVENTS.pointsRedeemed]: 1,
  [EVENTS.purchaseRefunded]: 1,
  [EVENTS.purchaseRecorded]: 1,
  [EVENTS.auditRecorded]: 1,
  [EVENTS.couponGenerationRequested]: 1,
  [EVENTS.userRegistered]: 1,
  [EVENTS.vouchersIssued]: 1,
  [EVENTS.voucherRedeemed]: 1,
  [EVENTS.couponAssigned]: 1,
  [EVENTS.couponRedeemed]: 1,
  [EVENTS.generationJobCompleted]: 1,
  [EVENTS.generationJobFailed]: 1,
};
