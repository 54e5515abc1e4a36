import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CouponBookDto,
  CouponBookPageDto,
  CreateCouponBookDto,
  CreateGenerationJobDto,
  GenerationJobDto,
  GenerationJobPageDto,
  GenerationJobQueryDto,
  LockCouponDto,
  MyCouponsDto,
  PageQueryDto,
  RPC,
  RedeemCouponDto,
  RpcRequest,
  RunningJobStatDto,
  UploadCouponCodesDto,
} from '@lib/contracts';
import { NotFound } from '@lib/errors';
import { CallerVerifier } from '@lib/jwt';
import { AssignCouponHandler } from './assignment/assign-coupon.handler';
import { CouponBooksRepository } from './books/coupon-books.repository';
import { CouponCodesRepository } from './books/coupon-codes.repository';
import { CreateCouponBookHandler } from './books/create-coupon-book.handler';
import { UploadCodesHandler } from './books/upload-codes.handler';
import { toBookDto, toJobDto, toMyCoupon, toRunningJobStat } from './coupon-books.views';
import { GenerationJobsRepository } from './generation/generation-jobs.repository';
import { RequestGenerationHandler } from './generation/request-generation.handler';
import { LockCouponHandler } from './redemption/lock-coupon.handler';
import { RedeemCouponHandler } from './redemption/redeem-coupon.handler';
import { ReleaseLockHandler } from './redemption/release-lock.handler';

const param = (req: RpcRequest, name: string) => String(req.params?.[name] ?? '');
const pageLimit = (q: PageQueryDto | undefined) => Number(q?.limit ?? 20);

/** Coupon books over RPC. Admin RPCs check the role on the verified token; members act as themselves. */
@Controller()
export class CouponBooksRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly books: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    private readonly jobs: GenerationJobsRepository,
    private readonly createBook: CreateCouponBookHandler,
    private readonly uploadCodes: UploadCodesHandler,
    private readonly requestGeneration: RequestGenerationHandler,
    private readonly assign: AssignCouponHandler,
    private readonly lock: LockCouponHandler,
    private readonly release: ReleaseLockHandler,
    private readonly redeem: RedeemCouponHandler,
  ) {}

  @MessagePattern(RPC.promotion.createCouponBook)
  async create(@Payload() req: RpcRequest<CreateCouponBookDto>): Promise<CouponBookDto> {
    const admin = await this.callers.caller(req, 'admin');
    const book = await this.createBook.execute(admin, req.body as CreateCouponBookDto);
    return toBookDto(book, { total: 0, assigned: 0, redeemed: 0 });
  }

  @MessagePattern(RPC.promotion.listCouponBooks)
  async list(@Payload() req: RpcRequest): Promise<CouponBookPageDto> {
    await this.callers.caller(req, 'admin');
    const query = req.query as PageQueryDto | undefined;
    const page = await this.books.list(pageLimit(query), query?.cursor);
    const stats = await this.books.stats(page.items.map((b) => b.couponBookId));
    return {
      items: page.items.map((b) => toBookDto(b, stats.get(b.couponBookId)!)),
      nextCursor: page.nextCursor,
    };
  }

  @MessagePattern(RPC.promotion.getCouponBook)
  async get(@Payload() req: RpcRequest): Promise<CouponBookDto> {
    await this.callers.caller(req, 'admin');
    const id = param(req, 'couponBookId');
    const book = await this.books.findById(id);
    if (!book) throw new NotFound('coupon book');
    return toBookDto(book, (await this.books.stats([id])).get(id)!);
  }

  @MessagePattern(RPC.promotion.uploadCouponCodes)
  async upload(@Payload() req: RpcRequest<UploadCouponCodesDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.uploadCodes.execute(
      admin,
      param(req, 'couponBookId'),
      (req.body as UploadCouponCodesDto).codes,
    );
  }

  @MessagePattern(RPC.promotion.createGenerationJob)
  async generate(@Payload() req: RpcRequest<CreateGenerationJobDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.requestGeneration.execute(
      admin,
      param(req, 'couponBookId'),
      req.body as CreateGenerationJobDto,
    );
  }

  @MessagePattern(RPC.promotion.listGenerationJobs)
  async listJobs(@Payload() req: RpcRequest): Promise<GenerationJobPageDto> {
    await this.callers.caller(req, 'admin');
    const query = (req.query ?? {}) as GenerationJobQueryDto;
    const page = await this.jobs.list(
      { couponBookId: query.couponBookId, status: query.status },
      pageLimit(query),
      query.cursor,
    );
    return { items: page.items.map(toJobDto), nextCursor: page.nextCursor };
  }

  @MessagePattern(RPC.promotion.getGenerationJob)
  async getJob(@Payload() req: RpcRequest): Promise<GenerationJobDto> {
    await this.callers.caller(req, 'admin');
    const job = await this.jobs.findById(param(req, 'jobId'));
    if (!job) throw new NotFound('generation job');
    return toJobDto(job);
  }

  @MessagePattern(RPC.promotion.runningJobs)
  async runningJobs(@Payload() req: RpcRequest): Promise<RunningJobStatDto[]> {
    await this.callers.caller(req, 'admin');
    return (await this.jobs.running(100)).map(toRunningJobStat);
  }

  @MessagePattern(RPC.promotion.assignCoupon)
  async assignCoupon(@Payload() req: RpcRequest) {
    return this.assign.execute(await this.callers.caller(req), param(req, 'couponBookId'));
  }

  @MessagePattern(RPC.promotion.myCoupons)
  async mine(@Payload() req: RpcRequest): Promise<MyCouponsDto> {
    const caller = await this.callers.caller(req);
    const now = new Date();
    const coupons = await this.codes.listAssignedTo(caller.userId, 1000);
    return { items: coupons.map((c) => toMyCoupon(c, now)) };
  }

  @MessagePattern(RPC.promotion.lockCoupon)
  async lockCoupon(@Payload() req: RpcRequest<LockCouponDto>) {
    const caller = await this.callers.caller(req);
    return this.lock.execute(caller, param(req, 'code'), req.body?.seconds);
  }

  @MessagePattern(RPC.promotion.releaseCouponLock)
  async releaseLock(@Payload() req: RpcRequest<{ lockToken: string }>): Promise<{ released: true }> {
    const caller = await this.callers.caller(req);
    await this.release.execute(caller, param(req, 'code'), String(req.body?.lockToken ?? ''));
    return { released: true };
  }

  @MessagePattern(RPC.promotion.redeemCoupon)
  async redeemCoupon(@Payload() req: RpcRequest<RedeemCouponDto>) {
    const caller = await this.callers.caller(req);
    return this.redeem.execute(caller, param(req, 'code'), req.body as RedeemCouponDto);
  }
}
