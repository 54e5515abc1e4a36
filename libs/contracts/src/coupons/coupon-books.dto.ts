import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Optional } from '../optional';
import { PageQueryDto } from '../pagination.dto';

/** Codes travel in URL paths: letters, digits, `-` and `_`, 1-64 characters. */
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CODE_RULE = 'must be 1-64 letters, digits, - or _';
export const MAX_UPLOAD_CODES = 10_000;
export const MAX_GENERATION_COUNT = 10_000_000;
export const LOCK_DEFAULT_SECONDS = 300;
export const LOCK_MAX_SECONDS = 900;

export class CreateCouponBookDto {
  @ApiProperty({ example: 'Black Friday 2026', minLength: 1, maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Codes are handed out from then on' })
  @Optional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'No assignment, lock or redemption after it' })
  @Optional()
  @IsISO8601({ strict: true })
  endsAt?: string;

  @ApiPropertyOptional({
    minimum: 1,
    description: 'Codes one user may get from this book; unlimited when absent',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxCodesPerUser?: number;

  @ApiPropertyOptional({
    minimum: 1,
    description: "Redemptions of this book's codes per user; unlimited when absent",
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxRedemptionsPerUser?: number;

  @ApiPropertyOptional({ default: false, description: 'Whether one code may be redeemed more than once' })
  @Optional()
  @IsBoolean()
  allowMultipleRedemptions?: boolean;

  @ApiPropertyOptional({
    default: '########',
    description: 'The default pattern of generation jobs: `#` is one random character of `charset`',
    maxLength: 64,
  })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z0-9_#-]{1,64}$/, { message: 'codePattern must be 1-64 of letters, digits, -, _ and #' })
  @Matches(/#/, { message: 'codePattern must contain at least one #' })
  codePattern?: string;

  @ApiPropertyOptional({ default: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', minLength: 2, maxLength: 64 })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{2,64}$/, { message: 'charset must be 2-64 letters, digits, - or _' })
  charset?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'An inactive book hands out, locks and redeems nothing',
  })
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export const COUPON_BOOK_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type CouponBookStatus = (typeof COUPON_BOOK_STATUSES)[number];

export class CouponBookStatsDto {
  @ApiProperty() total!: number;
  @ApiProperty() assigned!: number;
  @ApiProperty() redeemed!: number;
}

export class CouponBookDto {
  @ApiProperty() couponBookId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startsAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endsAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) maxCodesPerUser!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxRedemptionsPerUser!: number | null;
  @ApiProperty() allowMultipleRedemptions!: boolean;
  @ApiProperty() codePattern!: string;
  @ApiProperty() charset!: string;
  @ApiProperty({ description: 'Same as status === ACTIVE' }) active!: boolean;
  @ApiProperty({
    enum: COUPON_BOOK_STATUSES,
    description: 'INACTIVE: switched off by an admin; it hands out, locks and redeems nothing',
  })
  status!: CouponBookStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: CouponBookStatsDto, description: 'Live counts, the same in the list and the detail' })
  stats!: CouponBookStatsDto;
}

export class CouponBookPageDto {
  @ApiProperty({ type: [CouponBookDto] }) items!: CouponBookDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: 'How many books there are in all, over every page' }) total!: number;
}

/** `PATCH /v1/admin/coupon-books/{couponBookId}`: switch a book off (or on again). */
export class UpdateCouponBookDto {
  @ApiProperty({ enum: COUPON_BOOK_STATUSES })
  @IsIn(COUPON_BOOK_STATUSES, { message: `status must be one of ${COUPON_BOOK_STATUSES.join(', ')}` })
  status!: CouponBookStatus;
}

export class UploadCouponCodesDto {
  @ApiProperty({ type: [String], maxItems: MAX_UPLOAD_CODES, minItems: 1, example: ['SUMMER-0001'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_UPLOAD_CODES)
  @IsString({ each: true })
  @Matches(COUPON_CODE_PATTERN, { each: true, message: `each code ${CODE_RULE}` })
  codes!: string[];
}

export class UploadCouponCodesResultDto {
  @ApiProperty({ description: 'Codes new to the platform, now in the book' }) added!: number;
  @ApiProperty({ description: 'Codes that already existed (in any book) or repeated in the request' })
  duplicates!: number;
}

export class CreateGenerationJobDto {
  @ApiProperty({ minimum: 1, maximum: MAX_GENERATION_COUNT, example: 100000 })
  @IsInt()
  @Min(1)
  @Max(MAX_GENERATION_COUNT)
  count!: number;

  @ApiPropertyOptional({ description: "Defaults to the book's codePattern", maxLength: 64 })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z0-9_#-]{1,64}$/, { message: 'pattern must be 1-64 of letters, digits, -, _ and #' })
  @Matches(/#/, { message: 'pattern must contain at least one #' })
  pattern?: string;
}

export class GenerationJobAcceptedDto {
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: ['QUEUED'] }) status!: 'QUEUED';
}

export const GENERATION_JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;

export class GenerationJobDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() couponBookId!: string;
  @ApiProperty({ description: "The book's name" }) couponBookName!: string;
  @ApiProperty({ enum: GENERATION_JOB_STATUSES }) status!: (typeof GENERATION_JOB_STATUSES)[number];
  @ApiProperty() requested!: number;
  @ApiProperty() generated!: number;
  @ApiProperty() pattern!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty({ description: 'generated / seconds since start (until finish)' }) codesPerSecond!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why a FAILED job failed' }) error!:
    string | null;
}

export class GenerationJobPageDto {
  @ApiProperty({ type: [GenerationJobDto] }) items!: GenerationJobDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: 'How many jobs match the filters in all, over every page' }) total!: number;
}

export class GenerationJobQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  couponBookId?: string;

  @ApiPropertyOptional({ enum: GENERATION_JOB_STATUSES })
  @IsOptional()
  @IsIn(GENERATION_JOB_STATUSES)
  status?: (typeof GENERATION_JOB_STATUSES)[number];
}

export class AssignedCouponDto {
  @ApiProperty() code!: string;
  @ApiProperty() couponBookId!: string;
  @ApiProperty({ format: 'date-time' }) assignedAt!: string;
}

export const COUPON_STATUSES = ['ASSIGNED', 'LOCKED', 'REDEEMED'] as const;

export class MyCouponDto extends AssignedCouponDto {
  @ApiProperty() redemptionCount!: number;
  @ApiProperty({ enum: COUPON_STATUSES }) status!: (typeof COUPON_STATUSES)[number];
}

export class MyCouponsDto {
  @ApiProperty({ type: [MyCouponDto] }) items!: MyCouponDto[];
}

export class LockCouponDto {
  @ApiPropertyOptional({ minimum: 1, maximum: LOCK_MAX_SECONDS, default: LOCK_DEFAULT_SECONDS })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(LOCK_MAX_SECONDS)
  seconds?: number;
}

export class CouponLockDto {
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'Present it to redeem (and to release the lock early)' }) lockToken!: string;
  @ApiProperty({ format: 'date-time' }) lockedUntil!: string;
}

export class RedeemCouponDto {
  @ApiProperty({ description: 'From POST /v1/coupons/{code}/lock', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  lockToken!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderId?: string;
}

export class CouponRedemptionDto {
  @ApiProperty() code!: string;
  @ApiProperty({ format: 'date-time' }) redeemedAt!: string;
  @ApiProperty({ description: 'The entry in the redemption log' }) transactionId!: string;
  @ApiProperty({ nullable: true, type: String }) orderId!: string | null;
}
