import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActiveCampaignStatDto,
  AdminStatsDto,
  MemberStatsDto,
  PointsDayDto,
  RPC,
  RpcService,
  RunningJobStatDto,
  StatsQueryDto,
} from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { LOGGER, Logger } from '@lib/observability';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/**
 * The admin dashboard's figures, gathered from the services that own them, all at once. A service
 * that is down, slow or failing leaves its part null; the rest still answers 200.
 */
@ApiTags('Administration')
@Controller('admin/stats')
@Authenticated('admin')
export class AdminStatsController {
  constructor(
    private readonly services: ServiceClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @ApiOperation({ summary: "The dashboard's figures" })
  @ApiOkResponse({ type: AdminStatsDto, description: 'A part is null when its service did not answer' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  async stats(@BearerToken() accessToken: string, @Query() query: StatsQueryDto): Promise<AdminStatsDto> {
    const days = query.days ?? 30;
    const part = <T>(service: RpcService, pattern: string, body?: unknown): Promise<T | null> =>
      this.services.call<T>(service, pattern, { accessToken, body }).catch((err: unknown) => {
        this.logger.warn({ pattern, reason: (err as Error).message }, 'admin stats: a part is missing');
        return null;
      });
    const [members, pointsByDay, activeCampaigns, runningJobs] = await Promise.all([
      part<MemberStatsDto>('auth', RPC.auth.memberStats),
      part<PointsDayDto[]>('loyalty', RPC.loyalty.pointsByDay, { days }),
      part<ActiveCampaignStatDto[]>('promotion', RPC.promotion.activeCampaignStats),
      part<RunningJobStatDto[]>('promotion', RPC.promotion.runningJobs),
    ]);
    return {
      members: members?.members ?? null,
      groups: members?.groups ?? null,
      pointsByDay,
      activeCampaigns,
      runningJobs,
    };
  }
}
