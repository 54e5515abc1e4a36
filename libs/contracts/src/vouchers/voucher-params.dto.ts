import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Ids in URL paths: the services' ids are UUIDs, but any unknown id is a 404, not a 400. */
export const PATH_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const PATH_ID_RULE = 'must be 1-100 letters, digits, - or _';

/** `/v1/admin/campaigns/{campaignId}`. */
export class CampaignParamsDto {
  @ApiProperty({ pattern: PATH_ID_PATTERN.source })
  @Matches(PATH_ID_PATTERN, { message: `campaignId ${PATH_ID_RULE}` })
  campaignId!: string;
}

/** `/v1/vouchers/{voucherId}/redeem`. */
export class VoucherParamsDto {
  @ApiProperty({ pattern: PATH_ID_PATTERN.source })
  @Matches(PATH_ID_PATTERN, { message: `voucherId ${PATH_ID_RULE}` })
  voucherId!: string;
}
