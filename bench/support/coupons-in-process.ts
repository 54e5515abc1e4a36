/**
 * Promotion's assignment use case called in-process (no HTTP, no RabbitMQ, no Nest, no token
 * checks): the real AssignCouponHandler, repositories, outbox and unit of work on a connection of
 * their own. Between the raw baseline and the gateway figure, it tells how much of the gap is the
 * use case's code and how much is the trip through the gateway and the broker. The outbox records
 * go to a collection of their own, so promotion's relay leaves them be (no publishing here).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { BOOK_STATS_MODEL, COUPON_CODE_MODEL, SHARED_COUPON_MODELS } from '@lib/coupons';
import type { AuthenticatedUser } from '@lib/jwt';
import { MongoOutbox, outboxSchema, type OutboxRecord } from '@lib/messaging';
import { MongoUnitOfWork, openMongoConnection } from '@lib/persistence';
import { AssignCouponHandler } from '../../apps/promotion/src/coupon-books/assign-coupon/assign-coupon.handler';
import { RecentBooks } from '../../apps/promotion/src/coupon-books/assign-coupon/recent-books';
import {
  COUPON_BOOK_MODEL,
  MongoCouponBooksRepository,
  couponBookSchema,
} from '../../apps/promotion/src/coupon-books/mongo/coupon-books.mongo';
import {
  COUPON_REDEMPTION_MODEL,
  MongoCouponCodesRepository,
  couponRedemptionSchema,
} from '../../apps/promotion/src/coupon-books/mongo/coupon-codes.mongo';
import {
  COUPON_HOLDER_MODEL,
  MongoCouponHoldersRepository,
  couponHolderSchema,
} from '../../apps/promotion/src/coupon-books/mongo/coupon-holders.mongo';

export const IN_PROCESS_OUTBOX = 'bench_in_process_outbox';

function assignHandler(connection: Connection): AssignCouponHandler {
  const model = (name: string) => {
    const found = [
      ...SHARED_COUPON_MODELS,
      { name: COUPON_BOOK_MODEL, schema: couponBookSchema },
      { name: COUPON_REDEMPTION_MODEL, schema: couponRedemptionSchema },
      { name: COUPON_HOLDER_MODEL, schema: couponHolderSchema },
    ].find((m) => m.name === name)!;
    return connection.model(name, found.schema as never);
  };
  const books = new MongoCouponBooksRepository(model(COUPON_BOOK_MODEL), model(BOOK_STATS_MODEL));
  const codes = new MongoCouponCodesRepository(model(COUPON_CODE_MODEL), model(COUPON_REDEMPTION_MODEL));
  const holders = new MongoCouponHoldersRepository(model(COUPON_HOLDER_MODEL));
  const outbox = new MongoOutbox(
    connection.model<OutboxRecord>('BenchOutbox', outboxSchema.clone(), IN_PROCESS_OUTBOX),
  );
  return new AssignCouponHandler(
    new RecentBooks(books),
    books,
    codes,
    holders,
    new MongoUnitOfWork(connection),
    outbox,
  );
}

export async function inProcessAssignments(spec: {
  mongoUri: string;
  dbName: string;
  couponBookId: string;
  sessions: number;
  warmupMs: number;
  durationMs: number;
}): Promise<{ perSecond: number; errors: number; cpuUs: number }> {
  const connection = await openMongoConnection({ uri: spec.mongoUri, dbName: spec.dbName });
  try {
    const handler = assignHandler(connection);
    const t0 = performance.now();
    const windowStart = t0 + spec.warmupMs;
    const windowEnd = windowStart + spec.durationMs;
    const cpu0 = process.cpuUsage();
    let done = 0;
    let counted = 0;
    let errors = 0;
    const loop = async () => {
      const caller = { userId: randomUUID(), roles: ['member'] } as AuthenticatedUser;
      while (performance.now() < windowEnd) {
        try {
          await handler.execute(caller, spec.couponBookId);
          done++;
          const at = performance.now();
          if (at >= windowStart && at < windowEnd) counted++;
        } catch (err) {
          if (++errors > 100) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: spec.sessions }, () => loop()));
    const cpu = process.cpuUsage(cpu0);
    return {
      perSecond: counted / (spec.durationMs / 1000),
      errors,
      cpuUs: (cpu.user + cpu.system) / Math.max(1, done),
    };
  } finally {
    await connection.close();
  }
}
