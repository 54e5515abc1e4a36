import { Injectable } from '@nestjs/common';
import type { CouponBook } from '../domain/coupon-book';
import { CouponBooksRepository } from '../ports/coupon-books.repository';

/** How long a book read for an assignment is reused. */
export const RECENT_BOOK_MS = 1000;
/** Books remembered at most; past that the oldest go first. */
const MAX_BOOKS = 10_000;

/**
 * The books assignments read, remembered for RECENT_BOOK_MS: an assignment then costs a read of
 * its book about once a second per book, not once per request (a read that was one of every
 * assignment's round trips to MongoDB). A book's dates and limits never change after it is created;
 * only its switch does, and a switch made by this process forgets the book at once, so only
 * other replicas of promotion may hand out codes of a book switched off for up to RECENT_BOOK_MS.
 * Books not found are not remembered.
 */
@Injectable()
export class RecentBooks {
  private readonly books = new Map<string, { book: CouponBook; until: number }>();
  /** Counts forgets: a read that started before one may carry the old switch, and isn't kept. */
  private forgets = 0;

  constructor(private readonly repository: CouponBooksRepository) {}

  async find(couponBookId: string): Promise<CouponBook | null> {
    const now = Date.now();
    const hit = this.books.get(couponBookId);
    if (hit && hit.until > now) return hit.book;
    const forgetsBefore = this.forgets;
    const book = await this.repository.findById(couponBookId);
    this.books.delete(couponBookId);
    if (book && this.forgets === forgetsBefore) {
      if (this.books.size >= MAX_BOOKS) this.books.delete(this.books.keys().next().value!);
      this.books.set(couponBookId, { book, until: now + RECENT_BOOK_MS });
    }
    return book;
  }

  forget(couponBookId: string): void {
    this.forgets++;
    this.books.delete(couponBookId);
  }
}
