import { Inject, Injectable } from '@nestjs/common';
import { MAX_EXPORT_PAGE, type CouponCodeExportPageDto } from '@lib/contracts';
import { LOGGER, Logger } from '@lib/observability';
import { couponBookNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { toExportedCode } from './coupon-books.views';

/**
 * The codes export, one keyset page at a time: the gateway asks for the next page after the last
 * code it wrote, so no process ever holds a whole book. Exports are reads: logged, not audited.
 */
@Injectable()
export class CouponExportQueries {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async page(
    adminId: string,
    couponBookId: string,
    after: string | undefined,
    limit = MAX_EXPORT_PAGE,
  ): Promise<CouponCodeExportPageDto> {
    const book = await this.books.findById(couponBookId);
    if (!book) throw couponBookNotFound();
    if (after === undefined) this.logger.info({ couponBookId, adminId }, 'coupon codes: export started');
    const now = new Date();
    const coupons = await this.codes.pageOfBook(couponBookId, after ?? null, limit);
    return {
      couponBookName: book.name,
      items: coupons.map((c) => toExportedCode(c, now)),
      nextAfter: coupons.length === limit ? coupons[coupons.length - 1].code : null,
    };
  }
}
