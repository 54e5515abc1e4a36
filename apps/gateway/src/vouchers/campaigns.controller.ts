import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CampaignDto,
  CampaignPageDto,
  CreateCampaignDto,
  PageQueryDto,
  RPC,
  UpdateCampaignStatusDto,
} from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** Admin: FIRST_LOGIN voucher campaigns (create, list, read, pause/resume/end). */
@ApiTags('Vouchers')
@Controller('admin/campaigns')
@Authenticated('admin')
export class CampaignsController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a first-login voucher campaign' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'CAMPAIGN_CONFLICT')
  create(@BearerToken() accessToken: string, @Body() body: CreateCampaignDto): Promise<CampaignDto> {
    return this.services.call('promotion', RPC.promotion.createCampaign, { accessToken, body });
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns' })
  @ApiOkResponse({ type: CampaignPageDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  list(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<CampaignPageDto> {
    return this.services.call('promotion', RPC.promotion.listCampaigns, {
      accessToken,
      query: { ...query },
    });
  }

  @Get(':campaignId')
  @ApiOperation({ summary: 'A campaign, with its voucher counts' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  get(@BearerToken() accessToken: string, @Param('campaignId') campaignId: string): Promise<CampaignDto> {
    return this.services.call('promotion', RPC.promotion.getCampaign, {
      accessToken,
      params: { campaignId },
    });
  }

  @Patch(':campaignId')
  @ApiOperation({ summary: 'Pause, resume or end a campaign' })
  @ApiOkResponse({ type: CampaignDto, description: 'ENDED is final; resuming checks for overlaps again' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CAMPAIGN_CONFLICT')
  updateStatus(
    @BearerToken() accessToken: string,
    @Param('campaignId') campaignId: string,
    @Body() body: UpdateCampaignStatusDto,
  ): Promise<CampaignDto> {
    return this.services.call('promotion', RPC.promotion.updateCampaignStatus, {
      accessToken,
      params: { campaignId },
      body,
    });
  }
}
