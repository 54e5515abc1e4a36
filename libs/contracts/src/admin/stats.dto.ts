import { ApiProperty } from '@nestjs/swagger';

/** The parts of `GET /v1/admin/stats`, each answered by the service that owns the data. */
export class MemberStatsDto {
  @ApiProperty() members!: number;
  @ApiProperty() groups!: number;
}

export class PointsDayDto {
  @ApiProperty({ example: '2026-11-25', description: 'UTC day' }) date!: string;
  @ApiProperty() earned!: number;
  @ApiProperty({ description: 'Points spent by redemptions that day, as a positive number' })
  redeemed!: number;
}

export class ActiveCampaignStatDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() issued!: number;
  @ApiProperty() remaining!: number;
}

export class RunningJobStatDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() couponBookId!: string;
  @ApiProperty() requested!: number;
  @ApiProperty() generated!: number;
}
