import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  NotEquals,
} from 'class-validator';
import { Optional } from '../optional';
import { TOTAL_API } from '../pagination.dto';

/** Client business ids (purchaseId, redemptionId, transactionId): what an idempotent create is keyed by. */
export const BUSINESS_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const BUSINESS_ID_RULE = 'must be 1-64 characters of letters, digits, . _ : or -';

/** Who funds points: upper case, so `Dannon` and `DANNON` can never be two payers. */
export const PAYER_PATTERN = /^[A-Z0-9](?:[A-Z0-9 &'_-]{0,38}[A-Z0-9])?$/;
const PAYER_RULE =
  "must be 1-40 characters of A-Z, 0-9, space, & ' _ or -, starting and ending with A-Z or 0-9";

/** A non-negative decimal string; the ledger then checks precision and range for the currency. */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Points in any one request, either sign: far below 2^53, so sums stay exact in JSON numbers. */
export const MAX_POINTS_PER_REQUEST = 1_000_000_000;

/** An idempotent create's RPC answer: the gateway says 201 when `created`, 200 for a replay. */
export interface IdempotentReply<T> {
  created: boolean;
  body: T;
}

/** `POST /v1/purchases`: an API client with `purchases:write` reports a member's purchase. */
export class CreatePurchaseDto {
  @ApiProperty({
    example: 'order-2026-000123',
    pattern: BUSINESS_ID_PATTERN.source,
    description: 'Idempotency key, scoped to the API client',
  })
  @IsString()
  @Matches(BUSINESS_ID_PATTERN, { message: `purchaseId ${BUSINESS_ID_RULE}` })
  purchaseId!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The member who made the purchase; the points go to their group',
  })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;

  @ApiProperty({
    example: '12.50',
    description:
      'Decimal string, never a number: greater than 0, at most 999999999 before the point and at ' +
      "most the currency's minor-unit digits after it (2 for USD and EUR, 0 for JPY, 3 for BHD)",
  })
  @IsString()
  @MaxLength(24)
  @Matches(AMOUNT_PATTERN, { message: 'amount must be a decimal string like "12.50"' })
  amount!: string;

  @ApiPropertyOptional({ example: 'USD', description: 'ISO-4217; defaults to the service default (USD)' })
  @Optional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code of 3 upper-case letters' })
  currency?: string;

  @ApiPropertyOptional({ example: 'STORE', default: 'STORE', pattern: PAYER_PATTERN.source })
  @Optional()
  @IsString()
  @Matches(PAYER_PATTERN, { message: `payer ${PAYER_RULE}` })
  payer?: string;

  @ApiPropertyOptional({ example: 'store-042', minLength: 1, maxLength: 64 })
  @Optional()
  @IsString()
  @Length(1, 64)
  storeId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the purchase happened; orders its points for spending. Defaults to now.',
  })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO-8601 date-time' })
  occurredAt?: string;
}

export class PurchaseDto {
  @ApiProperty() purchaseId!: string;
  @ApiProperty() groupId!: string;
  @ApiProperty({ description: 'The member who made the purchase' }) userId!: string;
  @ApiProperty({ description: 'The API client that recorded it' }) clientId!: string;
  @ApiProperty({ example: '12.50', description: "Normalized to the currency's minor units" }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 'STORE' }) payer!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ description: "floor(amount × earn rate × the group's tier multiplier)" })
  pointsEarned!: number;
  @ApiProperty({
    example: '1.5',
    description: "The tier multiplier this purchase earned with (the group's tier before it)",
  })
  earnMultiplier!: string;
  @ApiProperty({
    enum: ['PENDING', 'AVAILABLE', 'EXPIRED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
    description:
      "Where the purchase's points stand: PENDING until `availableAt`, then AVAILABLE until " +
      '`expiresAt` (EXPIRED after it); PARTIALLY_REFUNDED or REFUNDED once refunds took points back. ' +
      'The create response says PENDING or AVAILABLE; lists say where it stands when read.',
  })
  status!: PurchaseStatus;
  @ApiProperty({
    format: 'date-time',
    description: "When the points can be spent: occurredAt + the policy's pendingDays",
  })
  availableAt!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: "When the points expire: occurredAt + the policy's expiryDays; null when they never do",
  })
  expiresAt!: string | null;
  @ApiProperty({ example: '0.00', description: 'What refunds have taken back so far, in the currency' })
  refundedAmount!: string;
  @ApiProperty({ description: "The group's available balance right after this purchase" }) balance!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const PURCHASE_STATUSES = [
  'PENDING',
  'AVAILABLE',
  'EXPIRED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export class PurchasePageDto {
  @ApiProperty({ type: [PurchaseDto] }) items!: PurchaseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ExpiringPointsDto {
  @ApiProperty({ example: 120 }) points!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class GroupTierDto {
  @ApiProperty({ example: 'Silver' }) name!: string;
  @ApiProperty({ example: '1.5', description: 'The multiplier purchases earn with now' })
  earnMultiplier!: string;
  @ApiProperty({ description: 'Points earned (EARN, less refunds) in the last qualifyingDays' })
  qualifyingPoints!: number;
  @ApiProperty({ type: String, nullable: true, example: 'Gold', description: 'null at the top tier' })
  nextTier!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Qualifying points still needed; null at the top tier',
  })
  pointsToNextTier!: number | null;
}

