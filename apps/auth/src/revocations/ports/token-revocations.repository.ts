import type { TokenRevocation } from '../domain/revocation';

/** One revocation per principal: the latest `validAfter`, kept until `expiresAt` (a TTL index). */
export abstract class TokenRevocationsRepository {
  /** Stores it, or keeps the later `validAfter` (and expiry) when the principal has one already. */
  abstract record(revocation: TokenRevocation): Promise<void>;
  /** The principal's `validAfter`, or null when it was never revoked (or long ago). */
  abstract validAfter(principalId: string): Promise<Date | null>;
  /** Every revocation not yet expired at `now`. */
  abstract listLive(now: Date): Promise<Array<Pick<TokenRevocation, 'principalId' | 'validAfter'>>>;
}
