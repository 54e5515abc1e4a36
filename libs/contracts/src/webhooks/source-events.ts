import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { EventBase } from '../event-base';

/*
 * Events that exist for integrators (webhooks) more than for any consumer inside the platform. Each
 * is written to its service's outbox in the unit of work of the change it describes. Fields are
 * ids and facts, never personal data: a receiver that needs more asks the API.
 */

/** A self-service registration (POST /v1/auth/register); an admin's enrolment is `auth.user.enrolled`. */
export class UserRegisteredV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  userId!: string;

  @IsString()
  @Length(1, 200)
  groupId!: string;

  /** True when the user joined an existing group with an invite, false when they founded one. */
  @IsBoolean()
  joinedByInvite!: boolean;
}

/** One voucher of a `promotion.vouchers.issued` batch. */
export class IssuedVoucherV1 {
  @IsString()
  @Length(1, 200)
  voucherId!: string;

  @IsString()
  @Length(1, 200)
  campaignId!: string;

  @IsString()
  @Length(1, 200)
  userId!: string;

  @IsString()
  @Length(1, 200)
  groupId!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  discountPercent!: number;

  @IsISO8601({ strict: true })
  expiresAt!: string;
}

/**
 * First-login campaigns issued vouchers: one event per issuing transaction, listing its vouchers
 * (a burst of first logins issues hundreds per transaction; one event each would cost the outbox
 * and its relay as much as the issuing). The webhook dispatcher splits it into one `voucher.issued`
 * per voucher, whose webhook-id is `<eventId>.<voucherId>`.
 */
export class VouchersIssuedV1 extends EventBase {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => IssuedVoucherV1)
  vouchers!: IssuedVoucherV1[];
}

/** A voucher was redeemed against an order (by its member, or by a till for them). */
export class VoucherRedeemedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  voucherId!: string;

  @IsString()
  @Length(1, 200)
  campaignId!: string;

  @IsString()
  @Length(1, 200)
  userId!: string;

  @IsString()
  @Length(1, 200)
  orderId!: string;
}

/** A member was given a code of a coupon book. */
export class CouponAssignedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  couponBookId!: string;

  @IsString()
  @Length(1, 200)
  code!: string;

  @IsString()
  @Length(1, 200)
  userId!: string;
}

/** A member redeemed a coupon code (one entry in the book's redemption log). */
export class CouponRedeemedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  couponBookId!: string;

  @IsString()
  @Length(1, 200)
  code!: string;

  @IsString()
  @Length(1, 200)
  userId!: string;

  /** The redemption log entry. */
  @IsString()
  @Length(1, 200)
  transactionId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  orderId?: string | null;
}

/** A bulk code-generation job finished: COMPLETED, or FAILED with the reason. */
export class GenerationJobFinishedV1 extends EventBase {
  @IsString()
  @Length(1, 200)
  jobId!: string;

  @IsString()
  @Length(1, 200)
  couponBookId!: string;

  @IsIn(['COMPLETED', 'FAILED'])
  status!: 'COMPLETED' | 'FAILED';

  @IsInt()
  @Min(0)
  requested!: number;

  @IsInt()
  @Min(0)
  generated!: number;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  error?: string | null;
}