export class PointsDto {
  @ApiProperty() groupId!: string;
  @ApiProperty({ description: 'Available points: what can be spent now' }) balance!: number;
  @ApiProperty({ description: 'Points still waiting out the return window; never spendable until available' })
  pending!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { DANNON: 1000, UNILEVER: 0, 'MILLER COORS': 5300 },
    description: 'Available points per payer; a payer whose points are all spent stays at 0',
  })
  byPayer!: Record<string, number>;
  @ApiProperty({
    type: [ExpiringPointsDto],
    description: "Points that expire within the policy's expiryWarningDays, soonest first",
  })
  expiringSoon!: ExpiringPointsDto[];
  @ApiProperty({ type: GroupTierDto }) tier!: GroupTierDto;
}

/** `POST /v1/redemptions`: a member for their own group, or an API client naming the member. */
export class CreateRedemptionDto {
  @ApiProperty({ example: 'redeem-7f3a', pattern: BUSINESS_ID_PATTERN.source })
  @IsString()
  @Matches(BUSINESS_ID_PATTERN, { message: `redemptionId ${BUSINESS_ID_RULE}` })
  redemptionId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'API clients (redemptions:write) only, and required for them: the member whose points are spent',
  })
  @Optional()
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId?: string;

  @ApiProperty({ minimum: 1, maximum: MAX_POINTS_PER_REQUEST, example: 5000 })
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS_PER_REQUEST)
  points!: number;
}

export class SpentDto {
  @ApiProperty({ example: 'DANNON' }) payer!: string;
  @ApiProperty({ example: -100, description: 'Negative: points taken from this payer' }) points!: number;
}

export class RedemptionDto {
  @ApiProperty() redemptionId!: string;
  @ApiProperty() points!: number;
  @ApiProperty({ description: "The group's balance right after this redemption" }) balance!: number;
  @ApiProperty({ type: [SpentDto], description: 'Payers in the order their points were spent' })
  spent!: SpentDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const ENTRY_TYPES = ['EARN', 'REDEEM', 'ADJUST', 'EXPIRE', 'REFUND', 'REVERSAL'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export class LedgerEntryDto {
  @ApiProperty() entryId!: string;
  @ApiProperty({ enum: ENTRY_TYPES }) type!: EntryType;
  @ApiProperty({
    description:
      'Signed: negative for REDEEM, EXPIRE, REFUND and negative ADJUST. An EARN of pending points ' +
      'leaves balanceAfter unchanged: they count towards the balance once available.',
  })
  points!: number;
  @ApiProperty({
    description: 'A redemption spanning several payers is one entry per payer, same reference',
  })
  payer!: string;
  @ApiProperty({
    description:
      'The purchaseId, redemptionId or transactionId; for REFUND the refundId, for REVERSAL the ' +
      'redemptionId, for EXPIRE the purchaseId or transactionId whose points expired',
  })
  reference!: string;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "Why: an ADJUST's or a REVERSAL's reason; null for the other types",
  })
  reason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LedgerPageDto {
  @ApiProperty({ type: [LedgerEntryDto] }) items!: LedgerEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty(TOTAL_API) total!: number;
}

export class GroupParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'groupId must be a UUID' })
  groupId!: string;
}

export class CreatePayerTransactionDto {
  @ApiProperty({ example: 'dannon-feed-000981', pattern: BUSINESS_ID_PATTERN.source })
  @IsString()
  @Matches(BUSINESS_ID_PATTERN, { message: `transactionId ${BUSINESS_ID_RULE}` })
  transactionId!: string;

  @ApiProperty({ example: 'DANNON', pattern: PAYER_PATTERN.source })
  @IsString()
  @Matches(PAYER_PATTERN, { message: `payer ${PAYER_RULE}` })
  payer!: string;

  @ApiProperty({
    example: -200,
    minimum: -MAX_POINTS_PER_REQUEST,
    maximum: MAX_POINTS_PER_REQUEST,
    description: "Non-zero: positive adds a lot; negative takes that payer's oldest points",
  })
  @IsInt()
  @NotEquals(0, { message: 'points must not be 0' })
  @Min(-MAX_POINTS_PER_REQUEST)
  @Max(MAX_POINTS_PER_REQUEST)
  points!: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the payer transaction happened; orders the points for spending. Defaults to now.',
  })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true }, { message: 'timestamp must be an ISO-8601 date-time' })
  timestamp?: string;

  @ApiProperty({ example: 'Q4 co-marketing credit', minLength: 1, maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class PayerTransactionDto {
  @ApiProperty() transactionId!: string;
  @ApiProperty() groupId!: string;
  @ApiProperty() payer!: string;
  @ApiProperty() points!: number;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ description: "The group's balance right after this transaction" }) balance!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** `RPC.loyalty.pointsByDay`'s body: the admin stats' `days` (1-90, as StatsQueryDto), always given. */
export class PointsByDayRequestDto {
  @ApiProperty({ minimum: 1, maximum: 90, example: 30 })
  @IsInt({ message: 'days must be an integer from 1 to 90' })
  @Min(1, { message: 'days must be an integer from 1 to 90' })
  @Max(90, { message: 'days must be an integer from 1 to 90' })
  days!: number;
}
