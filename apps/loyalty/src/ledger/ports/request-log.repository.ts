import type { CursorKey, KeysetField } from '@lib/paging';

/** What an idempotent create is keyed by: its kind, the group and the client's business id. */
export type RequestKind = 'purchase' | 'redemption' | 'transaction';

export interface RequestKey {
  kind: RequestKind;
  groupId: string;
  businessId: string;
}

export interface RequestRecord<T> extends RequestKey {
  /** SHA-256 of the canonical request body: a replay must match it. */
  fingerprint: string;
  /** The first answer, given again to every replay. */
  response: T;
  createdAt: Date;
}

/** A group's purchases (or other requests) page newest first, the business id breaking ties. */
export const REQUESTS_ORDER: readonly KeysetField[] = [
  { path: 'createdAt', order: 'desc', date: true },
  { path: 'businessId', order: 'desc' },
];

/**
 * The first answer to every idempotent create. Business ids are scoped to the group: two groups
 * may use the same purchaseId without ever seeing each other's. A second insert of a key throws
 * UniqueViolation (the unique index decides between concurrent duplicates).
 */
export abstract class RequestLog {
  abstract find<T>(key: RequestKey): Promise<RequestRecord<T> | null>;
  abstract insert<T>(record: RequestRecord<T>): Promise<void>;
  /** In REQUESTS_ORDER; `after` (a key of that order) continues a page. */
  abstract list<T>(
    kind: RequestKind,
    groupId: string,
    limit: number,
    after?: CursorKey,
  ): Promise<Array<RequestRecord<T>>>;
}
