import { Injectable } from '@nestjs/common';
import type { CouponBookDto, CouponBookPageDto } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import type { CouponBook } from '../domain/coupon-book';
import { couponBookNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { toBookDto } from './coupon-books.views';

/**
 * The admin's reads of coupon books. The list and the detail both take their stats from `withStats`
 * (the counter shards, summed at read time, no cache), so the two always show the same figures.
 */
@Injectable()
export class CouponBooksQueries {
  constructor(private readonly books: CouponBooksRepository) {}

  async list(page: PageRequest): Promise<CouponBookPageDto> {
    const [{ items, nextCursor }, total] = await Promise.all([this.books.list(page), this.books.count()]);
    return { items: await this.withStats(items), nextCursor, total };
  }

  async get(couponBookId: string): Promise<CouponBookDto> {
    const book = await this.books.findById(couponBookId);
    if (!book) throw couponBookNotFound();
    return (await this.withStats([book]))[0];
  }

  async withStats(books: CouponBook[]): Promise<CouponBookDto[]> {
    const stats = await this.books.stats(books.map((b) => b.couponBookId));
    return books.map((b) => toBookDto(b, stats.get(b.couponBookId)!));
  }
}
