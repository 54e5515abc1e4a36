import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { PATH_ID_PATTERN, PATH_ID_RULE } from '../vouchers/voucher-params.dto';
import { COUPON_CODE_PATTERN } from './coupon-books.dto';

/** `/v1/admin/coupon-books/{couponBookId}…` and `/v1/coupon-books/{couponBookId}/assignments`. */
export class CouponBookParamsDto {
  @ApiProperty({ pattern: PATH_ID_PATTERN.source })
  @Matches(PATH_ID_PATTERN, { message: `couponBookId ${PATH_ID_RULE}` })
  couponBookId!: string;
}

/** `/v1/admin/generation-jobs/{jobId}`. */
export class GenerationJobParamsDto {
  @ApiProperty({ pattern: PATH_ID_PATTERN.source })
  @Matches(PATH_ID_PATTERN, { message: `jobId ${PATH_ID_RULE}` })
  jobId!: string;
}

/** `/v1/coupons/{code}/…`: codes travel in URL paths. */
export class CouponCodeParamsDto {
  @ApiProperty({ pattern: COUPON_CODE_PATTERN.source })
  @Matches(COUPON_CODE_PATTERN, { message: 'code must be 1-64 letters, digits, - or _' })
  code!: string;
}

/**
 * `DELETE /v1/coupons/{code}/lock`: the gateway reads the token from the `Lock-Token` header and
 * forwards it as this body.
 */
export class ReleaseCouponLockDto {
  @ApiProperty({ description: 'The lockToken the lock returned', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  lockToken!: string;
}
