import { Injectable } from '@nestjs/common';
import type { CouponBookDto, CouponBookPageDto } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { couponBookNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { toBookDto } from './coupon-books.views';

/** The admin's reads of coupon books, each with its live stats (summed from the counter shards). */
@Injectable()
export class CouponBooksQueries {
  constructor(private readonly books: CouponBooksRepository) {}

  async list(page: PageRequest): Promise<CouponBookPageDto> {
    const { items, nextCursor } = await this.books.list(page);
    const stats = await this.books.stats(items.map((b) => b.couponBookId));
    return { items: items.map((b) => toBookDto(b, stats.get(b.couponBookId)!)), nextCursor };
  }

  async get(couponBookId: string): Promise<CouponBookDto> {
    const book = await this.books.findById(couponBookId);
    if (!book) throw couponBookNotFound();
    return toBookDto(book, (await this.books.stats([couponBookId])).get(couponBookId)!);
  }
}
