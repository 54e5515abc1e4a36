import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EventBase } from '../event-base';

/**
 * The ledger's domain events, written to the loyalty outbox in the same transaction as the change
 * they describe (the webhook dispatcher delivers them to integrators). Each names its ids, the
 * group, the points, and `occurredAt`: when the change was recorded.
 */
class GroupEvent extends EventBase {
  @IsString()
  @Length(1, 200)
  groupId!: string;
}

/** A purchase earned points (or none, when too small): `loyalty.purchase.recorded`. */
export class PurchaseRecordedV1 extends GroupEvent {
  @IsString() @Length(1, 200) purchaseId!: string;
  @IsString() @Length(1, 200) userId!: string;
  @IsString() @Length(1, 200) clientId!: string;
  @IsString() amount!: string;
  @IsString() currency!: string;
  @IsString() payer!: string;
  @IsInt() @Min(0) points!: number;
  @IsIn(['PENDING', 'AVAILABLE']) status!: string;
  /** When the purchase happened (its points are ordered by it). */
  @IsISO8601({ strict: true }) purchasedAt!: string;
  @IsISO8601({ strict: true }) availableAt!: string;
  @ValidateIf((_o, v) => v !== null) @IsISO8601({ strict: true }) expiresAt!: string | null;
  @IsInt() @Min(0) balance!: number;
}

/** A refund took a purchase's points back: `loyalty.purchase.refunded`. */
export class PurchaseRefundedV1 extends GroupEvent {
  @IsString() @Length(1, 200) purchaseId!: string;
  @IsString() @Length(1, 200) refundId!: string;
  @IsString() @Length(1, 200) clientId!: string;
  @IsString() amount!: string;
  @IsString() currency!: string;
  @IsInt() @Min(0) pointsReversed!: number;
  @IsInt() @Min(0) unrecovered!: number;
  @IsInt() @Min(0) balance!: number;
}

export class PayerPointsV1 {
  @IsString() payer!: string;
  /** Signed as in the API: negative when taken. */
  @IsInt() points!: number;
}

/** A redemption spent points: `loyalty.points.redeemed`. */
export class PointsRedeemedV1 extends GroupEvent {
  @IsString() @Length(1, 200) redemptionId!: string;
  /** Who redeemed: a member, an admin or an API client. */
  @IsString() @Length(1, 200) actorId!: string;
  @IsInt() @Min(1) points!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PayerPointsV1) spent!: PayerPointsV1[];
  @IsInt() @Min(0) balance!: number;
}

/** A redemption was reversed: its points went back to their lots, `loyalty.points.reversed`. */
export class PointsReversedV1 extends GroupEvent {
  @IsString() @Length(1, 200) redemptionId!: string;
  @IsString() @Length(1, 200) actorId!: string;
  @IsInt() @Min(0) pointsRestored!: number;
  @IsInt() @Min(0) pointsExpired!: number;
  @IsInt() @Min(0) balance!: number;
  @IsString() reason!: string;
}

/** A lot's points expired (one event per lot, idempotent by lot): `loyalty.points.expired`. */
export class PointsExpiredV1 extends GroupEvent {
  @IsString() @Length(1, 200) lotId!: string;
  /** The purchaseId or transactionId that earned them. */
  @IsString() @Length(1, 200) reference!: string;
  @IsString() payer!: string;
  @IsInt() @Min(1) points!: number;
  @IsISO8601({ strict: true }) expiresAt!: string;
  @IsInt() @Min(0) balance!: number;
}

/** A group reached a tier or dropped out of one: `loyalty.tier.changed`. */
export class TierChangedV1 extends GroupEvent {
  @IsString() from!: string;
  @IsString() to!: string;
  @IsInt() qualifyingPoints!: number;
  @IsIn(['UP', 'DOWN']) direction!: string;
}

/** The points policy or the tiers changed (each replica re-reads both). */
export class LoyaltySettingsChangedV1 extends EventBase {
  @IsOptional() @IsString() what?: string;
}
