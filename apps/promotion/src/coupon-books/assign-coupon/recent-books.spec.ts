import type { CouponBook } from '../domain/coupon-book';
import type { CouponBooksRepository } from '../ports/coupon-books.repository';
import { RECENT_BOOK_MS, RecentBooks } from './recent-books';

const book = (couponBookId: string, active = true): CouponBook => ({
  couponBookId,
  name: couponBookId,
  description: null,
  startsAt: null,
  endsAt: null,
  maxCodesPerUser: null,
  maxRedemptionsPerUser: null,
  allowMultipleRedemptions: false,
  codePattern: '########',
  charset: 'AB',
  active,
  createdBy: 'admin',
  createdAt: new Date(0),
});

describe('RecentBooks', () => {
  let stored: Map<string, CouponBook>;
  let reads: number;
  let recent: RecentBooks;
  let now: jest.SpyInstance;

  beforeEach(() => {
    stored = new Map([['b1', book('b1')]]);
    reads = 0;
    const repository = {
      findById: async (id: string) => {
        reads++;
        return stored.get(id) ?? null;
      },
    } as unknown as CouponBooksRepository;
    recent = new RecentBooks(repository);
    now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
  });

  afterEach(() => now.mockRestore());

  it('reads a book once for RECENT_BOOK_MS, then again', async () => {
    expect(await recent.find('b1')).toMatchObject({ couponBookId: 'b1', active: true });
    stored.set('b1', book('b1', false));
    now.mockReturnValue(1_000_000 + RECENT_BOOK_MS - 1);
    expect((await recent.find('b1'))?.active).toBe(true);
    expect(reads).toBe(1);
    now.mockReturnValue(1_000_000 + RECENT_BOOK_MS);
    expect((await recent.find('b1'))?.active).toBe(false);
    expect(reads).toBe(2);
  });

  it('does not remember books that are not there', async () => {
    expect(await recent.find('nope')).toBeNull();
    stored.set('nope', book('nope'));
    expect(await recent.find('nope')).toMatchObject({ couponBookId: 'nope' });
    expect(reads).toBe(2);
  });

  it('forget makes the next find read the book', async () => {
    await recent.find('b1');
    stored.set('b1', book('b1', false));
    recent.forget('b1');
    expect((await recent.find('b1'))?.active).toBe(false);
    expect(reads).toBe(2);
  });

  it('does not keep a read that a forget overtook: it may carry the switch from before', async () => {
    const reading = recent.find('b1'); // reads the book as it was: active
    recent.forget('b1'); // the switch committed meanwhile
    stored.set('b1', book('b1', false));
    expect((await reading)?.active).toBe(true);
    expect((await recent.find('b1'))?.active).toBe(false);
    expect(reads).toBe(2);
  });
});
