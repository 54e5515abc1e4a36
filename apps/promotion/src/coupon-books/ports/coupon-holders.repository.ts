/** Per user and book: how many codes they got and how many redemptions they made. */
export abstract class CouponHoldersRepository {
  /**
   * Takes one code slot when the transaction commits (`max` ≥ 1): one write for every unit sharing
   * the transaction. When the user has `max` codes already, the commit fails with an error that
   * `isSlotRefusal` recognises, and nothing of the transaction is written.
   */
  abstract takeCodeSlotAtCommit(couponBookId: string, userId: string, max: number): Promise<void>;
  /** Whether a failed unit of work was refused a slot taken at commit. */
  abstract isSlotRefusal(err: unknown): boolean;
  /** Takes one redemption slot; false when the user has redeemed `max` times (null: unlimited). */
  abstract takeRedemptionSlot(couponBookId: string, userId: string, max: number | null): Promise<boolean>;
  abstract redemptions(couponBookId: string, userId: string): Promise<number>;
  /** How many codes of the book the user holds. */
  abstract codesHeld(couponBookId: string, userId: string): Promise<number>;
}
