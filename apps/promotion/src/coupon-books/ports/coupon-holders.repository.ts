/** Per user and book: how many codes they got and how many redemptions they made. */
export abstract class CouponHoldersRepository {
  /** Takes one code slot; false when the user has `max` codes already (null: unlimited). */
  abstract takeCodeSlot(couponBookId: string, userId: string, max: number | null): Promise<boolean>;
  /** Takes one redemption slot; false when the user has redeemed `max` times (null: unlimited). */
  abstract takeRedemptionSlot(couponBookId: string, userId: string, max: number | null): Promise<boolean>;
  abstract redemptions(couponBookId: string, userId: string): Promise<number>;
}
