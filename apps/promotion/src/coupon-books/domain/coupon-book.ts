import { bookEndsBeforeItStarts, couponBookInactive } from './coupon-books.errors';

export interface CouponBook {
  couponBookId: string;
  name: string;
  description: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  maxCodesPerUser: number | null;
  maxRedemptionsPerUser: number | null;
  allowMultipleRedemptions: boolean;
  codePattern: string;
  charset: string;
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface CouponBookStats {
  total: number;
  assigned: number;
  redeemed: number;
}

/** Codes are handed out, locked and redeemed only while the book is active and within its dates. */
export function assertBookOpen(book: CouponBook, now: Date): void {
  if (!book.active) throw couponBookInactive(book, 'the coupon book is not active');
  if (book.startsAt && now < book.startsAt)
    throw couponBookInactive(book, 'the coupon book has not started yet');
  if (book.endsAt && now >= book.endsAt) throw couponBookInactive(book, 'the coupon book has ended');
}

export function validateBookDates(startsAt: Date | null, endsAt: Date | null): void {
  if (startsAt && endsAt && endsAt <= startsAt) throw bookEndsBeforeItStarts();
}
