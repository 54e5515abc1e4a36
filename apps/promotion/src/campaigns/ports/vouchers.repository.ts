import { Voucher } from '../domain/voucher';

/** Vouchers: one per user per campaign, unique codes (the store enforces both). */
export abstract class VouchersRepository {
  /** Throws UniqueViolation (`code`, or `campaignId`+`userId`) on a duplicate. */
  abstract insertMany(vouchers: Voucher[]): Promise<void>;
  /** Which of these users already hold a voucher of the campaign. */
  abstract holders(campaignId: string, userIds: string[]): Promise<Set<string>>;
  abstract findById(voucherId: string): Promise<Voucher | null>;
  /** Newest first. */
  abstract findByUser(userId: string): Promise<Voucher[]>;
  /**
   * Redeems it for `orderId` only if it is the user's, not redeemed and not expired at `at`
   * (one conditional update: of concurrent redemptions exactly one applies). True when it did.
   */
  abstract redeem(voucherId: string, userId: string, orderId: string, at: Date): Promise<boolean>;
}
