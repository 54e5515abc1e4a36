import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GenerationJobDto, GenerationJobPageDto, GenerationJobQueryDto, RPC } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** Admin: status and progress of bulk code generation. */
@ApiTags('Coupon books')
@Controller('admin/generation-jobs')
@Authenticated('admin')
export class GenerationJobsController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'List code generation jobs' })
  @ApiOkResponse({ type: GenerationJobPageDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  list(
    @BearerToken() accessToken: string,
    @Query() query: GenerationJobQueryDto,
  ): Promise<GenerationJobPageDto> {
    return this.services.call('promotion', RPC.promotion.listGenerationJobs, {
      accessToken,
      query: { ...query },
    });
  }

  @Get(':jobId')
  @ApiOperation({ summary: "A code generation job's status and progress" })
  @ApiOkResponse({ type: GenerationJobDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  get(@BearerToken() accessToken: string, @Param('jobId') jobId: string): Promise<GenerationJobDto> {
    return this.services.call('promotion', RPC.promotion.getGenerationJob, {
      accessToken,
      params: { jobId },
    });
  }
}
