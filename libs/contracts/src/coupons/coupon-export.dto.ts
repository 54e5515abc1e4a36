import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInt } from '../validation';

/** The most codes one export page carries over RPC: big enough to stream fast, small enough to stay light. */
export const MAX_EXPORT_PAGE = 5_000;

/** The columns of `GET /v1/admin/coupon-books/{couponBookId}/codes/export`, in order. */
export const COUPON_EXPORT_COLUMNS = [
  'code',
  'status',
  'assignedTo',
  'assignedAt',
  'redemptionCount',
] as const;

/**
 * One page of a book's codes, in code order, after `after` (keyset on the code). Any string: codes
 * stored before today's upload rules must not stop an export.
 */
export class ExportCouponCodesQueryDto {
  @ApiPropertyOptional({ description: 'The last code of the previous page; the first page when absent' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_EXPORT_PAGE, default: MAX_EXPORT_PAGE })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(MAX_EXPORT_PAGE)
  limit?: number;
}

export const EXPORTED_COUPON_STATUSES = ['AVAILABLE', 'ASSIGNED', 'LOCKED', 'REDEEMED'] as const;

export class ExportedCouponCodeDto {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: EXPORTED_COUPON_STATUSES, description: 'AVAILABLE: not handed out yet' })
  status!: (typeof EXPORTED_COUPON_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true }) assignedTo!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) assignedAt!: string | null;
  @ApiProperty() redemptionCount!: number;
}

/** What the export RPC answers: the book's name (for the file name) and one page of its codes. */
export class CouponCodeExportPageDto {
  @ApiProperty() couponBookName!: string;
  @ApiProperty({ type: [ExportedCouponCodeDto] }) items!: ExportedCouponCodeDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page' })
  nextAfter!: string | null;
}
