import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '../validation';

/** The parts of `GET /v1/admin/stats`, each answered by the service that owns the data. */
export class MemberStatsDto {
  @ApiProperty({ description: 'User accounts, enabled or not' }) members!: number;
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

/** The statuses of a job still in progress, as `runningJobs` lists them. */
export const RUNNING_JOB_STATUSES = ['QUEUED', 'RUNNING'] as const;

/** A generation job still in progress: QUEUED (waiting for a worker) or RUNNING. */
export class RunningJobStatDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() couponBookId!: string;
  @ApiProperty({ description: "The book's name" }) couponBookName!: string;
  @ApiProperty({
    enum: RUNNING_JOB_STATUSES,
    description: 'QUEUED: waiting for a worker; RUNNING: a worker is generating its codes',
  })
  status!: (typeof RUNNING_JOB_STATUSES)[number];
  @ApiProperty() requested!: number;
  @ApiProperty() generated!: number;
}

/** `GET /v1/admin/stats?days=30`. */
export class StatsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30, description: 'Days of pointsByDay' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;
}

/** Each part is null when the service that owns it is down or failing: the rest still answers. */
export class AdminStatsDto {
  @ApiProperty({ type: Number, nullable: true }) members!: number | null;
  @ApiProperty({ type: Number, nullable: true }) groups!: number | null;
  @ApiProperty({ type: [PointsDayDto], nullable: true }) pointsByDay!: PointsDayDto[] | null;
  @ApiProperty({ type: [ActiveCampaignStatDto], nullable: true })
  activeCampaigns!: ActiveCampaignStatDto[] | null;
  @ApiProperty({
    type: [RunningJobStatDto],
    nullable: true,
    description: 'Generation jobs in progress, QUEUED or RUNNING (see each status), oldest first',
  })
  runningJobs!: RunningJobStatDto[] | null;
}
