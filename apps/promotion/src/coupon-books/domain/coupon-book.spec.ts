import { DomainError } from '@lib/errors';
import { assertBookOpen, CouponBook, validateBookDates } from './coupon-book';

const book = (over: Partial<CouponBook> = {}): CouponBook => ({
  couponBookId: 'b1',
  name: 'b',
  description: null,
  startsAt: null,
  endsAt: null,
  maxCodesPerUser: null,
  maxRedemptionsPerUser: null,
  allowMultipleRedemptions: false,
  codePattern: '####',
  charset: 'AB',
  active: true,
  createdBy: 'admin',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
});

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'open';
  } catch (err) {
    return (err as DomainError).code;
  }
};

describe('coupon book', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('is open while active and within its dates (startsAt inclusive, endsAt exclusive)', () => {
    expect(codeOf(() => assertBookOpen(book(), now))).toBe('open');
    expect(
      codeOf(() => assertBookOpen(book({ startsAt: now, endsAt: new Date(now.getTime() + 1) }), now)),
    ).toBe('open');
    expect(codeOf(() => assertBookOpen(book({ active: false }), now))).toBe('COUPON_BOOK_INACTIVE');
    expect(codeOf(() => assertBookOpen(book({ startsAt: new Date(now.getTime() + 1) }), now))).toBe(
      'COUPON_BOOK_INACTIVE',
    );
    expect(codeOf(() => assertBookOpen(book({ endsAt: now }), now))).toBe('COUPON_BOOK_INACTIVE');
  });

  it('needs endsAt after startsAt', () => {
    expect(codeOf(() => validateBookDates(now, now))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => validateBookDates(now, new Date(now.getTime() + 1)))).toBe('open');
    expect(codeOf(() => validateBookDates(null, now))).toBe('open');
  });
});
