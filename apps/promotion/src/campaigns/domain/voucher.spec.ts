import { redemptionRefusal, Voucher, voucherExpiry, voucherHolder, voucherStatus } from './voucher';

const issuedAt = new Date('2026-06-01T00:00:00Z');
const voucher = (over: Partial<Voucher> = {}): Voucher => ({
  voucherId: 'v',
  code: 'AAAA-BBBB-CCCC',
  campaignId: 'c',
  userId: 'u',
  description: null,
  discountPercent: 30,
  issuedAt,
  expiresAt: voucherExpiry(issuedAt, 30),
  redeemedAt: null,
  orderId: null,
  eventId: 'e',
  ...over,
});

describe('voucher rules', () => {
  it('expires voucherValidDays after issue; EXPIRED is computed from the clock', () => {
    expect(voucherExpiry(issuedAt, 30).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(voucherStatus(voucher(), new Date('2026-06-30T23:59:59Z'))).toBe('AVAILABLE');
    expect(voucherStatus(voucher(), new Date('2026-07-01T00:00:00Z'))).toBe('EXPIRED');
    const redeemed = voucher({ redeemedAt: issuedAt, orderId: 'o' });
    expect(voucherStatus(redeemed, new Date('2027-01-01T00:00:00Z'))).toBe('REDEEMED');
  });

  it('explains a redemption that did not apply', () => {
    const later = new Date('2026-06-10T00:00:00Z');
    expect(redemptionRefusal(null, 'u', 'o', later)).toMatchObject({ code: 'NOT_FOUND' });
    expect(redemptionRefusal(voucher(), 'someone-else', 'o', later)).toMatchObject({ code: 'NOT_FOUND' });
    const redeemed = voucher({ redeemedAt: later, orderId: 'o-1' });
    expect(redemptionRefusal(redeemed, 'u', 'o-1', later)).toBeNull();
    expect(redemptionRefusal(redeemed, 'u', 'o-2', later)).toMatchObject({
      code: 'VOUCHER_ALREADY_REDEEMED',
    });
    expect(redemptionRefusal(voucher(), 'u', 'o', new Date('2026-08-01T00:00:00Z'))).toMatchObject({
      code: 'VOUCHER_EXPIRED',
    });
    // A redeemed voucher replayed after its expiry is still the same redemption.
    expect(redemptionRefusal(redeemed, 'u', 'o-1', new Date('2026-08-01T00:00:00Z'))).toBeNull();
  });

  it("redeems a member's own voucher, or the one of the member an API client names", () => {
    const member = { userId: 'u' };
    const till = { userId: 'client-1', clientId: 'client-1' };
    expect(voucherHolder(member, undefined)).toBe('u');
    expect(voucherHolder(till, 'u2')).toBe('u2');
    const refusal = (work: () => unknown) => {
      try {
        work();
      } catch (err) {
        return err;
      }
      throw new Error('not refused');
    };
    const namingUserId = { code: 'VALIDATION_FAILED', errors: [{ field: 'userId' }] };
    expect(refusal(() => voucherHolder(member, 'u2'))).toMatchObject(namingUserId);
    expect(refusal(() => voucherHolder(till, undefined))).toMatchObject(namingUserId);
  });
});
