import type { CursorKey, KeysetField } from '@lib/paging';
import type { Allocation } from '../domain/late-lots';

/** What an idempotent create is keyed by: its kind, the scope that owns the business id, and that id. */
export type RequestKind = 'purchase' | 'redemption' | 'transaction' | 'refund';

export interface RequestKey {
  kind: RequestKind;
  /**
   * The namespace that owns the business id: the API client's id for a client's request (a till
   * numbers its own purchases, whichever member they are for), the group for a person's request.
   * Both are random UUIDs, so the two kinds of scope never collide.
   */
  scope: string;
  businessId: string;
}

export interface RequestRecord<T> extends RequestKey {
  /** The group whose ledger the request wrote: a replay must name the same one. */
  groupId: string;
  /** SHA-256 of the canonical request body: a replay must match it. */
  fingerprint: string;
  /** The first answer, given again to every replay. */
  response: T;
  createdAt: Date;
  /** What later requests need and the response doesn't say (kept beside it, never replayed). */
  detail?: PurchaseDetail | SpendDetail;
}

/** A purchase's refund state: refunds add up against it. */
export interface PurchaseDetail {
  lotId: string | null;
  currency: string;
  minorUnits: number;
  amountMinor: number;
  refundedMinor: number;
  /** earn rate × tier multiplier, as a decimal string. */
  rate: string;
  pointsEarned: number;
  refundedPoints: number;
}

/** The lots a redemption or a negative payer transaction took its points from. */
export interface SpendDetail {
  allocations: Allocation[];
  /** A negative payer transaction's payer (late lots of that payer re-order it). */
  payer?: string;
  /** A redemption's reversal, once reversed: the answer every later reversal gets. */
  reversal?: unknown;
}

/**
 * A group's purchases (or other requests) page newest first, the business id, then its scope,
 * breaking ties: two tills may record the same purchaseId for one group in the same millisecond.
 */
export const REQUESTS_ORDER: readonly KeysetField[] = [
  { path: 'createdAt', order: 'desc', date: true },
  { path: 'businessId', order: 'desc' },
  { path: 'scope', order: 'desc' },
];

/**
 * The first answer to every idempotent create. Business ids are scoped (see RequestKey.scope):
 * two API clients, or two groups, may use the same purchaseId without ever seeing each other's.
 * A second insert of a key throws UniqueViolation (the unique key decides between concurrent
 * duplicates).
 */
export abstract class RequestLog {
  abstract find<T>(key: RequestKey): Promise<RequestRecord<T> | null>;
  abstract insert<T>(record: RequestRecord<T>): Promise<void>;
  /** A group's requests of one kind, whoever made them, in REQUESTS_ORDER; `after` continues a page. */
  abstract list<T>(
    kind: RequestKind,
    groupId: string,
    limit: number,
    after?: CursorKey,
  ): Promise<Array<RequestRecord<T>>>;
  /** Every scope's record of one kind and business id (an admin names a redemption by id alone). */
  abstract findEverywhere<T>(kind: RequestKind, businessId: string): Promise<Array<RequestRecord<T>>>;
  /**
   * Adds a refund to a purchase, only if its refunds stay within its amount (false otherwise).
   * `initial` is the detail of a purchase recorded before refunds existed, set first if it has none.
   */
  abstract addRefund(
    key: RequestKey,
    amountMinor: number,
    points: number,
    initial: PurchaseDetail,
  ): Promise<boolean>;
  /** Records a redemption's reversal, only if it has none yet (false otherwise). */
  abstract setReversal(key: RequestKey, reversal: unknown): Promise<boolean>;
  /** A group's negative payer transactions of one payer that still hold points. */
  abstract payerDebits(groupId: string, payer: string): Promise<Array<RequestRecord<unknown>>>;
  abstract setAllocations(key: RequestKey, allocations: Allocation[]): Promise<void>;
}
