import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CouponBookDto,
  CouponBookPageDto,
  CreateCouponBookDto,
  CreateGenerationJobDto,
  GenerationJobAcceptedDto,
  PageQueryDto,
  RPC,
  UpdateCouponBookDto,
  UploadCouponCodesDto,
  UploadCouponCodesResultDto,
} from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** Admin: coupon books, code uploads and bulk generation requests. */
@ApiTags('Coupon books')
@Controller('admin/coupon-books')
@Authenticated('admin')
export class CouponBooksController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a coupon book' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: CouponBookDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  create(@BearerToken() accessToken: string, @Body() body: CreateCouponBookDto): Promise<CouponBookDto> {
    return this.services.call('promotion', RPC.promotion.createCouponBook, { accessToken, body });
  }

  @Get()
  @ApiOperation({ summary: 'List coupon books, with their stats' })
  @ApiOkResponse({ type: CouponBookPageDto, description: 'Newest first, each with live stats' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  list(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<CouponBookPageDto> {
    return this.services.call('promotion', RPC.promotion.listCouponBooks, {
      accessToken,
      query: { ...query },
    });
  }

  @Get(':couponBookId')
  @ApiOperation({ summary: 'A coupon book, with its live stats' })
  @ApiOkResponse({ type: CouponBookDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  get(
    @BearerToken() accessToken: string,
    @Param('couponBookId') couponBookId: string,
  ): Promise<CouponBookDto> {
    return this.services.call('promotion', RPC.promotion.getCouponBook, {
      accessToken,
      params: { couponBookId },
    });
  }

  @Patch(':couponBookId')
  @ApiOperation({
    summary: 'Switch a coupon book off or on',
    description: 'An INACTIVE book hands out, locks and redeems nothing (410 COUPON_BOOK_INACTIVE)',
  })
  @ApiOkResponse({ type: CouponBookDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  update(
    @BearerToken() accessToken: string,
    @Param('couponBookId') couponBookId: string,
    @Body() body: UpdateCouponBookDto,
  ): Promise<CouponBookDto> {
    return this.services.call('promotion', RPC.promotion.updateCouponBook, {
      accessToken,
      params: { couponBookId },
      body,
    });
  }

  @Post(':couponBookId/codes')
  @ApiOperation({ summary: 'Upload codes to a coupon book' })
  @HttpCode(200)
  @ApiOkResponse({ type: UploadCouponCodesResultDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  upload(
    @BearerToken() accessToken: string,
    @Param('couponBookId') couponBookId: string,
    @Body() body: UploadCouponCodesDto,
  ): Promise<UploadCouponCodesResultDto> {
    return this.services.call('promotion', RPC.promotion.uploadCouponCodes, {
      accessToken,
      params: { couponBookId },
      body,
    });
  }

  @Post(':couponBookId/generation-jobs')
  @ApiOperation({ summary: 'Start generating codes for a coupon book' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: GenerationJobAcceptedDto,
    description: 'The coupon worker generates the codes',
  })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'PATTERN_CAPACITY')
  generate(
    @BearerToken() accessToken: string,
    @Param('couponBookId') couponBookId: string,
    @Body() body: CreateGenerationJobDto,
  ): Promise<GenerationJobAcceptedDto> {
    return this.services.call('promotion', RPC.promotion.createGenerationJob, {
      accessToken,
      params: { couponBookId },
      body,
    });
  }
}
