import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Optional } from '../optional';

export const CAMPAIGN_TRIGGERS = ['FIRST_LOGIN'] as const;
export type CampaignTrigger = (typeof CAMPAIGN_TRIGGERS)[number];
export const CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'ENDED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MAX_VOUCHER_LIMIT = 10_000_000;
export const MAX_VOUCHER_VALID_DAYS = 3650;

/** Who may earn a campaign's vouchers. */
export class CampaignEligibilityDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Only accounts created before this time earn a voucher, so accounts made for the campaign ' +
      "can't drain it. Everyone when left out.",
  })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true }, { message: 'registeredBefore must be an ISO-8601 timestamp' })
  registeredBefore?: string;
}

/** `POST /v1/admin/campaigns`. The handler checks the rules across fields (endsAt after startsAt). */
export class CreateCampaignDto {
  @ApiProperty({ example: 'Welcome 30%', minLength: 1, maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '30% off your first order', maxLength: 1000 })
  @Optional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiProperty({ minimum: 1, maximum: 100, example: 30 })
  @IsInt()
  @Min(1)
  @Max(100)
  discountPercent!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_VOUCHER_LIMIT, example: 100, description: 'Vouchers it may issue' })
  @IsInt()
  @Min(1)
  @Max(MAX_VOUCHER_LIMIT)
  voucherLimit!: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Defaults to now' })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO-8601 timestamp' })
  startsAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Open-ended when left out' })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true }, { message: 'endsAt must be an ISO-8601 timestamp' })
  endsAt?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_VOUCHER_VALID_DAYS,
    description: "Days a voucher stays valid after it is issued (the service's default when left out)",
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_VOUCHER_VALID_DAYS)
  voucherValidDays?: number;

  @ApiProperty({ enum: CAMPAIGN_TRIGGERS })
  @IsIn(CAMPAIGN_TRIGGERS)
  trigger!: CampaignTrigger;

  @ApiPropertyOptional({ type: CampaignEligibilityDto })
  @Optional()
  @ValidateNested()
  @Type(() => CampaignEligibilityDto)
  eligibility?: CampaignEligibilityDto;
}

export class CampaignEligibilityViewDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Only accounts created before this time earn a voucher; null: everyone',
  })
  registeredBefore!: string | null;
}

/** `PATCH /v1/admin/campaigns/{campaignId}`: pause, resume or end (ENDED is final). */
export class UpdateCampaignStatusDto {
  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  @IsIn(CAMPAIGN_STATUSES)
  status!: CampaignStatus;
}

export class CampaignDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: CAMPAIGN_TRIGGERS }) trigger!: CampaignTrigger;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status!: CampaignStatus;
  @ApiProperty() discountPercent!: number;
  @ApiProperty() voucherLimit!: number;
  @ApiProperty() voucherValidDays!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: string | null;
  @ApiProperty({ type: CampaignEligibilityViewDto }) eligibility!: CampaignEligibilityViewDto;
  @ApiProperty({ description: 'Vouchers issued so far' }) issued!: number;
  @ApiProperty({ description: 'Vouchers left to issue: voucherLimit - issued' }) remaining!: number;
  @ApiProperty({ description: 'Vouchers redeemed so far' }) redeemed!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) items!: CampaignDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ description: 'How many campaigns there are in all, over every page' }) total!: number;
}
