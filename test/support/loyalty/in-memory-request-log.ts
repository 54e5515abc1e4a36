import type { CursorKey } from '@lib/paging';
import { UniqueViolation } from '@lib/persistence';
import type { Allocation } from '../../../apps/loyalty/src/ledger/domain/late-lots';
import {
  PurchaseDetail,
  RequestKey,
  RequestKind,
  RequestLog,
  RequestRecord,
  SpendDetail,
} from '../../../apps/loyalty/src/ledger/ports/request-log.repository';

const keyOf = (key: RequestKey) => `${key.kind}:${key.scope}:${key.businessId}`;

/** Every read gets its own copy, as a database hands out fresh documents. */
const copy = <T>(record: RequestRecord<T>): RequestRecord<T> => structuredClone(record);

/** REQUESTS_ORDER (createdAt, businessId, scope, all descending) as a key to compare. */
const orderKey = (r: RequestRecord<unknown>): [number, string, string] => [
  r.createdAt.getTime(),
  r.businessId,
  r.scope,
];

function newerFirst(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] > b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * The request log in memory, with MongoRequestLog's behaviour: a second insert of a key throws
 * UniqueViolation (as the Mongo unit of work translates a duplicate `_id`), a refund is added
 * only while refunds stay within the purchase's amount, a reversal is set only once.
 */
export class InMemoryRequestLog extends RequestLog {
  private readonly records = new Map<string, RequestRecord<unknown>>();

  async find<T>(key: RequestKey): Promise<RequestRecord<T> | null> {
    const record = this.records.get(keyOf(key));
    return record ? copy(record as RequestRecord<T>) : null;
  }

  async insert<T>(record: RequestRecord<T>): Promise<void> {
    const id = keyOf(record);
    if (this.records.has(id)) throw new UniqueViolation('ledger_requests', { _id: id });
    this.records.set(id, copy(record as RequestRecord<unknown>));
  }

  async list<T>(
    kind: RequestKind,
    groupId: string,
    limit: number,
    after?: CursorKey,
  ): Promise<Array<RequestRecord<T>>> {
    return [...this.records.values()]
      .filter((r) => r.kind === kind && r.groupId === groupId)
      .filter((r) => after === undefined || newerFirst(orderKey(r), after) > 0)
      .sort((a, b) => newerFirst(orderKey(a), orderKey(b)))
      .slice(0, limit)
      .map((r) => copy(r as RequestRecord<T>));
  }

  async findEverywhere<T>(kind: RequestKind, businessId: string): Promise<Array<RequestRecord<T>>> {
    return [...this.records.values()]
      .filter((r) => r.kind === kind && r.businessId === businessId)
      .slice(0, 10)
      .map((r) => copy(r as RequestRecord<T>));
  }

  async addRefund(
    key: RequestKey,
    amountMinor: number,
    points: number,
    initial: PurchaseDetail,
  ): Promise<boolean> {
    const record = this.records.get(keyOf(key));
    if (!record) return false;
    record.detail ??= structuredClone(initial);
    const detail = record.detail as PurchaseDetail;
    if (detail.refundedMinor + amountMinor > detail.amountMinor) return false;
    detail.refundedMinor += amountMinor;
    detail.refundedPoints += points;
    return true;
  }

  async setReversal(key: RequestKey, reversal: unknown): Promise<boolean> {
    const record = this.records.get(keyOf(key));
    if (!record) return false;
    const detail = (record.detail ?? {}) as Partial<SpendDetail>;
    if ('reversal' in detail) return false;
    record.detail = { ...detail, reversal: structuredClone(reversal) } as SpendDetail;
    return true;
  }

  async payerDebits(groupId: string, payer: string): Promise<Array<RequestRecord<unknown>>> {
    return [...this.records.values()]
      .filter(
        (r) =>
          r.kind === 'transaction' &&
          r.groupId === groupId &&
          (r.detail as SpendDetail | undefined)?.payer === payer,
      )
      .map(copy);
  }

  async setAllocations(key: RequestKey, allocations: Allocation[]): Promise<void> {
    const record = this.records.get(keyOf(key));
    if (!record) return;
    record.detail = { ...((record.detail ?? {}) as SpendDetail), allocations: structuredClone(allocations) };
  }

  /** A group's records, for the invariants (what redemptions and payer debits hold). */
  rowsOf(groupId: string): Array<RequestRecord<unknown>> {
    return [...this.records.values()].filter((r) => r.groupId === groupId).map(copy);
  }
}
