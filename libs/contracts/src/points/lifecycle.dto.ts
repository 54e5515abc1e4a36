import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AMOUNT_PATTERN, BUSINESS_ID_PATTERN } from './points.dto';

const BUSINESS_ID_RULE = 'must be 1-64 characters of letters, digits, . _ : or -';

/** `POST /v1/purchases/{purchaseId}/refunds`: the path names the purchase (per API client). */
export class PurchaseParamsDto {
  @ApiProperty({ example: 'order-2026-000123', pattern: BUSINESS_ID_PATTERN.source })
  @IsString()
  @Matches(BUSINESS_ID_PATTERN, { message: `purchaseId ${BUSINESS_ID_RULE}` })
  purchaseId!: string;
}

export class CreateRefundDto {
  @ApiProperty({
    example: 'return-2026-000045',
    pattern: BUSINESS_ID_PATTERN.source,
    description: 'Idempotency key, scoped to the API client',
  })
  @IsString()
  @Matches(BUSINESS_ID_PATTERN, { message: `refundId ${BUSINESS_ID_RULE}` })
  refundId!: string;

  @ApiProperty({
    example: '4.00',
    description:
      "Decimal string in the purchase's currency, greater than 0; all of a purchase's refunds add up to at most its amount",
  })
  @IsString()
  @MaxLength(24)
  @Matches(AMOUNT_PATTERN, { message: 'amount must be a decimal string like "4.00"' })
  amount!: string;
}

export class RefundDto {
  @ApiProperty() refundId!: string;
  @ApiProperty() purchaseId!: string;
  @ApiProperty() groupId!: string;
  @ApiProperty({ example: '4.00' }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({
    description: 'Points taken back: the purchase’s own first, then the group’s oldest available',
  })
  pointsReversed!: number;
  @ApiProperty({ description: 'Points that could not be taken back: already spent or expired' })
  unrecovered!: number;
  @ApiProperty({ description: "The group's available balance right after the refund" }) balance!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** `POST /v1/redemptions/{redemptionId}/reversal`. */
export class RedemptionParamsDto {
  @ApiProperty({ example: 'redeem-7f3a', pattern: BUSINESS_ID_PATTERN.source })
  @IsString()
  @Matches(BUSINESS_ID_PATTERN, { message: `redemptionId ${BUSINESS_ID_RULE}` })
  redemptionId!: string;
}

export class CreateReversalDto {
  @ApiProperty({ example: 'Order cancelled at the till', minLength: 1, maxLength: 500 })
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the redemption is reversed' })
  @MaxLength(500)
  reason!: string;
}

export class ReversalDto {
  @ApiProperty() redemptionId!: string;
  @ApiProperty() groupId!: string;
  @ApiProperty({ description: 'Points given back to the lots they came from' }) pointsRestored!: number;
  @ApiProperty({
    description: 'Of pointsRestored, those whose lot had expired meanwhile: they expired again at once',
  })
  pointsExpired!: number;
  @ApiProperty({ description: "The group's available balance right after the reversal" }) balance!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/**
 * `PUT /v1/admin/points-policy`, and what GET answers: the same shape, so what GET gave can be sent
 * back changed. Cross-field rule (checked by the service): expiryDays is greater than pendingDays.
 */
export class PointsPolicyDto {
  @ApiProperty({
    minimum: 0,
    maximum: 365,
    example: 14,
    description: 'Days a purchase’s points wait before they can be spent',
  })
  @IsDefined({ message: 'pendingDays is required (0 for points available at once)' })
  @IsInt({ message: 'pendingDays must be a whole number of days from 0 to 365' })
  @Min(0, { message: 'pendingDays must be a whole number of days from 0 to 365' })
  @Max(365, { message: 'pendingDays must be a whole number of days from 0 to 365' })
  pendingDays!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 3650,
    example: 365,
    description: 'Days after which points expire, counted from the purchase or transaction; null: never',
  })
  @ValidateIf((_o, value) => value !== null)
  @IsDefined({
    message: 'expiryDays is required: a number of days from 1 to 3650, or null for points that never expire',
  })
  @IsInt({ message: 'expiryDays must be a whole number of days from 1 to 3650, or null' })
  @Min(1, { message: 'expiryDays must be a whole number of days from 1 to 3650, or null' })
  @Max(3650, { message: 'expiryDays must be a whole number of days from 1 to 3650, or null' })
  expiryDays!: number | null;

  @ApiProperty({ minimum: 1, maximum: 365, example: 30, description: 'How far ahead `expiringSoon` looks' })
  @IsDefined({ message: 'expiryWarningDays is required' })
  @IsInt({ message: 'expiryWarningDays must be a whole number of days from 1 to 365' })
  @Min(1, { message: 'expiryWarningDays must be a whole number of days from 1 to 365' })
  @Max(365, { message: 'expiryWarningDays must be a whole number of days from 1 to 365' })
  expiryWarningDays!: number;
}

/** An earn multiplier: "1" to "10", at most 2 decimals. */
export const EARN_MULTIPLIER_PATTERN = /^(?:10(?:\.0{1,2})?|[1-9](?:\.[0-9]{1,2})?)$/;

export class TierDto {
  @ApiProperty({ example: 'Silver', minLength: 1, maxLength: 40 })
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(40)
  name!: string;

  @ApiProperty({ minimum: 0, example: 1000, description: 'Qualifying points that reach this tier' })
  @IsInt({ message: 'minPoints must be a whole number of points, 0 or more' })
  @Min(0, { message: 'minPoints must be a whole number of points, 0 or more' })
  @Max(1_000_000_000_000)
  minPoints!: number;

  @ApiProperty({ example: '1.5', pattern: EARN_MULTIPLIER_PATTERN.source })
  @IsString()
  @Matches(EARN_MULTIPLIER_PATTERN, {
    message: 'earnMultiplier must be a decimal string from "1" to "10" with at most 2 decimals, like "1.5"',
  })
  earnMultiplier!: string;
}

/** `PUT /v1/admin/tiers`, and what GET answers. */
export class TiersDto {
  @ApiProperty({
    minimum: 1,
    maximum: 3650,
    example: 365,
    description: 'The rolling window of qualifying points',
  })
  @IsInt({ message: 'qualifyingDays must be a whole number of days from 1 to 3650' })
  @Min(1, { message: 'qualifyingDays must be a whole number of days from 1 to 3650' })
  @Max(3650, { message: 'qualifyingDays must be a whole number of days from 1 to 3650' })
  qualifyingDays!: number;

  @ApiProperty({
    type: [TierDto],
    description: 'Ordered by minPoints, strictly increasing, the first at 0; names unique; 1 to 20 tiers',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'tiers must list at least one tier (the first with minPoints 0)' })
  @ArrayMaxSize(20, { message: 'tiers may list at most 20 tiers' })
  @ValidateNested({ each: true })
  @Type(() => TierDto)
  tiers!: TierDto[];
}
