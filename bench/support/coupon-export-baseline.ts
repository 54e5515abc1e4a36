/**
 * The codes-export benchmark's database side, on the raw `mongodb` driver: seeding a book's codes
 * straight into the collection (the way the coupons benchmark pre-makes them), and the baseline
 * export: one cursor over the same filter, sort and hint as promotion's `pageOfBook`, formatted
 * into the same CSV text in memory by the gateway's own formatter.
 */
// The gateway's formatter and promotion's views pull in the decorated contract classes.
import 'reflect-metadata';
import type { Collection, Document } from 'mongodb';
import type { CouponCodeDoc } from '@lib/coupons';
import { CSV_HEADER, csvRows } from '../../apps/gateway/src/coupons/codes-csv';
import type { Coupon } from '../../apps/promotion/src/coupon-books/domain/coupon';
import { toExportedCode } from '../../apps/promotion/src/coupon-books/queries/coupon-books.views';
import { premadeCodes } from './coupons-baselines';

const PAGE = 5_000;
const INSERT_CHUNK = 20_000;

/**
 * Inserts `counts[i]` codes for `bookIds[i]`, drawn together so that no code repeats and the books'
 * codes interleave in `_id` order, as generated books' codes do. One code in ten is assigned, so
 * the CSV has filled cells too.
 */
export async function seedCodes(
  codes: Collection<CouponCodeDoc>,
  books: Array<{ couponBookId: string; count: number }>,
): Promise<void> {
  const total = books.reduce((n, b) => n + b.count, 0);
  const docs: CouponCodeDoc[] = premadeCodes(total, '', 'bench-seed');
  let i = 0;
  const assignedAt = new Date();
  for (const book of books) {
    for (const end = i + book.count; i < end; i++) {
      docs[i].couponBookId = book.couponBookId;
      if (i % 10 === 0) Object.assign(docs[i], { assignedTo: `member-${i}`, assignedAt });
    }
  }
  for (let from = 0; from < docs.length; from += INSERT_CHUNK) {
    await codes.insertMany(docs.slice(from, from + INSERT_CHUNK), { ordered: false });
  }
}

const toCoupon = (doc: CouponCodeDoc): Coupon => ({
  code: doc._id,
  couponBookId: doc.couponBookId,
  assignedTo: doc.assignedTo ?? null,
  assignedAt: doc.assignedAt ?? null,
  redemptionCount: doc.redemptionCount ?? 0,
  lockFence: doc.lockFence ?? null,
  lockedUntil: doc.lockedUntil ?? null,
});

export interface RawExport {
  rows: number;
  bytes: number;
  seconds: number;
}

/** A book's codes read by one cursor (batches of 5,000) and formatted as the export's CSV. */
export async function rawExport(
  codes: Collection<CouponCodeDoc>,
  couponBookId: string,
  hint: Document,
): Promise<RawExport> {
  const started = process.hrtime.bigint();
  const now = new Date();
  let rows = 0;
  let bytes = Buffer.byteLength(CSV_HEADER);
  let page: ReturnType<typeof toExportedCode>[] = [];
  const flush = () => {
    rows += page.length;
    bytes += Buffer.byteLength(csvRows(page));
    page = [];
  };
  const cursor = codes.find({ couponBookId }).sort({ _id: 1 }).hint(hint).batchSize(PAGE);
  for await (const doc of cursor) {
    page.push(toExportedCode(toCoupon(doc), now));
    if (page.length === PAGE) flush();
  }
  flush();
  return { rows, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** What the server reads for one book's first page under `hint` (keys and documents examined). */
export async function explainFirstPage(
  codes: Collection<CouponCodeDoc>,
  couponBookId: string,
  hint: Document,
): Promise<{ keysExamined: number; docsExamined: number; returned: number; millis: number }> {
  const plan = await codes
    .find({ couponBookId })
    .sort({ _id: 1 })
    .hint(hint)
    .limit(PAGE)
    .explain('executionStats');
  const stats = plan.executionStats as Record<string, number>;
  return {
    keysExamined: stats.totalKeysExamined,
    docsExamined: stats.totalDocsExamined,
    returned: stats.nReturned,
    millis: stats.executionTimeMillis,
  };
}
