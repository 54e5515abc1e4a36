import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CouponBookParamsDto,
  CouponCodeParamsDto,
  CreateCouponBookDto,
  CreateGenerationJobDto,
  ExportCouponCodesQueryDto,
  GenerationJobParamsDto,
  GenerationJobQueryDto,
  LockCouponDto,
  PageQueryDto,
  RedeemCouponDto,
  ReleaseCouponLockDto,
  RPC,
  UpdateCouponBookDto,
  UploadCouponCodesDto,
} from '@lib/contracts';
import type {
  AssignedCouponDto,
  CouponBookDto,
  CouponBookPageDto,
  CouponCodeExportPageDto,
  CouponLockDto,
  CouponRedemptionDto,
  GenerationJobAcceptedDto,
  GenerationJobDto,
  GenerationJobPageDto,
  MyCouponsDto,
  RunningJobStatDto,
  UploadCouponCodesResultDto,
} from '@lib/contracts';
import { CallerVerifier } from '@lib/jwt';
import { RpcPayload, ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { AssignCouponHandler } from './assign-coupon/assign-coupon.handler';
import { CreateCouponBookHandler } from './create-coupon-book/create-coupon-book.handler';
import { LockCouponHandler } from './lock-coupon/lock-coupon.handler';
import { CouponBooksQueries } from './queries/coupon-books.queries';
import { CouponExportQueries } from './queries/coupon-export.queries';
import { GenerationJobsQueries } from './queries/generation-jobs.queries';
import { MyCouponsQueries } from './queries/my-coupons.queries';
import { RedeemCouponHandler } from './redeem-coupon/redeem-coupon.handler';
import { ReleaseLockHandler } from './release-lock/release-lock.handler';
import { RequestGenerationHandler } from './request-generation/request-generation.handler';
import { UpdateCouponBookHandler } from './update-coupon-book/update-coupon-book.handler';
import { UploadCodesHandler } from './upload-codes/upload-codes.handler';

type BookRequest<B = never> = ValidRpcRequest<B, never, CouponBookParamsDto>;
type CodeRequest<B = never> = ValidRpcRequest<B, never, CouponCodeParamsDto>;

/**
 * Coupon books over RPC. Every part of a request is checked against the gateway's DTOs first;
 * admin RPCs check the role on the verified token, members act as themselves.
 */
@Controller()
export class CouponBooksRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly books: CouponBooksQueries,
    private readonly jobs: GenerationJobsQueries,
    private readonly myCoupons: MyCouponsQueries,
    private readonly exports: CouponExportQueries,
    private readonly createBook: CreateCouponBookHandler,
    private readonly updateBook: UpdateCouponBookHandler,
    private readonly uploadCodes: UploadCodesHandler,
    private readonly requestGeneration: RequestGenerationHandler,
    private readonly assign: AssignCouponHandler,
    private readonly lock: LockCouponHandler,
    private readonly release: ReleaseLockHandler,
    private readonly redeem: RedeemCouponHandler,
  ) {}

  @MessagePattern(RPC.promotion.createCouponBook)
  async create(
    @RpcPayload({ body: CreateCouponBookDto }) req: ValidRpcRequest<CreateCouponBookDto>,
  ): Promise<CouponBookDto> {
    return this.createBook.execute(await this.callers.caller(req, 'admin'), req.body);
  }

  @MessagePattern(RPC.promotion.listCouponBooks)
  async list(
    @RpcPayload({ query: PageQueryDto }) req: ValidRpcRequest<never, PageQueryDto>,
  ): Promise<CouponBookPageDto> {
    await this.callers.caller(req, 'admin');
    return this.books.list(readPageRequest(req.query));
  }

  @MessagePattern(RPC.promotion.getCouponBook)
  async get(@RpcPayload({ params: CouponBookParamsDto }) req: BookRequest): Promise<CouponBookDto> {
    await this.callers.caller(req, 'admin');
    return this.books.get(req.params.couponBookId);
  }

  @MessagePattern(RPC.promotion.updateCouponBook)
  async update(
    @RpcPayload({ body: UpdateCouponBookDto, params: CouponBookParamsDto })
    req: BookRequest<UpdateCouponBookDto>,
  ): Promise<CouponBookDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.updateBook.execute(admin, req.params.couponBookId, req.body);
  }

  @MessagePattern(RPC.promotion.exportCouponCodes)
  async exportCodes(
    @RpcPayload({ query: ExportCouponCodesQueryDto, params: CouponBookParamsDto })
    req: ValidRpcRequest<never, ExportCouponCodesQueryDto, CouponBookParamsDto>,
  ): Promise<CouponCodeExportPageDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.exports.page(admin.userId, req.params.couponBookId, req.query.after, req.query.limit);
  }

  @MessagePattern(RPC.promotion.uploadCouponCodes)
  async upload(
    @RpcPayload({ body: UploadCouponCodesDto, params: CouponBookParamsDto })
    req: BookRequest<UploadCouponCodesDto>,
  ): Promise<UploadCouponCodesResultDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.uploadCodes.execute(admin, req.params.couponBookId, req.body.codes);
  }

  @MessagePattern(RPC.promotion.createGenerationJob)
  async generate(
    @RpcPayload({ body: CreateGenerationJobDto, params: CouponBookParamsDto })
    req: BookRequest<CreateGenerationJobDto>,
  ): Promise<GenerationJobAcceptedDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.requestGeneration.execute(admin, req.params.couponBookId, req.body);
  }

  @MessagePattern(RPC.promotion.listGenerationJobs)
  async listJobs(
    @RpcPayload({ query: GenerationJobQueryDto }) req: ValidRpcRequest<never, GenerationJobQueryDto>,
  ): Promise<GenerationJobPageDto> {
    await this.callers.caller(req, 'admin');
    return this.jobs.list(req.query, readPageRequest(req.query));
  }

  @MessagePattern(RPC.promotion.getGenerationJob)
  async getJob(
    @RpcPayload({ params: GenerationJobParamsDto })
    req: ValidRpcRequest<never, never, GenerationJobParamsDto>,
  ): Promise<GenerationJobDto> {
    await this.callers.caller(req, 'admin');
    return this.jobs.get(req.params.jobId);
  }

  @MessagePattern(RPC.promotion.runningJobs)
  async runningJobs(@RpcPayload() req: ValidRpcRequest): Promise<RunningJobStatDto[]> {
    await this.callers.caller(req, 'admin');
    return this.jobs.running();
  }

  @MessagePattern(RPC.promotion.assignCoupon)
  async assignCoupon(
    @RpcPayload({ params: CouponBookParamsDto }) req: BookRequest,
  ): Promise<AssignedCouponDto> {
    return this.assign.execute(await this.callers.caller(req), req.params.couponBookId);
  }

  @MessagePattern(RPC.promotion.myCoupons)
  async mine(@RpcPayload() req: ValidRpcRequest): Promise<MyCouponsDto> {
    return this.myCoupons.mine((await this.callers.caller(req)).userId);
  }

  @MessagePattern(RPC.promotion.lockCoupon)
  async lockCoupon(
    @RpcPayload({ body: LockCouponDto, params: CouponCodeParamsDto }) req: CodeRequest<LockCouponDto>,
  ): Promise<CouponLockDto> {
    const caller = await this.callers.caller(req);
    return this.lock.execute(caller, req.params.code, req.body.seconds);
  }

  @MessagePattern(RPC.promotion.releaseCouponLock)
  async releaseLock(
    @RpcPayload({ body: ReleaseCouponLockDto, params: CouponCodeParamsDto })
    req: CodeRequest<ReleaseCouponLockDto>,
  ): Promise<{ released: true }> {
    const caller = await this.callers.caller(req);
    await this.release.execute(caller, req.params.code, req.body.lockToken);
    return { released: true };
  }

  @MessagePattern(RPC.promotion.redeemCoupon)
  async redeemCoupon(
    @RpcPayload({ body: RedeemCouponDto, params: CouponCodeParamsDto }) req: CodeRequest<RedeemCouponDto>,
  ): Promise<CouponRedemptionDto> {
    const caller = await this.callers.caller(req);
    return this.redeem.execute(caller, req.params.code, req.body);
  }
}
