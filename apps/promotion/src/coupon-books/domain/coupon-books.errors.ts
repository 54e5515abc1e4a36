import { DomainError, NotFound, ValidationFailed } from '@lib/errors';
import type { CouponBook } from './coupon-book';

/** The errors of coupon books, codes, generation jobs and locks: every refusal is built here. */

export const couponBookNotFound = () => new NotFound('coupon book');

export const generationJobNotFound = () => new NotFound('generation job');

/** Also for someone else's code: existence never leaks. */
export const couponNotFound = () => new NotFound('coupon');

/** A code pattern or charset that makes unusable codes; `field` is the one to fix. */
export const unusablePattern = (field: 'codePattern' | 'charset' | 'pattern', problem: string) =>
  new ValidationFailed([{ field, message: problem }]);

export const bookEndsBeforeItStarts = () =>
  new ValidationFailed([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);

export const couponBookInactive = (book: CouponBook, why: string) =>
  new DomainError('COUPON_BOOK_INACTIVE', why, {
    couponBookId: book.couponBookId,
    startsAt: book.startsAt?.toISOString() ?? null,
    endsAt: book.endsAt?.toISOString() ?? null,
  });

export const patternCapacityExceeded = (capacity: number, existing: number, requested: number) =>
  new DomainError(
    'PATTERN_CAPACITY',
    `the pattern makes ${capacity} codes; ${requested} more beside ${existing} would collide too often`,
    { capacity, existing, requested },
  );

export const maxCodesPerUser = (max: number) =>
  new DomainError('MAX_CODES_PER_USER', 'you have as many codes of this book as allowed', {
    maxCodesPerUser: max,
  });

export const noCodesAvailable = (couponBookId: string) =>
  new DomainError('NO_CODES_AVAILABLE', 'every code of this book has been handed out', { couponBookId });

export const couponLocked = () =>
  new DomainError('COUPON_LOCKED', 'the coupon is locked by another checkout');

export const lockRequired = (why: string) =>
  new DomainError('LOCK_REQUIRED', `a valid lock is required to redeem: ${why}`);

/** A release with a token that doesn't hold the code's live lock: nothing is released. */
export const lockHeldUnderAnotherToken = () =>
  new DomainError(
    'LOCK_REQUIRED',
    'this lock token does not hold the live lock on the coupon; nothing was released',
  );

/** Redeemed as often as the book allows: once, or `maxRedemptionsPerUser` times by this user. */
export const couponAlreadyRedeemed = (maxRedemptionsPerUser: number | null = null) =>
  new DomainError(
    'COUPON_ALREADY_REDEEMED',
    'the coupon cannot be redeemed again',
    maxRedemptionsPerUser === null ? {} : { maxRedemptionsPerUser },
  );

export const lockServiceUnavailable = () =>
  new DomainError('LOCK_SERVICE_UNAVAILABLE', 'the lock service is unavailable; nothing was redeemed');
