/** RPC patterns of the promotion service: coupon books, codes, generation jobs, locks. */
export const COUPON_RPC = {
  /** Admin: → RunningJobStatDto[] (admin stats): jobs QUEUED or RUNNING. */
  runningJobs: 'promotion.generation-job.running',
  createCouponBook: 'promotion.coupon-book.create',
  listCouponBooks: 'promotion.coupon-book.list',
  getCouponBook: 'promotion.coupon-book.get',
  /** Admin: params `{couponBookId}`, UpdateCouponBookDto → CouponBookDto. */
  updateCouponBook: 'promotion.coupon-book.update',
  /** Admin: params `{couponBookId}`, ExportCouponCodesQueryDto → CouponCodeExportPageDto. */
  exportCouponCodes: 'promotion.coupon-book.export-codes',
  uploadCouponCodes: 'promotion.coupon-book.upload-codes',
  createGenerationJob: 'promotion.generation-job.create',
  listGenerationJobs: 'promotion.generation-job.list',
  getGenerationJob: 'promotion.generation-job.get',
  assignCoupon: 'promotion.coupon.assign',
  myCoupons: 'promotion.coupon.mine',
  lockCoupon: 'promotion.coupon.lock',
  releaseCouponLock: 'promotion.coupon.unlock',
  redeemCoupon: 'promotion.coupon.redeem',
} as const;
