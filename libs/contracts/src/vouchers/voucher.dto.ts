import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Optional } from '../optional';

export const VOUCHER_STATUSES = ['AVAILABLE', 'REDEEMED', 'EXPIRED'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export class VoucherDto {
  @ApiProperty() voucherId!: string;
  @ApiProperty({ example: 'K7QM-3XHP-9TWD' }) code!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ example: 30 }) discountPercent!: number;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ enum: VOUCHER_STATUSES, description: 'EXPIRED once past expiresAt unless redeemed' })
  status!: VoucherStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) redeemedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) orderId!: string | null;
}

export class VoucherListDto {
  @ApiProperty({ type: [VoucherDto] }) items!: VoucherDto[];
}

/** `POST /v1/vouchers/{voucherId}/redeem`: single use; the same orderId again is a replay. */
export class RedeemVoucherDto {
  @ApiProperty({ example: 'order-2026-000123', minLength: 1, maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'API clients (vouchers:redeem) only, and required for them: the member who holds the voucher',
  })
  @Optional()
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId?: string;
}

export class RedeemedVoucherDto {
  @ApiProperty() voucherId!: string;
  @ApiProperty({ enum: ['REDEEMED'] }) status!: 'REDEEMED';
  @ApiProperty({ format: 'date-time' }) redeemedAt!: string;
  @ApiProperty() orderId!: string;
}
